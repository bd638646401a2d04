/** What ends a command with a message and an exit code of its own. */
import * as fs from 'node:fs';
import { EXIT } from './exit';

/** Where a problem of the file is, for the JSON document of a command that stopped on it. */
export interface ProblemAt {
  readonly message: string;
  readonly line?: number;
  readonly column?: number;
  readonly code?: string;
}

/** Thrown for an outcome that ends the command after its message: exit code 1 unless it says otherwise. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.error,
    /** The file's problems that stopped it, each at its line. */
    readonly problems: readonly ProblemAt[] = [],
  ) {
    super(message);
  }
}

/** The command line itself is wrong (exit 64): the message says what to fix. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * The bytes of a file the command was given, or a CliError saying what to do: `missing` when there
 * is no such file, `folder` (when given) when it is a folder, else the system's code.
 */
export function readGiven(file: string, say: { readonly missing: string; readonly folder?: string }): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT'
        ? `${file}: no such file. ${say.missing}`
        : code === 'EISDIR' && say.folder
          ? `${file} is a folder: ${say.folder}`
          : `${file}: cannot be read (${code ?? String(err)}).`,
    );
  }
}
