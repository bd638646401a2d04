import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { runJob } from '../../src/core/jobs/engine';
import { ReachIndex, buildIndex, type IndexData } from '../../src/core/people/reachIndex';
import { changeKey, type ChangeItem } from '../../src/core/changes/change';
import { changeTask } from '../../src/core/changes/task';
import { readPerson, type PersonHere } from '../../src/core/people/person';
import { copyPlan, offboardPlan } from '../../src/core/people/plans';
import type { Provider } from '../../src/core/provider';
import { ConfidentProvider } from '../../src/providers/confident/provider';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { GitBookProvider } from '../../src/providers/gitbook/provider';
import { loadContract } from '../contract/contract';
import { Emulator } from '../emulator/server';
import { clientFor, type TestClient } from './helpers';

/** People index 5 of the seed: a member everywhere, with direct shares on ElevenLabs and a project on Confident AI. */
const DONALD = 'Donald.Lovelace@example.com';

describe('people across connections, against the emulator', () => {
  let emulator: Emulator;
  let clients: TestClient[];
  let providers: Record<'el' | 'gb' | 'ca', Provider>;
  let index: ReachIndex;
  before(async () => (emulator = await Emulator.start()));
  after(() => emulator.close());
  beforeEach(async () => {
    emulator.reset();
    clients = (['elevenlabs', 'gitbook', 'confident'] as const).map((p) => clientFor(emulator, p));
    providers = {
      el: new ElevenLabsProvider(clients[0].client),
      gb: new GitBookProvider(clients[1].client, 'org_sandbox'),
      ca: new ConfidentProvider(clients[2].client),
    };
    index = new ReachIndex();
    const built = await buildIndex(providers.el.sharing!, index, { concurrency: 8 });
    assert.equal(built.failed, 0);
  });
  afterEach(async () => {
    for (const platform of ['elevenlabs', 'gitbook', 'confident'] as const)
      assert.deepEqual(loadContract(platform).checkAll(emulator.requests.filter((r) => r.platform === platform)), []);
    for (const c of clients) await c.transport.close();
  });
  const read = (which: keyof typeof providers, email = DONALD): Promise<PersonHere> =>
    readPerson(providers[which], email, {
      concurrency: 8,
      index: which === 'el' ? index : undefined,
      identity: undefined,
    });

  it('indexes every ElevenLabs resource, and answers what a member reaches and why, as the emulator holds it', async () => {
    const st = emulator.state('elevenlabs');
    assert.equal(index.size, st.resources.length);
    assert.ok(index.complete && index.builtAt);
    const here = await read('el', DONALD.toUpperCase());
    const me = st.members.find((m) => m.email.toLowerCase() === DONALD.toLowerCase())!;
    assert.equal(here.member?.id, me.user_id);
    const myGroups = st.groups.filter((g) => g.members.includes(me.email));
    assert.deepEqual(here.groups.map((g) => g.group.id).sort(), myGroups.map((g) => g.id).sort());
    const holders = new Set([me.user_id, 'default', ...myGroups.map((g) => g.id)]);
    const expected = st.resources.filter((r) =>
      Object.values(r.roles).some((ids) => ids.some((id) => holders.has(id))),
    );
    assert.deepEqual(here.reach.map((r) => r.resource.id).sort(), expected.map((r) => r.id).sort());
    // The commenter share to this member is direct; the default's viewer is the default; the group's editor is named.
    const direct = here.reach.find((r) =>
      st.resources.find((x) => x.id === r.resource.id)!.roles.commenter.includes(me.user_id),
    )!;
    assert.ok(direct.sources.some((s) => s.kind === 'direct' && s.role === 'commenter'));
    const byDefault = here.reach.find((r) => r.sources.length === 1 && r.sources[0].kind === 'default')!;
    assert.equal(byDefault.role, 'viewer');
    for (const r of here.reach)
      assert.equal(r.role, r.sources[0].role, 'the strongest reason comes first and decides the role');
    assert.deepEqual(here.index !== 'none' && here.index?.complete, true);
  });

  it('keeps a partial index when a build is cancelled, and stores it as plain JSON without emails', async () => {
    const partial = new ReachIndex();
    const controller = new AbortController();
    let seen = 0;
    const built = await buildIndex(providers.el.sharing!, partial, {
      concurrency: 2,
      signal: controller.signal,
      onProgress: (done) => (seen = done) >= 10 && controller.abort(),
    });
    assert.equal(built.cancelled, true);
    assert.equal(partial.complete, false);
    assert.ok(
      partial.size >= 10 && partial.size < emulator.state('elevenlabs').resources.length,
      `partial index of ${partial.size}`,
    );
    assert.ok(seen >= 10);
    const restored = ReachIndex.from(JSON.parse(JSON.stringify(partial.toJSON())) as IndexData);
    assert.equal(restored.size, partial.size);
    assert.equal(
      JSON.stringify(partial.toJSON()).includes('@'),
      false,
      'the index keeps ids and group names, no emails',
    );
  });

  it('GitBook: the spaces a member reaches from the per-member endpoint, each with why, and their teams with the team role', async () => {
    const st = emulator.state('gitbook');
    const here = await read('gb', 'edsger.lovelace@example.com');
    const me = st.members.find((m) => m.user.email === 'edsger.lovelace@example.com')!;
    const teams = st.teams.filter((t) => t.members.has(me.user.id));
    assert.deepEqual(
      here.groups.map((g) => [g.group.id, g.role]).sort(),
      teams.map((t) => [t.id, t.members.get(me.user.id)]).sort(),
    );
    assert.deepEqual(here.reachCovers, ['space']);
    const direct = here.reach.filter((r) => r.sources.some((s) => s.kind === 'direct' && s.role === 'edit'));
    const expected = st.content.filter((c) => c.kind === 'space' && c.users.get(me.user.id) === 'edit');
    assert.ok(expected.length > 0);
    assert.deepEqual(direct.map((r) => r.resource.id).sort(), expected.map((c) => c.id).sort());
    for (const r of here.reach) assert.ok(r.sources.length > 0, `${r.resource.name} has a reason`);
  });

  it('Confident AI: projects with the project role, and pending invitations for someone not yet a member', async () => {
    const here = await read('ca');
    assert.deepEqual(
      here.projects.map((p) => [p.project.id, p.member?.roleLabel]),
      [['clq000003proj', 'Member']],
    );
    const pending = await read('ca', 'pending.person@example.com');
    assert.equal(pending.member, undefined);
    assert.deepEqual(
      pending.invitations?.map((i) => i.email),
      ['pending.person@example.com'],
    );
    assert.equal(
      (await read('el', 'pending.person@example.com')).invitations,
      undefined,
      'ElevenLabs cannot list invitations',
    );
  });

  it('offboards one person across three connections in one job; a second run sends nothing again', async () => {
    const ids = { el: 'c-el', gb: 'c-gb', ca: 'c-ca' } as const;
    const byId: Record<string, Provider> = { [ids.el]: providers.el, [ids.gb]: providers.gb, [ids.ca]: providers.ca };
    const plans = await Promise.all(
      (['el', 'gb', 'ca'] as const).map(async (w) => offboardPlan(ids[w], providers[w], await read(w), false)),
    );
    const items: ChangeItem[] = plans.flatMap((p) =>
      p.changes.filter((c) => c.checked).map((c) => ({ connectionId: c.connectionId, change: c.change })),
    );
    const ops = items.map((i) => `${i.connectionId}:${i.change.op}`);
    assert.ok(
      ops.includes('c-el:set-locked') &&
        ops.includes('c-el:revoke') &&
        ops.includes('c-gb:remove-member') &&
        ops.includes('c-ca:remove-member'),
      ops.join(' '),
    );
    assert.ok(!ops.includes('c-el:remove-member'), 'ElevenLabs locks; it has no member removal');
    const writesBefore = emulator.requests.filter((r) => r.method !== 'GET').length;
    const { outcomes } = await runJob(
      items,
      changeTask((id) => byId[id]),
      { maxConcurrency: 6 },
    );
    assert.deepEqual(
      outcomes.filter((o) => o.status !== 'done').map((o) => `${changeKey(o.item)}: ${'reason' in o ? o.reason : ''}`),
      [],
    );
    const writes = emulator.requests.filter((r) => r.method !== 'GET').length - writesBefore;
    assert.equal(writes, items.length, 'one write per change');
    const el = emulator.state('elevenlabs');
    const me = el.members.find((m) => m.email.toLowerCase() === DONALD.toLowerCase())!;
    assert.equal(me.is_locked, true);
    assert.equal(el.groups.filter((g) => g.name !== 'Everyone' && g.members.includes(me.email)).length, 0);
    assert.equal(el.resources.filter((r) => r.roles.commenter.includes(me.user_id)).length, 0);
    assert.equal(
      emulator.state('gitbook').members.some((m) => m.user.email?.toLowerCase() === DONALD.toLowerCase()),
      false,
    );
    // A resumed run (every item "sending" in the journal) checks each one and sends nothing.
    const prior = new Map(items.map((i) => [changeKey(i), 'sending' as const]));
    const again = emulator.requests.filter((r) => r.method !== 'GET').length;
    const resumed = await runJob(
      items,
      changeTask((id) => byId[id]),
      { maxConcurrency: 6, prior },
    );
    assert.equal(resumed.outcomes.filter((o) => o.status === 'done').length, items.length);
    assert.equal(emulator.requests.filter((r) => r.method !== 'GET').length, again, 'nothing sent twice');
  });

  it("never offboards the key's own account, and the owner or the last admin start unticked", async () => {
    const self = await readPerson(providers.el, 'ada.lovelace@example.com', {
      concurrency: 4,
      index,
      identity: await providers.el.whoAmI(),
    });
    assert.equal(self.self, true);
    const plan = offboardPlan('c', providers.el, self, false);
    assert.deepEqual(plan.changes, []);
    assert.deepEqual(
      plan.omissions.map((o) => o.why),
      ['self'],
    );
    const owner = await read('ca', 'ada.lovelace@example.com');
    const ownerPlan = offboardPlan('c', providers.ca, owner, false);
    assert.deepEqual(
      ownerPlan.changes.map((c) => [c.change.op, c.checked, c.caution]),
      [['remove-member', false, 'owner']],
    );
    const admin = await read('gb', 'grace.lovelace@example.com');
    assert.deepEqual(
      offboardPlan('c', providers.gb, admin, true).changes.map((c) => [c.checked, c.caution]),
      [[false, 'last-admin']],
    );
  });

  it('copies access to someone new: an invitation with the same seat and groups, and the shares wait as follow-ups', async () => {
    const from = await read('el');
    const to = await read('el', 'new.hire@example.com');
    const plan = copyPlan('c', providers.el, from, to);
    const invite = plan.changes.find((c) => c.change.op === 'invite')!.change;
    assert.ok(invite.op === 'invite');
    assert.equal(invite.role, from.member?.role);
    assert.deepEqual(
      invite.groups?.map((g) => g.id).sort(),
      from.groups
        .filter((g) => !g.group.system)
        .map((g) => g.group.id)
        .sort(),
    );
    assert.ok(plan.followUps.length > 0 && plan.followUps.every((f) => f.change.op === 'grant'));
    const { outcomes } = await runJob(
      plan.changes.map((c) => ({ connectionId: 'c', change: c.change })),
      changeTask(() => providers.el),
      { maxConcurrency: 2 },
    );
    assert.deepEqual(
      outcomes.map((o) => o.status),
      ['done'],
    );
    assert.ok(emulator.state('elevenlabs').invites.has('new.hire@example.com'));
    // They joined: the follow-ups now run, each share set as the colleague's.
    const st = emulator.state('elevenlabs');
    st.members.push({
      user_id: 'usr_newhire',
      email: 'new.hire@example.com',
      first_name: 'New',
      seat_type: 'workspace_member',
      is_owner: false,
      is_locked: false,
    });
    providers.el.invalidate();
    const done = await runJob(
      plan.followUps.map((c) => ({ connectionId: 'c', change: c.change })),
      changeTask(() => providers.el),
      { maxConcurrency: 4 },
    );
    assert.deepEqual(
      done.outcomes.filter((o) => o.status !== 'done'),
      [],
    );
    for (const f of plan.followUps)
      if (f.change.op === 'grant')
        assert.ok(
          st.resources
            .find((r) => r.id === (f.change as { resource: { id: string } }).resource.id)!
            .roles[f.change.role as 'viewer'].includes('usr_newhire'),
        );
  });

  it('copies access between members on GitBook and Confident AI: teams with their role, direct grants, projects', async () => {
    const fromGb = await read('gb', 'edsger.lovelace@example.com');
    const toGb = await read('gb', 'ken.lovelace@example.com');
    const gbPlan = copyPlan('c', providers.gb, fromGb, toGb);
    assert.equal(gbPlan.followUps.length, 0);
    const { outcomes } = await runJob(
      gbPlan.changes.map((c) => ({ connectionId: 'c', change: c.change })),
      changeTask(() => providers.gb),
      { maxConcurrency: 4 },
    );
    assert.deepEqual(
      outcomes.filter((o) => o.status !== 'done'),
      [],
    );
    const after = await read('gb', 'ken.lovelace@example.com');
    for (const g of fromGb.groups)
      assert.equal(
        after.groups.find((x) => x.group.id === g.group.id)?.role,
        g.role,
        `team ${g.group.name} with its role`,
      );
    const fromCa = await read('ca');
    const caPlan = copyPlan('c', providers.ca, fromCa, await read('ca', 'ken.lovelace@example.com'));
    assert.deepEqual(
      caPlan.changes.map((c) => c.change.op),
      ['join-project'],
    );
    await runJob(
      caPlan.changes.map((c) => ({ connectionId: 'c', change: c.change })),
      changeTask(() => providers.ca),
      { maxConcurrency: 2 },
    );
    const invited = await read('ca', 'ken.lovelace@example.com');
    assert.deepEqual(
      invited.projects.map((p) => [p.project.id, p.invitation?.status]),
      [['clq000003proj', 'pending']],
    );
  });
});
