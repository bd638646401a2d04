// People across connections: find one person everywhere, see what they reach and why, copy their
// access to someone else (with follow-ups until they join), and offboard them in one job.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { TestApi } from '../../src/extension';
import type { TreeNode } from '../../src/vscode/tree/node';
import { Emulator } from '../emulator/server';
import type { ElevenLabsResource } from '../emulator/platforms/elevenlabs';
import { emulatorState } from '../shared/emulatorState';
import { answer, pickMany, pickOne, restoreAll, stub } from './stubs';
import { connect, emailOf, EXTENSION_ID, label, useSandbox, walk } from './tree';
import { changeKey, type ChangeItem } from '../../src/core/changes/change';
import { grantItems } from '../shared/changeItems';
import type { PersonReach } from '../../src/core/people/person';
import { MAX_REACH_ROWS } from '../../src/vscode/people/nodes/reachNodes';

let emulator: Emulator;
let api: TestApi;
let ids: string[];

const DONALD = 'donald.lovelace@example.com';
const { el, gb, ca } = emulatorState(() => emulator);
/** A multi-select answer that keeps what the picker ticked: the defaults. */
const ticked = (items: readonly vscode.QuickPickItem[]) => items.filter((i) => i.picked);

const children = (node: TreeNode) => api.people.getChildren(node);
const description = (node: TreeNode) => String(node.getTreeItem().description ?? '');
const tooltip = (node: TreeNode) => {
  const t = node.getTreeItem().tooltip;
  return typeof t === 'string' ? t : (t?.value ?? '');
};

/** Each ElevenLabs resource type as a row says it. */
const ONE: Record<string, string> = {
  voice: 'Voice',
  convai_agents: 'Agent',
  pronunciation_dictionary: 'Pronunciation dictionary',
  dubbing: 'Dub',
  project: 'Studio project',
  convai_knowledge_base_documents: 'Knowledge base document (Agents)',
  convai_tools: 'Tool (Agents)',
  convai_phone_numbers: 'Phone number (Agents)',
  convai_mcp_servers: 'MCP server (Agents)',
  convai_secrets: 'Secret (Agents)',
};
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Walks the People view by labels. */
async function down(from: TreeNode, ...labels: string[]): Promise<TreeNode> {
  let node = from;
  for (const wanted of labels) {
    const kids = await children(node);
    const next = kids.find((c) => label(c) === wanted);
    assert.ok(next, `"${wanted}" under "${label(node)}"; found: ${kids.map(label).join(', ')}`);
    node = next;
  }
  return node;
}

async function person(email: string): Promise<TreeNode> {
  const found = (await api.people.getChildren()).find((n) => n.id === `person:${email.toLowerCase()}`);
  assert.ok(found, `${email} is open in the People view`);
  return found;
}

