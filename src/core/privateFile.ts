/**
 * A file that names people (a review, its evidence, a report, a plan, the extension's state), written
 * readable by its owner only from its first byte: the text goes to a new file beside it, made with
 * mode 0600, which then takes the file's place. Written whole or not at all; no moment at the
 * default mode.
 *
 * A symbolic link keeps pointing where it did: the file it names is the one replaced. What is not a
 * file (`/dev/stdout`, a pipe) is written into as it is. Windows has no owner-only modes, and a file
 * just written there is often held a moment by a scanner, which makes a rename fail: it is written in
 * place.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export function writePrivateFile(file: string, text: string): void {
  let target = file;
  const stat = fs.lstatSync(file, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) {
    try {
      target = fs.realpathSync(file);
    } catch {
      // A link to nothing yet: the file it names is made.
      target = path.resolve(path.dirname(file), fs.readlinkSync(file));
    }
  }
  const real = target === file ? stat : fs.statSync(target, { throwIfNoEntry: false });
  if ((real && !real.isFile()) || process.platform === 'win32') {
    fs.writeFileSync(target, text, { mode: 0o600 });
    return;
  }
  const tmp = `${target}.${process.pid}.tmp`;
  // A file left by a crash at this name may have another mode: it goes, and `wx` makes a new one.
  fs.rmSync(tmp, { force: true });
  try {
    fs.writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
    try {
      // A umask can take the owner's bits away too (0400): they are given back.
      fs.chmodSync(tmp, 0o600);
    } catch {
      // A file system without modes (some mounts): the file stays as made.
    }
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    // Said of the file the person named, not of the one beside it.
    if (err instanceof Error) err.message = err.message.split(tmp).join(file);
    throw err;
  }
}
