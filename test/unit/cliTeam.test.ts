// The command line for a team on CI runners (dist/cli.js against the emulator): the state file that
// travels with the repository (invitations the platforms cannot list, hashed), an invitation whose
// answer was lost ("sent, unconfirmed", never sent again), a lock per connection beside the file
// whatever the --state-dir, and each change checked against live just before it is sent.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { emailHash, repoStatePath } from '../../src/core/access/repoState';
import { LOCKS_DIR } from '../../src/cli/repo';
import { edit, radiaEverywhere, type Run, sandboxEnv, startCli, useCliSandbox } from './cliSandbox';

const FILE = 'workspace-access.yaml';
const STATE = 'workspace-access.state.json';
const EL = { platform: 'elevenlabs', name: 'ElevenLabs' };

describe('command line for a team: state in the repository, lost answers, one apply per connection', () => {
  const sandbox = useCliSandbox();
  /** Runs the command line with its own state folder (`runner`): each runner is a fresh machine. */
  const cli = (args: readonly string[], runner = 'state') =>
    startCli(args, sandbox.dir, {
      ...sandboxEnv(sandbox.emulator, sandbox.dir),
      WORKSPACE_ACCESS_STATE_DIR: path.join(sandbox.dir, runner),
    }).done;
  const at = (name: string) => path.join(sandbox.dir, name);
  const read = (name: string) => fs.readFileSync(at(name), 'utf8');
  const write = (text: string) => fs.writeFileSync(at(FILE), text);
  const el = () => sandbox.emulator.state('elevenlabs');
  /** ElevenLabs invitations that reached the platform (whatever it answered). */
  const invitesSent = () =>
    sandbox.emulator.requests.filter((r) => r.platform === 'elevenlabs' && r.path === '/v1/workspace/invites/add');

  /** The sandbox exported, with el.new@example.com added to ElevenLabs (an invitation it cannot list). */
  async function withNewPerson(): Promise<string> {
    const exported = await cli(['export', FILE]);
    assert.equal(exported.code, 0, exported.stderr);
    const text = edit(
      read(FILE),
      /alan\.lovelace@example\.com: workspace_member # Alan/,
      'alan.lovelace@example.com: workspace_member # Alan\n      el.new@example.com: workspace_member',
    );
    write(text);
    return text;
  }

  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('the state file is beside the access file, named after it; --help says what it and the locks are', async () => {
    const help = await cli(['--help']);
    assert.match(help.stdout, /workspace-access\.state\.json +written by apply: commit it\./);
    assert.match(help.stdout, /SHA-256 of platform:name:email\s+\(no email\)/);
    assert.match(
      help.stdout,
      /\.workspace-access-locks\/ +a lock per connection while an apply runs: do not commit it\./,
    );
    assert.match(help.stdout, /serialise applies with\s+your CI's concurrency group/);
    assert.equal(repoStatePath('/repo/workspace-access.yaml'), '/repo/workspace-access.state.json');
    assert.equal(repoStatePath('/repo/team/prod.workspace-access.yml'), '/repo/team/prod.workspace-access.state.json');
    assert.equal(repoStatePath('access'), 'access.state.json');
  });

  it('a fresh runner with only the repository plans as the runner that applied: the invitation is remembered, hashed', async () => {
    const text = await withNewPerson();
    const applied = await cli(['apply', FILE], 'runner-a');
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(
      applied.stdout,
      new RegExp(`Updated ${STATE.replace(/\./g, '\\.')}: commit it, so every runner plans from it\\.`),
    );

    const state = read(STATE);
    assert.ok(!state.includes('@') && !/el\.new/i.test(state), `no email in clear:\n${state}`);
    const parsed = JSON.parse(state) as {
      schemaVersion: number;
      connections: Record<string, { invitations: Record<string, { sent: string; status: string }> }>;
    };
    assert.equal(parsed.schemaVersion, 1);
    const hash = emailHash(EL, 'El.New@example.com');
    assert.match(hash, /^[0-9a-f]{64}$/);
    assert.deepEqual(Object.keys(parsed.connections), ['elevenlabs:elevenlabs']);
    assert.equal(parsed.connections['elevenlabs:elevenlabs'].invitations[hash].status, 'sent');
    assert.equal(
      state,
      `${JSON.stringify(sortedKeys(parsed), null, 2)}\n`,
      'every key sorted, one layout: small diffs',
    );

    // Another machine: its own empty state folder, the same repository.
    const fresh = await cli(['plan', FILE], 'runner-b');
    assert.equal(fresh.code, 0, fresh.stdout);
    assert.match(fresh.stdout, /Plan for workspace-access\.yaml: No changes\./);
    assert.ok(
      fresh.stdout.includes(
        `line ${lineOf(text, 'el.new@')}: el.new@example.com was invited by Apply and has not joined yet`,
      ),
      fresh.stdout,
    );
    const again = await cli(['apply', FILE], 'runner-c');
    assert.equal(again.code, 0, again.stdout);
    assert.match(again.stdout, /Nothing to apply/);
    assert.equal(invitesSent().length, 1, 'the invitation went out once');

    // When they join, the next apply forgets them: the state file holds no entry for them.
    el().members.push({
      user_id: 'usr_new',
      email: 'el.new@example.com',
      first_name: 'El',
      seat_type: 'workspace_member',
      is_owner: false,
      is_locked: false,
    });
    const joined = await cli(['apply', FILE], 'runner-c');
    assert.equal(joined.code, 0, joined.stdout);
    assert.ok(!read(STATE).includes(hash), read(STATE));
  });

  it('an invitation whose answer was lost is "sent, unconfirmed" in every output, on every runner, and is not sent again', async () => {
    const text = await withNewPerson();
    // The platform acts, then answers 500: the answer is lost.
    sandbox.emulator.queueAnswers({
      status: 500,
      path: '/v1/workspace/invites/add',
      body: { detail: 'Internal error' },
    });
    const lost = await cli(['apply', FILE], 'runner-a');
    assert.equal(lost.code, 1, lost.stdout);
    assert.match(lost.stdout, /1 unknown/);
    assert.match(
      lost.stdout,
      /1 invitation\(s\) were sent and their answer was lost: they are "sent, unconfirmed" and are not sent again until the person joins or 30 days pass\./,
    );
    assert.ok(el().invites.has('el.new@example.com'), 'the platform did act');
    const state = read(STATE);
    assert.ok(!state.includes('@'), state);
    assert.match(
      state,
      new RegExp(`"${emailHash(EL, 'el.new@example.com')}": \\{\\n\\s+"sent": "[^"]+",\\n\\s+"status": "unconfirmed"`),
    );

    const line = lineOf(text, 'el.new@');
    for (const runner of ['runner-a', 'runner-b']) {
      const plan = await cli(['plan', FILE], runner);
      assert.equal(plan.code, 0, `nothing to apply, nothing the file can fix: ${plan.stdout}`);
      assert.match(plan.stdout, /Plan for workspace-access\.yaml: No changes; 1 sent, unconfirmed\./);
      assert.ok(
        plan.stdout.includes(
          `Sent, unconfirmed:\n  line ${line}: el.new@example.com: sent, unconfirmed. Apply sent this invitation and its answer was lost`,
        ),
        plan.stdout,
      );
      assert.doesNotMatch(plan.stdout, /\+ line/);
    }
    const md = await cli(['plan', FILE, '--markdown'], 'runner-b');
    assert.equal(md.code, 0);
    assert.match(
      md.stdout,
      new RegExp(`## Sent, unconfirmed\\n\\n- line ${line}: el\\.new@example\\.com: sent, unconfirmed\\.`),
    );
    const json = await cli(['plan', FILE, '--json'], 'runner-b');
    assert.equal(json.code, 0);
    const doc = JSON.parse(json.stdout) as {
      exitCode: number;
      changes: unknown[];
      counts: { unconfirmed: number };
      unconfirmed: { connection: string; line: number; code: string; severity: string }[];
    };
    assert.deepEqual(doc.changes, []);
    assert.equal(doc.counts.unconfirmed, 1);
    assert.deepEqual(
      doc.unconfirmed.map((u) => [u.connection, u.line, u.code, u.severity]),
      [['ElevenLabs "ElevenLabs"', line, 'unconfirmed', 'warning']],
    );
    const drift = await cli(['drift', FILE], 'runner-b');
    assert.equal(drift.code, 0);
    assert.match(
      drift.stdout,
      new RegExp(
        `workspace-access\\.yaml:${line}:7: warning: el\\.new@example\\.com: sent, unconfirmed\\..* \\[unconfirmed\\]`,
      ),
    );

    for (const runner of ['runner-a', 'runner-c']) {
      const again = await cli(['apply', FILE], runner);
      assert.equal(again.code, 0, again.stdout);
      assert.match(again.stdout, /Nothing to apply: live matches workspace-access\.yaml\.\n.*Sent, unconfirmed:/s);
    }
    assert.equal(invitesSent().length, 1, 'no second invitation, from any runner');
  });

  it('remembered invitations expire after 30 days: then the plan invites again', async () => {
    const text = await withNewPerson();
    assert.equal((await cli(['apply', FILE])).code, 0);
    const hash = emailHash(EL, 'el.new@example.com');
    const dated = (days: number) => {
      const state = JSON.parse(read(STATE)) as {
        connections: Record<string, { invitations: Record<string, { sent: string }> }>;
      };
      state.connections['elevenlabs:elevenlabs'].invitations[hash].sent = new Date(
        Date.now() - days * 86_400_000,
      ).toISOString();
      fs.writeFileSync(at(STATE), JSON.stringify(state));
    };
    dated(29.9);
    const kept = await cli(['plan', FILE], 'fresh-1');
    assert.equal(kept.code, 0, kept.stdout);
    dated(30);
    const expired = await cli(['plan', FILE], 'fresh-2');
    assert.equal(expired.code, 2, expired.stdout);
    assert.ok(
      expired.stdout.includes(`+ line ${lineOf(text, 'el.new@')}: Invite el.new@example.com as Member`),
      expired.stdout,
    );
  });

  it('a state file that cannot be read (a merge conflict) stops plan and apply, naming it; nothing is read or sent', async () => {
    await withNewPerson();
    fs.writeFileSync(at(STATE), '{\n<<<<<<< HEAD\n  "schemaVersion": 1\n=======\n>>>>>>> other\n}\n');
    const before = sandbox.emulator.requests.length;
    for (const command of ['plan', 'apply']) {
      const r = await cli([command, FILE]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        /workspace-access\.state\.json is not JSON .* It holds merge-conflict markers: keep the entries of both sides\. Fix it, or delete it/,
      );
    }
    fs.writeFileSync(
      at(STATE),
      JSON.stringify({
        schemaVersion: 1,
        connections: {
          'elevenlabs:elevenlabs': {
            invitations: { 'el.new@example.com': { sent: new Date().toISOString(), status: 'sent' } },
          },
        },
      }),
    );
    const clear = await cli(['plan', FILE]);
    assert.equal(clear.code, 1);
    assert.match(
      clear.stderr,
      /is not a workspace-access state file \(version 1\) at connections\.elevenlabs:elevenlabs\.invitations\.el\.new@example\.com.*a SHA-256 in hex/,
    );
    assert.equal(sandbox.emulator.requests.length, before, 'nothing was read or sent');
  });

  it('two applies of one connection at once, from two state folders: the second refuses naming it and its holder; each change is sent once', async () => {
    const exported = await cli(['export', FILE]);
    assert.equal(exported.code, 0);
    const { text, added } = radiaEverywhere(read(FILE));
    assert.ok(added >= 20, `enough changes to still be running (${added})`);
    write(text);
    sandbox.emulator.setFaults({ latencyMs: 60 });
    const first = startCli(['apply', FILE, '--concurrency', '2'], sandbox.dir, {
      ...sandboxEnv(sandbox.emulator, sandbox.dir),
      WORKSPACE_ACCESS_STATE_DIR: at('runner-a'),
    });
    await until(() => locks().some((l) => l.startsWith('elevenlabs-')));
    const second = await cli(['apply', FILE, '--connection', 'ElevenLabs'], 'runner-b');
    assert.equal(second.code, 1, second.stdout);
    assert.match(
      second.stderr,
      new RegExp(
        `Another apply of ElevenLabs "ElevenLabs" is running from this repository \\(process ${first.child.pid}\\): it holds ${LOCKS_DIR}/elevenlabs-elevenlabs-[0-9a-f]{8}\\.lock\\. Nothing was sent from this one\\. .*serialise them with your CI's concurrency group\\.`,
      ),
    );
    const done: Run = await first.done;
    assert.equal(done.code, 0, done.stderr + done.stdout);
    sandbox.emulator.setFaults({ latencyMs: 0 });
    const counts = writeCounts();
    assert.equal(counts.length, added, 'every change was made');
    assert.deepEqual(
      counts.filter((n) => n !== 1),
      [],
      'none was sent twice',
    );
    assert.deepEqual(locks(), [], 'the locks go with the apply');
  });

  it('a change already in effect just before it is sent is not sent: another runner made it since the plan', async () => {
    const exported = await cli(['export', FILE]);
    assert.equal(exported.code, 0);
    const text = edit(
      read(FILE),
      /alan\.lovelace@example\.com: workspace_member # Alan/,
      'alan.lovelace@example.com: workspace_admin',
    );
    write(text);
    const plan = await cli(['plan', FILE]);
    assert.equal(plan.code, 2);
    const read0 = sandbox.emulator.requests.find(
      (r) => r.platform === 'elevenlabs' && r.method === 'GET' && r.path === '/v1/workspace/members',
    );
    assert.ok(read0, 'the plan read the members');
    const asRead = structuredClone(read0.response);
    // Another runner makes the change; this apply's plan still reads the members as they were.
    const alan = el().members.find((m) => m.email.startsWith('alan.'));
    assert.ok(alan);
    alan.seat_type = 'workspace_admin';
    sandbox.emulator.queueAnswers({ status: 200, path: '/v1/workspace/members', body: asRead });
    const before = sandbox.emulator.requests.length;
    const applied = await cli(['apply', FILE, '--report', 'report.csv']);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    assert.match(
      applied.stdout,
      /~ line \d+: Change Alan <alan\.lovelace@example\.com> from Member to Workspace admin/,
      'planned from the stale read',
    );
    assert.match(
      read('report.csv'),
      /Change Alan .*,done,already in effect just before it was sent \(made since the plan\): not sent/,
    );
    const sent = sandbox.emulator.requests.slice(before).filter((r) => r.method !== 'GET');
    assert.deepEqual(sent, [], 'nothing was sent');
  });

  it('the check before each change costs a read per connection and per resource it touches, not one per change', async () => {
    const exported = await cli(['export', FILE]);
    assert.equal(exported.code, 0);
    const { text: granted, added: grants } = radiaEverywhere(read(FILE));
    const invitees = (prefix: string, role: string, n: number) =>
      Array.from({ length: n }, (_, i) => `      ${prefix}.${i}@example.com: ${role}`).join('\n');
    let text = edit(
      granted,
      /alan\.lovelace@example\.com: workspace_member # Alan/,
      `alan.lovelace@example.com: workspace_member # Alan\n${invitees('el', 'workspace_member', 40)}`,
    );
    text = edit(
      text,
      /alan\.lovelace@example\.com: edit # Alan Lovelace/,
      `alan.lovelace@example.com: edit\n${invitees('gb', 'read', 35)}`,
    );
    write(text);
    const gets = () => sandbox.emulator.requests.filter((r) => r.method === 'GET').length;
    const start = gets();
    const plan = await cli(['plan', FILE, '--json']);
    const changes = (JSON.parse(plan.stdout) as { changes: unknown[] }).changes.length;
    assert.equal(changes, grants + 75);
    assert.ok(changes >= 100, `about 100 changes (${changes})`);
    const planReads = gets() - start;
    const applied = await cli(['apply', FILE]);
    assert.equal(applied.code, 0, applied.stderr + applied.stdout);
    // The apply reads what the plan read, then its checks: the members once per connection with
    // invitations (ElevenLabs, GitBook), and each resource a grant touches once.
    const checks = gets() - start - 2 * planReads;
    assert.equal(checks, grants + 2, `${checks} reads checked ${changes} changes`);
  });

  it('a saved plan applied holds the connection locks, records its invitations in the state file, and is stale on any runner after', async () => {
    const text = edit(
      await withNewPerson(),
      /alan\.lovelace@example\.com: edit # Alan Lovelace/,
      'alan.lovelace@example.com: edit # Alan Lovelace\n      gb.new@example.com: read',
    );
    write(text);
    const planned = await cli(['plan', FILE, '--out', 'plan.json'], 'runner-a');
    assert.equal(planned.code, 2, planned.stderr);
    assert.match(planned.stderr, /Saved the plan \(2 change\(s\)\) to plan\.json/);
    const gbInvites = () =>
      sandbox.emulator.requests.filter((r) => r.platform === 'gitbook' && /\/orgs\/[^/]+\/invites$/.test(r.path));

    // The first apply of the saved plan reads live slowly (one request at a time), holding its locks meanwhile.
    sandbox.emulator.setFaults({ latencyMs: 100 });
    const first = startCli(['apply', 'plan.json', '--concurrency', '1'], sandbox.dir, {
      ...sandboxEnv(sandbox.emulator, sandbox.dir),
      WORKSPACE_ACCESS_STATE_DIR: at('runner-a'),
    });
    await until(() => locks().some((l) => l.startsWith('elevenlabs-')));
    const second = await cli(['apply', 'plan.json'], 'runner-b');
    sandbox.emulator.setFaults({ latencyMs: 0 });
    assert.equal(second.code, 1, second.stdout);
    assert.match(
      second.stderr,
      new RegExp(
        // The first of its locks in order: every connection of the file is locked, Confident AI's too.
        `Another apply of Confident AI "Sandbox Evals" is running from this repository \\(process ${first.child.pid}\\): it holds ${LOCKS_DIR}/confident-sandbox-evals-[0-9a-f]{8}\\.lock\\. Nothing was sent from this one\\.`,
      ),
    );
    const done = await first.done;
    assert.equal(done.code, 0, done.stderr + done.stdout);
    assert.match(done.stdout, /Updated workspace-access\.state\.json: commit it, so every runner plans from it\./);
    assert.deepEqual(locks(), [], 'the locks go with the apply');
    assert.equal(invitesSent().length, 1);
    assert.equal(gbInvites().length, 1);

    // Both invitations are in the state file, hashed: ElevenLabs and GitBook cannot list them.
    const state = read(STATE);
    assert.ok(!state.includes('@'), state);
    const parsed = JSON.parse(state) as {
      connections: Record<string, { invitations: Record<string, { status: string }> }>;
    };
    const GB = { platform: 'gitbook', name: 'org_sandbox' };
    assert.equal(
      parsed.connections['elevenlabs:elevenlabs'].invitations[emailHash(EL, 'el.new@example.com')].status,
      'sent',
    );
    assert.equal(
      parsed.connections['gitbook:org_sandbox'].invitations[emailHash(GB, 'gb.new@example.com')].status,
      'sent',
    );

    // A fresh runner has only the repository: its state file makes the saved plan's invitations stale, and nothing goes out again.
    const before = sandbox.emulator.requests.filter((r) => r.method !== 'GET').length;
    const again = await cli(['apply', 'plan.json'], 'runner-c');
    assert.equal(again.code, 4, again.stderr + again.stdout);
    assert.match(again.stderr, /The saved plan plan\.json is stale: live moved under 2 of its 2 change\(s\)/);
    for (const [needle, words] of [
      ['el.new@', 'Invite el\\.new@example\\.com as Member'],
      ['gb.new@', 'Invite gb\\.new@example\\.com as Read'],
    ])
      assert.match(again.stderr, new RegExp(`line ${lineOf(text, needle)}: ${words}: live moved since the plan`));
    assert.equal(sandbox.emulator.requests.filter((r) => r.method !== 'GET').length, before, 'nothing was sent');
    assert.equal(invitesSent().length + gbInvites().length, 2, 'each invitation went out once');
  });

  /** The locks held beside the access file now. */
  function locks(): string[] {
    const dir = at(LOCKS_DIR);
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.endsWith('.lock')) : [];
  }

  async function until(ready: () => boolean): Promise<void> {
    const deadline = Date.now() + 30_000;
    while (!ready() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(ready(), 'the state was reached');
  }

  /** Successful ElevenLabs writes, each counted: a write that took effect twice shows as 2. */
  function writeCounts(): number[] {
    const counts = new Map<string, number>();
    for (const w of sandbox.emulator.requests.filter(
      (r) => r.platform === 'elevenlabs' && r.method !== 'GET' && r.status < 300,
    )) {
      const key = `${w.method} ${w.path} ${JSON.stringify(w.body)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return [...counts.values()];
  }
});

/** The same value with every object's keys sorted. */
function sortedKeys(v: unknown): unknown {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortedKeys((v as Record<string, unknown>)[k])]),
  );
}
