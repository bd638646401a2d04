// Confident AI answers the spec allows, read end to end over HTTP (the emulator plays each answer):
// fields left out (a missing list is empty, a missing total pages until a short page, a project
// without an id is skipped, a removal without its flag is done), and a 200 with `success: false`,
// which fails with the platform's own message: in the call, and in a job's item.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { runJob } from '../../src/core/jobs/engine';
import { PAGE_SIZE } from '../../src/providers/confident/client';
import { ConfidentProvider, UNNAMED_ORGANIZATION } from '../../src/providers/confident/provider';
import { loadContract } from '../contract/contract';
import { Emulator } from '../emulator/server';
import { inviteItems, taskOf } from '../shared/changeItems';
import { clientFor, failure, type TestClient } from './helpers';

const contract = loadContract('confident');
const ok = (data: object) => ({ status: 200, body: { success: true, data } });
const people = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => ({ id: `u${from + i}`, email: `person${from + i}@example.com` }));
const member = { id: 'u1', email: 'a@example.com', name: 'A' };

describe('Confident AI: answers the spec allows', () => {
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
  afterEach(() => t.transport.close());

  describe('with optional fields left out', () => {
    // Every answer played here is one the spec allows.
    afterEach(() => assert.deepEqual(contract.checkAll(emulator.requests), []));

    it('lists without their list are empty: members, roles, invitations, projects, project members', async () => {
      for (let i = 0; i < 7; i++) emulator.queueAnswers(ok({}));
      assert.deepEqual([...(await ca.listMembers())], []);
      assert.deepEqual(await ca.listMembersPage(), { items: [], next: undefined });
      assert.deepEqual(await ca.listRoles(), []);
      assert.deepEqual(await ca.listInvitations(), []);
      assert.deepEqual(await ca.listProjects(), []);
      assert.deepEqual(await ca.listProjectMembersPage('p1'), { items: [], next: undefined });
      assert.deepEqual(await ca.listProjectInvitations('p1'), []);
      assert.equal(emulator.requests.length, 7);
    });

    it('members without a total: a full page has a next page, a short page ends the list', async () => {
      emulator.queueAnswers(ok({ members: people(0, PAGE_SIZE) }), ok({ members: people(PAGE_SIZE, 3) }));
      const first = await ca.listMembersPage();
      assert.deepEqual([first.items.length, first.next, first.total], [PAGE_SIZE, '2', undefined]);
      const second = await ca.listMembersPage(first.next);
      assert.deepEqual([second.items.length, second.next], [3, undefined]);
      assert.deepEqual(
        emulator.requests.map((r) => r.query),
        [`?page=1&pageSize=${PAGE_SIZE}`, `?page=2&pageSize=${PAGE_SIZE}`],
      );
    });

    it('the whole member list without a total reads pages one by one until a short or an empty page', async () => {
      emulator.queueAnswers(
        ok({ members: people(0, PAGE_SIZE) }),
        ok({ members: people(PAGE_SIZE, PAGE_SIZE) }),
        ok({ members: people(2 * PAGE_SIZE, 40) }),
      );
      const all = await ca.listMembers();
      assert.equal(all.length, 2 * PAGE_SIZE + 40);
      assert.equal(all.incomplete, undefined);
      assert.deepEqual(
        all.slice(0, 2).map((m) => [m.id, m.email, m.name]),
        [
          ['u0', 'person0@example.com', 'person0@example.com'],
          ['u1', 'person1@example.com', 'person1@example.com'],
        ],
      );
      assert.equal(emulator.requests.length, 3);
      emulator.reset();
      emulator.queueAnswers(ok({ members: people(0, PAGE_SIZE) }), ok({ members: [] }));
      assert.equal((await ca.listMembers()).length, PAGE_SIZE);
      assert.deepEqual(
        emulator.requests.map((r) => r.query),
        [`?page=1&pageSize=${PAGE_SIZE}`, `?page=2&pageSize=${PAGE_SIZE}`],
      );
    });

    it('a project without an id is skipped with a debug line; one without a name shows its id', async () => {
      emulator.queueAnswers(ok({ projects: [{ id: 'p1', name: 'Evals' }, { name: 'Orphan' }, { id: 'p3' }, {}] }));
      assert.deepEqual(await ca.listProjects(), [
        { type: 'project', id: 'p1', name: 'Evals' },
        { type: 'project', id: 'p3', name: 'p3' },
      ]);
      assert.deepEqual(
        t.log.lines.filter((l) => l.includes('skipped')),
        [
          'debug Confident AI projects: skipped "Orphan": the answer gives no id',
          'debug Confident AI projects: skipped a project: the answer gives no id',
        ],
      );
    });

    it('a removal or a revocation without its flag is done; `false` still means nothing was there', async () => {
      emulator.queueAnswers(ok({}), ok({}), ok({}), ok({ removed: false }), ok({ id: 7, deleted: false }));
      assert.equal(await ca.removeMember(member), 'removed');
      assert.equal(await ca.removeProjectMember('p1', member), 'removed');
      assert.equal(await ca.revokeInvitation({ id: '7', email: 'a@example.com', status: 'pending' }), 'removed');
      assert.equal(await ca.removeMember(member), 'not-there');
      assert.equal(await ca.revokeInvitation({ id: '7', email: 'a@example.com', status: 'pending' }), 'not-there');
    });

    it('an invitation answer without its list names no one as skipped; a role change without the member is done', async () => {
      // The roles, read once per session: a role change looks up whether it gives Owner.
      await ca.listRoles();
      emulator.queueAnswers(ok({}), ok({}), ok({}));
      assert.deepEqual(await ca.invite(['new@example.com', 'other@example.com']), { invited: [], skipped: [] });
      assert.deepEqual(await ca.inviteToProject('p1', ['new@example.com']), { invited: [], skipped: [] });
      assert.ok(
        t.log.lines.includes(
          'debug Confident AI invitations: the answer lists no invitations, so who was skipped is not known',
        ),
      );
      await ca.setMemberRole(member, 'r1');
    });

    it('an organization answer without the organization: the key works, and no name is made up', async () => {
      emulator.queueAnswers(ok({}));
      assert.deepEqual(await ca.whoAmI(), { name: UNNAMED_ORGANIZATION, detail: 'Organization key', isAdmin: true });
    });
  });

  describe('a 200 with success: false', () => {
    const refusal = (body: object) => ({ status: 200, acted: false, body: { success: false, ...body } });

    it("fails with the platform's own message, from `error` (the docs) or `message` (the spec), and is not sent again", async () => {
      await ca.listRoles();
      const before = emulator.requests.length;
      emulator.queueAnswers(refusal({ error: 'Seat limit reached for this plan.', deprecated: false }));
      const err = await failure(ca.setMemberRole(member, 'r1'));
      assert.deepEqual(
        [err.kind, err.status, err.message],
        ['http', 200, 'Confident AI: Seat limit reached for this plan. (200 with success: false).'],
      );
      emulator.queueAnswers(refusal({ data: {}, message: 'Project not found.' }));
      assert.equal(
        (await failure(ca.listProjectMembersPage('p1'))).message,
        'Confident AI: Project not found. (200 with success: false).',
      );
      emulator.queueAnswers(refusal({ data: {} }));
      assert.equal(
        (await failure(ca.listMembers())).message,
        'Confident AI: the request was refused, with no message (200 with success: false).',
      );
      assert.equal(emulator.requests.length - before, 3, 'a refusal is not retried, a read included');
      assert.ok(t.log.lines.some((l) => l.startsWith('error PUT /v1/organization/members/u1 → 200')));
    });

    it('a key the refusal repeats is redacted', async () => {
      const key = emulator.platform('confident').keys.admin;
      emulator.queueAnswers(refusal({ error: `The key ${key} may not do this.` }));
      const err = await failure(ca.listRoles());
      assert.ok(!err.message.includes(key), err.message);
      assert.match(err.message, /^Confident AI: The key .+ may not do this\. \(200 with success: false\)\.$/);
    });

    it("a job's item fails with the platform's message, and nothing is sent twice", async () => {
      emulator.queueAnswers({
        ...refusal({ error: 'Invitations are disabled for this organization.' }),
        path: 'invitations',
      });
      const { outcomes } = await runJob(inviteItems(['new@example.com']), taskOf(ca), { maxConcurrency: 1 });
      assert.deepEqual(outcomes, [
        {
          item: outcomes[0].item,
          status: 'failed',
          reason: 'Confident AI: Invitations are disabled for this organization. (200 with success: false).',
        },
      ]);
      assert.equal(emulator.requests.filter((r) => r.method === 'POST').length, 1);
      assert.ok(!emulator.state('confident').invitations.some((i) => i.email === 'new@example.com'));
    });
  });
});
