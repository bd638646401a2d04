// The command line (dist/cli.js, the bundle `npx workspace-access` runs) against the emulator: every
// command, every exit code, missing keys, files with errors, redaction, and an apply killed mid-way
// then resumed with nothing sent twice.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { Emulator } from '../emulator/server';
import { CLI, radiaEverywhere, sandboxEnv, startCli } from './cliSandbox';

const root = path.resolve(__dirname, '../../..');

describe('command line (workspace-access), against the emulator', () => {
  let emulator: Emulator;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js is built (node esbuild.js)');
    emulator = await Emulator.start();
  });
  after(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-cli-'));
    env = sandboxEnv(emulator, dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const start = (args: readonly string[], extra: NodeJS.ProcessEnv = {}) => startCli(args, dir, { ...env, ...extra });
  const cli = (args: readonly string[], extra: NodeJS.ProcessEnv = {}) => start(args, extra).done;
  const file = (name = 'workspace-access.yaml') => path.join(dir, name);
  const read = (name?: string) => fs.readFileSync(file(name), 'utf8');
  /** Requests that could have changed something: nothing else counts as "sent". */
  const writes = () => emulator.requests.filter((r) => r.method !== 'GET');

  /** Replaces what must be there, so a fixture edit cannot silently miss. */
  function edit(text: string, from: RegExp, to: string): string {
    assert.match(text, from);
    return text.replace(from, to);
  }

  async function exported(): Promise<string> {
    const r = await cli(['export', 'workspace-access.yaml']);
    assert.equal(r.code, 0, r.stderr);
    return read();
  }

  /** The number of changes the journal of the running apply says are done. */
  function doneInJournal(): number {
    const jobs = path.join(dir, 'state/jobs');
    const journal = fs.existsSync(jobs) ? fs.readdirSync(jobs).find((n) => n.endsWith('.job.jsonl')) : undefined;
    return journal ? (fs.readFileSync(path.join(jobs, journal), 'utf8').match(/"s":"done"/g) ?? []).length : 0;
  }

  async function untilDone(n: number): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (doneInJournal() < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  }

  /** Successful ElevenLabs writes, each counted: a write that took effect twice shows as 2. */
  function writeCounts(): number[] {
    const counts = new Map<string, number>();
    for (const w of writes().filter((r) => r.platform === 'elevenlabs' && r.status < 300)) {
      const key = `${w.method} ${w.path} ${JSON.stringify(w.body)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.values()];
  }

  it('--help names the commands, every key variable and the exit codes; bad usage exits 64 and says what to fix', async () => {
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    for (const text of [
      'plan',
      'drift',
      'apply',
      'export',
      'WORKSPACE_ACCESS_ELEVENLABS_KEY',
      'WORKSPACE_ACCESS_GITBOOK_KEY',
      'WORKSPACE_ACCESS_CONFIDENT_KEY',
      'WORKSPACE_ACCESS_GITBOOK_URL',
      '2    plan, drift: changes are pending',
    ])
      assert.ok(help.stdout.includes(text), text);
    const cases: [string[], RegExp][] = [
      [['deploy', 'x.yaml'], /Unknown command "deploy": use one of plan, drift, apply, export/],
      [['plan'], /plan needs the access file's path/],
      [['plan', 'a.yaml', 'b.yaml'], /One access file at a time: "b.yaml" is one too many/],
      [['plan', 'a.yaml', '--yes'], /--yes is for apply, not plan/],
      [['plan', 'a.yaml', '--json', '--markdown'], /Choose one of --markdown and --json/],
      [['apply', 'a.yaml', '--concurrency', '0'], /--concurrency takes a whole number from 1 to 64/],
      [
        ['plan', 'a.yaml', '--api-key=sk_live_0123456789abcdef0123'],
        /Keys are read from the environment only, never from a flag/,
      ],
      [
        ['plan', 'missing.yaml'],
        /missing\.yaml: no such file\. Write one from live access with: workspace-access export missing\.yaml/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await cli(args);
      assert.equal(r.code, args[1] === 'missing.yaml' ? 1 : 64, args.join(' '));
      assert.match(r.stderr, message);
      assert.ok(!r.stderr.includes('sk_live_0123456789abcdef0123'), 'a key given as a flag is not echoed');
    }
    assert.deepEqual(emulator.requests, [], 'bad usage sends nothing');
  });

  it('export writes a private file naming each connection as the extension does; plan and drift of it exit 0; export refuses to overwrite without --force', async () => {
    const text = await exported();
    assert.equal(fs.statSync(file()).mode & 0o777, 0o600, 'the file names people: it is private');
    assert.match(text, /platform: elevenlabs\n {4}workspace: ElevenLabs\n/);
    assert.match(text, /platform: gitbook\n {4}organization: org_sandbox\n/, 'GitBook by its organization id');
    assert.match(
      text,
      /platform: confident\n {4}organization: Sandbox Evals\n/,
      'Confident AI by the organization its key belongs to',
    );
    const plan = await cli(['plan', 'workspace-access.yaml']);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /^Plan for workspace-access\.yaml: No changes\./);
    const drift = await cli(['drift', 'workspace-access.yaml', '--json']);
    assert.equal(drift.code, 0, drift.stderr);
    assert.deepEqual((JSON.parse(drift.stdout) as { changes: unknown[] }).changes, []);
    const again = await cli(['export', 'workspace-access.yaml']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /workspace-access\.yaml exists: export writes a new file\. Add --force/);
    // --force over a file: live in that file's own shape (a section it leaves out stays out).
    fs.writeFileSync(
      file(),
      edit(text, /alan\.lovelace@example\.com: workspace_member # Alan/, 'alan.lovelace@example.com: workspace_admin'),
    );
    const forced = await cli(['export', 'workspace-access.yaml', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(read(), /alan\.lovelace@example\.com: workspace_member # Alan/, 'the live value is back');
    assert.deepEqual(writes(), [], 'export and plan send nothing');
  });

  it('plan and drift exit 2 with changes pending (text, Markdown, JSON), apply refuses removals without --yes, applies with it, and plan then exits 0', async () => {
    let text = await exported();
    text = edit(
      text,
      /alan\.lovelace@example\.com: workspace_member # Alan/,
      'alan.lovelace@example.com: workspace_admin # Alan\n      el.new@example.com: workspace_member',
    );
    text = edit(text, / +barbara\.lovelace@example\.com: read # Barbara Lovelace\n/, '');
    text = edit(text, /tim\.lovelace@example\.com: Member # Tim Lovelace/, 'tim.lovelace@example.com: Admin');
    fs.writeFileSync(file(), text);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

    const plan = await cli(['plan', 'workspace-access.yaml']);
    assert.equal(plan.code, 2, plan.stderr);
    assert.match(plan.stdout, /Plan for workspace-access\.yaml: 1 to add, 2 to change, 1 to remove\./);
    assert.ok(
      plan.stdout.includes(
        `~ line ${lineOf('alan.lovelace')}: Change Alan <alan.lovelace@example.com> from Member to Workspace admin`,
      ),
      plan.stdout,
    );
    assert.ok(plan.stdout.includes(`+ line ${lineOf('el.new@')}: Invite el.new@example.com as Member`), plan.stdout);
    assert.match(plan.stdout, /- line \d+: Remove Barbara Lovelace <barbara\.lovelace@example\.com> \(needs --yes\)/);
    const markdown = await cli(['plan', 'workspace-access.yaml', '--markdown']);
    assert.equal(markdown.code, 2);
    assert.match(
      markdown.stdout,
      /^<!-- workspace-access:plan workspace-access\.yaml -->\n# Access plan: workspace-access\.yaml\n\n\*\*1 to add, 2 to change, 1 to remove\.\*\* Planning sent nothing/,
    );
    assert.match(
      markdown.stdout,
      /## Confident AI "Sandbox Evals"\n\n- ~ Change Tim Lovelace <tim\.lovelace@example\.com> from Member to Admin \(line \d+\)/,
    );
    const json = await cli(['plan', 'workspace-access.yaml', '--json']);
    assert.equal(json.code, 2);
    const parsed = JSON.parse(json.stdout) as {
      counts: { add: number; change: number; remove: number };
      changes: { op: string; line: number; connection: string }[];
    };
    assert.deepEqual(parsed.counts, { add: 1, change: 2, remove: 1, cautions: 0, cannot: 0, unconfirmed: 0 });
    assert.deepEqual(parsed.changes.map((c) => `${c.connection} ${c.op}`).sort(), [
      'Confident AI "Sandbox Evals" set-role',
      'ElevenLabs "ElevenLabs" invite',
      'ElevenLabs "ElevenLabs" set-role',
      'GitBook "org_sandbox" remove-member',
    ]);
    const drift = await cli(['drift', 'workspace-access.yaml']);
    assert.equal(drift.code, 2);
    assert.ok(
      drift.stdout.includes(
        `workspace-access.yaml:${lineOf('alan.lovelace')}:7: warning: live: workspace_member [drift]`,
      ),
      drift.stdout,
    );
    assert.ok(
      drift.stdout.includes(
        `workspace-access.yaml:${lineOf('tim.lovelace@example.com: Admin')}:7: warning: live: Member [drift]`,
      ),
      drift.stdout,
    );
    assert.deepEqual(writes(), [], 'plan and drift send nothing');

    const refused = await cli(['apply', 'workspace-access.yaml']);
    assert.equal(refused.code, 5);
    assert.match(
      refused.stderr,
      /1 change\(s\) remove access, lower it or change ownership and need --yes: Remove Barbara Lovelace <barbara\.lovelace@example\.com>\. Nothing was sent\./,
    );
    assert.deepEqual(writes(), [], 'a refused apply sends nothing');

    const applied = await cli(['apply', 'workspace-access.yaml', '--yes', '--report', 'report.csv']);
    assert.equal(applied.code, 0, applied.stderr);
    assert.match(applied.stdout, /Apply workspace-access\.yaml: 4 done, 0 failed, 0 skipped, 0 unknown/);
    assert.match(applied.stderr, /Apply workspace-access\.yaml: 4 of 4 changes/, 'a progress line');
    const csv = read('report.csv');
    assert.equal(fs.statSync(file('report.csv')).mode & 0o777, 0o600);
    assert.match(csv, /^item,outcome,detail\n/);
    assert.match(csv, /Remove Barbara Lovelace <barbara\.lovelace@example\.com>,done,\n/);
    assert.equal(csv.trim().split('\n').length, 5);

    // ElevenLabs cannot list invitations: the one Apply sent is remembered, not sent again.
    const after = await cli(['plan', 'workspace-access.yaml']);
    assert.equal(after.code, 0, after.stdout);
    assert.match(after.stdout, /el\.new@example\.com was invited by Apply and has not joined yet/);
    assert.equal(fs.statSync(path.join(dir, 'state/access/invited.json')).mode & 0o777, 0o600);
    const nothing = await cli(['apply', 'workspace-access.yaml']);
    assert.equal(nothing.code, 0);
    assert.match(nothing.stdout, /Nothing to apply: live matches workspace-access\.yaml\./);
    assert.equal(
      writes().filter((w) => w.platform === 'elevenlabs' && /invite/.test(w.path)).length,
      1,
      'the invitation went out once',
    );
  });

  it('an ownership change needs --yes: the plan says what it does, apply without it sends nothing', async () => {
    // Tim becomes Owner; the Owner's one seat means Ada, Owner now, becomes Admin (the file says so too).
    const text = edit(
      await exported(),
      /tim\.lovelace@example\.com: Member # Tim Lovelace/,
      'tim.lovelace@example.com: Owner',
    );
    fs.writeFileSync(file(), edit(text, /( {6}ada\.lovelace@example\.com: )Owner # Ada Lovelace/, '$1Admin'));
    const plan = await cli(['plan', 'workspace-access.yaml']);
    assert.equal(plan.code, 2);
    assert.match(
      plan.stdout,
      /~ line \d+: Change Tim Lovelace <tim\.lovelace@example\.com> from Member to Owner \(needs --yes: Giving Owner transfers ownership of the organization: the current Owner becomes Admin\.\)/,
    );
    // Ada's own change would be refused while she is Owner: the transfer makes her Admin, and her line waits.
    assert.match(plan.stdout, /Plan for workspace-access\.yaml: 1 to change\./);
    assert.match(
      plan.stdout,
      /Waiting:\n {2}line \d+: ada\.lovelace@example\.com stops being Owner when tim\.lovelace@example\.com becomes Owner: Plan again after Apply for the rest of their change\./,
    );
    const refused = await cli(['apply', 'workspace-access.yaml']);
    assert.equal(refused.code, 5);
    assert.match(
      refused.stderr,
      /1 change\(s\) remove access, lower it or change ownership and need --yes: Change Tim Lovelace .* to Owner\. Nothing was sent\./,
    );
    assert.deepEqual(writes(), []);
    const applied = await cli(['apply', 'workspace-access.yaml', '--yes']);
    assert.equal(applied.code, 0, applied.stderr);
    const again = await cli(['plan', 'workspace-access.yaml', '--json']);
    assert.equal(again.code, 0, again.stdout);
  });

  it('a missing key, a key for another organization, and a base URL off the rule: exit 1, each named, nothing sent', async () => {
    await exported();
    const text = read();
    const missing = await cli(['plan', 'workspace-access.yaml'], { WORKSPACE_ACCESS_GITBOOK_KEY: '' });
    assert.equal(missing.code, 1);
    const line = text.split('\n').findIndex((l) => l.includes('organization: org_sandbox')) + 1;
    assert.ok(
      missing.stderr.includes(
        `workspace-access.yaml:${line}:5: error: No key for this GitBook organization: set WORKSPACE_ACCESS_GITBOOK_KEY (or WORKSPACE_ACCESS_GITBOOK_KEY_ORG_SANDBOX for "org_sandbox" alone) in the environment. [connection]`,
      ),
      missing.stderr,
    );
    // A connection's own variable wins over the platform's.
    const own = await cli(['plan', 'workspace-access.yaml'], {
      WORKSPACE_ACCESS_GITBOOK_KEY: '',
      WORKSPACE_ACCESS_GITBOOK_KEY_ORG_SANDBOX: emulator.platform('gitbook').keys.admin,
    });
    assert.equal(own.code, 0, own.stderr);
    fs.writeFileSync(file(), edit(text, /organization: Sandbox Evals/, 'organization: Elsewhere'));
    const other = await cli(['plan', 'workspace-access.yaml']);
    assert.equal(other.code, 1);
    assert.match(
      other.stderr,
      /error: The key in WORKSPACE_ACCESS_CONFIDENT_KEY belongs to Confident AI organization "Sandbox Evals", not "Elsewhere": set the key of "Elsewhere" \(WORKSPACE_ACCESS_CONFIDENT_KEY_ELSEWHERE\), or fix the name\./,
    );
    emulator.reset();
    const http = await cli(['plan', 'workspace-access.yaml'], {
      WORKSPACE_ACCESS_GITBOOK_URL: 'http://api.example.com/v1',
    });
    assert.equal(http.code, 1);
    assert.match(
      http.stderr,
      /WORKSPACE_ACCESS_GITBOOK_URL: The base URL must use https \(got http:\/\/api\.example\.com\); plain http is allowed only for loopback addresses\./,
    );
    assert.deepEqual(emulator.requests, [], 'a base URL off the rule stops the command before any request');
    assert.deepEqual(writes(), []);
  });

  it('a host that cannot be reached is named, with the variable that sets it: in plan at its line, and in export', async () => {
    await exported();
    // A loopback port nothing listens on (taken, then let go).
    const port = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port: p } = server.address() as net.AddressInfo;
        server.close(() => resolve(p));
      });
    });
    const url = `http://127.0.0.1:${port}/v1`;
    const said = `GitBook cannot be reached at 127.0.0.1:${port} (ECONNREFUSED). Check the network, or WORKSPACE_ACCESS_GITBOOK_URL (now ${url}).`;
    const plan = await cli(['plan', 'workspace-access.yaml'], { WORKSPACE_ACCESS_GITBOOK_URL: url });
    assert.equal(plan.code, 1);
    assert.ok(plan.stdout.includes(said), plan.stdout);
    const exportAll = await cli(['export', 'other.yaml'], { WORKSPACE_ACCESS_GITBOOK_URL: url });
    assert.equal(exportAll.code, 1);
    assert.ok(exportAll.stderr.endsWith(`workspace-access: ${said}\n`), exportAll.stderr);
  });

  it('`npm run emulator -- --env` prints the lines that point the command line at the sandbox: with them alone, export and plan work', async () => {
    const sandbox = spawn(process.execPath, [path.join(root, 'out/test/emulator/cli.js'), '--env'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let printed = '';
      const lines = await new Promise<string[]>((resolve, reject) => {
        sandbox.stdout.on('data', (d: Buffer) => {
          printed += d.toString();
          const exports = printed.split('\n').filter((l) => l.startsWith('export '));
          if (exports.length === 6) resolve(exports);
        });
        sandbox.on('exit', (code) => reject(new Error(`the emulator ended (${code}): ${printed}`)));
      });
      const vars = Object.fromEntries(
        lines.map((l) => {
          const m = /^export (WORKSPACE_ACCESS_[A-Z]+_(?:KEY|URL))=(\S+)$/.exec(l);
          assert.ok(m, l);
          return [m[1], m[2]];
        }),
      );
      assert.deepEqual(Object.keys(vars).sort(), [
        'WORKSPACE_ACCESS_CONFIDENT_KEY',
        'WORKSPACE_ACCESS_CONFIDENT_URL',
        'WORKSPACE_ACCESS_ELEVENLABS_KEY',
        'WORKSPACE_ACCESS_ELEVENLABS_URL',
        'WORKSPACE_ACCESS_GITBOOK_KEY',
        'WORKSPACE_ACCESS_GITBOOK_URL',
      ]);
      assert.match(printed, /npx workspace-access export sandbox\.workspace-access\.yaml/);
      // Nothing but those lines (and a state directory): no key from this test's own emulator.
      const only = { PATH: process.env.PATH, HOME: dir, WORKSPACE_ACCESS_STATE_DIR: path.join(dir, 'state'), ...vars };
      const run = (args: string[]) => startCli(args, dir, only).done;
      const exportRun = await run(['export', 'sandbox.workspace-access.yaml']);
      assert.equal(exportRun.code, 0, exportRun.stderr);
      assert.match(
        read('sandbox.workspace-access.yaml'),
        /platform: elevenlabs[\s\S]*platform: gitbook[\s\S]*platform: confident/,
      );
      const planRun = await run(['plan', 'sandbox.workspace-access.yaml']);
      assert.equal(planRun.code, 0, planRun.stderr);
    } finally {
      sandbox.kill('SIGTERM');
    }
  });

  it('a file with errors: each reported at its line, exit 1, nothing sent (not even a read)', async () => {
    let text = await exported();
    emulator.reset();
    text = edit(
      text,
      /alan\.lovelace@example\.com: workspace_member # Alan/,
      'alan.lovelace@example.com: workspace_boss',
    );
    text = edit(text, /tim\.lovelace@example\.com: Member # Tim Lovelace/, 'tim.lovelace@example: Member');
    text = edit(
      text,
      /(name: Narrator 1\n {8}grants:\n {10}group:Support: )editor/,
      '$1{ role: editor, until: 2026-02-30 }',
    );
    fs.writeFileSync(file(), text);
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    for (const command of ['plan', 'drift', 'apply']) {
      const r = await cli([command, 'workspace-access.yaml', ...(command === 'apply' ? ['--yes'] : [])]);
      assert.equal(r.code, 1, command);
      assert.ok(
        r.stderr.includes(
          `workspace-access.yaml:${lineOf('workspace_boss')}:7: error: "workspace_boss" is not a seat type of ElevenLabs; use one of: workspace_admin, workspace_member, workspace_lite_member. [schema]`,
        ),
        r.stderr,
      );
      assert.ok(
        r.stderr.includes(
          `workspace-access.yaml:${lineOf('tim.lovelace@example:')}:7: error: Use an email address here.`,
        ),
        r.stderr,
      );
      assert.ok(
        r.stderr.includes(`workspace-access.yaml:${lineOf('2026-02-30')}:`) &&
          r.stderr.includes('This is not a calendar date.'),
        r.stderr,
      );
      assert.match(r.stderr, /workspace-access\.yaml has 3 error\(s\): fix them first\. Nothing was sent\./);
      assert.equal(r.stdout, '');
    }
    assert.deepEqual(emulator.requests, []);
  });

  it('redacts a key that a platform echoes back, on stdout and stderr', async () => {
    await exported();
    const key = emulator.platform('confident').keys.admin;
    emulator.queueAnswers({ status: 400, path: '/v1/organization', echoKey: true });
    const r = await cli(['plan', 'workspace-access.yaml', '--verbose']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Could not check the key in WORKSPACE_ACCESS_CONFIDENT_KEY with Confident AI/);
    assert.ok(!`${r.stdout}${r.stderr}`.includes(key), 'the key is never printed');
  });

  it('one apply of a file at a time: a second one while the first holds the lock sends nothing', async () => {
    let text = await exported();
    text = edit(
      text,
      /alan\.lovelace@example\.com: workspace_member # Alan/,
      'alan.lovelace@example.com: workspace_admin',
    );
    fs.writeFileSync(file(), text);
    const locks = path.join(dir, 'state/locks');
    fs.mkdirSync(locks, { recursive: true });
    // This test's own process is alive: its pid in the lock stands for an apply running now.
    const { createHash } = await import('node:crypto');
    fs.writeFileSync(
      path.join(locks, `${createHash('sha256').update(fs.realpathSync(file())).digest('hex').slice(0, 24)}.lock`),
      String(process.pid),
    );
    const r = await cli(['apply', 'workspace-access.yaml']);
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      new RegExp(
        `Another apply of workspace-access\\.yaml is running \\(process ${process.pid}\\)\\. Nothing was sent from this one\\.`,
      ),
    );
    assert.deepEqual(writes(), []);
  });

  it('an apply killed mid-way is refused until resumed; --resume finishes it and nothing is sent twice', async () => {
    let text = await exported();
    const { text: granted, added } = radiaEverywhere(text);
    text = granted;
    assert.ok(added >= 20, `enough changes to kill mid-way (${added})`);
    fs.writeFileSync(file(), text);
    emulator.setFaults({ latencyMs: 60 });
    const jobs = path.join(dir, 'state/jobs');
    const first = start(['apply', 'workspace-access.yaml', '--concurrency', '2']);
    await untilDone(5);
    first.child.kill('SIGKILL');
    const killed = await first.done;
    assert.equal(killed.code, null, 'killed, not finished');
    const finishedBefore = doneInJournal();
    assert.ok(finishedBefore >= 5 && finishedBefore < added, `killed mid-way (${finishedBefore} of ${added})`);
    emulator.setFaults({ latencyMs: 0 });

    const refused = await cli(['apply', 'workspace-access.yaml']);
    assert.equal(refused.code, 1);
    assert.match(
      refused.stderr,
      /An apply of workspace-access\.yaml was interrupted with \d+ of \d+ changes finished\. Finish it first: workspace-access apply workspace-access\.yaml --resume/,
    );
    const resumed = await cli(['apply', 'workspace-access.yaml', '--resume', '--report', 'report.csv']);
    assert.equal(resumed.code, 0, resumed.stderr + resumed.stdout);
    assert.match(resumed.stderr, /Resuming the apply of workspace-access\.yaml: \d+ of \d+ changes finished/);
    assert.match(
      resumed.stdout,
      new RegExp(`Apply workspace-access\\.yaml: ${added} done, 0 failed, 0 skipped, 0 unknown`),
    );
    assert.equal(read('report.csv').trim().split('\n').length, added + 1, 'the report has every change of the job');

    // Each grant took effect through exactly one successful write: none was sent twice.
    const counts = writeCounts();
    assert.equal(counts.length, added);
    assert.deepEqual(
      counts.filter((n) => n !== 1),
      [],
    );
    assert.deepEqual(
      fs.readdirSync(jobs).filter((n) => n.endsWith('.job.jsonl')),
      [],
      'the finished job leaves no journal',
    );
    const plan = await cli(['plan', 'workspace-access.yaml']);
    assert.equal(plan.code, 0, plan.stdout);
    const again = await cli(['apply', 'workspace-access.yaml', '--resume']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /No interrupted apply of workspace-access\.yaml is in .*\. Nothing was sent\./);
  });

  it('Ctrl+C during an apply: changes in flight finish, the rest are not sent, exit 130; apply again plans the rest from live', async () => {
    const { text, added } = radiaEverywhere(await exported());
    fs.writeFileSync(file(), text);
    emulator.setFaults({ latencyMs: 60 });
    const run = start(['apply', 'workspace-access.yaml', '--concurrency', '2']);
    await untilDone(4);
    run.child.kill('SIGINT');
    const stopped = await run.done;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(
      stopped.stderr,
      /Interrupted: changes in flight finished, the rest were not sent\. Apply again to plan from live\./,
    );
    const summary = /Apply workspace-access\.yaml: (\d+) done, 0 failed, (\d+) skipped, 0 unknown/.exec(stopped.stdout);
    assert.ok(summary, stopped.stdout);
    const done = Number(summary[1]);
    assert.ok(done >= 4 && done < added && done + Number(summary[2]) === added, `stopped mid-way: ${summary[0]}`);
    emulator.setFaults({ latencyMs: 0 });
    const rest = await cli(['apply', 'workspace-access.yaml']);
    assert.equal(rest.code, 0, rest.stderr);
    assert.match(rest.stdout, new RegExp(`Plan for workspace-access\\.yaml: ${added - done} to add\\.`));
    assert.deepEqual(
      writeCounts().filter((n) => n !== 1),
      [],
      'nothing was sent twice',
    );
    assert.equal(writeCounts().length, added);
  });
});
