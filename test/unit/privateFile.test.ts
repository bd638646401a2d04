// A file that names people is readable by its owner only from its first byte: its text never sits in
// a file of a wider mode, whatever the umask, a file already there, or a file a crash left.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { writePrivateFile } from '../../src/core/privateFile';

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('writePrivateFile', () => {
  let dir: string;
  let umask: number;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-private-'));
    // A umask that takes nothing away: a file made without a mode would be 0666.
    umask = process.umask(0);
  });
  afterEach(() => {
    process.umask(umask);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the text is only ever in a file of mode 0600: a new file, and one that was 0644, are replaced whole', () => {
    const file = path.join(dir, 'review.evidence.md');
    fs.writeFileSync(file, 'old text\n', { mode: 0o644 });
    // When the new file takes the place of the old one: it is 0600 and holds the whole text, and the
    // old one still holds its own text (so the new text was never in the 0644 file).
    const realFs = createRequire(__filename)('node:fs') as { renameSync: typeof fs.renameSync };
    const original = realFs.renameSync;
    const seen: { mode: number; text: string; old: string }[] = [];
    realFs.renameSync = (from, to) => {
      seen.push({
        mode: mode(String(from)),
        text: fs.readFileSync(from, 'utf8'),
        old: fs.readFileSync(to, 'utf8'),
      });
      original(from, to);
    };
    try {
      writePrivateFile(file, 'ada@example.com\n');
    } finally {
      realFs.renameSync = original;
    }
    assert.deepEqual(seen, [{ mode: 0o600, text: 'ada@example.com\n', old: 'old text\n' }]);
    assert.equal(mode(file), 0o600);
    assert.equal(fs.readFileSync(file, 'utf8'), 'ada@example.com\n');
    assert.deepEqual(fs.readdirSync(dir), ['review.evidence.md'], 'nothing else is left beside it');

    const fresh = path.join(dir, 'new.csv');
    writePrivateFile(fresh, 'email\nada@example.com\n');
    assert.equal(mode(fresh), 0o600);
  });

  it('a file a crash left at its temporary name, readable by all, is not written into', () => {
    const file = path.join(dir, 'report.csv');
    const left = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(left, 'half', { mode: 0o666 });
    // The mode of the file the text was written into, as soon as it was written.
    const realFs = createRequire(__filename)('node:fs') as { writeFileSync: typeof fs.writeFileSync };
    const original = realFs.writeFileSync;
    const modes: number[] = [];
    realFs.writeFileSync = (target, data, options) => {
      original(target, data, options);
      modes.push(mode(String(target)));
    };
    try {
      writePrivateFile(file, 'grace@example.com\n');
    } finally {
      realFs.writeFileSync = original;
    }
    assert.deepEqual(modes, [0o600]);
    assert.equal(mode(file), 0o600);
    assert.equal(fs.readFileSync(file, 'utf8'), 'grace@example.com\n');
    assert.deepEqual(fs.readdirSync(dir), ['report.csv']);
  });

  it('a symbolic link keeps pointing where it did: the file it names gets the text, at 0600', () => {
    const real = path.join(dir, 'shared', 'report.csv');
    fs.mkdirSync(path.dirname(real));
    fs.writeFileSync(real, 'old\n', { mode: 0o644 });
    const link = path.join(dir, 'report.csv');
    fs.symlinkSync(real, link);
    writePrivateFile(link, 'ada@example.com\n');
    assert.ok(fs.lstatSync(link).isSymbolicLink(), 'the link is still a link');
    assert.equal(fs.readFileSync(real, 'utf8'), 'ada@example.com\n');
    assert.equal(mode(real), 0o600);
    assert.deepEqual(fs.readdirSync(path.dirname(real)), ['report.csv'], 'nothing left beside the file');
    // A link to a file not there yet: that file is made.
    const dangling = path.join(dir, 'later.csv');
    fs.symlinkSync(path.join(dir, 'shared', 'later.csv'), dangling);
    writePrivateFile(dangling, 'x\n');
    assert.equal(fs.readFileSync(path.join(dir, 'shared', 'later.csv'), 'utf8'), 'x\n');
    assert.ok(fs.lstatSync(dangling).isSymbolicLink());
  });

  it('on Windows (no owner-only modes, and a scanner that holds new files) the file is written in place', () => {
    const file = path.join(dir, 'evidence.md');
    fs.writeFileSync(file, 'old\n');
    const realFs = createRequire(__filename)('node:fs') as { renameSync: typeof fs.renameSync };
    const original = realFs.renameSync;
    let renamed = 0;
    realFs.renameSync = (from, to) => {
      renamed++;
      original(from, to);
    };
    const platform = Object.getOwnPropertyDescriptor(process, 'platform');
    Object.defineProperty(process, 'platform', { value: 'win32' });
    try {
      writePrivateFile(file, 'grace@example.com\n');
    } finally {
      if (platform) Object.defineProperty(process, 'platform', platform);
      realFs.renameSync = original;
    }
    assert.equal(renamed, 0);
    assert.equal(fs.readFileSync(file, 'utf8'), 'grace@example.com\n');
  });

  it('an error names the file asked for, not the one beside it', () => {
    const file = path.join(dir, 'no-such-folder', 'review.yaml');
    assert.throws(
      () => writePrivateFile(file, 'x'),
      (err: Error) => err.message.includes(file) && !err.message.includes('.tmp'),
    );
  });

  it('a place that cannot take the file says so and leaves nothing behind', () => {
    const folder = path.join(dir, 'a-folder');
    fs.mkdirSync(folder);
    assert.throws(() => writePrivateFile(folder, 'x'), /EISDIR|EPERM|ENOTEMPTY|EEXIST/);
    assert.deepEqual(fs.readdirSync(dir), ['a-folder'], 'the temporary file went');
  });
});
