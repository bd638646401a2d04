/**
 * Where the command line writes a file of its own (--report, --out, --sarif, export): the path
 * checked before anything is read or sent, and the file written whole, readable by its owner only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writePrivateFile } from '../core/privateFile';
import { CliError } from './errors';
import { EXIT } from './exit';

/**
 * Where an option writes (--report, --out, --sarif), checked before anything is read or sent: its
 * folder exists and takes a new file (a record that cannot be written after the work is done would be lost).
 */
export function checkOutputPath(option: '--report' | '--out' | '--sarif', file: string | undefined): void {
  if (file === undefined) return;
  const dir = path.dirname(path.resolve(file));
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new CliError(
      `${option} ${file}: the folder ${dir} does not exist. Create it first. Nothing was sent.`,
      EXIT.usage,
    );
  }
  if (!stat.isDirectory())
    throw new CliError(`${option} ${file}: ${dir} is not a folder. Nothing was sent.`, EXIT.usage);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw new CliError(`${option} ${file}: the folder ${dir} cannot be written to. Nothing was sent.`, EXIT.usage);
  }
  if (fs.existsSync(file) && fs.statSync(file).isDirectory())
    throw new CliError(`${option} ${file} is a folder: name a file. Nothing was sent.`, EXIT.usage);
}

/** Writes a file readable by its owner only (it names people), whole or not at all. */
export const writePrivate = writePrivateFile;
