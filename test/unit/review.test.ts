import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { readLive } from '../../src/core/access/live';
import type { Provider } from '../../src/core/provider';
import { closePlan } from '../../src/core/review/close';
import { parseReview } from '../../src/core/review/parse';
import { renderReview } from '../../src/core/review/render';
import { itemKey, progressOf, type Review } from '../../src/core/review/review';
import { startReview, type ConnectionRead } from '../../src/core/review/start';
import { ConfidentProvider } from '../../src/providers/confident/provider';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { GitBookProvider } from '../../src/providers/gitbook/provider';
import { Emulator } from '../emulator/server';
import { clientFor, type TestClient } from './helpers';

const TODAY = '2026-12-03';

describe('access reviews against the emulator', () => {
  let emulator: Emulator;
  let clients: TestClient[];
  let providers: Record<'acme' | 'docs' | 'evals', { platform: string; name: string; provider: Provider }>;
  before(async () => (emulator = await Emulator.start()));
  after(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    clients = (['elevenlabs', 'gitbook', 'confident'] as const).map((p) => clientFor(emulator, p));
    providers = {
      acme: { platform: 'elevenlabs', name: 'Acme', provider: new ElevenLabsProvider(clients[0].client) },
      docs: { platform: 'gitbook', name: 'Docs', provider: new GitBookProvider(clients[1].client, 'org_sandbox') },
      evals: { platform: 'confident', name: 'Evals', provider: new ConfidentProvider(clients[2].client) },
    };
  });
  afterEach(async () => {
    for (const c of clients) await c.transport.close();
  });

  const readAll = async (): Promise<ConnectionRead[]> =>
    Promise.all(
      Object.entries(providers).map(async ([key, p]) => ({
        key,
        ...p,
        live: await readLive(p.provider, undefined, { concurrency: 8 }),
      })),
    );

  const start = async (people: Review['scope']['people'] = 'everyone'): Promise<Review> =>
    startReview(await readAll(), {
      name: '2026 Q4',
      due: '2026-12-31',
      reviewers: ['ada@example.com'],
      scope: { people, connections: ['acme', 'docs', 'evals'] },
      started: '2026-12-03T06:00:00.000Z',
    });

  it('lists every member, group, direct grant and project of everyone, and reads back as written', async () => {
    const review = await start();
    const el = emulator.state('elevenlabs');
    const members = review.people.flatMap((p) => p.access.filter((i) => i.kind === 'member' && i.at === 'acme'));
    assert.equal(members.length, el.members.length);
    assert.ok(review.people.some((p) => p.access.some((i) => i.kind === 'grant')));
    assert.ok(review.people.some((p) => p.access.some((i) => i.kind === 'group')));
    assert.ok(review.people.some((p) => p.access.some((i) => i.kind === 'project')));
    const text = renderReview(review);
    const parsed = parseReview(text, TODAY);
    assert.deepEqual(parsed.review, review);
    const p = progressOf(review);
    assert.equal(parsed.problems.filter((x) => x.code === 'undecided').length, p.items);
    assert.deepEqual(
      parsed.problems.filter((x) => x.code !== 'undecided'),
      [],
    );
  });

  it('turns revokes and lower roles into changes against live, and names what was granted since', async () => {
    const review = await start();
    const grantOwner = review.people.find((p) => p.access.some((i) => i.kind === 'grant' && i.at === 'acme'));
    assert.ok(grantOwner);
    const grant = grantOwner.access.find((i) => i.kind === 'grant' && i.at === 'acme');
    assert.ok(grant);
    const decided: Review = {
      ...review,
      people: review.people.map((p) =>
        p === grantOwner
          ? {
              ...p,
              access: p.access.map((i) => (i === grant ? { ...i, decision: 'revoke', reason: 'moved teams' } : i)),
            }
          : p,
      ),
    };
    const plan = closePlan(decided, await readAll());
    assert.equal(plan.changes.length, 1);
    assert.equal(plan.changes[0].change.op, 'revoke');
    assert.equal(plan.unreviewed.length, 0);
    assert.equal(itemKey(plan.changes[0].email, plan.changes[0].item), itemKey(grantOwner.email, grant));
  });
});
