/**
 * A file that names people (a review, its evidence, a report, a plan), written readable by its owner
 * only from its first byte: the text goes to a new file beside it, made with mode 0600, which then
 * takes the file's place. Written whole or not at all; no moment at the default mode.
 */
import * as fs from 'node:fs';

export function writePrivateFile(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
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
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
