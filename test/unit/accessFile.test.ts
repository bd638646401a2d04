import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { runJob } from '../../src/core/jobs/engine';
import type { ChangeItem } from '../../src/core/changes/change';
import { changeTask } from '../../src/core/changes/task';
import { locate, parseAccessFile, type ConnectionSpec } from '../../src/core/access/parse';
import { readLive, type LiveState } from '../../src/core/access/live';
import { planFile, type FilePlan } from '../../src/core/access/plan';
import { planConnection } from '../../src/core/access/planner';
import { renderAccessFile } from '../../src/core/access/render';
import { EMAIL_PATTERN } from '../../src/core/inviteRows';
import { RoleLadder, type Member, type Principal } from '../../src/core/model';
import type { Provider, RoleChoice } from '../../src/core/provider';
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
    providers = {
      elevenlabs: new ElevenLabsProvider(clients[0].client),
      gitbook: new GitBookProvider(clients[1].client, 'org_sandbox'),
      confident: new ConfidentProvider(clients[2].client),
    };
  });
  afterEach(async () => {
    for (const platform of ['elevenlabs', 'gitbook', 'confident'] as const)
      assert.deepEqual(loadContract(platform).checkAll(emulator.requests.filter((r) => r.platform === platform)), []);
    for (const c of clients) await c.transport.close();
  });

  const facts = (id: Id) => ACCESS_FILE_FACTS.find((f) => f.platform === id)!;
  async function exportAll(ids: readonly Id[]): Promise<string> {
    const entries = await Promise.all(
      ids.map(async (id) => ({
        facts: facts(id),
        name: NAMES[id],
        provider: providers[id],
        live: await readLive(providers[id], undefined, { concurrency: 8 }),
      })),
    );
    return renderAccessFile(entries);
  }
  function plan(text: string): Promise<FilePlan> {
    const parsed = parseAccessFile(text, ACCESS_FILE_FACTS);
    assert.deepEqual(parsed.problems, []);
    return planFile(
      parsed,
      (spec) => ({ connectionId: spec.facts.platform, provider: providers[spec.facts.platform as Id] }),
      { today: TODAY, concurrency: 8 },
    );
  }

  it('exports every platform deterministically, and an export plans to nothing', async () => {
    const text = await exportAll(['elevenlabs', 'gitbook', 'confident']);
    assert.equal(await exportAll(['elevenlabs', 'gitbook', 'confident']), text);
    const p = await plan(text);
    assert.deepEqual(p.changes, []);
    assert.deepEqual(
      p.findings.filter((f) => f.severity !== 'info'),
      [],
    );
    // The JSON Schema the extension ships (for editors with yamlValidation) takes the export, and refuses what the parser refuses.
    assert.equal(
      fs.readFileSync(SCHEMA_FILE, 'utf8'),
      schemaText(),
      'media/workspace-access.schema.json is stale: run npm run schema',
    );
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
    const { outcomes } = await runJob(
      items,
      changeTask((id) => providers[id as Id]),
      { maxConcurrency: 4 },
    );
    assert.deepEqual(
      outcomes.filter((o) => o.status !== 'done').map((o) => `${o.status}: ${'reason' in o ? o.reason : ''}`),
      [],
    );
    for (const id of Object.keys(providers) as Id[]) providers[id].invalidate();
    return items;
  }

  it('ElevenLabs: edit, plan, apply, and plan again finds nothing to do', async () => {
    let text = await exportAll(['elevenlabs']);
    text = edit(
      text,
      /alan\.lovelace@example\.com: workspace_member # Alan/,
      'alan.lovelace@example.com: workspace_admin # Alan',
    );
    text = edit(
      text,
      /radia\.lovelace@example\.com: workspace_member # Radia/,
      'radia.lovelace@example.com: { seat: workspace_member, locked: true }\n      new.person@example.com: workspace_member',
    );
    text = edit(
      text,
      /(  Engineering:\n)(        - frances)/,
      '$1        - new.person@example.com\n        - donald.lovelace@example.com\n$2',
    );
    text = edit(
      text,
      /(  Marketing:\n        - donald\.lovelace@example\.com # Donald\n)        - ken\.lovelace@example\.com # Ken\n/,
      '$1',
    );
    text = edit(
      text,
      /(name: Narrator 1\n        grants:\n          group:Support: )editor/,
      '$1viewer\n          donald.lovelace@example.com: commenter',
    );
    text = edit(
      text,
      /(name: Tutorial 31\n(?:.*\n){3})          donald\.lovelace@example\.com: commenter # Donald\n/,
      '$1',
    );
    const p = await plan(text);
    const ops = p.changes.map((c) => c.change.op).sort();
    assert.deepEqual(ops, [
      'grant',
      'grant',
      'invite',
      'join-group',
      'leave-group',
      'revoke',
      'set-locked',
      'set-role',
    ]);
    const invite = p.changes.find((c) => c.change.op === 'invite')!.change;
    assert.deepEqual(
      invite.op === 'invite' && invite.groups?.map((g) => g.name),
      ['Engineering'],
      'the invitation carries the group the file puts the invitee in',
    );
    const alan = p.findings.find((f) => f.code === 'drift' && text.slice(f.at[0], f.at[1]).startsWith('alan.'))!;
    assert.equal(alan.message, 'live: workspace_member', "drift is reported on the member's own line");
    const items = await applyAll(p);
    const st = emulator.state('elevenlabs');
    assert.equal(st.members.find((m) => m.email.startsWith('alan.'))!.seat_type, 'workspace_admin');
    assert.ok(st.invites.has('new.person@example.com'));
    const invited = new Map(
      items
        .filter((i) => i.change.op === 'invite')
        .map((i) => [(i.change as { email: string }).email.toLowerCase(), 'sent' as const]),
    );
    const again = await planFile(
      parseAccessFile(text, ACCESS_FILE_FACTS),
      () => ({ connectionId: 'elevenlabs', provider: providers.elevenlabs, invited }),
      { today: TODAY, concurrency: 8 },
    );
    assert.deepEqual(again.changes, []);
    assert.ok(again.findings.some((f) => f.code === 'pending' && f.message.includes('new.person@example.com')));
  });

  it('GitBook: member and team roles, grants, invite links and a removal, applied, then nothing to do', async () => {
    let text = await exportAll(['gitbook']);
    text = edit(text, / +barbara\.lovelace@example\.com: read # Barbara Lovelace\n/, '');
    text = edit(text, /dennis\.lovelace@example\.com: read/, 'dennis.lovelace@example.com: edit');
    text = edit(
      text,
      /(  Engineering:\n(?:.*\n))        ken\.lovelace@example\.com: member/,
      '$1        ken.lovelace@example.com: owner',
    );
    text = edit(text, /(name: Helpdesk 13\n        grants:\n          team:Support: )comment/, '$1edit');
    const p = await plan(text);
    assert.deepEqual(p.changes.map((c) => c.change.op).sort(), [
      'grant',
      'remove-member',
      'set-group-role',
      'set-role',
    ]);
    assert.equal(p.changes.find((c) => c.change.op === 'remove-member')!.kind, 'remove');
    await applyAll(p);
    assert.deepEqual((await plan(text)).changes, []);
  });

  it('Confident AI: roles, projects, an invitation, applied, then nothing to do (the invitation is listed as pending)', async () => {
    let text = await exportAll(['confident']);
    text = edit(
      text,
      /tim\.lovelace@example\.com: Member # Tim Lovelace/,
      'tim.lovelace@example.com: Admin\n      new.person@example.com: Member',
    );
    text = edit(
      text,
      /(name: Launch 3\n        members:\n(?:.*\n))          barbara\.lovelace@example\.com: Member # Barbara Lovelace\n/,
      '$1',
    );
    text = edit(
      text,
      /(name: Handbook 2\n        members:\n)          edsger\.lovelace@example\.com: Member/,
      '$1          edsger.lovelace@example.com: Manager',
    );
    const p = await plan(text);
    assert.deepEqual(p.changes.map((c) => c.change.op).sort(), [
      'invite',
      'leave-project',
      'set-project-role',
      'set-role',
    ]);
    await applyAll(p);
    const again = await plan(text);
    assert.deepEqual(again.changes, []);
    assert.ok(again.findings.some((f) => f.code === 'pending' && f.message.includes('new.person@example.com')));
  });

  it('reports expiry at its line, and Plan removes what expired', async () => {
    let text = await exportAll(['elevenlabs']);
    text = edit(
      text,
      /(name: Narrator 1\n        grants:\n          group:Support: )editor/,
      '$1{ role: editor, until: 2026-11-27 }',
    );
    const p = await plan(text);
    const expired = p.findings.find((f) => f.code === 'expired')!;
    assert.equal(expired.message, "group:Support's editor expired 3 days ago (until 2026-11-27): Plan removes it.");
    assert.equal(text.slice(expired.at[0], expired.at[1]), 'group:Support');
    assert.deepEqual(
      p.changes.map((c) => c.change.op),
      ['revoke'],
    );
  });

  it('bad input: each mistake at its line, with what to do, and Plan refuses the file', async () => {
    const base = await exportAll(['elevenlabs', 'gitbook']);
    const cases: [RegExp, string, string, string][] = [
      [
        /alan\.lovelace@example\.com: workspace_member # Alan/,
        'alan.lovelace@example.com: workspace_boss',
        'alan.lovelace@example.com',
        '"workspace_boss" is not a seat type of ElevenLabs; use one of: workspace_admin, workspace_member, workspace_lite_member.',
      ],
      [
        /    exclusive: \[ members, groups, resources \]/,
        '    exclusive: [ members, groups, resources ]\n    colour: blue',
        'colour',
        'Unknown key "colour": remove it, or check its spelling.',
      ],
      [
        /alan\.lovelace@example\.com: workspace_member # Alan/,
        'alan.lovelace@example.com: workspace_member\n      ALAN.lovelace@example.com: workspace_admin',
        'ALAN.lovelace@example.com',
        'Member ALAN.lovelace@example.com is listed twice: keep one.',
      ],
      [
        /alan\.lovelace@example\.com: workspace_member # Alan/,
        'alan.lovelace@example.com: workspace_member\n      alan.lovelace@example.com: workspace_admin',
        'alan.lovelace@example.com',
        'This key is listed twice in the same map: keep one.',
      ],
      [
        /alan\.lovelace@example\.com: workspace_member # Alan/,
        'alan.lovelace@example: workspace_member',
        'alan.lovelace@example',
        'Use an email address here.',
      ],
      [
        /group:Support: editor/,
        'group:Support: { role: editor, until: 2026-02-30 }',
        'until',
        'This is not a calendar date.',
      ],
    ];
    for (const [from, to, at, message] of cases) {
      const text = edit(base, from, to);
      const parsed = parseAccessFile(text, ACCESS_FILE_FACTS);
      const found = parsed.problems.find((p) => p.message === message);
      assert.ok(found, `${message} in ${JSON.stringify(parsed.problems)}`);
      assert.equal(text.slice(found.at[0], found.at[0] + at.length), at, message);
      await assert.rejects(
        planFile(parsed, () => ({ problem: 'unused' }), { today: TODAY, concurrency: 1 }),
        /The file has errors/,
      );
    }
    const syntax = parseAccessFile(
      'version: 1\nconnections:\n  - platform: gitbook\n    organization: [oops\n',
      ACCESS_FILE_FACTS,
    );
    assert.equal(syntax.problems[0]?.code, 'syntax');
    const unmatched = parseAccessFile(
      base.replace('workspace: Sandbox ElevenLabs', 'workspace: Elsewhere'),
      ACCESS_FILE_FACTS,
    );
    const p = await planFile(
      unmatched,
      (spec) =>
        spec.name === 'Elsewhere'
          ? { problem: 'No ElevenLabs connection matches workspace "Elsewhere".' }
          : { connectionId: 'gitbook', provider: providers.gitbook },
      { today: TODAY, concurrency: 8 },
    );
    const problem = p.findings.find((f) => f.code === 'connection')!;
    assert.equal(
      unmatched.tree.root !== undefined &&
        base.replace('workspace: Sandbox ElevenLabs', 'workspace: Elsewhere').slice(problem.at[0], problem.at[1]),
      'workspace',
    );
  });

  it('an edit parsed incrementally gives what a full parse gives: specs, spans and problems (hundreds of random edits)', async () => {
    const base = await exportAll(['elevenlabs', 'gitbook', 'confident']);
    const lines = base.split('\n');
    const replacements = [
      'workspace_admin',
      'viewer',
      'owner',
      'Manager',
      'x@example.com: edit',
      '- y@example.com',
      '{ role: editor, until: 2026-01-01 }',
      'bad: [',
      '',
      'member',
      '  nested: 1',
    ];
    const edit = fc.record({
      line: fc.nat(lines.length - 1),
      at: fc.nat(80),
      cut: fc.nat(12),
      put: fc.constantFrom(...replacements),
      kind: fc.constantFrom('inline', 'insert', 'delete'),
    });
    const view = (p: ReturnType<typeof parseAccessFile>) =>
      JSON.stringify({
        c: p.connections.map((c) => ({ ...c, facts: c.facts.platform, exclusive: [...c.exclusive] })),
        p: p.problems,
        v: p.tree.value,
      });
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

describe('what Export writes reads back to the same spec', () => {
  const never = (): never => {
    throw new Error('rendering and planning call no network');
  };
  const factsOf = (id: Id) => ACCESS_FILE_FACTS.find((f) => f.platform === id)!;
  /** Providers as far as rendering and planning read them: what each platform can do. */
  const fakes: Record<Id, Provider> = {
    elevenlabs: {
      platform: 'elevenlabs',
      whoAmI: never,
      invalidate: () => {},
      members: { list: never, page: never, roles: { kind: 'seat', choices: never, set: never }, setLocked: never },
      groups: { word: 'group', label: 'Groups', list: never, page: never, members: never },
      sharing: {
        label: 'Resources',
        types: [],
        roles: new RoleLadder(['admin', 'editor', 'commenter', 'viewer']),
        list: never,
        access: never,
        principals: never,
        share: never,
        unshare: never,
      },
    },
    gitbook: {
      platform: 'gitbook',
      whoAmI: never,
      invalidate: () => {},
      members: { list: never, page: never, roles: { kind: 'role', choices: never, set: never }, remove: never },
      groups: {
        word: 'team',
        label: 'Teams',
        list: never,
        page: never,
        members: never,
        roles: {
          choices: [
            { id: 'owner', label: 'Owner' },
            { id: 'member', label: 'Member' },
          ],
          of: (m) => m.groupRole ?? 'member',
          set: never,
        },
      },
      inviteLinks: { roles: [], list: never, create: never, update: never, delete: never },
      sharing: {
        label: 'Content',
        types: [],
        roles: new RoleLadder(['admin', 'create', 'review', 'edit', 'comment', 'read']),
        list: never,
        access: never,
        principals: never,
        share: never,
        unshare: never,
      },
    },
    confident: {
      platform: 'confident',
      whoAmI: never,
      invalidate: () => {},
      members: {
        list: never,
        page: never,
        roles: { kind: 'role', listed: true, choices: never, set: never },
        remove: never,
      },
      projects: { list: never, roles: never, members: never, setRole: never, removeMember: never },
    },
  };

  /** Names a platform may hand back: ones YAML reads as something else unless quoted, and any text at all. */
  const AWKWARD = [
    '007',
    'yes',
    'no',
    'on',
    'off',
    'true',
    'False',
    'null',
    '~',
    '1e3',
    '0x1F',
    '0o17',
    '.inf',
    '-.5',
    '1_000',
    '12:30',
    '2026-01-01',
    '-',
    '- a',
    'a: b',
    'a:b',
    '#x',
    'x #y',
    '[x',
    '{x}',
    '"q"',
    "'s'",
    '&a',
    '*a',
    '!t',
    '%p',
    '@a',
    '`b',
    '|',
    '>',
    '? x',
    ' lead',
    'trail ',
    '<<',
    '---',
    '...',
    'a\tb',
    'é',
    '名前',
    '🎙️ voice',
    '\u00a0nbsp',
  ];
  const anyText = fc.oneof(
    fc.constantFrom(...AWKWARD),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }),
    fc.string({ minLength: 1, maxLength: 8 }),
  );
  /** What fits on one line: a group's name is a grant's key (`group:<name>`), and a key is one line. */
  const oneLine = anyText.filter((s) => !/[\n\r\u2028\u2029]/.test(s));
  const emailArb = fc
    .stringMatching(/^[A-Za-z0-9_'+-]{1,6}@[a-z0-9]{1,6}\.(com|org)$/)
    .filter((e) => EMAIL_PATTERN.test(e));
  const people = fc.uniqueArray(fc.record({ email: emailArb, name: anyText }), {
    minLength: 1,
    maxLength: 6,
    selector: (p) => p.email.toLowerCase(),
  });
  const named = (text: fc.Arbitrary<string>) =>
    fc.uniqueArray(text, { minLength: 1, maxLength: 4, selector: (s) => s.toLowerCase() });
  const world = fc.record({
    people,
    groups: named(oneLine),
    resourceIds: named(anyText),
    resourceNames: fc.array(anyText, { minLength: 4, maxLength: 4 }),
    pick: fc.array(fc.nat(), { minLength: 24, maxLength: 24 }),
  });
  type World = typeof world extends fc.Arbitrary<infer W> ? W : never;

  /** Live state for each platform from one world: every member somewhere, roles and grants picked from it. */
  function liveOf(id: Id, w: World): LiveState {
    let n = 0;
    const pick = <T>(xs: readonly T[]): T => xs[w.pick[n++ % w.pick.length] % xs.length];
    const f = factsOf(id);
    const roles: RoleChoice[] =
      id === 'confident'
        ? [
            { id: 'r1', label: 'Owner' },
            { id: 'r2', label: 'Admin' },
            { id: 'r3', label: 'Reviewer (custom)' },
          ]
        : (f.members.roles ?? []).map((r) => ({ id: r, label: r }));
    const members: Member[] = w.people.map((p, i) => ({
      id: `u${i}`,
      email: p.email,
      name: p.name,
      role: pick(roles).id,
      ...(id === 'elevenlabs' && i % 2 ? { locked: true } : {}),
      ...(id === 'gitbook' ? { groupRole: pick(['owner', 'member']) } : {}),
    }));
    const user = (m: Member): Principal => ({ kind: 'user', id: m.id, name: m.name, email: m.email });
    const groups: Principal[] = w.groups.map((name, i) => ({ kind: 'group', id: `g${i}`, name }));
    if (id === 'confident') {
      return {
        members,
        roles,
        projects: w.resourceIds.map((pid, i) => ({
          project: { type: 'project', id: pid, name: w.resourceNames[i] },
          roles: [
            { id: 'p1', label: 'Manager' },
            { id: 'p2', label: 'Member' },
          ],
          members: members.slice(i % members.length).map((m) => ({ ...m, role: pick(['p1', 'p2']) })),
        })),
      };
    }
    const principals = [
      ...members.map(user),
      ...groups,
      ...(id === 'elevenlabs' ? [{ kind: 'default', id: 'default', name: 'Everyone' } as Principal] : []),
    ];
    const shareRoles = f.resources!.roles;
    return {
      members,
      roles,
      groups: groups.map((g, i) => ({
        group: { id: g.id, name: g.name, memberEmails: [] },
        members: members.filter((_, j) => (i + j) % 2 === 0),
      })),
      groupNames: groups.map((g) => ({ id: g.id, name: g.name })),
      principals: new Map(principals.map((p) => [p.id, p])),
      resources: w.resourceIds.map((rid, i) => ({
        resource: { type: f.resources!.types[i % 2], id: rid, name: w.resourceNames[i] },
        grants: principals
          .filter((_, j) => (i + j) % 3 !== 0)
          .map((principal) => ({ principal, role: pick(shareRoles) })),
      })),
      links:
        id === 'gitbook'
          ? [
              { id: 'l1', target: { kind: 'organization' }, role: 'read', roleLabel: 'Read', redundant: false },
              {
                id: 'l2',
                target: { kind: 'space', id: 's1', name: 'Guide' },
                role: 'edit',
                roleLabel: 'Edit',
                redundant: false,
              },
            ]
          : [],
    };
  }

  /** A connection's spec as plain data, order aside. */
  function specData(spec: ConnectionSpec) {
    const sorted = <T>(xs: readonly T[]) => xs.map((x) => JSON.stringify(x)).sort();
    return {
      members: sorted((spec.members ?? []).map((m) => [m.email, m.role, m.locked ?? false])),
      groups: sorted((spec.groups ?? []).map((g) => [g.name, sorted(g.members.map((m) => [m.email, m.role ?? '']))])),
      resources: sorted(
        (spec.resources ?? []).map((r) => [r.type, r.id, r.name, sorted(r.grants.map((g) => [g.principal, g.role]))]),
      ),
      links: sorted((spec.inviteLinks ?? []).map((l) => [l.target, l.role])),
      projects: sorted(
        (spec.projects ?? []).map((p) => [p.id, p.name, sorted(p.members.map((m) => [m.email, m.role]))]),
      ),
    };
  }

  /** The same, from live state: what the file should say. */
  function liveData(id: Id, live: LiveState) {
    const sorted = <T>(xs: readonly T[]) => xs.map((x) => JSON.stringify(x)).sort();
    const prefix = factsOf(id).groups?.prefix ?? 'group';
    const fileRole = (m: Member) =>
      id === 'confident' ? live.roles.find((r) => r.id === m.role)!.label.replace(' (custom)', '') : m.role;
    return {
      members: sorted(live.members.map((m) => [m.email, fileRole(m), !!m.locked])),
      groups: sorted(
        (live.groups ?? []).map((g) => [
          g.group.name,
          sorted(g.members.map((m) => [m.email, id === 'gitbook' ? (m.groupRole ?? '') : ''])),
        ]),
      ),
      resources: sorted(
        (live.resources ?? []).map((r) => [
          r.resource.type,
          r.resource.id,
          r.resource.name,
          sorted(
            (r.grants ?? []).map((g) => [
              g.principal.kind === 'user'
                ? g.principal.email
                : g.principal.kind === 'default'
                  ? 'default'
                  : `${prefix}:${g.principal.name}`,
              g.role,
            ]),
          ),
        ]),
      ),
      links: sorted(
        (live.links ?? []).map((l) => [
          l.target.kind === 'organization' ? 'organization' : `${l.target.kind}:${l.target.id}`,
          l.role,
        ]),
      ),
      projects: sorted(
        (live.projects ?? []).map((p) => [
          p.project.id,
          p.project.name,
          sorted(p.members.map((m) => [m.email, p.roles.find((r) => r.id === m.role)!.label])),
        ]),
      ),
    };
  }

  it("for any names a platform hands back: no problems, the same entries, the same value the writer's library reads, and a plan of nothing", () => {
    const ids: Id[] = ['elevenlabs', 'gitbook', 'confident'];
    fc.assert(
      fc.property(world, (w) => {
        const lives = ids.map((id) => liveOf(id, w));
        const text = renderAccessFile(
          ids.map((id, i) => ({ facts: factsOf(id), name: NAMES[id], provider: fakes[id], live: lives[i] })),
        );
        const parsed = parseAccessFile(text, ACCESS_FILE_FACTS);
        assert.deepEqual(parsed.problems, [], text);
        // The dialect: the reader takes from the text exactly what the writer's own library takes.
        assert.deepEqual(parsed.tree.value, parseYaml(text), text);
        assert.deepEqual(
          parsed.connections.map((c) => [c.facts.platform, c.name]),
          ids.map((id) => [id, NAMES[id]]),
        );
        parsed.connections.forEach((spec, i) => {
          assert.deepEqual(specData(spec), liveData(ids[i], lives[i]), text);
          const sectionAt = (key: string) => locate(parsed.tree.root, ['connections', i, key]);
          const plan = planConnection(
            spec,
            lives[i],
            { connectionId: ids[i], provider: fakes[ids[i]], today: TODAY },
            sectionAt,
          );
          assert.deepEqual(plan.changes, [], text);
          assert.deepEqual(
            plan.findings.filter((x) => x.severity !== 'info'),
            [],
            text,
          );
        });
      }),
      { numRuns: 150, seed: 7 },
    );
  });
});
