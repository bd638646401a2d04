import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { ConfidentProvider } from '../../src/providers/confident/provider';
import { loadContract } from '../contract/contract';
import { Emulator } from '../emulator/server';
import { emulatorState } from '../shared/emulatorState';
import { clientFor, failure, type TestClient } from './helpers';

const contract = loadContract('confident');

describe('Confident AI provider against the emulator', () => {
  let emulator: Emulator;
  let t: TestClient;
  let ca: ConfidentProvider;
  before(async () => (emulator = await Emulator.start()));
  after(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    t = clientFor(emulator, 'confident');
    ca = new ConfidentProvider(t.client);
  });
  afterEach(async () => {
    assert.deepEqual(contract.checkAll(emulator.requests), []);
    await t.transport.close();
  });
  const { ca: st } = emulatorState(() => emulator);

  it('reads the organization and its roles, presets marked', async () => {
    assert.equal((await ca.whoAmI()).name, 'Sandbox Evals');
    const roles = await ca.listRoles();
    assert.deepEqual(
      roles.map((r) => `${r.name}${r.preset ? '' : ' (custom)'}`),
      ['Owner', 'Admin', 'Member', 'Evaluator (custom)'],
    );
  });

  it('pages organization members by page number, with their roles', async () => {
    const large = await Emulator.start({ size: 'large' });
    try {
      const big = new ConfidentProvider(clientFor(large, 'confident').client);
      const first = await big.listMembersPage();
      assert.equal(first.items.length, 100);
      assert.equal(first.next, '2');
      assert.equal(large.requests[0].query, '?page=1&pageSize=100');
      assert.equal((await big.listMembers()).length, 5_000);
      assert.equal(large.requests.length, 51, 'one request per page: 1 + 50');
      assert.deepEqual(contract.checkAll(large.requests), []);
    } finally {
      await large.close();
    }
    const members = await ca.listMembers();
    assert.deepEqual([members[0].roleLabel, members[0].owner, members[1].roleLabel], ['Owner', true, 'Admin']);
  });

  it('transfers ownership when Owner is given: the old Owner becomes Admin', async () => {
    const [ada, grace] = await ca.listMembers();
    await ca.setMemberRole(grace, st().orgRoles.owner.id);
    assert.equal(st().members.get(grace.id), st().orgRoles.owner.id);
    assert.equal(st().members.get(ada.id), st().orgRoles.admin.id);
  });

  it('removes a member from the organization and every project; the Owner stays', async () => {
    const members = await ca.listMembers();
    const target = members[2];
    const inProjects = st().projects.filter((p) => p.members.has(target.id)).length;
    assert.ok(inProjects > 0);
    assert.equal(await ca.removeMember(target), 'removed');
    assert.ok(!st().members.has(target.id));
    assert.equal(st().projects.filter((p) => p.members.has(target.id)).length, 0);
    const err = await failure(ca.removeMember(members[0]));
    assert.equal(err.status, 400);
    assert.equal(err.message, 'Confident AI: The Owner cannot be removed. (400 the request was refused).');
  });

  it('lists, creates (skipping members and pending), resends and revokes invitations', async () => {
    assert.deepEqual(
      (await ca.listInvitations()).map((i) => `${i.email}:${i.status}`),
      ['pending.person@example.com:pending', 'said.no@example.com:declined'],
    );
    const result = await ca.invite(
      ['new@example.com', 'ada.lovelace@example.com', 'pending.person@example.com'],
      st().orgRoles.member.id,
    );
    assert.deepEqual(
      result.invited.map((i) => i.email),
      ['new@example.com'],
    );
    assert.deepEqual(result.skipped, ['ada.lovelace@example.com', 'pending.person@example.com']);
    const fresh = result.invited[0];
    assert.equal((await ca.resendInvitation(fresh)).status, 'pending');
    await ca.revokeInvitation(fresh);
    assert.ok(!st().invitations.some((i) => i.email === 'new@example.com'));
    assert.equal(
      (await failure(ca.invite(['x@example.com'], st().orgRoles.owner.id))).message,
      'Confident AI: The Owner role cannot be assigned through an invitation. (400 the request was refused).',
    );
    const declined = (await ca.listInvitations()).find((i) => i.status === 'declined')!;
    assert.equal((await failure(ca.resendInvitation(declined))).status, 400);
  });

  it("manages a project's members, roles and invitations", async () => {
    const [project] = await ca.listProjects();
    const roles = await ca.listProjectRoles(project.id);
    assert.deepEqual(
      roles.map((r) => `${r.label}${r.invitable ? '' : ' (not by invitation)'}`),
      ['Owner (not by invitation)', 'Manager', 'Member'],
    );
    const page = await ca.listProjectMembersPage(project.id);
    const [owner, member] = page.items;
    assert.deepEqual([owner.roleLabel, member.roleLabel], ['Owner', 'Member']);
    await ca.setProjectMemberRole(project.id, member, roles[0].id);
    const p = st().projects[0];
    assert.equal(p.members.get(owner.id), st().projectRoles.manager.id, 'the old project Owner becomes Manager');
    await ca.removeProjectMember(project.id, owner);
    assert.ok(!p.members.has(owner.id) && st().members.has(owner.id), 'out of the project, still in the organization');
    const invited = await ca.inviteToProject(project.id, ['grace.lovelace@example.com'], roles[2].id);
    assert.deepEqual(
      invited.invited.map((i) => i.email),
      ['grace.lovelace@example.com'],
    );
    assert.equal((await ca.listProjectInvitations(project.id)).length, 1);
    await ca.resendProjectInvitation(project.id, invited.invited[0]);
    await ca.revokeProjectInvitation(project.id, invited.invited[0]);
    assert.equal(p.invitations.length, 0);
    assert.equal((await failure(ca.inviteToProject(project.id, ['stranger@example.org']))).status, 400);
  });
});
