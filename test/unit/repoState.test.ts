// What Apply remembers of the invitations a platform cannot list: on this machine (InvitedStore) and
// in the state file that travels with the repository (RepoState): sent or unconfirmed, hashed in the
// repository, forgotten when the person is seen or after 30 days, written only when it changed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  eitherInvited,
  invitationsToRemember,
  InvitedStore,
  KEEP_DAYS,
  type InvitedStatus,
} from '../../src/core/access/invited';
import { emailHash, RepoState, repoStatePath } from '../../src/core/access/repoState';
import type { ChangeItem } from '../../src/core/changes/change';
import { recordInvitations, STATE_WRITE_WAIT_MS, stateLock } from '../../src/cli/repo';
import { recordInvitations as recordForAny } from '../../src/core/access/repoRecord';
import type { LiveState } from '../../src/core/access/live';
import { ACCESS_FILE_FACTS } from '../../src/providers';

const DAY = 86_400_000;
const EL = { platform: 'elevenlabs', name: 'Production' };
const invite = (connectionId: string, email: string): ChangeItem => ({
  connectionId,
  change: { op: 'invite', email },
});

describe('remembered invitations: this machine and the repository', () => {
  let dir = '';
  let file = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-state-'));
    file = path.join(dir, 'workspace-access.yaml');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it(`an invitation is remembered for ${KEEP_DAYS} days, then forgotten`, () => {
    assert.equal(KEEP_DAYS, 30);
    const sent = new Date('2026-01-01T00:00:00Z');
    const state = RepoState.read(file);
    assert.equal(
      state.update([{ connection: EL, invitations: [{ email: 'A@Example.com', status: 'sent' }] }], sent),
      true,
    );
    const again = () => RepoState.read(file);
    assert.equal(
      again()
        .lookup(EL, sent.getTime() + 30 * DAY - 1)
        .get('a@example.com'),
      'sent',
    );
    assert.equal(
      again()
        .lookup(EL, sent.getTime() + 30 * DAY)
        .get('a@example.com'),
      undefined,
    );
    // Another connection's name is another hash: nothing carries over.
    assert.equal(
      again()
        .lookup({ ...EL, name: 'Staging' }, sent.getTime())
        .get('a@example.com'),
      undefined,
    );

    const store = new InvitedStore(dir);
    store.add('c1', ['B@example.com'], sent, 'unconfirmed');
    assert.equal(store.get('c1', sent.getTime() + 30 * DAY - 1).get('b@example.com'), 'unconfirmed');
    assert.equal(store.get('c1', sent.getTime() + 30 * DAY).size, 0);
    store.prune(
      () => true,
      () => undefined,
      sent.getTime() + 30 * DAY,
    );
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'access', 'invited.json'), 'utf8')), { c1: {} });

    // An update after 30 days drops what aged out of the file.
    assert.equal(again().update([], new Date(sent.getTime() + 30 * DAY)), true);
    assert.deepEqual(
      (JSON.parse(fs.readFileSync(repoStatePath(file), 'utf8')) as { connections: object }).connections,
      {},
    );
  });

  it('the state file holds hashes only, forgets who is seen, lets a newer status win, and is written only when it changed', () => {
    const now = new Date();
    const none = RepoState.read(file);
    assert.equal(none.update([{ connection: EL, invitations: [] }], now), false, 'nothing to record: no file');
    assert.ok(!fs.existsSync(repoStatePath(file)));

    RepoState.read(file).update(
      [
        {
          connection: EL,
          invitations: [
            { email: 'a@example.com', status: 'unconfirmed' },
            { email: 'b@example.com', status: 'sent' },
          ],
        },
      ],
      now,
    );
    const text = fs.readFileSync(repoStatePath(file), 'utf8');
    assert.ok(!text.includes('@'), text);
    assert.ok(text.includes(emailHash(EL, 'a@example.com')));
    assert.equal(
      emailHash(EL, ' A@Example.COM '),
      createHash('sha256').update('elevenlabs:production:a@example.com').digest('hex'),
    );
    assert.equal(RepoState.read(file).lookup(EL).get('a@example.com'), 'unconfirmed');

    const mtime = fs.statSync(repoStatePath(file)).mtimeMs;
    assert.equal(RepoState.read(file).update([{ connection: EL, invitations: [] }], now), false);
    assert.equal(fs.statSync(repoStatePath(file)).mtimeMs, mtime, 'no change, no write');

    RepoState.read(file).update(
      [{ connection: EL, invitations: [{ email: 'a@example.com', status: 'sent' }], seen: new Set(['b@example.com']) }],
      now,
    );
    const after = RepoState.read(file).lookup(EL);
    assert.equal(after.get('a@example.com'), 'sent', 'a newer status replaces the older one');
    assert.equal(after.get('b@example.com'), undefined, 'seen live: forgotten');
    assert.equal(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp')).length, 0, 'written whole, by a rename');
  });

  it('what an Apply remembers: done is sent, a lost answer is unconfirmed, only where invitations cannot be listed', () => {
    const outcomes = [
      { status: 'done', item: invite('el', 'a@example.com') },
      { status: 'unknown', item: invite('el', 'b@example.com') },
      { status: 'failed', item: invite('el', 'c@example.com') },
      { status: 'skipped', item: invite('el', 'd@example.com') },
      { status: 'unknown', item: invite('confident', 'e@example.com') },
      {
        status: 'done',
        item: {
          connectionId: 'el',
          change: { op: 'remove-member', member: { id: 'u', email: 'f@example.com', name: 'F' } },
        } as ChangeItem,
      },
    ];
    assert.deepEqual(
      invitationsToRemember(outcomes, (id) => id === 'el'),
      [
        { connectionId: 'el', email: 'a@example.com', status: 'sent' },
        { connectionId: 'el', email: 'b@example.com', status: 'unconfirmed' },
      ],
    );
    const map = (entries: [string, InvitedStatus][]) => new Map(entries);
    const both = eitherInvited(
      map([['x@example.com', 'unconfirmed']]),
      map([
        ['x@example.com', 'sent'],
        ['y@example.com', 'unconfirmed'],
      ]),
    );
    assert.equal(both.get('x@example.com'), 'sent', 'sent wins: the platform took it');
    assert.equal(both.get('y@example.com'), 'unconfirmed');
    assert.equal(both.get('z@example.com'), undefined);
  });

  it(`an apply waits up to ${STATE_WRITE_WAIT_MS / 1000} s for another one writing the state file, then says its invitations are on this machine only`, async () => {
    assert.equal(STATE_WRITE_WAIT_MS, 10_000);
    const lock = stateLock(file);
    fs.mkdirSync(path.dirname(lock), { recursive: true });
    // This test's own process is alive: its pid in the lock stands for an apply writing now.
    fs.writeFileSync(lock, String(process.pid));
    const local = new InvitedStore(path.join(dir, 'state'));
    const outcomes = [{ status: 'done', item: invite('el', 'a@example.com') }];
    const at = { file, refs: { el: { platform: 'elevenlabs' as const, name: 'Production' } } };
    await assert.rejects(
      recordInvitations(local, outcomes, at, 100),
      new RegExp(
        `is being written by process ${process.pid} for more than 0\.1 s: the invitations this apply sent are remembered on this machine only`,
      ),
    );
    assert.equal(local.get('el').get('a@example.com'), 'sent', 'remembered on this machine');
    assert.ok(!fs.existsSync(repoStatePath(file)));
    fs.rmSync(lock);
    assert.deepEqual(await recordInvitations(local, outcomes, at, 100), {
      written: repoStatePath(file),
      unconfirmed: 0,
    });
    assert.equal(RepoState.read(file).lookup(EL).get('a@example.com'), 'sent');
    assert.ok(!fs.existsSync(lock), 'the lock goes with the write');
  });

  it("the extension's Apply records as the command line's: by the file's names, only where invitations cannot be listed, and forgets who is seen", async () => {
    const local = new InvitedStore(path.join(dir, 'state'));
    const GB = { platform: 'gitbook', name: 'org_Docs' };
    RepoState.read(file).update([{ connection: GB, invitations: [{ email: 'old@example.com', status: 'sent' }] }]);
    const outcomes = [
      { status: 'done', item: invite('conn/gb', 'a@example.com') },
      { status: 'unknown', item: invite('conn/gb', 'b@example.com') },
      { status: 'done', item: invite('conn/cf', 'c@example.com') },
    ];
    const gbLive: LiveState = { members: [{ id: 'u', email: 'OLD@example.com', name: 'Old' }], roles: [] };
    const live = new Map([['conn/gb', gbLive]]);
    const at = { file, refs: { 'conn/gb': GB, 'conn/cf': { platform: 'confident', name: 'Evals' } }, live };
    assert.deepEqual(await recordForAny(local, outcomes, at, ACCESS_FILE_FACTS), {
      written: repoStatePath(file),
      unconfirmed: 1,
    });
    // Read without blocking (the extension's plan), it says what the synchronous read says.
    const repo = await RepoState.load(file);
    const gb = repo.lookup({ platform: 'gitbook', name: ' ORG_docs ' });
    assert.equal(gb.get('a@example.com'), 'sent');
    assert.equal(gb.get('b@example.com'), 'unconfirmed');
    assert.equal(gb.get('old@example.com'), undefined, 'a member now: forgotten');
    assert.equal(repo.lookup({ platform: 'confident', name: 'Evals' }).get('c@example.com'), undefined, 'listed live');
    assert.equal(local.get('conn/gb').get('b@example.com'), 'unconfirmed', 'and on this machine');
    assert.equal(RepoState.read(file).lookup(GB).get('a@example.com'), 'sent');
    // No file is an empty state; a broken one is an error naming it, as for the command line.
    fs.rmSync(repoStatePath(file));
    assert.equal((await RepoState.load(file)).lookup(GB).get('a@example.com'), undefined);
    fs.writeFileSync(repoStatePath(file), '<<<<<<< HEAD\n{}');
    await assert.rejects(RepoState.load(file), /is not JSON .*merge-conflict markers/s);
  });

  it("this machine's older file (a date per email) still reads as sent", () => {
    fs.mkdirSync(path.join(dir, 'access'));
    fs.writeFileSync(
      path.join(dir, 'access', 'invited.json'),
      JSON.stringify({ c1: { 'a@example.com': new Date().toISOString() } }),
    );
    assert.equal(new InvitedStore(dir).get('c1').get('a@example.com'), 'sent');
  });
});
