// The access-file parser under fuzzing: arbitrary text and valid files with random damage never make
// it throw, every problem it reports lies inside the text, and an incremental reparse after each edit
// says what a full parse says. Also: a connection declared twice is an error at its second entry.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as fc from 'fast-check';
import { parseAccessFile, readAccessFile, SECTION_DEPTH, type ParsedFile } from '../../src/core/access/parse';
import { locate, type YamlNode } from '../../src/core/access/yamlTree';
import { readLive } from '../../src/core/access/live';
import { renderAccessFile } from '../../src/core/access/render';
import type { Provider } from '../../src/core/provider';
import { ACCESS_FILE_FACTS } from '../../src/providers';
import { ConfidentProvider } from '../../src/providers/confident/provider';
import { ElevenLabsProvider } from '../../src/providers/elevenlabs/provider';
import { GitBookProvider } from '../../src/providers/gitbook/provider';
import { Emulator } from '../emulator/server';
import { clientFor } from './helpers';

type Id = 'elevenlabs' | 'gitbook' | 'confident';
const NAMES = { elevenlabs: 'Sandbox ElevenLabs', gitbook: 'org_sandbox', confident: 'Sandbox Confident' } as const;

/** Every span a parse hands out: problems', and every entry's of every connection (drift is reported at them). */
function spans(p: ParsedFile): (readonly [number, number])[] {
  const out: (readonly [number, number])[] = p.problems.map((x) => x.at);
  const walk = (v: unknown, depth: number): void => {
    if (depth > 8 || typeof v !== 'object' || v === null) return;
    if (Array.isArray(v)) return v.forEach((x) => walk(x, depth + 1));
    for (const [k, x] of Object.entries(v)) {
      if (k === 'facts') continue;
      if (k === 'at' && Array.isArray(x)) out.push(x as unknown as [number, number]);
      else walk(x, depth + 1);
    }
  };
  walk(p.connections, 0);
  walk(p.partial, 0);
  return out;
}

/** Never throws; every span lies inside the text, in order; every problem says something. */
function parsedWell(text: string, previous?: ParsedFile): ParsedFile {
  const p = parseAccessFile(text, ACCESS_FILE_FACTS, previous);
  for (const [start, end] of spans(p))
    assert.ok(
      Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end && end <= text.length,
      `[${start}, ${end}) is outside the text (${text.length} characters)`,
    );
  assert.ok(p.problems.every((x) => x.message.length > 0 && x.severity.length > 0));
  return p;
}

/** What two parses must agree on: the specs (spans included), the problems, the value. */
const view = (p: ParsedFile) =>
  JSON.stringify({
    c: p.connections.map((c) => ({ ...c, facts: c.facts.platform, exclusive: [...c.exclusive] })),
    partial: p.partial?.map((c) => ({ ...c, facts: c.facts.platform, exclusive: [...c.exclusive] })),
    p: p.problems,
    v: p.tree.value,
  });

/** The characters YAML gives meaning to, and some it does not, for random edits. */
const CHARS = [...': -\n\n\n  "\'[]{},#&*!|>%@`?\t\rax9_.\u00e9\u2028\uFEFF'];

/** One random edit of a text: characters or whole lines deleted, inserted or repeated, or a line moved. */
const editArb = fc.record({
  kind: fc.constantFrom('delete', 'insert', 'duplicate', 'delete-line', 'duplicate-line', 'move-line', 'indent'),
  at: fc.nat(),
  to: fc.nat(),
  size: fc.integer({ min: 1, max: 12 }),
  text: fc.array(fc.constantFrom(...CHARS), { minLength: 1, maxLength: 8 }).map((c) => c.join('')),
});
type Edit = typeof editArb extends fc.Arbitrary<infer T> ? T : never;

function applyEdit(text: string, e: Edit): string {
  const at = text.length ? e.at % (text.length + 1) : 0;
  const lines = text.split('\n');
  const line = e.at % lines.length;
  switch (e.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + e.size);
    case 'insert':
      return text.slice(0, at) + e.text + text.slice(at);
    case 'duplicate':
      return text.slice(0, at) + text.slice(at, at + e.size) + text.slice(at);
    case 'delete-line':
      lines.splice(line, 1);
      return lines.join('\n');
    case 'duplicate-line':
      lines.splice(line, 0, lines[line]);
      return lines.join('\n');
    case 'move-line': {
      const [moved] = lines.splice(line, 1);
      lines.splice(e.to % (lines.length + 1), 0, moved);
      return lines.join('\n');
    }
    default:
      lines[line] = e.size % 2 ? `  ${lines[line]}` : lines[line].replace(/^ {1,2}/, '');
      return lines.join('\n');
  }
}