describe('People across connections', function () {
  this.timeout(90_000);

  useSandbox(
    [
      { platform: 'elevenlabs', name: 'People Voices' },
      { platform: 'gitbook', name: 'People Docs' },
      { platform: 'confident', name: 'People Evals' },
    ],
    (s) => {
      ({ emulator, api } = s);
      ids = s.connections.map((c) => c.id.replace(/^conn\//, ''));
    },
  );
  beforeEach(async () => {
    for (const p of api.people.list()) api.people.close(p);
    // The ElevenLabs connection's access index, built once as Find Person would start it.
    const connection = api.store.get(ids[0])!;
    if (!api.indexes.get(ids[0])?.complete) await api.indexes.build(connection);
  });

  it('the People view opens beside Connections at two fifths of the sidebar, its welcome and Find Person… in sight', () => {
    const views = (
      vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as {
        contributes: { views: Record<string, { id: string; initialSize?: number; visibility?: string }[]> };
      }
    ).contributes.views.workspaceAccess;
    const size = (id: string) => views.find((v) => v.id === id)?.initialSize ?? 0;
    // initialSize behaves like CSS flex within the container: 3 to 2, not the few rows VS Code gives by default.
    assert.deepEqual([size('workspaceAccess.connections'), size('workspaceAccess.people')], [3, 2]);
    assert.equal(views.find((v) => v.id === 'workspaceAccess.people')?.visibility, undefined, 'not folded away');
  });

  it('Find Person… by part of a name opens them across three connections, with what they reach and why', async () => {
    answer({ inputs: ['Donald'] });
    await vscode.commands.executeCommand('workspaceAccess.person.find');
    const node = await person(DONALD);
    assert.equal(label(node), 'Donald Lovelace');
    const branches = await children(node);
    assert.deepEqual(branches.map(label), ['People Voices', 'People Docs', 'People Evals']);
    for (const b of branches) assert.doesNotMatch(description(b), /could not be read/);
    // ElevenLabs: what they reach grouped by why, each heading with its count; the index's age said once.
    const reach = await down(node, 'People Voices', 'Can reach');
    const me = el().members.find((m) => m.email === DONALD)!;
    const mine = el().groups.filter((g) => g.members.includes(DONALD));
    const holders = (r: ElevenLabsResource) => Object.values(r.roles).flat();
    const reachedBy = (test: (holder: string) => boolean) => el().resources.filter((r) => holders(r).some(test));
    const reached = reachedBy((p) => p === me.user_id || p === 'default' || mine.some((g) => g.id === p));
    assert.equal(description(reach), String(reached.length), 'the count, and no second age beside the row inside');
    const rows = await children(reach);
    assert.match(label(rows[0]), /^Access index built (less than a minute|\d+ minutes?) ago: click to rebuild$/);
    const direct = reachedBy((p) => p === me.user_id).filter((r) => r.creator_user_id !== me.user_id);
    const made = el().resources.filter((r) => r.creator_user_id === me.user_id);
    const expected: [string, number][] = [
      ['Directly', direct.length],
      ['As creator', made.length],
      ...mine
        .map((g): [string, number] => [`Through group "${g.name}"`, reachedBy((p) => p === g.id).length])
        .sort((a, b) => a[0].localeCompare(b[0])),
      ['Workspace default', reachedBy((p) => p === 'default').length],
    ];
    assert.deepEqual(
      rows.slice(1).map((r) => [label(r), Number(description(r))]),
      expected.filter(([, n]) => n > 0),
    );
    assert.ok(direct.length > 0 && expected.at(-1)![1] > 0, 'the sandbox gives Donald direct shares and the default');
    // Under each: the resource, its type in words (never the API's name) and the role that way gives.
    const directRows = await children(await down(reach, 'Directly'));
    // The resource a row stands for, in the emulator (its name can be the platform's label and number).
    const byName = (row: TreeNode) =>
      el().resources.find((r) => r.id === (row as unknown as { reach: PersonReach }).reach.resource.id)!;
    for (const row of directRows)
      assert.match(description(row), new RegExp(`^${escape(ONE[byName(row).type])} · commenter( · holds \\w+)?$`));
    // Direct rows carry the grant's actions (Change Role, Remove Access); the others are read-only.
    assert.match(directRows[0].getTreeItem().contextValue ?? '', /\bremovable\b/);
    const defaultRows = await children(await down(reach, 'Workspace default'));
    assert.equal(defaultRows.length, expected.at(-1)![1]);
    for (const row of defaultRows) {
      assert.match(description(row), new RegExp(`^${escape(ONE[byName(row).type])} · viewer( · holds \\w+)?$`));
      assert.match(tooltip(row), /workspace default \(viewer\)/);
    }
    assert.ok(
      defaultRows.some((r) => byName(r).type === 'convai_secrets') &&
        defaultRows.every((r) => !/convai_|_/.test(description(r))),
      defaultRows.map(description).join(' | '),
    );
    // GitBook: teams with the team role; Confident AI: the project with the project role.
    const teams = await children(await down(node, 'People Docs', gb().teams.length ? 'Teams' : ''));
    const gbMe = gb().members.find((m) => m.user.email === DONALD)!;
    assert.deepEqual(
      teams.map(label).sort(),
      gb()
        .teams.filter((t) => t.members.has(gbMe.user.id))
        .map((t) => t.title)
        .sort(),
    );
    const projects = await children(await down(node, 'People Evals', 'Projects'));
    assert.deepEqual(
      projects.map((p) => [label(p), description(p)]),
      [[ca().projects[3].name, 'Member']],
    );
    // Every row's id is its own (VS Code refuses a branch with two rows of one id).
    const ids: string[] = [];
    const visit = async (n: TreeNode): Promise<void> => {
      ids.push(n.getTreeItem().id ?? n.id);
      if (n.getTreeItem().collapsibleState !== vscode.TreeItemCollapsibleState.None)
        for (const c of await children(n)) await visit(c);
    };
    await visit(node);
    assert.deepEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
      'duplicate ids',
    );
    assert.ok(ids.length > 30, `${ids.length} rows`);
  });

  it("an invitation's role reads as its name, not its id: the organization's and a project's", async () => {
    const email = 'eva.invited@example.com';
    ca().invitations.push({ id: 901, email, status: 'PENDING', roleId: ca().orgRoles.custom[0].id });
    ca().projects[1].invitations.push({ id: 902, email, status: 'PENDING', roleId: ca().projectRoles.manager.id });
    for (const c of api.store.list()) api.sessions.provider(c).invalidate();
    answer({ inputs: [email] });
    await vscode.commands.executeCommand('workspaceAccess.person.find');
    const evals = await down(await person(email), 'People Evals');
    const rows = await children(evals);
    const invitation = rows.find((r) => label(r) === email);
    assert.ok(invitation, rows.map(label).join(', '));
    assert.equal(description(invitation), 'pending · Evaluator (custom)');
    const [project] = await children(await down(evals, 'Projects'));
    assert.deepEqual([label(project), description(project)], [ca().projects[1].name, 'pending · Manager']);
  });

  it('GitBook: a space whose default is "inherit" or guest (none) is reached for another reason, said in words', async () => {
    answer({ inputs: [DONALD] });
    await vscode.commands.executeCommand('workspaceAccess.person.find');
    const reach = await down(await person(DONALD), 'People Docs', 'Can reach');
    const headings = (await children(reach)).filter(
      (r) => r.getTreeItem().collapsibleState !== vscode.TreeItemCollapsibleState.None,
    );
    const gbMe = gb().members.find((m) => m.user.email === DONALD)!;
    const teams = gb().teams.filter((t) => t.members.has(gbMe.user.id));
    const spaces = gb().content.filter((c) => c.kind === 'space');
    const reached = spaces.filter((c) => c.users.get(gbMe.user.id) || teams.some((t) => c.teams.get(t.id)));
    // The sandbox gives Donald spaces whose default is "inherit" and spaces whose default is guest (null).
    assert.ok(reached.some((c) => c.defaultLevel === 'inherit') && reached.some((c) => c.defaultLevel === null));
    for (const t of teams.filter((t) => spaces.some((c) => c.teams.get(t.id)))) {
      const heading = headings.find((h) => label(h) === `Through team "${t.title}"`);
      assert.ok(heading, headings.map(label).join(', '));
      assert.equal(Number(description(heading)), spaces.filter((c) => c.teams.get(t.id)).length);
    }
    for (const h of headings) {
      assert.match(label(h), /^(Directly|Through team ".+"|Organization default|Inherited from .+)$/);
      for (const row of await children(h)) {
        const said = `${description(row)} ${tooltip(row)}`;
        assert.doesNotMatch(said, /inherit\)|guest|null/, said);
        assert.match(description(row), /^(Space|Collection|Site) · \w+/);
      }
    }
  });

  it('a lock from the Connections tree: the person open in People is read again and says they are locked', async () => {
    const someone = el().members[9];
    assert.equal(someone.is_locked, false);
    answer({ inputs: [someone.email] });
    await vscode.commands.executeCommand('workspaceAccess.person.find');
    const reachBefore = await down(await person(someone.email), 'People Voices', 'Can reach');
    assert.doesNotMatch(description(reachBefore), /locked/);
    const elRoot = (await api.tree.getChildren()).find((n) => n.id === `conn/${ids[0]}`)!;
    const row = (await api.tree.getChildren(await walk(api, elRoot, 'Members'))).find(
      (m) => emailOf(m) === someone.email,
    );
    assert.ok(row, `${someone.email} is listed under Members`);
    try {
      answer({ confirm: 'Lock' });
      await vscode.commands.executeCommand('workspaceAccess.member.lock', row);
      assert.equal(someone.is_locked, true);
      const voices = await down(await person(someone.email), 'People Voices');
      assert.match(description(voices), /· locked/);
      const reach = await down(voices, 'Can reach');
      assert.match(description(reach), /^\d+ · locked$/);
      assert.match(label((await children(reach))[0]), /^Locked: they cannot sign in/);
    } finally {
      someone.is_locked = false;
    }
  });

  it('Show Person Across Connections from a member row; an unknown email says "not a member" per connection; a failing connection fails alone', async () => {
    const gbRoot = (await api.tree.getChildren()).find((n) => n.id === `conn/${ids[1]}`)!;
    const members = await api.tree.getChildren(await walk(api, gbRoot, 'Members'));
    const ken = members.find(
      (m) => (m as unknown as { member: { email: string } }).member.email === 'ken.lovelace@example.com',
    )!;
    await vscode.commands.executeCommand('workspaceAccess.person.show', ken);
    assert.ok(await person('ken.lovelace@example.com'));

    const broken = await connect(api, emulator, 'confident', 'Broken Evals', 'confident_us_org_wrong');
    try {
      answer({ inputs: ['Nobody.Here@example.com'] });
      await vscode.commands.executeCommand('workspaceAccess.person.find');
      const node = await person('nobody.here@example.com');
      const branches = await children(node);
      assert.deepEqual(branches.map(description), [
        'not a member',
        'not a member',
        'not a member',
        'could not be read',
      ]);
      const [absent] = await children(branches[0]);
      assert.equal(label(absent), 'Not a member of this workspace');
      const [error] = await children(branches[3]);
      assert.match(label(error), /401|key/i);
      assert.equal(error.getTreeItem().command?.command, 'workspaceAccess.person.refresh');
    } finally {
      await api.store.remove(broken.id.replace(/^conn\//, ''));
    }
  });

  it('Copy Access to… invites a new hire with the same seat and groups; shares wait and are applied once they join', async () => {
    const from = DONALD;
    const to = 'new.hire@example.com';
    answer({ inputs: [from] });
    await vscode.commands.executeCommand('workspaceAccess.person.find');
    const prompts = answer({
      inputs: [to],
      picks: [pickMany('People Voices', 'People Evals'), ticked],
      confirm: 'Copy Access',
    });
    await vscode.commands.executeCommand('workspaceAccess.person.copyAccess', await person(from));
    assert.deepEqual(prompts.errors, []);
    const invited = el().invites.get(to);
    const donald = el().members.find((m) => m.email === from)!;
    assert.ok(invited, 'invited on ElevenLabs');
    assert.equal(invited.seat_type, donald.seat_type);
    assert.deepEqual(
      [...invited.group_ids].sort(),
      el()
        .groups.filter((g) => g.name !== 'Everyone' && g.members.includes(from))
        .map((g) => g.id)
        .sort(),
    );
    const waiting = api.followUps.for(to);
    assert.ok(waiting.length > 0 && waiting.every((f) => f.connectionId === ids[0] || f.connectionId === ids[2]));
    const node = await person(to);
    assert.ok((await children(await down(node, 'People Voices', 'Pending follow-ups'))).length > 0);
    // They accept: the follow-ups run on Refresh, and are gone when done.
    el().members.push({
      user_id: 'usr_newhire',
      email: to,
      first_name: 'New',
      seat_type: 'workspace_member',
      is_owner: false,
      is_locked: false,
    });
    const u = { id: 'cau_newhire', email: to, name: 'New Hire' };
    ca().users.push(u);
    ca().members.set(u.id, ca().orgRoles.member.id);
    answer({});
    for (const c of api.store.list()) api.sessions.provider(c).invalidate();
    await vscode.commands.executeCommand('workspaceAccess.person.refresh');
    assert.deepEqual(api.followUps.for(to), []);
    const shares = waiting.filter((f) => f.change.op === 'grant');
    for (const f of shares)
      if (f.change.op === 'grant')
        assert.ok(
          el()
            .resources.find((r) => r.id === (f.change as { resource: { id: string } }).resource.id)!
            .roles[f.change.role as 'viewer'].includes('usr_newhire'),
        );
  });

  it('Offboard… previews every change with a checkbox, asks for the email typed, runs one job and keeps a record', async () => {
    // Typed in capitals in the search: the record names the member as the platforms list them.
    let kept = '';
    const keepOne = (items: readonly vscode.QuickPickItem[]) => {
      const share = items.find((i) => i.picked && /direct access to/.test(i.label))!;
      kept = share.label;
      return ticked(items).filter((i) => i !== share);
    };
    const prompts = answer({ inputs: [DONALD.toUpperCase(), DONALD], picks: [keepOne] });
    await vscode.commands.executeCommand('workspaceAccess.person.offboard');
    assert.deepEqual(prompts.errors, []);
    const preview = prompts.picks[0];
    assert.equal(preview.title, `Offboard ${DONALD}`);
    const labels = (preview.items ?? []).map((i) => i.label);
    assert.ok(labels.includes(`Lock ${DONALD}`), labels.join(' | '));
    assert.ok(
      labels.some((l) => l.startsWith('People Docs')),
      'a heading per connection',
    );
    assert.ok(labels.includes(`Remove ${DONALD} from the organization`));
    assert.match(prompts.inputs[1].prompt ?? '', /cannot be undone.*Type donald\.lovelace@example\.com/);
    const me = el().members.find((m) => m.email === DONALD)!;
    assert.equal(me.is_locked, true);
    assert.equal(
      el().resources.filter((r) => r.roles.commenter.includes(me.user_id)).length,
      1,
      'the unticked share is kept',
    );
    // The person is read again at once: locked, and what they still hold said as such.
    const voices = await down(await person(DONALD), 'People Voices');
    assert.match(description(voices), /· locked ·/);
    const reach = await down(voices, 'Can reach');
    const byDefault = el().resources.filter((r) => Object.values(r.roles).flat().includes('default')).length;
    const reached = el().resources.filter(
      (r) => Object.values(r.roles).flat().includes('default') || r.roles.commenter.includes(me.user_id),
    ).length;
    assert.equal(description(reach), `${reached} · locked`);
    const [notice, ...rest] = await children(reach);
    assert.equal(label(notice), 'Locked: they cannot sign in, so they use none of this unless unlocked');
    const headings = rest.filter((r) => r.getTreeItem().collapsibleState !== vscode.TreeItemCollapsibleState.None);
    assert.deepEqual(
      headings.map((h) => [label(h), description(h)]),
      [
        ['Directly', '1 · if unlocked'],
        ['Workspace default', `${byDefault} · if unlocked`],
      ],
    );
    const [docs] = await children(await down(await person(DONALD), 'People Docs'));
    assert.equal(label(docs), 'Not a member of this organization');
    assert.equal(
      gb().members.some((m) => m.user.email === DONALD),
      false,
    );
    assert.equal(
      [...ca().members.keys()].some((id) => ca().users.find((u) => u.id === id)?.email === DONALD),
      false,
    );
    assert.deepEqual(
      fs.readdirSync(api.jobs.dir).filter((f) => f.endsWith('.jsonl')),
      [],
      'the job finished',
    );
    // Later, from the palette: the record is among the last jobs, newest first, and saves with a confirmation.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wa-record-'));
    const saves = answer({ picks: [(items) => items[0]] });
    const confirmations: { message: string; actions: string[] }[] = [];
    stub('showInformationMessage', ((message: string, ...actions: string[]) => {
      confirmations.push({ message, actions });
      return Promise.resolve(undefined);
    }) as never);
    const file = vscode.Uri.file(path.join(dir, 'record.md'));
    await vscode.commands.executeCommand('workspaceAccess.bulk.saveEarlierReport', file);
    const offered = saves.picks[0].items ?? [];
    assert.equal(offered[0].label, `$(account) Offboard ${DONALD}`);
    assert.match(offered[0].description ?? '', /People Voices, People Docs, People Evals$/);
    assert.match(offered[0].detail ?? '', /^Record · \d+ done, 0 failed, 0 skipped, 0 unknown, 1 kept$/);
    assert.deepEqual(confirmations, [
      { message: `The record "Offboard ${DONALD}" is saved to ${file.fsPath}.`, actions: ['Open', 'Reveal'] },
    ]);
    const record = fs.readFileSync(file.fsPath, 'utf8');
    assert.doesNotMatch(record, /DONALD/);
    assert.match(record, new RegExp(`\\*\\*Who:\\*\\* ${DONALD.replace(/\./g, '\\.')}`));
    assert.match(record, /\*\*When:\*\* \d{4}-\d\d-\d\dT/);
    assert.match(record, /\| People Voices: Lock donald\.lovelace@example\.com \| ✓ done \|/);
    assert.ok(
      record.includes(`| People Voices: ${kept.replace(/\|/g, '\\|')} | ○ kept | unticked in the preview |`),
      record,
    );
    assert.equal(fs.statSync(file.fsPath).mode & 0o777, 0o600);
    const csvFile = vscode.Uri.file(path.join(dir, 'record.csv'));
    answer({ picks: [(items) => items[0]] });
    await vscode.commands.executeCommand('workspaceAccess.bulk.saveEarlierReport', csvFile);
    const csv = fs.readFileSync(csvFile.fsPath, 'utf8').trim().split('\n');
    assert.equal(csv[0], 'who,when,item,outcome,detail');
    assert.ok(
      csv.slice(1).every((row) => row.startsWith(`${DONALD},`)),
      "the who column is the member's own email",
    );
    assert.ok(csv.some((row) => row.endsWith(',kept,unticked in the preview')));
    assert.equal(fs.statSync(csvFile.fsPath).mode & 0o777, 0o600);
  });

  it('the offboard preview fits the default width: headings are connection names, cautions and notes are rows or lines of their own', async () => {
    // The quick pick is 600 px wide at most: about 72 characters on a line beside the checkbox.
    const FITS = 72;
    const prompts = answer({ inputs: ['ada.lovelace@example.com'], picks: [() => undefined] });
    await vscode.commands.executeCommand('workspaceAccess.person.offboard');
    const preview = prompts.picks[0];
    const items = preview.items ?? [];
    assert.ok((preview.placeHolder ?? '').length <= FITS, preview.placeHolder);
    assert.deepEqual(
      items.filter((i) => i.kind === vscode.QuickPickItemKind.Separator).map((i) => i.label),
      ['People Voices', 'People Docs', 'People Evals'],
      'a heading is the connection, nothing more: a long heading overlays the row under it',
    );
    for (const i of items) {
      const line = `${i.label}${i.description ? `  ${i.description}` : ''}`;
      assert.ok(line.length <= FITS, `${line.length} characters: ${line}`);
      assert.ok((i.detail ?? '').length <= FITS, `${(i.detail ?? '').length} characters: ${i.detail}`);
    }
    const owner = items.find((i) => /from the organization/.test(i.label))!;
    assert.equal(owner.picked, false, "Confident AI's owner starts unticked");
    assert.equal(owner.description, undefined);
    assert.equal(owner.detail, '$(warning) The owner: tick it only if you mean it.');
    const note = items.find((i) => /connection's key/.test(i.label))!;
    assert.equal(note.kind, undefined, 'the note is a row of its own');
    assert.equal(note.detail, 'It is not offboarded with it.');
  });

  it("the owner and the key's own account are never ticked by default; Enter twice cannot confirm", async () => {
    // Ada is the ElevenLabs owner and the account of the admin keys: nothing of hers is pre-ticked.
    const prompts = answer({ inputs: ['ada.lovelace@example.com'], picks: [ticked] });
    await vscode.commands.executeCommand('workspaceAccess.person.offboard');
    assert.equal(prompts.errors.length, 0, prompts.errors.join(' '));
    const items = prompts.picks[0].items ?? [];
    assert.ok(
      items.some((i) => /holds this connection's key/.test(i.label)),
      items.map((i) => i.label).join(' | '),
    );
    const owner = items.find((i) => /from the organization/.test(i.label) && i.detail);
    assert.ok(owner && !owner.picked && /owner/.test(owner.detail ?? ''), "Confident AI's owner starts unticked");
    assert.equal(prompts.inputs.length, 1, 'nothing ticked: no confirmation, nothing sent');
  });

  it('an offboarding cut short across connections resumes from its journal: what was in flight is checked, not sent again', async () => {
    const email = 'margaret.lovelace@example.com';
    const elMember = el().members.find((m) => m.email === email)!;
    const gbMember = gb().members.find((m) => m.user.email === email)!;
    const caUser = ca().users.find((u) => u.email === email)!;
    const items: ChangeItem[] = [
      {
        connectionId: ids[0],
        change: { op: 'set-locked', member: { id: elMember.user_id, email, name: 'Margaret' }, locked: true },
      },
      {
        connectionId: ids[1],
        change: { op: 'remove-member', member: { id: gbMember.user.id, email, name: 'Margaret Lovelace' } },
      },
      {
        connectionId: ids[2],
        change: { op: 'remove-member', member: { id: caUser.id, email, name: 'Margaret Lovelace' } },
      },
    ];
    const key = changeKey;
    // The lock went out and took effect; then the window died (a process that no longer runs).
    elMember.is_locked = true;
    const dead = Number(
      spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString(),
    );
    const header = {
      v: 1,
      id: 'job-offboard',
      kind: 'person',
      title: `Offboard ${email}`,
      connectionId: '*',
      params: {},
      items: items.map((i) => ({ key: key(i), label: key(i), payload: i })),
      started: new Date().toISOString(),
      pid: dead,
    };
    fs.mkdirSync(api.jobs.dir, { recursive: true });
    fs.writeFileSync(
      path.join(api.jobs.dir, 'job-offboard.job.jsonl'),
      [header, { k: key(items[0]), s: 'sending' }].map((l) => JSON.stringify(l)).join('\n') + '\n',
    );
    const writes = () => emulator.requests.filter((r) => r.method !== 'GET');
    const before = writes().length;
    const prompts = answer({ confirm: 'Resume' });
    await api.jobs.offerResume();
    assert.match(
      prompts.warnings[0].message,
      /"Offboard margaret\.lovelace@example\.com" was interrupted with 0 of 3 items finished/,
    );
    const sent = writes().slice(before);
    assert.deepEqual(
      sent.map((r) => `${r.platform} ${r.method}`).sort(),
      ['confident DELETE', 'gitbook DELETE'],
      'the lock was checked, not sent again',
    );
    assert.equal(
      gb().members.some((m) => m.user.email === email),
      false,
    );
    assert.equal(ca().members.has(caUser.id), false);
    assert.deepEqual(
      fs.readdirSync(api.jobs.dir).filter((f) => f.endsWith('.jsonl')),
      [],
    );
  });

  it('a share the extension makes updates the access index for that resource', async () => {
    const index = api.indexes.get(ids[0])!;
    const resource = el().resources.find((r) => !Object.values(r.roles).flat().includes('usr_000003'))!;
    const root = (await api.tree.getChildren()).find((n) => n.id === `conn/${ids[0]}`)!;
    assert.ok(root);
    const before = index
      .reach({ userId: 'usr_000003', groups: new Map() })
      .some((r) => r.resource.id === resource.id && r.grants.some((g) => g.id === 'usr_000003'));
    assert.equal(before, false);
    await api.jobs.run(api.store.get(ids[0])!, 'Share', {
      kind: 'share',
      items: grantItems(
        [
          {
            resource: { id: resource.id, type: resource.type, name: resource.name },
            principal: { kind: 'user', id: 'usr_000003', name: 'Edsger', email: el().members[3].email },
          },
        ],
        'editor',
        ids[0],
      ),
    });
    await new Promise((r) => setTimeout(r, 500));
    const after = api.indexes
      .get(ids[0])!
      .reach({ userId: 'usr_000003', groups: new Map() })
      .find((r) => r.resource.id === resource.id);
    assert.deepEqual(after?.grants.find((g) => g.id === 'usr_000003')?.r, 'editor');
    // A quick role change from the tree (not a job) updates it too.
    const typeNode = await walk(
      api,
      root,
      'Resources',
      (
        {
          voice: 'Voices',
          convai_agents: 'Agents',
          pronunciation_dictionary: 'Pronunciation dictionaries',
          dubbing: 'Dubbing',
          project: 'Studio projects',
          convai_knowledge_base_documents: 'Knowledge base',
          convai_tools: 'Tools',
          convai_phone_numbers: 'Phone numbers',
          convai_mcp_servers: 'MCP servers',
          convai_secrets: 'Secrets',
        } as Record<string, string>
      )[resource.type],
    );
    const resourceNode = (await api.tree.getChildren(typeNode)).find((n) => n.id.endsWith(`/${resource.id}`))!;
    const grant = (await api.tree.getChildren(resourceNode)).find((n) => n.id.endsWith('/user:usr_000003'))!;
    answer({ picks: [pickOne('viewer')], confirm: 'Replace Role' });
    await vscode.commands.executeCommand('workspaceAccess.grant.changeRole', grant);
    await new Promise((r) => setTimeout(r, 500));
    const changed = api.indexes
      .get(ids[0])!
      .reach({ userId: 'usr_000003', groups: new Map() })
      .find((r) => r.resource.id === resource.id);
    assert.equal(changed?.grants.find((g) => g.id === 'usr_000003')?.r, 'viewer');
    restoreAll();
  });
  it('"Can reach" shows 500 rows at most under one reason, and counts the rest', async () => {
    const extra = Array.from({ length: MAX_REACH_ROWS + 2 }, (_, n): ElevenLabsResource => ({
      id: `voice_cap${n}`,
      type: 'voice',
      name: `Cap ${n}`,
      creator_user_id: el().members[0].user_id,
      roles: { admin: [el().members[0].user_id], editor: [], commenter: [], viewer: ['default'] },
      anonymous: null,
    }));
    const before = el().resources.length;
    el().resources.push(...extra);
    const connection = api.store.get(ids[0])!;
    try {
      api.sessions.provider(connection).invalidate();
      await api.indexes.build(connection);
      const email = el().members[4].email;
      answer({ inputs: [email] });
      await vscode.commands.executeCommand('workspaceAccess.person.find');
      const byDefault = el().resources.filter((r) => Object.values(r.roles).flat().includes('default')).length;
      const heading = await down(await person(email), 'People Voices', 'Can reach', 'Workspace default');
      assert.equal(description(heading), String(byDefault));
      const rows = await children(heading);
      assert.equal(MAX_REACH_ROWS, 500);
      assert.equal(rows.length, 501);
      assert.equal(label(rows[500]), `and ${byDefault - 500} more`);
    } finally {
      el().resources.splice(before);
      api.sessions.provider(connection).invalidate();
      await api.indexes.build(connection);
    }
  });
});
