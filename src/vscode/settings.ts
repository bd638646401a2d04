import * as vscode from 'vscode';
import { checkBaseUrl } from '../core/http/url';
import { DEFAULT_DEADLINE_MS } from '../core/http/retry';
import type { TransportOptions } from '../core/http/transport';
import { PLATFORMS, type PlatformId } from '../providers';
import { DEFAULT_INACTIVE_DAYS, DEFAULT_INVITATION_DAYS } from '../core/roster/findings';

export const SECTION = 'workspaceAccess';

/** `workspaceAccess.<platform>.baseUrl`: application scope, so a workspace cannot redirect keys. */
export function baseUrlSettingKey(platform: PlatformId): string {
  return `${SECTION}.${platform}.baseUrl`;
}

/** The configured base URL, checked: https, or http to loopback only. Throws saying which setting to fix. */
export function configuredBaseUrl(platform: PlatformId): string {
  const key = baseUrlSettingKey(platform);
  const inspected = vscode.workspace.getConfiguration().inspect<string>(key);
  // Only user (application) values count, whatever a workspace file says.
  const value = inspected?.globalValue ?? inspected?.defaultValue ?? PLATFORMS[platform].defaultBaseUrl;
  try {
    return checkBaseUrl(value);
  } catch (err) {
    throw new Error(vscode.l10n.t('Setting {0}: {1}', key, err instanceof Error ? err.message : String(err)));
  }
}

/** One API call's budget: every try, every wait the platform asks for, every body read (60 s by default). */
export function requestTimeoutMs(): number {
  const seconds = vscode.workspace
    .getConfiguration(SECTION)
    .get<number>('requestTimeoutSeconds', DEFAULT_DEADLINE_MS / 1000);
  return Math.max(1, seconds) * 1000;
}

/** How many reads of live access an access file's check may make before it asks (a file from someone else can declare thousands). */
export function askBeforeReads(): number {
  const value = vscode.workspace.getConfiguration(SECTION).get<number>('accessFile.askBeforeReads', ASK_BEFORE_READS);
  return Math.max(0, Math.floor(value));
}

/** The default of `workspaceAccess.accessFile.askBeforeReads`. */
export const ASK_BEFORE_READS = 1000;

/** The most requests one connection keeps in flight (a bulk job, lists read side by side); the engine adapts below it. */
export function maxConcurrency(): number {
  const value = vscode.workspace.getConfiguration(SECTION).get<number>('bulk.maxConcurrency', 16);
  return Math.min(64, Math.max(1, Math.floor(value)));
}

/** VS Code's own proxy settings, handed to the private undici dispatcher. */
export function transportOptions(): TransportOptions {
  const http = vscode.workspace.getConfiguration('http');
  return {
    connectTimeoutMs: 10_000,
    proxy: {
      proxy: http.get<string>('proxy', ''),
      noProxy: http.get<string[]>('noProxy', []),
      strictSSL: http.get<boolean>('proxyStrictSSL', true),
    },
  };
}

export function affectsTransport(e: vscode.ConfigurationChangeEvent): boolean {
  return (
    e.affectsConfiguration('http.proxy') ||
    e.affectsConfiguration('http.noProxy') ||
    e.affectsConfiguration('http.proxyStrictSSL')
  );
}

export function affectsClients(e: vscode.ConfigurationChangeEvent): boolean {
  return affectsTransport(e) || e.affectsConfiguration(SECTION);
}

/** The settings of the Needs Attention view: the roster, the organization's domains, and the days that make a finding. */
export function findingsSettings(): {
  readonly roster: string;
  readonly domains: readonly string[];
  readonly inactiveDays: number;
  readonly invitationDays: number;
} {
  const c = vscode.workspace.getConfiguration(SECTION);
  const days = (key: string, fallback: number) => {
    const v = c.get<number>(key, fallback);
    return Number.isFinite(v) ? Math.min(MAX_FINDING_DAYS, Math.max(1, Math.floor(v))) : fallback;
  };
  return {
    roster: c.get<string>('roster', ''),
    domains: c.get<string[]>('organizationDomains', []),
    inactiveDays: days('findings.inactiveDays', DEFAULT_INACTIVE_DAYS),
    invitationDays: days('findings.invitationDays', DEFAULT_INVITATION_DAYS),
  };
}

/** The most days either finding setting takes (as the command line's --inactive-days): ten years. */
export const MAX_FINDING_DAYS = 3_650;
