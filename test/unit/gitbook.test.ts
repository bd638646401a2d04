import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { GitBookProvider } from '../../src/providers/gitbook/provider';
import { loadContract } from '../contract/contract';
import { Emulator } from '../emulator/server';
import { emulatorState } from '../shared/emulatorState';
import { clientFor, failure, type TestClient } from './helpers';

const contract = loadContract('gitbook');

describe('GitBook provider against the emulator', () => {
  let emulator: Emulator;
  let t: TestClient;
  let gb: GitBookProvider;
  const ORG = 'org_sandbox';
  before(async () => (emulator = await Emulator.start()));
  after(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    t = clientFor(emulator, 'gitbook');
    gb = new GitBookProvider(t.client, ORG);
  });
  afterEach(async () => {
    assert.deepEqual(contract.checkAll(emulator.requests), []);
    await t.transport.close();
  });
  const { gb: st } = emulatorState(() => emulator);
  const asReader = () =>
    new GitBookProvider(
      clientFor(emulator, 'gitbook', { apiKey: () => emulator.platform('gitbook').keys.reader }).client,
      ORG,
    );

  it('lists the organizations the token sees, and says whether it is an admin there', async () => {
    assert.deepEqual(await gb.listTenants(), [{ id: ORG, name: 'Sandbox Docs' }]);
    assert.deepEqual(await gb.whoAmI(), {
      name: 'Ada Lovelace',
      email: 'ada.lovelace@example.com',
      userId: st().members[0].user.id,
      detail: 'Sandbox Docs · admin',
      isAdmin: true,
    });
    assert.equal((await asReader().whoAmI()).isAdmin, false);
  });

  it('with the account a stored connection remembers, reads only the organization (one request), and a refused key still fails', async () => {
    const before = emulator.requests.length;
    const known = new GitBookProvider(clientFor(emulator, 'gitbook').client, ORG, {
      name: 'Ada Lovelace',
      email: 'ada.lovelace@example.com',
    });
    assert.deepEqual(await known.whoAmI(), {
      name: 'Ada Lovelace',
      email: 'ada.lovelace@example.com',
      detail: 'Sandbox Docs · admin',
      isAdmin: true,
    });
    assert.deepEqual(
      emulator.requests.slice(before).map((r) => r.path),
      [`/orgs/${ORG}`],
    );
    const refused = new GitBookProvider(clientFor(emulator, 'gitbook', { apiKey: () => 'gb_wrong' }).client, ORG, {
      name: 'Ada Lovelace',
    });
    await assert.rejects(refused.whoAmI(), (err: { status?: number }) => err.status === 401);
  });

  it('pages members with the page token, and maps guest and disabled', async () => {
    const large = await Emulator.start({ size: 'large' });
    try {
      const big = new GitBookProvider(clientFor(large, 'gitbook').client, ORG);
      const first = await big.listMembersPage();
      assert.equal(first.items.length, 100);
      assert.ok(first.next);
      const second = await big.listMembersPage(first.next);
      assert.notEqual(second.items[0].id, first.items[0].id);
      assert.equal(large.requests.length, 2, 'one request per page');
      assert.deepEqual(contract.checkAll(large.requests), []);
    } finally {
      await large.close();
    }
    const members = await gb.listMembers();
    assert.equal(members.length, 12);
    assert.equal(members[5].role, 'guest');
    assert.equal(members[5].roleLabel, 'Guest');
  });

  it('searches members on the server', async () => {
    const found = await gb.searchMembers('grace');
    assert.deepEqual(
      found.map((m) => m.email),
      ['grace.lovelace@example.com'],
    );
    assert.equal(emulator.requests.at(-1)?.query, '?limit=100&search=grace');
  });

  it('changes a member role (guest is null on the wire) and refuses a reader', async () => {
    const [, , alan] = await gb.listMembers();
    await gb.setMemberRole(alan, 'guest');
    assert.equal(st().members[2].role, null);
    assert.deepEqual(emulator.requests.at(-1)?.body, { role: null });
    await gb.setMemberRole(alan, 'review');
    assert.equal(st().members[2].role, 'review');
    assert.equal((await failure(asReader().setMemberRole(alan, 'admin'))).status, 403);
  });

  it('tells removed (205), not there (204) and request sent to admins (202) apart', async () => {
    const members = await gb.listMembers();
    assert.equal(await asReader().removeMember(members[3]), 'requested');
    assert.equal(st().members.length, 12);
    assert.equal(await gb.removeMember(members[3]), 'removed');
    assert.equal(await gb.removeMember(members[3]), 'not-there');
  });

  it('creates (PUT), renames and deletes teams; adds and removes members by email', async () => {
    const team = await gb.createGroup('Docs Writers');
    assert.equal(emulator.requests.at(-1)?.method, 'PUT');
    await gb.renameGroup(team.id, 'Writers');
    await gb.addToGroup(team.id, 'grace.lovelace@example.com');
    assert.deepEqual(
      (await gb.listGroupMembers(team.id)).map((m) => m.email),
      ['grace.lovelace@example.com'],
    );
    await gb.removeFromGroup(team.id, 'grace.lovelace@example.com');
    assert.deepEqual(await gb.listGroupMembers(team.id), []);
    assert.equal(await gb.deleteGroup(team.id), 'removed');
    assert.equal(await gb.deleteGroup(team.id), 'not-there');
    assert.equal((await failure(gb.addToGroup('team_000000', 'stranger@example.org'))).status, 400);
  });

  it('invites emails in one call with a role, and reports failed SSO emails', async () => {
    const report = await gb.inviteMembers(['new@example.com', 'x@other-org.example'], { seat: 'comment', sso: true });
    assert.deepEqual(report, { failedSSOEmails: ['x@other-org.example'] });
    assert.deepEqual(st().invited.get('new@example.com'), { role: 'comment', sso: true });
    assert.equal(emulator.requests.filter((r) => r.path.endsWith('/invites')).length, 1);
  });

  it('lists spaces, collections and sites with their default level, and reads their grants', async () => {
    for (const type of gb.resourceTypes) {
      const page = await gb.listResources(type.id);
      assert.ok(page.items.length > 0, type.id);
      assert.ok(
        page.items.every((r) => r.canShare === true && r.webUrl?.startsWith('https://app.gitbook.com/')),
        type.id,
      );
    }
    const spaces = await gb.listResources('space');
    const withTeam = spaces.items.find((s) => st().content.find((c) => c.id === s.id)!.teams.size > 0)!;
    const access = await gb.access(withTeam);
    const summary = access.grants.map(
      (g) => `${g.principal.kind}:${g.principal.name}=${g.role}${g.fixed ? ' (fixed)' : ''}`,
    );
    assert.ok(
      summary.some((x) => x.startsWith('group:Support=comment')),
      summary.join(),
    );
    assert.ok(
      summary.some((x) => x.startsWith('default:Organization default=')),
      summary.join(),
    );
  });

  it('lists, creates, edits and deletes invite links of every shape', async () => {
    const links = await gb.listInviteLinks();
    assert.deepEqual(
      links.map((l) => `${l.target.kind}:${l.role}`),
      ['organization:read', 'organization:guest', 'space:comment'],
    );
    const [space] = (await gb.listResources('space')).items;
    const [collection] = (await gb.listResources('collection')).items;
    const org = await gb.createInviteLink({ kind: 'organization' }, 'edit');
    const toSpace = await gb.createInviteLink({ kind: 'space', id: space.id, name: space.name }, 'guest');
    const toCollection = await gb.createInviteLink(
      { kind: 'collection', id: collection.id, name: collection.name },
      'read',
    );
    assert.deepEqual(
      [org.target.kind, toSpace.target.kind, toSpace.role, toCollection.target.kind],
      ['organization', 'space', 'guest', 'collection'],
    );
    assert.equal((await gb.updateInviteLink(toSpace, 'review')).role, 'review');
    assert.deepEqual(emulator.requests.at(-1)?.body, { level: 'review' });
    assert.equal((await gb.updateInviteLink(org, 'comment')).role, 'comment');
    assert.equal(await gb.deleteInviteLink(org), 'removed');
    assert.equal(await gb.deleteInviteLink(org), 'not-there');
    assert.equal(st().links.length, 5);
  });

  it("sets a team member's team role", async () => {
    const [member] = await gb.listGroupMembers('team_000000');
    await gb.setGroupRole('team_000000', member, 'member');
    assert.equal(st().teams[0].members.get(member.id), 'member');
  });

  it('reads effective access from every source, with the origin on sites', async () => {
    for (const kind of ['space', 'collection', 'site'] as const) {
      const [r] = (await gb.listResources(kind)).items;
      const rows = await gb.effectiveAccess(r);
      assert.ok(
        rows.some((x) => x.principal.id === 'gbu_000000' && x.role === 'admin'),
        kind,
      );
      if (kind === 'site')
        assert.ok(
          rows.every((x) => x.sources.length === 1),
          'sites say where each level comes from',
        );
      assert.ok(
        rows.every((x) => x.sources.length > 0),
        `${kind}: every row says why`,
      );
    }
  });

  it('works out why each person reaches a space: direct, a team, the default, the organization role', async () => {
    const [r] = (await gb.listResources('space')).items;
    const c = st().content.find((x) => x.id === r.id)!;
    const team = st().teams[0];
    const [inTeam] = [...team.members.keys()];
    const direct = st().members.find((m) => m.role !== 'admin' && m.user.id !== inTeam)!;
    const [before, teamBefore, levelBefore] = [new Map(c.users), new Map(c.teams), c.defaultLevel];
    try {
      c.users.set(direct.user.id, 'edit');
      c.teams.set(team.id, 'review');
      c.defaultLevel = 'read';
      const resource = (await gb.listResources('space')).items.find((x) => x.id === r.id)!;
      const rows = await gb.effectiveAccess(resource);
      const why = (id: string) => rows.find((x) => x.principal.id === id)?.sources;
      assert.deepEqual(why(direct.user.id), [
        { kind: 'direct', role: 'edit' },
        { kind: 'default', role: 'read' },
      ]);
      assert.deepEqual(
        why(inTeam)?.find((x) => x.kind === 'group'),
        { kind: 'group', name: team.title, role: 'review' },
      );
      assert.deepEqual(why('gbu_000000')?.[0], { kind: 'organization', role: 'admin' }, 'the strongest reason first');
    } finally {
      c.users = before;
      c.teams = teamBefore;
      c.defaultLevel = levelBefore;
    }
  });

  it('grants, changes and revokes users and teams on every content kind', async () => {
    for (const kind of ['space', 'collection', 'site'] as const) {
      const [r] = (await gb.listResources(kind)).items;
      const c = st().content.find((x) => x.id === r.id)!;
      const grace = { kind: 'user' as const, id: 'gbu_000001', name: 'Grace' };
      const team = { kind: 'group' as const, id: 'team_000002', name: 'Research' };
      await gb.share(r, grace, 'read');
      await gb.share(r, team, 'edit');
      await gb.changeRole(r, grace, 'review');
      assert.deepEqual([c.users.get('gbu_000001'), c.teams.get('team_000002')], ['review', 'edit'], kind);
      assert.equal(await gb.unshare(r, grace), 'removed');
      assert.equal(await gb.unshare(r, team), 'removed');
      assert.ok(!c.users.has('gbu_000001') && !c.teams.has('team_000002'));
      assert.equal(await gb.unshare(r, team), 'not-there');
    }
    await assert.rejects(
      gb.share({ id: 'x', type: 'space' }, { kind: 'default', id: 'default', name: 'Default' }, 'read'),
      /default level is changed in GitBook/,
    );
  });
});

