// Access reviews from the command line alone (dist/cli.js against the emulator): `review start`
// writes the file from live, people decide it by editing lines, `review close` sends the decisions
// as one journaled job and writes the evidence, `review verify` checks the chain of evidence.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { EXIT } from '../../src/cli/exit';
import { sandboxEnv, startCli, useCliSandbox } from './cliSandbox';
import { person, ROSTER } from './cliFindingsFixture';
import { parseReview } from '../../src/core/review/parse';

const FILE = 'reviews/q4.access-review.yaml';
const SIGNOFF = 'signoff: {name: Ada Lovelace, email: ada@example.com}\n';

describe('review start, status, close and verify', () => {
  const sandbox = useCliSandbox();
  const cli = (args: readonly string[]) => sandbox.cli(args);
  const at = (name: string) => path.join(sandbox.dir, name);
  const read = (name = FILE) => fs.readFileSync(at(name), 'utf8');
  const write = (name: string, text: string) => fs.writeFileSync(at(name), text);
  const writes = () => sandbox.emulator.requests.filter((r) => r.method !== 'GET').length;

  async function start(file = FILE, due = '2099-12-31', more: string[] = []): Promise<string> {
    fs.mkdirSync(path.dirname(at(file)), { recursive: true });
    const r = await cli([
      'review',
      'start',
      file,
      '--name',
      'Q4',
      '--due',
      due,
      '--reviewer',
      'ada@example.com',
      ...more,
    ]);
    assert.equal(r.code, EXIT.ok, r.stderr);
    assert.equal(fs.statSync(at(file)).mode & 0o777, 0o600, 'it names people: readable by its owner only');
    return read(file);
  }

  /** Every undecided item line decided keep, but for the lines `pick` chooses, which get `decision`. */
  function decide(text: string, pick: (line: string) => string | undefined = () => undefined): string {
    return text
      .split('\n')
      .map((line) => {
        if (!/^ {6}- \{at: /.test(line) || /decision: /.test(line)) return line;
        const d = pick(line);
        return line.replace(/\}$/, d ? `, decision: ${d}}` : ', decision: keep}');
      })
      .join('\n');
  }

  it('is started, decided by editing the file, signed off, closed and verified from the command line alone', async () => {
    const text = await start();
    assert.match(text, /^accessReview: 1$/m);
    const el = sandbox.emulator.state('elevenlabs');
    const gb = sandbox.emulator.state('gitbook');

    // One ElevenLabs direct grant is revoked; one GitBook editor is lowered to Read.
    let revoked: { email: string; type: string; id: string } | undefined;
    let lowered: string | undefined;
    // Each item line is decided; `current` is the person the line belongs to.
    let current = '';
    const decidedText = text
      .split('\n')
      .map((line) => {
        const p = /^ {2}- email: (\S+)/.exec(line);
        if (p) current = p[1];
        if (!/^ {6}- \{at: /.test(line)) return line;
        if (!revoked && /at: ElevenLabs, kind: grant, .*via: direct\}$/.test(line)) {
          const m = /type: (\w+), id: (\w+)/.exec(line);
          assert.ok(m);
          revoked = { email: current, type: m[1], id: m[2] };
          return line.replace(/\}$/, ', decision: revoke, reason: moved teams}');
        }
        if (!lowered && /at: org_sandbox, kind: member, .*role: Edit\}$/.test(line)) {
          lowered = current;
          return line.replace(/\}$/, ', decision: Read, reason: reads only}');
        }
        return line.replace(/\}$/, ', decision: keep}');
      })
      .join('\n');
    assert.ok(revoked, 'the sandbox has a direct ElevenLabs grant');
    assert.ok(lowered, 'the sandbox has a GitBook editor');
    write(FILE, decidedText);

    const status = await cli(['review', 'status', FILE]);
    assert.equal(status.code, EXIT.ok, status.stdout + status.stderr);
    assert.match(status.stdout, /(\d+) of \1 decided, due in \d+ days; not signed off/);

    // Not signed off: close refuses, says how to sign off, and sends nothing.
    const before = writes();
    const unsigned = await cli(['review', 'close', FILE, '--yes']);
    assert.equal(unsigned.code, EXIT.undecided, unsigned.stderr);
    assert.match(unsigned.stderr, /not signed off.*signoff: \{name: .*email: /);
    assert.equal(writes(), before);

    write(FILE, `${decidedText}${SIGNOFF}`);
    // Removals need --yes: nothing is sent without it.
    const noYes = await cli(['review', 'close', FILE]);
    assert.equal(noYes.code, EXIT.needsYes, noYes.stderr);
    assert.match(noYes.stdout, /Close of reviews\/q4\.access-review\.yaml: 2 change\(s\)/);
    assert.equal(writes(), before);

    const closed = await cli(['review', 'close', FILE, '--yes']);
    assert.equal(closed.code, EXIT.ok, closed.stdout + closed.stderr);
    assert.match(closed.stdout, /Closed reviews\/q4\.access-review\.yaml\. Evidence: reviews\/q4\.evidence\.json/);

    // The platforms show the decisions.
    const who = el.members.find((m) => m.email === revoked?.email);
    assert.ok(who);
    const resource = el.resources.find((r) => r.id === revoked?.id);
    assert.ok(resource);
    assert.ok(
      Object.values(resource.roles).every((ids) => !ids.includes(who.user_id)),
      `${revoked.email} no longer holds ${revoked.id}`,
    );
    assert.equal(gb.members.find((m) => m.user.email === lowered)?.role, 'read');

    // The evidence, private, and the review marked closed.
    for (const f of ['q4.evidence.json', 'q4.evidence.md', 'q4.evidence.csv'])
      assert.equal(fs.statSync(at(`reviews/${f}`)).mode & 0o777, 0o600, f);
    const evidence = JSON.parse(read('reviews/q4.evidence.json')) as {
      counts: Record<string, number>;
      signoff: { email: string };
    };
    assert.equal(evidence.counts.done, 2);
    assert.equal(evidence.signoff.email, 'ada@example.com');
    assert.match(read(), /^closed: \{at: .*, evidence: q4\.evidence\.json, sha256: [0-9a-f]{64}/m);
    assert.equal(fs.statSync(at(FILE)).mode & 0o777, 0o600);

    const verified = await cli(['review', 'verify', 'reviews']);
    assert.equal(verified.code, EXIT.ok, verified.stderr);
    assert.match(verified.stdout, /1 evidence file\(s\) verified/);

    // Closing again sends nothing, and says so.
    const sent = writes();
    const again = await cli(['review', 'close', FILE, '--yes']);
    assert.equal(again.code, EXIT.ok, again.stderr);
    assert.match(again.stdout, /already closed.*Nothing was sent/);
    assert.equal(writes(), sent, 'no write request the second time');

    // A closed review's status is 0.
    assert.equal((await cli(['review', 'status', FILE])).code, EXIT.ok);
  });

  it('chains two reviews, and verify names the old evidence file changed by one byte', async () => {
    for (const name of ['reviews/q3.access-review.yaml', FILE]) {
      const text = await start(name);
      write(name, `${decide(text)}${SIGNOFF}`);
      const r = await cli(['review', 'close', name]);
      assert.equal(r.code, EXIT.ok, r.stdout + r.stderr);
      assert.match(r.stdout, /0 change\(s\)/);
    }
    const second = JSON.parse(read('reviews/q4.evidence.json')) as { previous: { file: string } | null };
    assert.equal(second.previous?.file, 'q3.evidence.json');
    const ok = await cli(['review', 'verify', FILE]);
    assert.equal(ok.code, EXIT.ok, ok.stderr);
    assert.match(ok.stdout, /2 evidence file\(s\) verified/);

    const old = at('reviews/q3.evidence.json');
    const bytes = fs.readFileSync(old);
    const i = bytes.indexOf('ada@example.com');
    assert.ok(i > 0);
    bytes[i] = 'A'.charCodeAt(0);
    fs.writeFileSync(old, bytes);
    const bad = await cli(['review', 'verify', 'reviews', '--json']);
    assert.equal(bad.code, EXIT.tampered, bad.stderr);
    const doc = JSON.parse(bad.stdout) as { verified: boolean; file: string; why: string };
    assert.equal(doc.verified, false);
    assert.equal(doc.file, path.join('reviews', 'q3.evidence.json'));
    assert.match(doc.why, /changed/);
    const text = await cli(['review', 'verify', 'reviews']);
    assert.equal(text.code, EXIT.tampered);
    assert.match(text.stderr, /reviews\/q3\.evidence\.json does not verify: /);
  });

  it('status: undecided and overdue exit with their code, errors with 1 at their line', async () => {
    const text = await start();
    const undecided = await cli(['review', 'status', FILE, '--json']);
    assert.equal(undecided.code, EXIT.undecided);
    const doc = JSON.parse(undecided.stdout) as { decided: number; items: number; problems: { line: number }[] };
    assert.equal(doc.decided, 0);
    assert.ok(doc.items > 0);
    assert.ok(doc.problems.every((p) => p.line > 0));

    const overdue = await start('reviews/late.access-review.yaml', '2020-01-01');
    write('reviews/late.access-review.yaml', decide(overdue));
    const late = await cli(['review', 'status', 'reviews/late.access-review.yaml']);
    assert.equal(late.code, EXIT.undecided, late.stdout);
    assert.match(late.stdout, /overdue since 2020-01-01/);

    // A revoke without a reason, and a role the platform does not have: errors at their lines.
    let n = 0;
    const broken = decide(text, (line) =>
      /kind: member/.test(line) && n++ < 2 ? (n === 1 ? 'revoke' : 'Emperor, reason: why not') : undefined,
    );
    write(FILE, broken);
    const errors = await cli(['review', 'status', FILE]);
    assert.equal(errors.code, EXIT.error, errors.stdout);
    assert.match(errors.stdout, /^reviews\/q4\.access-review\.yaml:\d+:\d+: error: /m);
    const closing = await cli(['review', 'close', FILE, '--yes']);
    assert.equal(closing.code, EXIT.error);
    assert.match(closing.stderr, /^reviews\/q4\.access-review\.yaml:\d+:\d+: error: /m);
  });

  it('status --markdown of a large review stays under the 60,000 characters a pull-request comment may hold', async () => {
    const text = await start();
    // The sandbox's people a hundred times over: thousands of undecided items, one line each.
    const [head, people] = text.split('\npeople:\n');
    const many = Array.from({ length: 100 }, (_, n) => people.replace(/email: (\S+)@/g, `email: $1.${n}@`)).join('');
    write(FILE, `${head}\npeople:\n${many}`);
    const r = await cli(['review', 'status', FILE, '--markdown']);
    assert.equal(
      r.code,
      EXIT.error,
      'the people were copied, so the snapshot no longer matches: an error, listed first',
    );
    assert.ok(r.stdout.length <= 60_000, `${r.stdout.length} characters`);
    assert.match(
      r.stdout,
      /_…and \d+ more not shown: this text is kept under 60,000 characters\. Run: workspace-access review status/,
    );
  });

  it('close refuses while items are undecided, and sends nothing', async () => {
    const text = await start();
    write(FILE, `${text}${SIGNOFF}`);
    const before = writes();
    const r = await cli(['review', 'close', FILE, '--yes']);
    assert.equal(r.code, EXIT.undecided, r.stderr);
    assert.match(r.stderr, /\d+ item\(s\) are undecided/);
    assert.equal(writes(), before);
  });

  it('a saved close plan is applied only while the review and live are unchanged', async () => {
    const text = await start();
    let once = false;
    const decided = `${decide(text, (line) => {
      if (once || !/at: ElevenLabs, kind: grant, .*via: direct\}$/.test(line)) return undefined;
      once = true;
      return 'revoke, reason: moved teams';
    })}${SIGNOFF}`;
    write(FILE, decided);
    const saved = await cli(['review', 'close', FILE, '--out', 'close.json']);
    assert.equal(saved.code, EXIT.pending, saved.stderr);
    assert.equal(fs.statSync(at('close.json')).mode & 0o777, 0o600);

    // The review edited since: stale, nothing sent.
    write(FILE, decided.replace('reason: moved teams', 'reason: moved teams!'));
    const before = writes();
    const stale = await cli(['review', 'close', 'close.json', '--yes']);
    assert.equal(stale.code, EXIT.stale, stale.stderr);
    assert.equal(writes(), before);

    write(FILE, decided);
    const applied = await cli(['review', 'close', 'close.json', '--yes', '--json']);
    assert.equal(applied.code, EXIT.ok, applied.stdout + applied.stderr);
    assert.match(read(), /^closed: /m);
    // --json: one document on stdout, the plan and the job's report on stderr.
    const doc = JSON.parse(applied.stdout) as {
      command: string;
      exitCode: number;
      changes: { outcome: string }[];
      evidence: string;
    };
    assert.equal(doc.command, 'review close');
    assert.equal(doc.exitCode, EXIT.ok);
    assert.deepEqual(
      doc.changes.map((c) => c.outcome),
      ['done'],
    );
    assert.equal(doc.evidence, path.join('reviews', 'q4.evidence.json'));
    assert.match(applied.stderr, /Close of reviews\/q4\.access-review\.yaml: 1 change\(s\)/);

    const status = await cli(['review', 'status', FILE, '--markdown']);
    assert.equal(status.code, EXIT.ok);
    assert.match(
      status.stdout,
      /^<!-- workspace-access:review reviews\/q4\.access-review\.yaml -->\n# Access review: Q4\n/,
    );
    assert.match(status.stdout, /closed on \d{4}-\d{2}-\d{2}/);
  });

  /** The changes the interrupted close's journal records as done. */
  function doneInJournal(): number {
    const jobs = at('state/jobs');
    const journal = fs.existsSync(jobs) ? fs.readdirSync(jobs).find((n) => n.endsWith('.job.jsonl')) : undefined;
    return journal ? (fs.readFileSync(path.join(jobs, journal), 'utf8').match(/"s":"done"/g) ?? []).length : 0;
  }

  /**
   * A review with every direct grant of two connections revoked, signed off, closing one change at a
   * time against a slow platform: `stop` is sent once two changes are done. How many it revokes.
   */
  async function closeStopped(stop: NodeJS.Signals) {
    const text = await start();
    let revokes = 0;
    const decided = `${decide(text, (line) => {
      if (!/at: (ElevenLabs|org_sandbox), kind: grant, .*via: direct\}$/.test(line)) return undefined;
      revokes++;
      return 'revoke, reason: nobody uses it';
    })}${SIGNOFF}`;
    assert.ok(revokes >= 6, `enough changes to stop mid-way (${revokes})`);
    write(FILE, decided);
    sandbox.emulator.setFaults({ latencyMs: 60 });
    const first = startCli(
      ['review', 'close', FILE, '--yes', '--concurrency', '1'],
      sandbox.dir,
      sandboxEnv(sandbox.emulator, sandbox.dir),
    );
    // Waits on the journal's state: a few changes done, then the process is stopped.
    let ended = false;
    void first.done.then(() => (ended = true));
    while (doneInJournal() < 2) {
      if (ended) throw new Error(`the close ended before two changes were done: ${(await first.done).stderr}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill(stop);
    const stopped = await first.done;
    sandbox.emulator.setFaults({ latencyMs: 0 });
    return { revokes, stopped };
  }

  it('a close killed mid-way is refused until resumed; --resume finishes it, nothing is sent twice, and the review closes', async () => {
    const { revokes: added, stopped } = await closeStopped('SIGKILL');
    assert.equal(stopped.code, null, 'killed, not finished');
    const finishedBefore = doneInJournal();
    assert.ok(finishedBefore >= 2 && finishedBefore < added, `killed mid-way (${finishedBefore} of ${added})`);
    assert.doesNotMatch(read(), /^closed: /m);

    const refused = await cli(['review', 'close', FILE, '--yes']);
    assert.equal(refused.code, EXIT.error);
    assert.match(
      refused.stderr,
      /A close of reviews\/q4\.access-review\.yaml was interrupted\. Finish it first: .* --resume/,
    );

    const resumed = await cli(['review', 'close', FILE, '--resume']);
    assert.equal(resumed.code, EXIT.ok, resumed.stdout + resumed.stderr);
    assert.match(resumed.stderr, /Resuming the close of reviews\/q4\.access-review\.yaml: \d+ of \d+ changes finished/);
    assert.match(read(), /^closed: /m);
    const evidence = JSON.parse(read('reviews/q4.evidence.json')) as { counts: Record<string, number> };
    assert.equal(evidence.counts.done, added);

    // Each revocation took effect through exactly one successful write.
    const counts = new Map<string, number>();
    for (const w of sandbox.emulator.requests.filter((r) => r.method !== 'GET' && r.status < 300)) {
      const key = `${w.method} ${w.path} ${JSON.stringify(w.body)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    assert.equal(counts.size, added);
    assert.deepEqual(
      [...counts.values()].filter((n) => n !== 1),
      [],
    );
    const verified = await cli(['review', 'verify']);
    assert.equal(verified.code, EXIT.ok, verified.stderr);
  });

  it('a close stopped with Ctrl+C stays open; closing again sends the rest, and the evidence records both runs as done', async () => {
    const { revokes: added, stopped } = await closeStopped('SIGINT');
    assert.equal(stopped.code, EXIT.interrupted, stopped.stderr);
    assert.match(stopped.stderr, /The review is not closed: close it again .* the evidence records what this run did/);
    assert.doesNotMatch(read(), /^closed: /m);
    const doneFirst = sandbox.emulator.requests.filter((r) => r.method !== 'GET' && r.status < 300).length;
    assert.ok(doneFirst >= 2 && doneFirst < added, `stopped mid-way (${doneFirst} of ${added})`);
    const ledgers = at('state/ledgers');
    assert.equal(fs.readdirSync(ledgers).length, 1, 'what the first run did is kept until the review closes');
    assert.equal(fs.statSync(path.join(ledgers, fs.readdirSync(ledgers)[0])).mode & 0o777, 0o600);

    const again = await cli(['review', 'close', FILE, '--yes']);
    assert.equal(again.code, EXIT.ok, again.stdout + again.stderr);
    assert.match(read(), /^closed: /m);
    const evidence = JSON.parse(read('reviews/q4.evidence.json')) as {
      counts: Record<string, number>;
      decisions: { outcome: string; detail?: string }[];
    };
    assert.equal(evidence.counts.done, added, 'the changes of the first run are done, not "no longer held"');
    assert.equal(evidence.counts.gone, 0);
    assert.equal(
      evidence.decisions.filter((d) => /done by this review's close on .* \(its job ended before/.test(d.detail ?? ''))
        .length,
      doneFirst,
    );
    assert.deepEqual(fs.readdirSync(ledgers), [], 'the ledger goes when the review closes');
    const writes = sandbox.emulator.requests.filter((r) => r.method !== 'GET' && r.status < 300);
    assert.equal(new Set(writes.map((w) => `${w.method} ${w.path} ${JSON.stringify(w.body)}`)).size, writes.length);
    assert.equal(writes.length, added);
  });

  it('--roster and --domains give each person their context; --scope findings takes only the people findings name', async () => {
    write('roster.csv', ROSTER);
    const text = await start(FILE, '2099-12-31', ['--roster', 'roster.csv', '--domains', 'example.com']);
    const review = parseReview(text, '2026-12-03').review;
    assert.ok(review);
    const of = (email: string) => review.people.find((p) => p.email.toLowerCase() === email)?.context;
    assert.equal(of(person('alan'))?.roster, 'left');
    assert.equal(of(person('ada'))?.roster, 'active');
    assert.equal(of(person('donald'))?.roster, 'not on the roster');
    assert.equal(of(person('ada'))?.external, false);
    assert.ok(of(person('alan'))?.findings?.includes('left'));

    const flagged = await start('reviews/flagged.access-review.yaml', '2099-12-31', [
      '--roster',
      'roster.csv',
      '--scope',
      'findings',
      '--connection',
      'org_sandbox',
    ]);
    const only = parseReview(flagged, '2026-12-03').review;
    assert.ok(only);
    assert.deepEqual(only.scope.connections, ['org_sandbox']);
    const emails = only.people.map((p) => p.email.toLowerCase());
    assert.ok(emails.includes(person('alan')), 'who left is reviewed');
    assert.ok(!emails.includes(person('grace')), 'an active person on the roster with nothing to act on is not');
    assert.ok(only.people.every((p) => p.access.every((i) => i.at === 'org_sandbox')));

    const voices = await start('reviews/voices.access-review.yaml', '2099-12-31', ['--type', 'voice']);
    const typed = parseReview(voices, '2026-12-03').review;
    assert.ok(typed?.people.length);
    assert.equal(typed.scope.type, 'voice');
    assert.ok(typed.people.every((p) => p.access.every((i) => i.kind === 'grant' && i.type === 'voice')));
  });

  it("--sign-off signs as git's user once every item is decided, and the review closes", async () => {
    const text = await start();
    const git = (args: string[]) =>
      execFileSync('git', args, { cwd: sandbox.dir, env: { PATH: process.env.PATH, HOME: sandbox.dir } });
    git(['init', '-q']);
    git(['config', 'user.name', 'Grace Hopper']);
    git(['config', 'user.email', 'grace@example.com']);
    const undecided = await cli(['review', 'close', FILE, '--sign-off']);
    assert.equal(undecided.code, EXIT.undecided);
    assert.doesNotMatch(read(), /^signoff:/m, 'not signed while items are undecided');
    write(FILE, decide(text));
    const unsigned = await cli(['review', 'close', FILE]);
    assert.equal(unsigned.code, EXIT.undecided);
    assert.match(unsigned.stderr, /sign off as Grace Hopper <grace@example\.com> \(git's user\) with: .* --sign-off/);
    const closed = await cli(['review', 'close', FILE, '--sign-off']);
    assert.equal(closed.code, EXIT.ok, closed.stdout + closed.stderr);
    assert.match(read(), /^signoff: \{name: Grace Hopper, email: grace@example\.com, at: "?\d{4}-/m);
    const evidence = JSON.parse(read('reviews/q4.evidence.json')) as { signoff: { name: string; at: string } };
    assert.equal(evidence.signoff.name, 'Grace Hopper');
    assert.match(evidence.signoff.at, /^\d{4}-\d{2}-\d{2}T/);
  });

  it('usage errors name what to fix', async () => {
    const noDue = await cli(['review', 'start', FILE, '--name', 'Q4', '--reviewer', 'ada@example.com']);
    assert.equal(noDue.code, EXIT.usage);
    assert.match(noDue.stderr, /review start needs --due YYYY-MM-DD/);
    const badDue = await cli(['review', 'start', FILE, '--name', 'Q4', '--due', '2026-02-30', '--reviewer', 'a@b.co']);
    assert.equal(badDue.code, EXIT.usage);
    assert.match(badDue.stderr, /--due takes a date as YYYY-MM-DD/);
    const findings = await cli([
      'review',
      'start',
      FILE,
      '--name',
      'Q4',
      '--due',
      '2026-12-31',
      '--reviewer',
      'a@b.co',
      '--scope',
      'findings',
    ]);
    assert.equal(findings.code, EXIT.usage);
    assert.match(findings.stderr, /--scope findings .* --roster FILE/);
    const misplaced = await cli(['review', 'status', FILE, '--yes']);
    assert.equal(misplaced.code, EXIT.usage);
    assert.match(misplaced.stderr, /--yes is for review close, not review status/);
    const action = await cli(['review', 'finish', FILE]);
    assert.equal(action.code, EXIT.usage);
    assert.match(action.stderr, /review takes one of start, status, close, verify \(not "finish"\)/);
    const exists = await start();
    void exists;
    const again = await cli(['review', 'start', FILE, '--name', 'Q4', '--due', '2099-12-31', '--reviewer', 'a@b.co']);
    assert.equal(again.code, EXIT.error);
    assert.match(again.stderr, /exists: .*--force/);
  });
});
