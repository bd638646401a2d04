/**
 * The command line (`workspace-access`), the second composition root: it builds providers from keys
 * in the environment and runs the access file's core (src/core/access) for CI runners: plan, drift,
 * apply, export. It imports nothing from src/vscode. Every line it prints is redacted: the keys it
 * read, and anything shaped like a credential.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { redactText } from './core/http/redact';
import { Transport } from './core/http/transport';
import type { Logger } from './core/logger';
import { maskPersonal } from './core/personal';
import { applyCommand } from './cli/apply';
import { helpText, parseCli, UsageError, type Args } from './cli/args';
import { CliError, planOrDrift, type Context } from './cli/commands';
import { exportCommand } from './cli/export';
import { findingsCommand } from './cli/findings';
import { reviewCommand } from './cli/review';
import { EXIT } from './cli/exit';
import { errorJson, errorMarkdown } from './cli/output';
import { CliSessions, unreachable, type Env } from './cli/connections';
import { toolVersion } from './cli/version';

export { toolVersion };

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Whether stderr is a terminal (the progress line is rewritten in place). */
  readonly tty: boolean;
}

/** Where apply keeps its journals and remembered invitations. */
export function stateDir(args: Pick<Args, 'stateDir'>, env: Env): string {
  if (args.stateDir) return path.resolve(args.stateDir);
  if (env.WORKSPACE_ACCESS_STATE_DIR) return path.resolve(env.WORKSPACE_ACCESS_STATE_DIR);
  const base = env.XDG_STATE_HOME || path.join(os.homedir(), '.local', 'state');
  return path.join(base, 'workspace-access');
}

/** Every key variable's value is a secret from the start, whether or not the file needs it. */
function secretsOf(env: Env): Set<string> {
  return new Set(
    Object.entries(env).flatMap(([name, value]) =>
      /^WORKSPACE_ACCESS_\w+_KEY(_\w+)?$/.test(name) && value?.trim() ? [value.trim()] : [],
    ),
  );
}

const COMMANDS: Record<Exclude<Args['command'], 'help' | 'version'>, (ctx: Context) => Promise<number>> = {
  plan: (ctx) => planOrDrift(ctx, 'plan'),
  drift: (ctx) => planOrDrift(ctx, 'drift'),
  apply: applyCommand,
  export: exportCommand,
  findings: findingsCommand,
  review: reviewCommand,
};

/** Runs one command; the exit code is what it returns (0, 2 pending, 1 error, 130 interrupted). */
export async function main(
  argv: readonly string[],
  env: Env,
  io: Io,
  signal: AbortSignal = new AbortController().signal,
): Promise<number> {
  const secrets = secretsOf(env);
  const out = (text: string) => io.stdout(redactText(text, secrets));
  const err = (text: string) => io.stderr(redactText(text, secrets));
  let args: Args;
  try {
    args = parseCli(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`workspace-access: ${e.message}\nRun workspace-access --help for the commands, options and variables.\n`);
    // A workflow that asked for JSON gets a JSON document, whatever went wrong.
    if (argv.includes('--json'))
      out(errorJson(argv.find((a) => !a.startsWith('-')) ?? '', '', EXIT.usage, [{ message: e.message }]));
    return EXIT.usage;
  }
  if (args.command === 'help') {
    out(helpText());
    return EXIT.ok;
  }
  if (args.command === 'version') {
    out(`workspace-access ${toolVersion()}\n`);
    return EXIT.ok;
  }
  const verbose = args.verbose;
  // Per-person lines (debug) never reach a CI log; warnings do, and what happens with --verbose, with
  // every email masked (a platform's error text, a request path). The command's own report and error keep them.
  const log: Logger = {
    trace: () => undefined,
    debug: () => undefined,
    info: (m) => verbose && err(`${maskPersonal(m)}\n`),
    warn: (m) => err(`warning: ${maskPersonal(m)}\n`),
    error: (m) => err(`error: ${maskPersonal(m)}\n`),
  };
  const transport = new Transport({ connectTimeoutMs: 10_000, env });
  const ctx: Context = {
    args,
    sessions: new CliSessions(env, transport, log, secrets, args.concurrency, args.timeoutSeconds * 1000),
    signal,
    stateDir: stateDir(args, env),
    out,
    err,
    tty: io.tty,
  };
  const command = args.command;
  try {
    return await COMMANDS[command](ctx);
  } catch (e) {
    const interrupted = signal.aborted && !(e instanceof CliError);
    const message = interrupted
      ? 'Interrupted before anything was sent.'
      : (unreachable(e, env) ?? (e instanceof Error ? e.message : String(e)));
    const code = interrupted ? EXIT.interrupted : e instanceof CliError ? e.exitCode : EXIT.error;
    err(interrupted ? `${message}\n` : `workspace-access: ${message}\n`);
    const errors = [...(e instanceof CliError ? e.problems : []), { message }];
    if (args.format === 'json')
      out(
        errorJson(
          command === 'review' ? `review ${args.review?.action ?? ''}` : command,
          command === 'findings' ? (args.roster ?? '') : args.file,
          code,
          errors,
        ),
      );
    // A workflow that posts the Markdown updates its comment with why, instead of posting nothing.
    if (args.format === 'markdown' && (command === 'plan' || command === 'drift'))
      out(errorMarkdown(command, args.file, code, errors));
    return code;
  } finally {
    await transport.close();
  }
}

/** Ctrl+C (or a CI runner's SIGTERM) stops sending new changes; a second one stops at once. */
function interruptible(): AbortSignal {
  const controller = new AbortController();
  const stop = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nStopping: changes in flight finish, no new ones are sent (Ctrl+C again stops at once)…\n');
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return controller.signal;
}

if (require.main === module) {
  const io: Io = {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    tty: !!process.stderr.isTTY,
  };
  main(process.argv.slice(2), process.env, io, interruptible()).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`workspace-access: ${redactText(e instanceof Error ? e.message : String(e))}\n`);
      process.exitCode = 1;
    },
  );
}
