import * as vscode from 'vscode';

/** "3 minutes ago", "2 hours ago"; under a minute "less than a minute ago" (never "now" beside "4 minutes ago"). */
export function ago(ms: number): string {
  const s = Math.round((ms - Date.now()) / 1000);
  if (Math.abs(s) < 60) return vscode.l10n.t('less than a minute ago');
  const fmt = new Intl.RelativeTimeFormat(vscode.env.language || 'en', { numeric: 'always' });
  if (Math.abs(s) < 3600) return fmt.format(Math.round(s / 60), 'minute');
  if (Math.abs(s) < 86400) return fmt.format(Math.round(s / 3600), 'hour');
  return fmt.format(Math.round(s / 86400), 'day');
}