describe('access file parser', () => {
  let valid: string;
  before(async () => {
    const emulator = await Emulator.start();
    const ids: Id[] = ['elevenlabs', 'gitbook', 'confident'];
    const clients = ids.map((id) => clientFor(emulator, id));
    try {
      const providers: Record<Id, Provider> = {
        elevenlabs: new ElevenLabsProvider(clients[0].client),
        gitbook: new GitBookProvider(clients[1].client, 'org_sandbox'),
        confident: new ConfidentProvider(clients[2].client),
      };
      const entries = await Promise.all(
        ids.map(async (id) => ({
          facts: ACCESS_FILE_FACTS.find((f) => f.platform === id)!,
          name: NAMES[id],
          provider: providers[id],
          live: await readLive(providers[id], undefined, { concurrency: 8 }),
        })),
      );
      valid = renderAccessFile(entries);
    } finally {
      for (const c of clients) await c.transport.close();
      await emulator.close();
    }
  });

  it('the export it fuzzes is valid', () => {
    assert.deepEqual(parsedWell(valid).problems, []);
    assert.equal(parseAccessFile(valid, ACCESS_FILE_FACTS).connections.length, 3);
  });

  it('a connection declared twice is an error at the second entry, naming the first', () => {
    const text = [
      'version: 1',
      'connections:',
      '  - platform: gitbook',
      '    organization: org_sandbox',
      '  - platform: elevenlabs',
      '    workspace: Sandbox ElevenLabs',
      '  - platform: gitbook',
      '    organization: ORG_Sandbox',
      '',
    ].join('\n');
    const parsed = parsedWell(text);
    assert.deepEqual(
      parsed.problems.map((p) => ({
        ...p,
        at: text.slice(p.at[0], p.at[1]),
        line: text.slice(0, p.at[0]).split('\n').length,
      })),
      [
        {
          at: 'organization',
          line: 8,
          severity: 'error',
          message: 'This GitBook organization is already declared (entry 1): merge the two.',
          code: 'duplicate',
        },
      ],
    );
  });

  it('an empty role says it is empty and names the roles; the entries without errors are still read, for diagnostics only', () => {
    const text = [
      'version: 1',
      'connections:',
      '  - platform: gitbook',
      '    organization: org_sandbox',
      '    exclusive: [members]',
      '    members:',
      '      ada@example.com:',
      '      bob@example.com: admin',
      '  - platform: elevenlabs',
      '    workspace: Sandbox ElevenLabs',
      '    members:',
      '      eve@example.com: ""',
      '  - platform: confident',
      '    organization: Sandbox Confident',
      '    bogus: 1',
      '    members:',
      '      cy@example.com: Admin',
      '  - platform: confident',
      '    organization: Other',
      '    members:',
      '      dan@example.com:',
      '',
    ].join('\n');
    const parsed = parsedWell(text);
    const line = (at: readonly [number, number]) => text.slice(0, at[0]).split('\n').length;
    assert.deepEqual(
      parsed.problems.map((p) => `${line(p.at)}: ${p.message}`),
      [
        '7: The role is empty; use one of: admin, create, review, edit, comment, read, guest.',
        '12: The seat type is empty; use one of: workspace_admin, workspace_member, workspace_lite_member.',
        '15: Unknown key "bogus": remove it, or check its spelling.',
        "21: The role is empty: name one of the organization's roles.",
      ],
    );
    assert.deepEqual(parsed.connections, [], 'nothing to plan for writing');
    assert.deepEqual(
      parsed.partial?.map((c) => ({
        name: c.name,
        exclusive: [...c.exclusive],
        members: c.members?.map((m) => `${m.email}: ${m.role}`),
      })),
      [
        // A section that lost an entry is not exclusive: nothing is removed on account of a wrong line.
        { name: 'org_sandbox', exclusive: [], members: ['bob@example.com: admin'] },
        { name: 'Sandbox ElevenLabs', exclusive: [], members: [] },
        { name: 'Other', exclusive: [], members: [] },
      ],
    );
  });

  it('what the fuzzing found: an empty key is placed inside the text; a re-indented first entry and a lone CR are parsed whole', () => {
    // "- : collection": js-yaml gives the empty key no position (-1); its problems were at [-1, -1].
    const emptyKey = valid.replace(/- type: collection/, '- : collection');
    const parsed = parsedWell(emptyKey);
    assert.ok(parsed.problems.length > 0);
    const at = emptyKey.indexOf('- : collection') + 2;
    assert.ok(
      parsed.problems.some((p) => p.at[0] === at && p.at[1] === at),
      JSON.stringify(parsed.problems),
    );
    // The first member indented further: a full parse finds the next line badly indented; the incremental one found nothing.
    const first = valid.indexOf('      ada.lovelace@example.com');
    // A CR inserted before a member: YAML ends the line there; the incremental parse did not.
    const cr = valid.indexOf('radia.lovelace@example.com: workspace_member');
    for (const edited of [
      `${valid.slice(0, first)}  ${valid.slice(first)}`,
      `${valid.slice(0, cr)}\r${valid.slice(cr)}`,
    ]) {
      const full = parsedWell(edited);
      assert.equal(full.problems[0]?.code, 'syntax');
      assert.equal(view(parsedWell(edited, parsedWell(valid))), view(full));
    }
  });

  it('arbitrary text never throws, and every problem lies inside it', () => {
    const tokens = [
      'version: 1',
      'connections:',
      '\n  - platform: ',
      'gitbook',
      'elevenlabs',
      'confident',
      '\n    organization: x',
      '\n    workspace: W',
      '\n    members:',
      '\n      a@b.io: read',
      '\n    resources:',
      '\n      - type: space',
      '\n        id: s1',
      '\n        grants:',
      '\n          team:X: edit',
      '\n    teams:',
      '\n    projects:',
      '&a ',
      '*a',
      '<<: ',
      '!!str ',
      '? ',
      '{ role: x, until: 2026-01-01 }',
      'exclusive: [members]',
    ];
    const yamlish = fc
      .array(fc.oneof(fc.constantFrom(...CHARS), fc.constantFrom(...tokens)), { maxLength: 80 })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), yamlish), (text) => void parsedWell(text)),
      { numRuns: 500 },
    );
  });

  it('a valid file with random damage never makes it throw, and each incremental reparse says what a full parse says', () => {
    let incremental = 0;
    fc.assert(
      fc.property(fc.array(editArb, { minLength: 1, maxLength: 6 }), fc.boolean(), (edits, crlf) => {
        let text = crlf ? valid.replace(/\n/g, '\r\n') : valid;
        let previous = parsedWell(text);
        for (const e of edits) {
          text = applyEdit(text, e);
          const full = parsedWell(text);
          const inc = parsedWell(text, previous);
          if (inc.incremental) incremental++;
          assert.equal(view(inc), view(full), `after ${JSON.stringify(e)}`);
          previous = inc;
        }
      }),
      { numRuns: 300 },
    );
    assert.ok(incremental > 0, 'the incremental path was taken');
  });

  it("the command line's one-shot read says what the editor's parse says, and keeps its tree only down to each connection's sections", () => {
    const depth = (n: YamlNode | undefined): number =>
      !n ? 0 : 1 + Math.max(0, ...n.entries.map((e) => depth(e.node)), ...n.items.map(depth));
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 3 }), (edits) => {
        let text = valid;
        for (const e of edits) text = applyEdit(text, e);
        const full = parseAccessFile(text, ACCESS_FILE_FACTS);
        const once = readAccessFile(text, ACCESS_FILE_FACTS);
        assert.equal(view({ ...once, tree: full.tree }), view(full));
        // Planning locates `connections › N › section` (plan.ts's sectionAt): the same span in both trees.
        full.connections.forEach((_, i) => {
          for (const key of ['members', 'groups', 'teams', 'resources', 'inviteLinks', 'projects', 'nope'])
            assert.deepEqual(
              locate(once.tree.root, ['connections', i, key]),
              locate(full.tree.root, ['connections', i, key]),
            );
        });
        assert.ok(depth(once.tree.root) <= SECTION_DEPTH + 1, `a tree ${depth(once.tree.root)} nodes deep`);
      }),
      { numRuns: 100 },
    );
    assert.equal(SECTION_DEPTH, 3);
    const deep = depth(parseAccessFile(valid, ACCESS_FILE_FACTS).tree.root);
    assert.ok(deep > SECTION_DEPTH + 1, `the full tree is ${deep} deep`);
  });
});
