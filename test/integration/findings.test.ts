// Who should not be here, in the editor: the Needs Attention view from a roster, the organization's
// domains and the platforms' activity, and its actions: offboard everyone who left in one preview,
// reclaim an inactive seat, revoke a stale invitation; each acted-on finding is gone on the next read.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { TreeNode } from '../../src/vscode/tree/node';
import type { FindingNode, KindNode } from '../../src/vscode/findings/nodes';
import { Emulator } from '../emulator/server';
import { emulatorState } from '../shared/emulatorState';
import { answer } from './stubs';
import { findingsSettings, MAX_FINDING_DAYS } from '../../src/vscode/settings';
import { DEFAULT_INACTIVE_DAYS, DEFAULT_INVITATION_DAYS } from '../../src/core/roster/findings';
import { label, useSandbox } from './tree';

let emulator: Emulator;
let api: TestApi;
const { el, gb, ca } = emulatorState(() => emulator);

const description = (node: TreeNode) => String(node.getTreeItem().description ?? '');

/** The view's rows, read afresh. */
async function rows(): Promise<TreeNode[]> {
  api.findings.refresh();
  return api.findings.getChildren();
}

/** A kind's group (found by its id: the extension's classes are the bundle's, not this file's). */
async function kind(name: string): Promise<KindNode | undefined> {
  return (await rows()).find((r) => r.id === `findings:${name}`) as KindNode | undefined;
}

async function findingsOf(name: string): Promise<FindingNode[]> {
  const k = await kind(name);
  return k ? ((await k.getChildren()) as FindingNode[]) : [];
}

