// The command line for machines (dist/cli.js against the emulator): an exit code per outcome a
// workflow treats differently, --version, a JSON document whatever happens, Markdown kept under
// GitHub's size with a marker to update one comment, --max-changes, and --report checked before
// anything is sent.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_MAX_CHANGES, MAX_MAX_CHANGES, parseCli } from '../../src/cli/args';
import { EXIT } from '../../src/cli/exit';
import { capMarkdown, MAX_MARKDOWN_CHARS, markdownMarker } from '../../src/cli/output';
import { useCliSandbox } from './cliSandbox';

const root = path.resolve(__dirname, '../../..');

describe('command line for machines: exit codes, JSON, Markdown, limits', () => {
  const sandbox = useCliSandbox();
  const cli = (args: readonly string[]) => sandbox.cli(args);
  const writes = () => sandbox.emulator.requests.filter((r) => r.method !== 'GET');
  async function exported(): Promise<string> {
    const r = await cli(['export', 'workspace-access.yaml']);
    assert.equal(r.code, 0, r.stderr);
    return fs.readFileSync(path.join(sandbox.dir, 'workspace-access.yaml'), 'utf8');
  }
  const write = (text: string) => fs.writeFileSync(path.join(sandbox.dir, 'workspace-access.yaml'), text);
  function edit(text: string, from: RegExp, to: string): string {
    assert.match(text, from);
    return text.replace(from, to);
  }

  it('the codes: 64 usage, 5 needs --yes, 3 live differs in ways the file cannot fix, 2 pending, 0 in sync; --version', async () => {
    assert.deepEqual(EXIT, {
      ok: 0,
      error: 1,
      pending: 2,
      cannot: 3,
      stale: 4,
      needsYes: 5,
      findings: 6,
      undecided: 7,
      tampered: 8,
      usage: 64,
      interrupted: 130,
    });
    const version = await cli(['--version']);
    assert.equal(version.code, 0);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string };
    assert.equal(version.stdout, `workspace-access ${pkg.version}\n`);

    for (const args of [['deploy', 'x.yaml'], ['plan'], ['plan', 'a.yaml', '--yes'], ['plan', 'a.yaml', '--bogus']]) {
      const r = await cli(args);
      assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
    }
    const missing = await cli(['plan', 'missing.yaml']);
    assert.equal(missing.code, 1, 'a missing file is a runtime error, not usage');

    const text = await exported();
    assert.equal((await cli(['plan', 'workspace-access.yaml'])).code, 0);
    // The creator of a resource keeps admin: the file cannot take it away.
    write(edit(text, /grace\.lovelace@example\.com: admin # creator/, 'grace.lovelace@example.com: viewer'));
    const cannot = await cli(['plan', 'workspace-access.yaml']);
    assert.equal(cannot.code, 3, cannot.stdout);
    assert.match(cannot.stdout, /Cannot be done:\n {2}line \d+: live: admin\. The creator always keeps admin\./);
    assert.equal((await cli(['drift', 'workspace-access.yaml'])).code, 3);
    const nothing = await cli(['apply', 'workspace-access.yaml']);
    assert.equal(nothing.code, 3, 'apply says so too, after doing what it can');
    assert.match(nothing.stdout, /Nothing to apply: live matches workspace-access\.yaml as far as it can\./);

    write(
      edit(text, / +barbara\.lovelace@example\.com: read # Barbara Lovelace\n/, '').replace(
        /alan\.lovelace@example\.com: workspace_member # Alan/,
        'alan.lovelace@example.com: workspace_admin # Alan',
      ),
    );
    assert.equal((await cli(['plan', 'workspace-access.yaml'])).code, 2);
    const refused = await cli(['apply', 'workspace-access.yaml']);
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(refused.stderr, /need --yes/);
    assert.deepEqual(writes(), [], 'nothing was sent');
  });

  it('--json prints a JSON document with its schema version whatever happens: a plan, a file with errors, bad usage', async () => {
    const text = await exported();
    const ok = await cli(['plan', 'workspace-access.yaml', '--json']);
    const doc = JSON.parse(ok.stdout) as { schemaVersion: number; command: string; exitCode: number; errors: [] };
    assert.deepEqual([doc.schemaVersion, doc.command, doc.exitCode, doc.errors], [1, 'plan', 0, []]);

    write(edit(text, /alan\.lovelace@example\.com: workspace_member/, 'alan.lovelace@example.com: captain'));
    const bad = await cli(['drift', 'workspace-access.yaml', '--json']);
    assert.equal(bad.code, 1);
    const line = text.split('\n').findIndex((l) => l.includes('alan.lovelace@example.com')) + 1;
    const err = JSON.parse(bad.stdout) as {
      schemaVersion: number;
      command: string;
      exitCode: number;
      errors: { line?: number; message: string }[];
    };
    assert.deepEqual([err.schemaVersion, err.command, err.exitCode], [1, 'drift', 1]);
    assert.equal(err.errors[0].line, line, JSON.stringify(err.errors));
    assert.match(err.errors[0].message, /captain/);
    assert.match(err.errors.at(-1)?.message ?? '', /has 1 error\(s\): fix it first\. Nothing was sent\./);

    const usage = await cli(['plan', 'workspace-access.yaml', '--json', '--markdown']);
    assert.equal(usage.code, 64);
    const u = JSON.parse(usage.stdout) as { exitCode: number; errors: { message: string }[] };
    assert.equal(u.exitCode, 64);
    assert.match(u.errors[0].message, /Choose one of --markdown and --json/);
  });

  it(`Markdown starts with a marker to update one comment, and stays under ${MAX_MARKDOWN_CHARS} characters saying how many more`, async () => {
    await exported();
    const md = await cli(['plan', 'workspace-access.yaml', '--markdown']);
    assert.ok(md.stdout.startsWith(`${markdownMarker('plan', 'workspace-access.yaml')}\n# Access plan`), md.stdout);
    const drift = await cli(['drift', 'workspace-access.yaml', '--markdown']);
    assert.ok(drift.stdout.startsWith('<!-- workspace-access:drift workspace-access.yaml -->\n# Access drift'));

    assert.equal(MAX_MARKDOWN_CHARS, 60_000, 'under the 65,536 characters GitHub takes in a comment');
    const items = Array.from(
      { length: 3_000 },
      (_, i) => `- + Invite person${i}@example.com as Member (line ${i + 9})`,
    );
    const long = ['<!-- workspace-access:plan f -->', '# Access plan: f', '', '**3000 to add.**', '', ...items].join(
      '\n',
    );
    const capped = capMarkdown(long, MAX_MARKDOWN_CHARS, 'The whole plan: `workspace-access plan f`.');
    assert.ok(capped.length <= MAX_MARKDOWN_CHARS, `${capped.length}`);
    const shown = capped.split('\n').filter((l) => l.startsWith('- ')).length;
    assert.ok(shown > 100, 'the first changes are shown');
    assert.match(
      capped,
      new RegExp(`_…and ${3_000 - shown} more not shown: this text is kept under 60,000 characters`),
    );
    assert.ok(capped.startsWith('<!-- workspace-access:plan f -->\n# Access plan: f\n\n**3000 to add.**'));
    assert.equal(capMarkdown('short', MAX_MARKDOWN_CHARS, ''), 'short', 'short text is left alone');
  });

  it(`--max-changes (default ${DEFAULT_MAX_CHANGES}) refuses a larger plan, and --report is checked before anything is sent`, async () => {
    assert.equal(DEFAULT_MAX_CHANGES, 1_000);
    assert.equal(parseCli(['plan', 'f.yaml']).maxChanges, 1_000);
    assert.equal(parseCli(['apply', 'f.yaml', '--max-changes', '5']).maxChanges, 5);
    assert.throws(() => parseCli(['plan', 'f.yaml', '--max-changes', '0']), /from 1 to 100000/);
    assert.throws(() => parseCli(['plan', 'f.yaml', '--max-changes', String(MAX_MAX_CHANGES + 1)]), /from 1 to/);
    assert.throws(
      () => parseCli(['export', 'f.yaml', '--max-changes', '5']),
      /--max-changes is for plan, drift and apply, not export/,
    );

    const text = await exported();
    write(
      edit(
        text,
        /alan\.lovelace@example\.com: workspace_member # Alan/,
        'alan.lovelace@example.com: workspace_admin # Alan\n      el.new@example.com: workspace_member',
      ),
    );
    const big = await cli(['apply', 'workspace-access.yaml', '--max-changes', '1']);
    assert.equal(big.code, 1);
    assert.match(
      big.stderr,
      /holds 2 changes, more than --max-changes 1\. Check the file; if it is right, run again with --max-changes 2\. Nothing was sent\./,
    );
    assert.equal((await cli(['plan', 'workspace-access.yaml', '--max-changes', '1'])).code, 1);
    assert.deepEqual(writes(), []);

    const before = sandbox.emulator.requests.length;
    const report = await cli(['apply', 'workspace-access.yaml', '--report', path.join('no-such-folder', 'out.csv')]);
    assert.equal(report.code, 64, report.stderr);
    assert.match(
      report.stderr,
      /--report no-such-folder\/out\.csv: the folder .*no-such-folder does not exist\. Create it first\. Nothing was sent\./,
    );
    assert.equal(sandbox.emulator.requests.length, before, 'not even a read before the path is checked');
    const applied = await cli(['apply', 'workspace-access.yaml', '--report', 'out.csv']);
    assert.equal(applied.code, 0, applied.stderr);
  });

  it('--connection NAME plans, checks drift and applies one connection of the file; an unknown name lists the names', async () => {
    const text = await exported();
    write(
      edit(text, /alan\.lovelace@example\.com: workspace_member # Alan/, 'alan.lovelace@example.com: workspace_admin'),
    );
    assert.equal((await cli(['plan', 'workspace-access.yaml'])).code, 2, 'the whole file has a change pending');
    const other = await cli(['plan', 'workspace-access.yaml', '--connection', 'sandbox evals']);
    assert.equal(other.code, 0, other.stdout);
    assert.match(other.stdout, /Confident AI "Sandbox Evals": live matches the file/);
    assert.doesNotMatch(other.stdout, /ElevenLabs|GitBook/, 'the other connections are not planned');
    const byPlatform = await cli(['drift', 'workspace-access.yaml', '--connection', 'gitbook:org_sandbox']);
    assert.equal(byPlatform.code, 0, byPlatform.stdout);
    const unknown = await cli(['plan', 'workspace-access.yaml', '--connection', 'Nope']);
    assert.equal(unknown.code, 64);
    assert.match(
      unknown.stderr,
      /--connection Nope: workspace-access\.yaml has no such connection; it has elevenlabs:ElevenLabs, gitbook:org_sandbox, confident:Sandbox Evals\./,
    );
    const before = sandbox.emulator.requests.length;
    const applied = await cli(['apply', 'workspace-access.yaml', '--connection', 'ElevenLabs']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /Apply workspace-access\.yaml: 1 done, 0 failed/);
    const touched = new Set(sandbox.emulator.requests.slice(before).map((r) => r.platform));
    assert.deepEqual([...touched], ['elevenlabs'], 'only that connection is read and written');
    assert.equal((await cli(['plan', 'workspace-access.yaml'])).code, 0, 'the change is made');
    assert.throws(
      () => parseCli(['export', 'f.yaml', '--connection', 'x']),
      /--connection is for plan, drift and apply/,
    );
  });

  it('a demotion needs --yes, as a removal does: the plan says so, apply without it sends nothing (exit 5)', async () => {
    const text = await exported();
    write(
      edit(
        text,
        /grace\.lovelace@example\.com: workspace_admin # Grace/,
        'grace.lovelace@example.com: workspace_member',
      ),
    );
    const plan = await cli(['plan', 'workspace-access.yaml']);
    assert.equal(plan.code, 2);
    assert.match(
      plan.stdout,
      /~ line \d+: Change Grace <grace\.lovelace@example\.com> from .+ to Member \(needs --yes: lowers their access\)/,
    );
    const refused = await cli(['apply', 'workspace-access.yaml']);
    assert.equal(refused.code, 5, refused.stderr);
    assert.match(
      refused.stderr,
      /1 change\(s\) remove access, lower it or change ownership and need --yes: Change Grace/,
    );
    assert.deepEqual(writes(), []);
    const applied = await cli(['apply', 'workspace-access.yaml', '--yes']);
    assert.equal(applied.code, 0, applied.stderr);
  });
});
