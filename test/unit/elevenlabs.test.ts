import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import type { Principal } from '../../src/core/model';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { PRINCIPAL_CAP } from '../../src/providers/elevenlabs/sharing';
import { loadContract } from '../contract/contract';
import { Emulator } from '../emulator/server';
import { emulatorState } from '../shared/emulatorState';
import { clientFor, failure, type TestClient } from './helpers';

const contract = loadContract('elevenlabs');

describe('ElevenLabs provider against the emulator', () => {
  let emulator: Emulator;
  let t: TestClient;
  let el: ElevenLabsProvider;
  before(async () => (emulator = await Emulator.start()));
  after(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    t = clientFor(emulator, 'elevenlabs');
    el = new ElevenLabsProvider(t.client);
  });
  afterEach(async () => {
    // Every request the client sent, and every answer, keeps to the official spec.
    assert.deepEqual(contract.checkAll(emulator.requests), []);
    await t.transport.close();
  });

  const { el: st } = emulatorState(() => emulator);
  const asMember = () =>
    new ElevenLabsProvider(
      clientFor(emulator, 'elevenlabs', { apiKey: () => emulator.platform('elevenlabs').keys.member }).client,
    );

  it('lists members with seat type, lock and owner', async () => {
    const members = await el.listMembers();
    assert.equal(members.length, 12);
    assert.deepEqual(members[0], {
      id: 'usr_000000',
      email: 'ada.lovelace@example.com',
      name: 'Ada',
      role: 'workspace_admin',
      roleLabel: 'Workspace admin',
      locked: false,
      owner: true,
    });
    assert.equal(members.filter((m) => m.locked).length, st().members.filter((m) => m.is_locked).length);
    assert.equal(members[4].roleLabel, 'Lite member');
  });

  it('lists groups (Everyone is system-managed) and searches them on the server', async () => {
    const groups = await el.listGroups();
    assert.equal(groups.length, 5);
    assert.equal(groups[0].name, 'Everyone');
    assert.equal(groups[0].system, true);
    assert.equal(groups[0].memberEmails.length, 12);
    const found = await el.searchGroups('sup');
    assert.deepEqual(
      found.map((g) => g.name),
      ['Support'],
    );
    assert.equal(emulator.requests.at(-1)?.query, '?name=sup');
  });

  it('changes seat type and locks and unlocks by email', async () => {
    await el.setSeatType('alan.lovelace@example.com', 'workspace_lite_member');
    await el.setLocked('alan.lovelace@example.com', true);
    const alan = st().members[2];
    assert.equal(alan.seat_type, 'workspace_lite_member');
    assert.equal(alan.is_locked, true);
    await el.setLocked('alan.lovelace@example.com', false);
    assert.equal(alan.is_locked, false);
  });

  it('refuses admin writes to a member seat with a 403, and names a 422 field', async () => {
    const err = await failure(asMember().setLocked('ada.lovelace@example.com', true));
    assert.equal(err.status, 403);
    assert.match(err.message, /Only workspace admins can update members/);
    const bad = await failure(el.setSeatType('ada.lovelace@example.com', 'owner'));
    assert.equal(bad.status, 422);
    assert.deepEqual(bad.details[0].loc, ['body', 'workspace_seat_type']);
    // That request broke the spec on purpose: the contract check must say so, naming the field.
    const sent = emulator.requests.pop()!;
    assert.match(
      contract.check(sent).join(),
      /request body: \/workspace_seat_type must be equal to one of the allowed values/,
    );
  });

  it('adds to and removes from a group; Everyone cannot be edited', async () => {
    const support = st().groups[1];
    const outsider = st().members.find((m) => !support.members.includes(m.email))!;
    await el.addToGroup(support.id, outsider.email);
    assert.ok(support.members.includes(outsider.email));
    await el.removeFromGroup(support.id, outsider.email);
    assert.ok(!support.members.includes(outsider.email));
    const err = await failure(el.addToGroup('grp_everyone', outsider.email));
    assert.equal(err.status, 400);
  });

  it('invites one, refuses an existing member with a 400, and revokes by email', async () => {
    await el.invite('new.person@example.com', { seat_type: 'workspace_member', group_ids: ['grp_000001'] });
    assert.deepEqual(st().invites.get('new.person@example.com'), {
      seat_type: 'workspace_member',
      group_ids: ['grp_000001'],
    });
    const err = await failure(el.invite('ada.lovelace@example.com', {}));
    assert.equal(err.status, 400);
    assert.match(err.message, /already a member/);
    await el.revokeInvite('new.person@example.com');
    assert.equal(st().invites.size, 0);
    assert.equal((await failure(el.revokeInvite('nobody@example.com'))).status, 404);
  });

  it('bulk-invites on a verified domain and refuses an unverified one, naming it', async () => {
    await el.inviteBulk(['a@example.com', 'b@example.com'], { seat_type: 'workspace_lite_member' });
    assert.equal(st().invites.size, 2);
    const err = await failure(el.inviteBulk(['c@example.com', 'd@elsewhere.org'], {}));
    assert.equal(err.status, 400);
    assert.equal(err.code, 'domain_not_verified');
    assert.match(err.message, /elsewhere\.org/);
    assert.equal(st().invites.size, 2, 'nothing from a refused bulk call');
  });

  it('lists service accounts with their keys', async () => {
    const accounts = await el.listServiceAccounts();
    assert.deepEqual(
      accounts.map((a) => [a.name, a.keys.map((k) => k.id)]),
      [
        ['CI Bot', ['key_000000']],
        ['Support Automation', ['key_000001']],
      ],
    );
  });

  it('lists each shareable type through its own pagination', async () => {
    for (const type of el.resourceTypes) {
      const page = await el.listResources(type.id);
      assert.equal(page.items.length, 4, type.id);
      assert.ok(
        page.items.every((r) => r.type === type.id && r.name),
        type.id,
      );
      // Every list but dubbing, phone numbers and secrets says the caller's role; the admin key is admin on everything.
      const silent = ['dubbing', 'convai_phone_numbers', 'convai_secrets'].includes(type.id);
      assert.deepEqual([...new Set(page.items.map((r) => r.myRole))], [silent ? undefined : 'admin'], type.id);
      assert.equal(page.next, undefined);
    }
  });

  it('pages through large lists one page per request, without gaps or repeats', async () => {
    const large = await Emulator.start({ size: 'large' });
    try {
      const big = new ElevenLabsProvider(clientFor(large, 'elevenlabs').client);
      for (const typeId of [
        'voice',
        'convai_agents',
        'pronunciation_dictionary',
        'dubbing',
        'convai_knowledge_base_documents',
        'convai_tools',
        'convai_secrets',
      ]) {
        const first = await big.listResources(typeId);
        assert.equal(first.items.length, 100);
        assert.ok(first.next);
        const ids = new Set(first.items.map((r) => r.id));
        let token: string | undefined = first.next;
        let pages = 1;
        while (token) {
          const page = await big.listResources(typeId, token);
          for (const r of page.items) ids.add(r.id);
          token = page.next;
          pages++;
        }
        assert.equal(ids.size, 2_000, typeId);
        assert.equal(pages, 20);
      }
      assert.deepEqual(contract.checkAll(large.requests), []);
    } finally {
      await large.close();
    }
  });

  it("reads a resource's grants: creator, groups, the workspace default and link access", async () => {
    const r = st().resources.find((x) => x.roles.viewer.includes('default') && x.anonymous)!;
    const access = await el.access({ id: r.id, type: r.type });
    const summary = access.grants.map(
      (g) => `${g.principal.kind}:${g.principal.name}=${g.role}${g.fixed ? ' (fixed)' : ''}`,
    );
    assert.ok(summary[0].endsWith('=admin (fixed)'), 'the creator comes first, fixed');
    assert.ok(summary.includes('default:Everyone in the workspace (default)=viewer'));
    assert.ok(summary.includes('anonymous:Anyone with the link=viewer (fixed)'));
    assert.equal(access.cap, PRINCIPAL_CAP);
    // Who could be given a role: the directory the share picker offers (service accounts by their key).
    assert.ok(
      [...(await el.principals()).values()].some((c) => c.kind === 'serviceAccount' && c.keyId === 'key_000000'),
    );
  });

  it('shares to a user, a group, a service-account key and the default; a share replaces the role', async () => {
    const r = st().resources[1];
    const directory = await el.principals();
    const alan = directory.get('usr_000002')!;
    await el.share(r, alan, 'viewer');
    await el.share(r, alan, 'editor');
    assert.deepEqual([r.roles.viewer.includes('usr_000002'), r.roles.editor.includes('usr_000002')], [false, true]);
    await el.share(r, directory.get('grp_000002')!, 'commenter');
    await el.share(r, directory.get('sa_000000')!, 'viewer');
    await el.share(r, directory.get('default')!, 'viewer');
    assert.ok(
      r.roles.commenter.includes('grp_000002') &&
        r.roles.viewer.includes('sa_000000') &&
        r.roles.viewer.includes('default'),
    );
    await el.unshare(r, alan);
    assert.ok(!Object.values(r.roles).flat().includes('usr_000002'));
    const bodies = emulator.requests.filter((x) => x.path.endsWith('/share')).map((x) => x.body);
    assert.deepEqual(bodies[3], { workspace_api_key_id: 'key_000000', role: 'viewer', resource_type: r.type });
    assert.deepEqual(bodies[4], { group_id: 'default', role: 'viewer', resource_type: r.type });
  });

  it("keeps the creator's admin and enforces the principal cap", async () => {
    const r = st().resources[0];
    const directory = await el.principals();
    const creator = directory.get(r.creator_user_id)!;
    assert.equal((await failure(el.unshare(r, creator))).code, 'creator_access_protected');
    assert.equal((await failure(el.share(r, creator, 'viewer'))).status, 400);
    // Fill the resource up to the cap with made-up principals, then one more real one.
    for (let i = 0; Object.values(r.roles).flat().length < PRINCIPAL_CAP; i++) r.roles.viewer.push(`usr_fake_${i}`);
    const err = await failure(el.share(r, directory.get('usr_000003')!, 'viewer'));
    assert.equal(err.code, 'share_limit_reached');
    assert.match(err.message, /100 principals/);
  });

  it('cannot address link access or a service account without a key', async () => {
    const r = st().resources[0];
    const keyless: Principal = { kind: 'serviceAccount', id: 'sa_x', name: 'No Keys' };
    await assert.rejects(el.share(r, keyless, 'viewer'), /has no API key/);
    await assert.rejects(
      el.share(r, { kind: 'anonymous', id: 'anonymous', name: 'Anyone' }, 'viewer'),
      /set in ElevenLabs itself/,
    );
  });

  it('a member seat sees only what is shared with it', async () => {
    const member = asMember();
    const voices = await member.listResources('voice');
    const alanId = 'usr_000002';
    const expected = st().resources.filter(
      (r) =>
        r.type === 'voice' &&
        (Object.values(r.roles)
          .flat()
          .some((p) => p === alanId || p === 'default') ||
          st().groups.some(
            (g) => g.members.includes('alan.lovelace@example.com') && Object.values(r.roles).flat().includes(g.id),
          )),
    );
    assert.equal(voices.items.length, expected.length);
    assert.equal((await failure(member.listServiceAccounts())).status, 403);
  });
});