describe('Needs Attention: who should not be here', function () {
  this.timeout(120_000);
  let dir: string;
  let roster: string;
  let left: string[];

  useSandbox(
    [
      { platform: 'elevenlabs', name: 'Findings Voices' },
      { platform: 'gitbook', name: 'Findings Docs' },
      { platform: 'confident', name: 'Findings Evals' },
    ],
    (s) => ({ emulator, api } = s),
  );

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-findings-'));
    roster = path.join(dir, 'roster.csv');
    // Everyone the three platforms hold is on the roster, active, except: two who have left (one by
    // status, one by an end date passed), and the last ElevenLabs member, left off (unknown).
    const emails = new Map<string, string>();
    for (const m of el().members) emails.set(m.email.toLowerCase(), m.email);
    for (const m of gb().members) emails.set(m.user.email.toLowerCase(), m.user.email);
    for (const u of ca().users) emails.set(u.email.toLowerCase(), u.email);
    const onEl = el().members.filter((m) => !m.is_locked && m.seat_type !== 'workspace_admin');
    const onGb = new Set(gb().members.map((m) => m.user.email.toLowerCase()));
    // Two who are both in ElevenLabs and GitBook, so the one preview spans people and connections.
    const both = onEl.filter((m) => onGb.has(m.email.toLowerCase())).slice(0, 2);
    assert.equal(both.length, 2, 'two people are in both ElevenLabs and GitBook');
    left = both.map((m) => m.email);
    const unknown = onEl[onEl.length - 1].email;
    const lines = ['Work Email,Full Name,Employment Status,Termination Date,Cost Centre'];
    for (const email of emails.values()) {
      if (email === unknown) continue;
      if (email === left[0]) lines.push(`${email},Left One,Terminated,,CC1`);
      else if (email === left[1]) lines.push(`${email},Left Two,active,2026-01-31,CC1`);
      else lines.push(`${email},Someone,active,,CC1`);
    }
    fs.writeFileSync(roster, `${lines.join('\n')}\n`);
    const config = vscode.workspace.getConfiguration('workspaceAccess');
    await config.update('roster', roster, vscode.ConfigurationTarget.Global);
    await config.update('organizationDomains', ['example.com'], vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('workspaceAccess');
    await config.update('roster', undefined, vscode.ConfigurationTarget.Global);
    await config.update('organizationDomains', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists who left (with the roster row), who is unknown, inactive seats where a platform gives activity, and says Confident AI gives none', async () => {
    const top = await rows();
    const said = top.map((r) => `${label(r)}: ${description(r)}`);
    assert.ok(
      said.some((l) => /^Roster: \d+ people · ignored: Cost Centre$/.test(l)),
      said.join(' | '),
    );
    assert.ok(
      said.includes('Findings Evals: Confident AI gives no activity: nobody here is marked inactive.'),
      said.join(' | '),
    );
    const gone = await findingsOf('left');
    for (const email of left) {
      const rowsOfPerson = gone.filter((f) => f.finding.email === email);
      const where = rowsOfPerson.map((f) => f.connectionLabel);
      assert.ok(
        where.includes('Findings Docs') && where.includes('Findings Voices'),
        `${email} is named in both: ${where.join(', ')}`,
      );
    }
    assert.match(description(gone.find((f) => f.finding.email === left[0])!), /roster line \d+: Terminated/);
    assert.match(description(gone.find((f) => f.finding.email === left[1])!), /end date 2026-01-31/);
    const unknown = await findingsOf('unknown');
    assert.ok(unknown.some((f) => f.finding.connectionId === api.store.list()[0].id));
    const inactive = await findingsOf('inactive');
    assert.ok(
      inactive.some((f) => f.connectionLabel === 'Findings Docs'),
      'GitBook seats never seen or seen long ago',
    );
    assert.ok(
      inactive.some((f) => f.connectionLabel === 'Findings Voices'),
      'ElevenLabs seats without credit usage',
    );
    assert.ok(!inactive.some((f) => f.connectionLabel === 'Findings Evals'), 'Confident AI gives no activity');
    const stale = await findingsOf('stale-invitation');
    assert.deepEqual(
      stale.map((f) => f.finding.email),
      ['pending.person@example.com'],
    );
    assert.ok((await findingsOf('admin')).length > 0, 'owners and admins are listed');
  });

  it('Offboard Everyone Who Left…: one preview of every person in every connection, the number typed, one job; they are gone on the next read', async () => {
    const prompts = answer({
      picks: [(items) => items.filter((i) => i.picked)],
      inputs: ['2 people'],
    });
    await vscode.commands.executeCommand('workspaceAccess.findings.offboardLeft');
    assert.deepEqual(prompts.errors, []);
    const preview = prompts.picks[0];
    assert.equal(preview.title, 'Offboard 2 people');
    const headings = (preview.items ?? [])
      .filter((i) => i.kind === vscode.QuickPickItemKind.Separator)
      .map((i) => i.label);
    for (const email of left) {
      assert.ok(headings.includes(`${email} · Findings Voices`), headings.join(' | '));
      assert.ok(headings.includes(`${email} · Findings Docs`), headings.join(' | '));
    }
    assert.match(prompts.inputs[0].prompt ?? '', /Type 2 people to confirm/);
    for (const email of left) {
      assert.equal(el().members.find((m) => m.email === email)?.is_locked, true, `${email} is locked in ElevenLabs`);
      assert.ok(!gb().members.some((m) => m.user.email === email), `${email} is removed from GitBook`);
    }
    const still = (await findingsOf('left')).map((f) => f.finding.email);
    assert.deepEqual(
      still.filter((e) => left.includes(e)),
      [],
      'acted on: gone after the next read',
    );
  });

  it('Reclaim Seat… focuses locking (the least drastic), asks in a modal, runs a job; the seat is gone from the list on the next read', async () => {
    const seat = (await findingsOf('inactive')).find((f) => f.connectionLabel === 'Findings Voices');
    assert.ok(seat, 'an inactive ElevenLabs seat');
    const email = seat.finding.email;
    const prompts = answer({ picks: [(items) => items[0]], confirm: 'Reclaim' });
    await vscode.commands.executeCommand('workspaceAccess.finding.reclaimSeat', seat);
    assert.deepEqual(prompts.errors, []);
    const offered = (prompts.picks[0].items ?? []).map((i) => i.label);
    assert.equal(offered[0], '$(lock) Lock the seat', offered.join(' | '));
    // Then only cheaper seats (ElevenLabs removes no member through its API: no removal is offered).
    assert.ok(
      offered.slice(1).every((l) => l.startsWith('$(arrow-down) Change the seat type to')),
      offered.join(' | '),
    );
    assert.equal(prompts.warnings[0]?.message, 'Lock the seat');
    assert.equal(el().members.find((m) => m.email === email)?.is_locked, true);
    assert.ok(
      !(await findingsOf('inactive')).some((f) => f.finding.email === email && f.connectionLabel === 'Findings Voices'),
    );
  });

  it('from the palette, Reclaim Seat… asks which inactive seat first (Escape sends nothing)', async () => {
    const writes = () => emulator.requests.filter((r) => r.method !== 'GET').length;
    const before = writes();
    const prompts = answer({ picks: [() => undefined] });
    await vscode.commands.executeCommand('workspaceAccess.finding.reclaimSeat');
    assert.deepEqual(prompts.errors, []);
    assert.equal(prompts.picks[0].title, 'Reclaim Seat…');
    const offered = prompts.picks[0].items ?? [];
    assert.ok(
      offered.length > 0 && offered.every((i) => /^(last active|no activity|never active)/.test(i.detail ?? '')),
    );
    assert.equal(writes(), before);
  });

  it('Revoke Invitation on a stale invitation revokes it; it is gone on the next read', async () => {
    const [stale] = await findingsOf('stale-invitation');
    assert.ok(stale);
    const prompts = answer({ confirm: 'Revoke' });
    await vscode.commands.executeCommand('workspaceAccess.finding.revokeInvitation', stale, [stale]);
    assert.deepEqual(prompts.errors, []);
    assert.ok(!ca().invitations.some((i) => i.email === 'pending.person@example.com' && i.status === 'PENDING'));
    assert.deepEqual(await findingsOf('stale-invitation'), []);
  });

  it('the days settings are 90 and 30 by default, and at most 3,650 whatever is set', async () => {
    const config = vscode.workspace.getConfiguration('workspaceAccess');
    assert.deepEqual(
      [findingsSettings().inactiveDays, findingsSettings().invitationDays],
      [DEFAULT_INACTIVE_DAYS, DEFAULT_INVITATION_DAYS],
    );
    assert.deepEqual([DEFAULT_INACTIVE_DAYS, DEFAULT_INVITATION_DAYS, MAX_FINDING_DAYS], [90, 30, 3_650]);
    await config.update('findings.inactiveDays', 99_999, vscode.ConfigurationTarget.Global);
    try {
      assert.equal(findingsSettings().inactiveDays, MAX_FINDING_DAYS);
    } finally {
      await config.update('findings.inactiveDays', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('a roster that cannot be read says why in its own row; the connections are still read', async () => {
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'Name,Department\nAda,R&D\n');
    await vscode.workspace.getConfiguration('workspaceAccess').update('roster', bad, vscode.ConfigurationTarget.Global);
    try {
      const top = await rows();
      const said = top.map((r) => `${label(r)}: ${description(r)}`);
      assert.ok(
        said.some((l) => l.startsWith('Roster cannot be used: ') && /email/i.test(l)),
        said.join(' | '),
      );
      assert.ok(await kind('inactive'), 'the connections are still read');
      assert.equal(await kind('left'), undefined, 'nobody is called left without a roster');
    } finally {
      await vscode.workspace
        .getConfiguration('workspaceAccess')
        .update('roster', roster, vscode.ConfigurationTarget.Global);
    }
  });
});
