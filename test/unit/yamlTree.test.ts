// The access file's YAML reader on its own: values, the span of every key and value, where a
// mistake is, aliases, and an edit parsed again inside one entry.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  locate,
  nodeAt,
  parseYaml,
  pathAt,
  reparse,
  YamlError,
  type Span,
  type YamlNode,
  type YamlTree,
} from '../../src/core/access/yamlTree';

const FILE = [
  'version: 1',
  'connections:',
  '  - platform: elevenlabs',
  '    workspace: Sandbox',
  '    members:',
  '      ada@example.com: workspace_admin # Ada',
  '      alan@example.com: { seat: workspace_member, locked: true }',
  '    resources:',
  '      - type: voice',
  '        id: v1',
  '        grants:',
  '          group:Support: editor',
  '          grace@example.com: { role: viewer, until: 2026-11-27 }',
  '',
].join('\n');

/** Line and column (both from 0) of an offset. */
function lineCol(text: string, offset: number): [number, number] {
  const lines = text.slice(0, offset).split('\n');
  return [lines.length - 1, lines[lines.length - 1].length];
}

const slice = (text: string, span: Span) => text.slice(span[0], span[1]);

function entry(node: YamlNode | undefined, key: string) {
  const found = node?.entries.find((e) => e.key === key);
  assert.ok(found, `entry ${key}`);
  return found;
}

/** Every key and value span in the tree, as text, in order. */
function spans(text: string, n: YamlNode | undefined): string[] {
  if (!n) return [];
  if (n.kind === 'map') return n.entries.flatMap((e) => [`${e.key}@${e.keySpan.join('-')}`, ...spans(text, e.node)]);
  if (n.kind === 'seq') return n.items.flatMap((i) => spans(text, i));
  return [`${slice(text, n.span)}@${n.span.join('-')}`];
}

function parseError(text: string): YamlError {
  try {
    parseYaml(text);
  } catch (err) {
    if (err instanceof YamlError) return err;
    throw err;
  }
  return assert.fail(`no error for ${JSON.stringify(text)}`);
}

