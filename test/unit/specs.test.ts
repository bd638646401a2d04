// Answers the official specs allow, and an emulator that serves what the platforms serve (checked
// with the official ElevenLabs SDK and the GitBook spec).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ElevenLabsClient } from '@elevenlabs/elevenlabs-js';
import * as z from 'zod';
import { ConfidentProvider } from '../../src/providers/confident/provider';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { loadContract } from '../contract/contract';
import { Emulator } from '../emulator/server';
import { clientFor } from './helpers';

describe('answers the specs allow', () => {
  let emulator: Emulator;
  before(async () => (emulator = await Emulator.start()));
  after(() => emulator.close());
  beforeEach(() => emulator.reset());

  it('ElevenLabs: an MCP server whose access_info is null does not fail the list', async () => {
    const t = clientFor(emulator, 'elevenlabs');
    emulator.queueAnswers({
      status: 200,
      body: {
        mcp_servers: [
          { id: 'mcp_1', config: { name: 'Docs' }, access_info: null, metadata: {} },
          {
            id: 'mcp_2',
            config: { name: 'CRM' },
            access_info: { is_creator: true, creator_name: 'Ada', creator_email: 'ada@example.com', role: 'admin' },
            metadata: {},
          },
        ],
      },
    });
    const page = await new ElevenLabsProvider(t.client).listResources('convai_mcp_servers');
    assert.deepEqual(
      page.items.map((r) => r.name),
      ['Docs', 'CRM'],
    );
    await t.transport.close();
  });

  it('Confident AI: removed: false and deleted: false are answers (nothing was there), not unexpected responses', async () => {
    const t = clientFor(emulator, 'confident');
    const provider = new ConfidentProvider(t.client);
    emulator.queueAnswers({
      status: 200,
      body: { success: true, data: { id: 'u1', removed: false }, deprecated: false },
    });
    assert.equal(await provider.removeMember({ id: 'u1', email: 'a@example.com', name: 'A' }), 'not-there');
    emulator.queueAnswers({ status: 200, body: { success: true, data: { id: 7, deleted: false }, deprecated: false } });
    assert.equal(await provider.revokeInvitation({ id: '7', email: 'a@example.com', status: 'pending' }), 'not-there');
    emulator.queueAnswers({
      status: 200,
      body: { success: true, data: { id: 'u1', removed: false }, deprecated: false },
    });
    assert.equal(
      await provider.removeProjectMember('p1', { id: 'u1', email: 'a@example.com', name: 'A' }),
      'not-there',
    );
    await t.transport.close();
  });

  it('the emulator satisfies the official ElevenLabs SDK: workspace_id on the user, voice_id on each agent', async () => {
    const sdk = new ElevenLabsClient({
      apiKey: emulator.platform('elevenlabs').keys.admin,
      baseUrl: emulator.baseUrl('elevenlabs'),
    });
    const user = await sdk.user.get();
    assert.equal(typeof user.workspaceId, 'string');
    const agents = await sdk.conversationalAi.agents.list();
    assert.ok(agents.agents.length > 0 && agents.agents.every((a) => typeof a.voiceId === 'string'));
  });

  it("GitBook: one member, one team and one invite link can be read (they answered 405), in the spec's shapes", async () => {
    const t = clientFor(emulator, 'gitbook');
    const st = emulator.state('gitbook');
    const Any = z.record(z.string(), z.unknown());
    const member = await t.client.request({
      method: 'GET',
      path: `/orgs/${st.org.id}/members/${st.members[2].user.id}`,
      schema: Any,
    });
    assert.equal((member.user as { id: string }).id, st.members[2].user.id);
    const team = await t.client.request({
      method: 'GET',
      path: `/orgs/${st.org.id}/teams/${st.teams[0].id}`,
      schema: Any,
    });
    assert.equal(team.id, st.teams[0].id);
    const link = await t.client.request({
      method: 'GET',
      path: `/orgs/${st.org.id}/link-invites/${st.links[0].id}`,
      schema: Any,
    });
    assert.equal(link.id, st.links[0].id);
    const missing = await t.client
      .request({ method: 'GET', path: `/orgs/${st.org.id}/teams/team_nope`, schema: Any })
      .then(
        () => 0,
        (e: { status?: number }) => e.status,
      );
    assert.equal(missing, 404);
    assert.deepEqual(loadContract('gitbook').checkAll(emulator.requests), []);
    await t.transport.close();
  });

  it("GitBook: a member's spaces (with the level from any source) and teams (with the team role), in the spec's shapes", async () => {
    const t = clientFor(emulator, 'gitbook');
    const st = emulator.state('gitbook');
    const team = st.teams.find((x) => [...x.members.values()].includes('owner'))!;
    const [ownerId] = [...team.members].find(([, role]) => role === 'owner')!;
    const Any = z.object({ items: z.array(z.record(z.string(), z.unknown())), next: z.unknown().optional() });
    const teams = await t.client.request({
      method: 'GET',
      path: `/orgs/${st.org.id}/members/${ownerId}/teams`,
      schema: Any,
    });
    const mine = st.teams
      .filter((x) => x.members.has(ownerId))
      .map((x) => x.id)
      .sort();
    assert.deepEqual(teams.items.map((i) => (i.team as { id: string }).id).sort(), mine);
    assert.deepEqual(teams.items.find((i) => (i.team as { id: string }).id === team.id)?.member, { role: 'owner' });
    // A space shared with the member's team directly: the level comes from the team.
    const space = st.content.find((c) => c.kind === 'space' && c.defaultLevel !== 'read')!;
    const before = new Map(space.teams);
    space.teams.set(team.id, 'review');
    try {
      const spaces = await t.client.request({
        method: 'GET',
        path: `/orgs/${st.org.id}/members/${ownerId}/spaces`,
        query: { limit: 1000 },
        schema: Any,
      });
      const row = spaces.items.find((i) => (i.space as { id: string }).id === space.id);
      assert.equal(
        row?.permission,
        st.members.find((m) => m.user.id === ownerId)!.role === 'admin' ? 'admin' : 'review',
      );
    } finally {
      space.teams = before;
    }
    assert.deepEqual(loadContract('gitbook').checkAll(emulator.requests), []);
    await t.transport.close();
  });

  it('GitBook: team-members `memberships` sets team roles (it answered 204 and changed nothing)', async () => {
    const t = clientFor(emulator, 'gitbook');
    const st = emulator.state('gitbook');
    const team = st.teams[0];
    const [someone] = [...team.members].find(([, role]) => role === 'member') ?? [];
    assert.ok(someone);
    const outsider = st.members.find((m) => !team.members.has(m.user.id))!.user;
    await t.client.send({
      method: 'PUT',
      expect: [204],
      path: `/orgs/${st.org.id}/teams/${team.id}/members`,
      body: { memberships: { [someone]: { role: 'owner' }, [outsider.email]: { role: 'member' } } },
      schema: z.undefined(),
    });
    assert.equal(team.members.get(someone), 'owner');
    assert.equal(team.members.get(outsider.id), 'member');
    assert.deepEqual(loadContract('gitbook').checkAll(emulator.requests), []);
    await t.transport.close();
  });
});
