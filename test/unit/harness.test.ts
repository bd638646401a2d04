// The setup scripts a new user runs first: `npm start` prints no warning our own settings cause.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';

describe('setup output', () => {
  it('drops npm 11\'s "Unknown env config unsafe-perm" warning (our install setting), and nothing else', async () => {
    const setup = (await import(join(__dirname, '..', '..', '..', 'test', 'harness', 'setup.mjs'))) as {
      withoutKnownNoise: (s: string) => string;
    };
    const npm = [
      'added 300 packages',
      'npm warn Unknown env config "unsafe-perm". This will stop working in the next major version of npm.',
      'npm warn deprecated x@1',
      'npm warn Unknown cli config "--unsafe-perm". This will stop working.',
    ].join('\n');
    assert.equal(setup.withoutKnownNoise(npm), 'added 300 packages\nnpm warn deprecated x@1');
  });
});