describe('yamlTree: the access file as YAML with positions', () => {
  it('reads the value with the YAML 1.2 core schema', () => {
    assert.deepEqual(parseYaml(FILE).value, {
      version: 1,
      connections: [
        {
          platform: 'elevenlabs',
          workspace: 'Sandbox',
          members: {
            'ada@example.com': 'workspace_admin',
            'alan@example.com': { seat: 'workspace_member', locked: true },
          },
          resources: [
            {
              type: 'voice',
              id: 'v1',
              grants: { 'group:Support': 'editor', 'grace@example.com': { role: 'viewer', until: '2026-11-27' } },
            },
          ],
        },
      ],
    });
    // A date stays text (no timestamps), yes/on stay words (no YAML 1.1 booleans), quotes keep a number-like name text.
    assert.deepEqual(
      parseYaml(
        'until: 2026-11-27\nanswer: yes\nswitch: on\nquoted: "007"\nplain: 007\nnothing: ~\nflag: true\nbig: 1e3\n',
      ).value,
      {
        until: '2026-11-27',
        answer: 'yes',
        switch: 'on',
        quoted: '007',
        plain: 7,
        nothing: null,
        flag: true,
        big: 1000,
      },
    );
  });

  it('knows where every key and value is, nested entries at their line and column', () => {
    const { root } = parseYaml(FILE);
    const conn = entry(root, 'connections').node.items[0];
    const members = entry(conn, 'members').node;
    const ada = entry(members, 'ada@example.com');
    assert.equal(slice(FILE, ada.keySpan), 'ada@example.com');
    assert.deepEqual(lineCol(FILE, ada.keySpan[0]), [5, 6]);
    assert.equal(slice(FILE, ada.node.span), 'workspace_admin', 'the value ends before its comment');
    const alan = entry(members, 'alan@example.com');
    assert.deepEqual([alan.node.kind, alan.node.flow], ['map', true]);
    const locked = entry(alan.node, 'locked');
    assert.equal(slice(FILE, locked.keySpan), 'locked');
    assert.equal(slice(FILE, locked.node.span), 'true');
    assert.deepEqual(lineCol(FILE, locked.keySpan[0]), [6, 50]);
    const resource = entry(conn, 'resources').node.items[0];
    assert.deepEqual([resource.kind, resource.flow], ['map', false]);
    const grant = entry(entry(resource, 'grants').node, 'group:Support');
    assert.deepEqual(lineCol(FILE, grant.keySpan[0]), [11, 10]);
    assert.equal(slice(FILE, grant.node.span), 'editor');
    const until = entry(entry(entry(resource, 'grants').node, 'grace@example.com').node, 'until');
    assert.deepEqual(lineCol(FILE, until.node.span[0]), [12, 52]);
    assert.equal(slice(FILE, until.node.span), '2026-11-27');
    // A block map spans its entries: from its first key to the end of its last value.
    assert.deepEqual(members.span, [ada.keySpan[0], alan.node.span[1]]);
  });

  it('locates a path: a map entry by its key, a list item by its first key, the deepest part that exists', () => {
    const { root } = parseYaml(FILE);
    const at = (path: (string | number)[]) => slice(FILE, locate(root, path));
    assert.equal(at(['connections', 0, 'members', 'alan@example.com', 'locked']), 'locked');
    assert.equal(at(['connections', 0, 'resources', 0]), 'type');
    assert.equal(at(['connections', 0, 'resources', 0, 'grants', 'grace@example.com', 'until']), 'until');
    assert.equal(at(['connections', 0, 'members', 'nobody@example.com']), 'members', 'a missing entry: its section');
    assert.equal(at(['connections', 0, 'resources', 3, 'id']), 'resources', 'a missing item: its list');
    assert.deepEqual(locate(undefined, ['connections']), [0, 0]);
  });

  it('finds the node at a path with its entry and parent, and the path at an offset', () => {
    const { root } = parseYaml(FILE);
    const found = nodeAt(root, ['connections', 0, 'members', 'ada@example.com']);
    assert.ok(found);
    assert.equal(found.entry?.key, 'ada@example.com');
    assert.equal(found.parent?.entries.length, 2);
    assert.equal(slice(FILE, found.node.span), 'workspace_admin');
    assert.equal(nodeAt(root, ['connections', 0, 'resources', 0])?.entry, undefined, 'a list item has no entry');
    assert.equal(nodeAt(root, ['connections', 0, 'members', 'nobody@example.com']), undefined);
    assert.equal(nodeAt(root, ['connections', 'first']), undefined, 'a list is not indexed by a name');

    const onValue = FILE.indexOf('workspace_admin') + 3;
    assert.deepEqual(pathAt(root, onValue), { path: ['connections', 0, 'members', 'ada@example.com'], onKey: false });
    assert.deepEqual(pathAt(root, FILE.indexOf('ada@example.com') + 2), {
      path: ['connections', 0, 'members', 'ada@example.com'],
      onKey: true,
    });
    assert.deepEqual(pathAt(root, FILE.indexOf('until') + 1), {
      path: ['connections', 0, 'resources', 0, 'grants', 'grace@example.com', 'until'],
      onKey: true,
    });
    assert.equal(pathAt(parseYaml('# only a comment\n').root, 3), undefined);
  });

  it('a duplicate key is an error at the second one, in block and flow maps; keys differing in case are not duplicates', () => {
    const text = FILE.replace(
      '      alan@example.com:',
      '      ada@example.com: workspace_member\n      alan@example.com:',
    );
    const err = parseError(text);
    assert.equal(err.duplicate, true);
    assert.deepEqual(lineCol(text, err.position)[0], 6, "on the second key's line");
    const flow = parseError('grants: { a: viewer, a: editor }\n');
    assert.equal(flow.duplicate, true);
    assert.deepEqual(parseYaml('members:\n  ada@example.com: a\n  ADA@example.com: b\n').value, {
      members: { 'ada@example.com': 'a', 'ADA@example.com': 'b' },
    });
  });

  it('a syntax error is a YamlError at its position, said as a sentence', () => {
    const unclosed = 'version: 1\nconnections:\n  - platform: gitbook\n    organization: [oops\n';
    const err = parseError(unclosed);
    assert.equal(err.duplicate, false);
    assert.equal(err.position, unclosed.length, 'at the end of the text, with the list still open');
    assert.match(err.message, /^[A-Z].*\.$/);
    const stray = parseError('- a\nb: 1\n');
    assert.deepEqual(lineCol('- a\nb: 1\n', stray.position), [1, 0]);
    assert.equal(parseError('a: "never closed\n').duplicate, false);
  });

  it("an alias takes its anchor's value, and `<<` is an ordinary key (no merging)", () => {
    const text = 'base: &role { role: editor }\nsame: *role\nmerged:\n  <<: *role\n  until: 2026-01-01\n';
    const { value, root } = parseYaml(text);
    const v = value as Record<string, Record<string, unknown>>;
    assert.deepEqual(v.same, { role: 'editor' });
    assert.deepEqual(v.merged, { '<<': { role: 'editor' }, until: '2026-01-01' });
    assert.equal(entry(root, 'same').node.kind, 'alias');
    assert.ok(slice(text, entry(root, 'same').node.span).includes('role'), 'the alias node spans its name');
    assert.throws(() => parseYaml('a: *nowhere\n'), YamlError, 'an alias to nothing');
  });

  it('an empty file, or one with only comments, has no value and no tree', () => {
    for (const text of ['', '# nothing yet\n'])
      assert.deepEqual(parseYaml(text), { value: undefined, root: undefined });
  });

  describe('an edit parsed again inside one entry', () => {
    const edit = (text: string, from: string, to: string) => {
      assert.ok(text.includes(from), from);
      return text.replace(from, to);
    };
    const same = (a: YamlTree, b: YamlTree, text: string) => {
      assert.deepEqual(a.value, b.value);
      assert.deepEqual(spans(text, a.root), spans(text, b.root));
    };

    it('gives what a full parse gives, and moves the spans it had handed out', () => {
      const before = parseYaml(FILE);
      const grant = entry(entry(entry(before.root, 'connections').node.items[0], 'resources').node.items[0], 'grants')
        .node.entries[1];
      const text = edit(FILE, 'ada@example.com: workspace_admin', 'ada@example.com: workspace_lite_member');
      const r = reparse(FILE, before, text);
      assert.ok(r);
      assert.deepEqual(r.path, ['connections', 0, 'members', 'ada@example.com']);
      same(r.tree, parseYaml(text), text);
      // A span taken before the edit moved with it.
      assert.equal(slice(text, grant.keySpan), 'grace@example.com');
    });

    it("a renamed key is the entry's new path; a list item is parsed again as a whole", () => {
      const renamed = edit(FILE, 'ada@example.com: workspace_admin', 'adah@example.com: workspace_admin');
      const r = reparse(FILE, parseYaml(FILE), renamed);
      assert.deepEqual(r?.path, ['connections', 0, 'members', 'adah@example.com']);
      same(r.tree, parseYaml(renamed), renamed);
      const item = edit(FILE, 'group:Support: editor', 'group:Sales: editor');
      const i = reparse(FILE, parseYaml(FILE), item);
      assert.deepEqual(i?.path, ['connections', 0, 'resources', 0]);
      same(i.tree, parseYaml(item), item);
    });

    it('gives up (the caller parses it all) when the edit reaches past one entry', () => {
      const cases = [
        edit(
          FILE,
          'ada@example.com: workspace_admin # Ada',
          'ada@example.com: workspace_admin # Ada\n      new@example.com: workspace_member',
        ),
        edit(FILE, 'group:Support: editor', 'grace@example.com: editor'),
        edit(FILE, '      alan@example.com: { seat: workspace_member, locked: true }\n', ''),
        edit(FILE, 'ada@example.com: workspace_admin', 'ada@example.com: [oops'),
      ];
      for (const text of cases) assert.equal(reparse(FILE, parseYaml(FILE), text), undefined, text);
      assert.equal(reparse(FILE, parseYaml(FILE), FILE), undefined, 'nothing changed');
    });
  });
});
