/** A saved plan that cannot be applied any more (exit 4): why, and the command that makes it again. */
import { CliError } from './errors';
import { EXIT } from './exit';
import type { SavedPlan } from './saved';

/** A saved plan that cannot be applied any more: nothing was sent; the command that makes it again. */
export function stale(
  saved: SavedPlan,
  planFile: string,
  why: string,
  problems: { message: string; line?: number; code?: string }[] = [],
): CliError {
  const quote = (s: string) => (/[\s"'$`\\]/.test(s) ? JSON.stringify(s) : s);
  const again = `workspace-access plan ${quote(saved.file.path)}${saved.connection !== undefined ? ` --connection ${quote(saved.connection)}` : ''} --out ${quote(planFile)}`;
  return new CliError(
    `The saved plan ${planFile} is stale: ${why}. Nothing was sent. Plan again (${again}), review the new plan, and apply that.`,
    EXIT.stale,
    problems,
  );
}

/** The access file's bytes are the ones the plan was made from. */
export function checkFileSha(saved: SavedPlan, planFile: string, now: string): void {
  if (now !== saved.file.sha256)
    throw stale(
      saved,
      planFile,
      `the access file changed since the plan: sha256 ${now.slice(0, 12)}… now vs ${saved.file.sha256.slice(0, 12)}… in the plan (${saved.file.path})`,
    );
}