describe('GitBook rate limits', () => {
  it('waits for X-RateLimit-Reset when the window is used up, instead of earning a 429', async () => {
    const emulator = await Emulator.start();
    try {
      const gb = emulator.state('gitbook');
      gb.rateLimit.limit = 3;
      gb.rateLimit.windowMs = 1_000;
      const waits: number[] = [];
      const t = clientFor(emulator, 'gitbook', {
        // Record each wait, and really wait: the window must pass.
        sleep: (ms) => (waits.push(ms), new Promise((r) => setTimeout(r, ms))),
      });
      const provider = new GitBookProvider(t.client, 'org_sandbox');
      for (let i = 0; i < 5; i++) await provider.listTenants();
      assert.deepEqual(
        emulator.requests.map((r) => r.status),
        [200, 200, 200, 200, 200],
        'no request was refused',
      );
      assert.equal(waits.length, 1, 'one wait, when Remaining reached 0');
      // Reset is in whole epoch seconds, so the wait runs to the second after the window ends.
      assert.ok(waits[0] > 0 && waits[0] <= 2_000, `waited ${waits[0]} ms`);
      assert.equal(emulator.requests.at(-1)?.status, 200);
      assert.deepEqual(contract.checkAll(emulator.requests), []);
      await t.transport.close();
    } finally {
      await emulator.close();
    }
  });

  it('retries a 429 at X-RateLimit-Reset when the window was used up elsewhere', async () => {
    const emulator = await Emulator.start();
    try {
      const gb = emulator.state('gitbook');
      gb.rateLimit.limit = 1;
      gb.rateLimit.windowMs = 1_000;
      gb.rateLimit.windowStart = Date.now();
      gb.rateLimit.used = 1; // another client used it
      const waits: number[] = [];
      const t = clientFor(emulator, 'gitbook', {
        sleep: (ms) => (waits.push(ms), new Promise((r) => setTimeout(r, ms))),
      });
      await new GitBookProvider(t.client, 'org_sandbox').listTenants();
      assert.deepEqual(
        emulator.requests.map((r) => r.status),
        [429, 200],
      );
      assert.ok(waits[0] > 0 && waits[0] <= 2_000, `waited ${waits[0]} ms for the reset (whole seconds)`);
      await t.transport.close();
    } finally {
      await emulator.close();
    }
  });
});
