import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { runJob } from '../../src/core/jobs/engine';
import type { ChangeItem } from '../../src/core/changes/change';
import { changeTask } from '../../src/core/changes/task';
import { parseAccessFile } from '../../src/core/access/parse';
import { readLive } from '../../src/core/access/live';
import { planFile, type FilePlan } from '../../src/core/access/plan';
import { renderAccessFile } from '../../src/core/access/render';
import type { Provider } from '../../src/core/provider';
import { ConfidentProvider } from '../../src/providers/confident/provider';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { GitBookProvider } from '../../src/providers/gitbook/provider';
import { ACCESS_FILE_FACTS } from '../../src/providers';
import Ajv from 'ajv';
import fc from 'fast-check';
import * as fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { loadContract } from '../contract/contract';
import { SCHEMA_FILE, schemaText } from '../tools/schema';
import { Emulator } from '../emulator/server';
import { clientFor, type TestClient } from './helpers';

const TODAY = '2026-11-30';
const NAMES = { elevenlabs: 'Sandbox ElevenLabs', gitbook: 'org_sandbox', confident: 'Sandbox Confident' } as const;
type Id = keyof typeof NAMES;

describe('access file, against the emulator', () => {
  let emulator: Emulator;
  let clients: TestClient[];
  let providers: Record<Id, Provider>;
  before(async () => (emulator = await Emulator.start()));
  after(() => emulator.close());
  beforeEach(() => {
    emulator.reset();
    clients = (['elevenlabs', 'gitbook', 'confident'] as const).map((p) => clientFor(emulator, p));
    providers = { elevenlabs: new ElevenLabsProvider(clients[0].client), gitbook: new GitBookProvider(clients[1].client, 'org_sandbox'), confident: new ConfidentProvider(clients[2].client) };
  });
  afterEach(async () => {
    for (const platform of ['elevenlabs', 'gitbook', 'confident'] as const) assert.deepEqual(loadContract(platform).checkAll(emulator.requests.filter((r) => r.platform === platform)), []);
    for (const c of clients) await c.transport.close();
  });

  const facts = (id: Id) => ACCESS_FILE_FACTS.find((f) => f.platform === id)!;
  async function exportAll(ids: readonly Id[]): Promise<string> {
    const entries = await Promise.all(ids.map(async (id) => ({ facts: facts(id), name: NAMES[id], provider: providers[id], live: await readLive(providers[id], undefined, { concurrency: 8 }) })));
    return renderAccessFile(entries);
  }
  function plan(text: string): Promise<FilePlan> {
    const parsed = parseAccessFile(text, ACCESS_FILE_FACTS);
    assert.deepEqual(parsed.problems, []);
    return planFile(parsed, (spec) => ({ connectionId: spec.facts.platform, provider: providers[spec.facts.platform as Id] }), { today: TODAY, concurrency: 8 });
  }

  it('exports every platform deterministically, and an export plans to nothing', async () => {
    const text = await exportAll(['elevenlabs', 'gitbook', 'confident']);
    assert.equal(await exportAll(['elevenlabs', 'gitbook', 'confident']), text);
    const p = await plan(text);
    assert.deepEqual(p.changes, []);
    assert.deepEqual(p.findings.filter((f) => f.severity !== 'info'), []);
    // The JSON Schema the extension ships (for editors with yamlValidation) takes the export, and refuses what the parser refuses.
    assert.equal(fs.readFileSync(SCHEMA_FILE, 'utf8'), schemaText(), 'media/workspace-access.schema.json is stale: run npm run schema');
    const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(schemaText()) as object);
    assert.ok(validate(parseYaml(text)), JSON.stringify(validate.errors));
    assert.equal(validate(parseYaml(text.replace('workspace_admin', 'workspace_boss'))), false);
  });

  /** Replaces one line that matches, and fails when none does: the fixture edits must hit. */
  function edit(text: string, from: RegExp, to: string): string {
    assert.match(text, from);
    return text.replace(from, to);
  }

  async function applyAll(p: FilePlan): Promise<ChangeItem[]> {
    const items = p.changes.map((c) => ({ connectionId: c.connectionId, change: c.change }));
    const { outcomes } = await runJob(items, changeTask((id) => providers[id as Id]), { maxConcurrency: 4 });
    assert.deepEqual(outcomes.filter((o) => o.status !== 'done').map((o) => `${o.status}: ${'reason' in o ? o.reason : ''}`), []);
    for (const id of Object.keys(providers) as Id[]) providers[id].invalidate();
    return items;
  }

  it('ElevenLabs: edit, plan, apply, and plan again finds nothing to do', async () => {
    let text = await exportAll(['elevenlabs']);
    text = edit(text, /alan\.lovelace@example\.com: workspace_member # Alan/, 'alan.lovelace@example.com: workspace_admin # Alan');
    text = edit(text, /radia\.lovelace@example\.com: workspace_member # Radia/, 'radia.lovelace@example.com: { seat: workspace_member, locked: true }\n      new.person@example.com: workspace_member');
    text = edit(text, /(  Engineering:\n)(        - frances)/, '$1        - new.person@example.com\n        - donald.lovelace@example.com\n$2');
    text = edit(text, /(  Marketing:\n        - donald\.lovelace@example\.com # Donald\n)        - ken\.lovelace@example\.com # Ken\n/, '$1');
    text = edit(text, /(name: Narrator 1\n        grants:\n          group:Support: )editor/, '$1viewer\n          donald.lovelace@example.com: commenter');
    text = edit(text, /(name: Tutorial 31\n(?:.*\n){3})          donald\.lovelace@example\.com: commenter # Donald\n/, '$1');
    const p = await plan(text);
    const ops = p.changes.map((c) => c.change.op).sort();
    assert.deepEqual(ops, ['grant', 'grant', 'invite', 'join-group', 'leave-group', 'revoke', 'set-locked', 'set-role']);
    const invite = p.changes.find((c) => c.change.op === 'invite')!.change;
    assert.deepEqual(invite.op === 'invite' && invite.groups?.map((g) => g.name), ['Engineering'], 'the invitation carries the group the file puts the invitee in');
    const alan = p.findings.find((f) => f.code === 'drift' && text.slice(f.at[0], f.at[1]).startsWith('alan.'))!;
    assert.equal(alan.message, 'live: workspace_member', 'drift is reported on the member\'s own line');
    const items = await applyAll(p);
    const st = emulator.state('elevenlabs');
    assert.equal(st.members.find((m) => m.email.startsWith('alan.'))!.seat_type, 'workspace_admin');
    assert.ok(st.invites.has('new.person@example.com'));
    const invited = new Set(items.filter((i) => i.change.op === 'invite').map((i) => (i.change as { email: string }).email.toLowerCase()));
    const again = await planFile(parseAccessFile(text, ACCESS_FILE_FACTS), () => ({ connectionId: 'elevenlabs', provider: providers.elevenlabs, invited }), { today: TODAY, concurrency: 8 });
    assert.deepEqual(again.changes, []);
    assert.ok(again.findings.some((f) => f.code === 'pending' && f.message.includes('new.person@example.com')));
  });

  it('GitBook: member and team roles, grants, invite links and a removal, applied, then nothing to do', async () => {
    let text = await exportAll(['gitbook']);
    text = edit(text, / +barbara\.lovelace@example\.com: read # Barbara Lovelace\n/, '');
    text = edit(text, /dennis\.lovelace@example\.com: read/, 'dennis.lovelace@example.com: edit');
    text = edit(text, /(  Engineering:\n(?:.*\n))        ken\.lovelace@example\.com: member/, '$1        ken.lovelace@example.com: owner');
    text = edit(text, /(name: Helpdesk 13\n        grants:\n          team:Support: )comment/, '$1edit');
    const p = await plan(text);
    assert.deepEqual(p.changes.map((c) => c.change.op).sort(), ['grant', 'remove-member', 'set-group-role', 'set-role']);
    assert.equal(p.changes.find((c) => c.change.op === 'remove-member')!.kind, 'remove');
    await applyAll(p);
    assert.deepEqual((await plan(text)).changes, []);
  });

  it('Confident AI: roles, projects, an invitation, applied, then nothing to do (the invitation is listed as pending)', async () => {
    let text = await exportAll(['confident']);
    text = edit(text, /tim\.lovelace@example\.com: Member # Tim Lovelace/, 'tim.lovelace@example.com: Admin\n      new.person@example.com: Member');
    text = edit(text, /(name: Launch 3\n        members:\n(?:.*\n))          barbara\.lovelace@example\.com: Member # Barbara Lovelace\n/, '$1');
    text = edit(text, /(name: Handbook 2\n        members:\n)          edsger\.lovelace@example\.com: Member/, '$1          edsger.lovelace@example.com: Manager');
    const p = await plan(text);
    assert.deepEqual(p.changes.map((c) => c.change.op).sort(), ['invite', 'leave-project', 'set-project-role', 'set-role']);
    await applyAll(p);
    const again = await plan(text);
    assert.deepEqual(again.changes, []);
    assert.ok(again.findings.some((f) => f.code === 'pending' && f.message.includes('new.person@example.com')));
  });

  it('reports expiry at its line, and Plan removes what expired', async () => {
    let text = await exportAll(['elevenlabs']);
    text = edit(text, /(name: Narrator 1\n        grants:\n          group:Support: )editor/, '$1{ role: editor, until: 2026-11-27 }');
    const p = await plan(text);
    const expired = p.findings.find((f) => f.code === 'expired')!;
    assert.equal(expired.message, 'group:Support\'s editor expired 3 days ago (until 2026-11-27): Plan removes it.');
    assert.equal(text.slice(expired.at[0], expired.at[1]), 'group:Support');
    assert.deepEqual(p.changes.map((c) => c.change.op), ['revoke']);
  });

  it('bad input: each mistake at its line, with what to do, and Plan refuses the file', async () => {
    const base = await exportAll(['elevenlabs', 'gitbook']);
    const cases: [RegExp, string, string, string][] = [
      [/alan\.lovelace@example\.com: workspace_member # Alan/, 'alan.lovelace@example.com: workspace_boss', 'alan.lovelace@example.com', '"workspace_boss" is not a seat type of ElevenLabs; use one of: workspace_admin, workspace_member, workspace_lite_member.'],
      [/    exclusive: \[ members, groups, resources \]/, '    exclusive: [ members, groups, resources ]\n    colour: blue', 'colour', 'Unknown key "colour": remove it, or check its spelling.'],
      [/alan\.lovelace@example\.com: workspace_member # Alan/, 'alan.lovelace@example.com: workspace_member\n      ALAN.lovelace@example.com: workspace_admin', 'ALAN.lovelace@example.com', 'Member ALAN.lovelace@example.com is listed twice: keep one.'],
      [/alan\.lovelace@example\.com: workspace_member # Alan/, 'alan.lovelace@example.com: workspace_member\n      alan.lovelace@example.com: workspace_admin', 'alan.lovelace@example.com', 'This key is listed twice in the same map: keep one.'],
      [/alan\.lovelace@example\.com: workspace_member # Alan/, 'alan.lovelace@example: workspace_member', 'alan.lovelace@example', 'Use an email address here.'],
      [/group:Support: editor/, 'group:Support: { role: editor, until: 2026-02-30 }', 'until', 'This is not a calendar date.'],
    ];
    for (const [from, to, at, message] of cases) {
      const text = edit(base, from, to);
      const parsed = parseAccessFile(text, ACCESS_FILE_FACTS);
      const found = parsed.problems.find((p) => p.message === message);
      assert.ok(found, `${message} in ${JSON.stringify(parsed.problems)}`);
      assert.equal(text.slice(found.at[0], found.at[0] + at.length), at, message);
      await assert.rejects(planFile(parsed, () => ({ problem: 'unused' }), { today: TODAY, concurrency: 1 }), /The file has errors/);
    }
    const syntax = parseAccessFile('version: 1\nconnections:\n  - platform: gitbook\n    organization: [oops\n', ACCESS_FILE_FACTS);
    assert.equal(syntax.problems[0]?.code, 'syntax');
    const unmatched = parseAccessFile(base.replace('workspace: Sandbox ElevenLabs', 'workspace: Elsewhere'), ACCESS_FILE_FACTS);
    const p = await planFile(unmatched, (spec) => (spec.name === 'Elsewhere' ? { problem: 'No ElevenLabs connection matches workspace "Elsewhere".' } : { connectionId: 'gitbook', provider: providers.gitbook }), { today: TODAY, concurrency: 8 });
    const problem = p.findings.find((f) => f.code === 'connection')!;
    assert.equal(unmatched.tree.root !== undefined && base.replace('workspace: Sandbox ElevenLabs', 'workspace: Elsewhere').slice(problem.at[0], problem.at[1]), 'workspace');
  });

  it('an edit parsed incrementally gives what a full parse gives: specs, spans and problems (hundreds of random edits)', async () => {
    const base = await exportAll(['elevenlabs', 'gitbook', 'confident']);
    const lines = base.split('\n');
    const replacements = ['workspace_admin', 'viewer', 'owner', 'Manager', 'x@example.com: edit', '- y@example.com', '{ role: editor, until: 2026-01-01 }', 'bad: [', '', 'member', '  nested: 1'];
    const edit = fc.record({ line: fc.nat(lines.length - 1), at: fc.nat(80), cut: fc.nat(12), put: fc.constantFrom(...replacements), kind: fc.constantFrom('inline', 'insert', 'delete') });
    const view = (p: ReturnType<typeof parseAccessFile>) => JSON.stringify({ c: p.connections.map((c) => ({ ...c, facts: c.facts.platform, exclusive: [...c.exclusive] })), p: p.problems, v: p.tree.value });
    let incremental = 0;
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 5 }), (edits) => {
        let text = base;
        let previous = parseAccessFile(text, ACCESS_FILE_FACTS);
        for (const e of edits) {
          const ls = text.split('\n');
          const i = Math.min(e.line, ls.length - 1);
          if (e.kind === 'insert') ls.splice(i, 0, `${ls[i].match(/^\s*/)?.[0] ?? ''}${e.put}`);
          else if (e.kind === 'delete') ls.splice(i, 1);
          else {
            const at = Math.min(e.at, ls[i].length);
            ls[i] = ls[i].slice(0, at) + e.put + ls[i].slice(at + e.cut);
          }
          text = ls.join('\n');
          const full = parseAccessFile(text, ACCESS_FILE_FACTS);
          const before = previous;
          const inc = parseAccessFile(text, ACCESS_FILE_FACTS, before);
          if (inc.incremental) incremental++;
          assert.equal(view(inc), view(full));
          previous = inc;
        }
      }),
      { numRuns: 200, seed: 14 },
    );
    assert.ok(incremental >= 30, `the incremental path was taken (${incremental} times)`);
  });
});
