/**
 * Writing the access file: completion from the connection (roles, emails, groups, principals,
 * resource types), hover that says what a line grants and why, and the quick fixes of a drift
 * ("Accept live value into the file", "Plan").
 */
import * as vscode from 'vscode';
import type { AccessFileFacts } from '../../core/access/facts';
import type { Fix, Path } from '../../core/access/parse';
import { nodeAt, parseYaml, pathAt as treePathAt, type YamlTree } from '../../core/access/yamlTree';
import type { LiveState } from '../../core/access/live';
import { fileRole, principalKey, resolveRole } from '../../core/access/planRoles';
import { candidateOf } from './accessFile';
import type { AccessFiles } from './openFiles';
import { emailAt, rosterHover } from './rosterHover';

/** A scalar as YAML writes it: plain where that reads back the same, else quoted. */
function scalarText(value: string | boolean): string {
  if (typeof value === 'boolean') return String(value);
  try {
    if ((parseYaml(`k: ${value}`).value as Record<string, unknown> | null)?.k === value) return value;
  } catch {
    // Not plain: quoted below.
  }
  return JSON.stringify(value);
}

/** The text edit a fix makes: a value replaced, or an entry's whole lines removed. */
export function fixEdit(text: string, fix: Fix): { start: number; end: number; text: string } | undefined {
  let tree: YamlTree;
  try {
    tree = parseYaml(text);
  } catch {
    return undefined;
  }
  const found = nodeAt(tree.root, fix.path);
  if (!found) return undefined;
  if (fix.kind === 'set') {
    const target =
      found.node.kind === 'map' && fix.key ? found.node.entries.find((e) => e.key === fix.key)?.node : found.node;
    if (target?.kind !== 'scalar') return undefined;
    return { start: target.span[0], end: target.span[1], text: scalarText(fix.value) };
  }
  if (!found.parent || found.parent.flow) return undefined;
  const span = found.entry
    ? [found.entry.keySpan[0], Math.max(found.entry.keySpan[1], found.node.span[1])]
    : [found.node.span[0], found.node.span[1]];
  const lineStart = text.lastIndexOf('\n', span[0] - 1) + 1;
  if (!/^\s*(-\s+)?$/.test(text.slice(lineStart, span[0]))) return undefined;
  const nl = text.indexOf('\n', Math.max(span[0], span[1] - 1));
  return { start: lineStart, end: nl === -1 ? text.length : nl + 1, text: '' };
}

/** The document's tree: the one its last check parsed when the text is the same, else parsed now. */
function treeOf(files: AccessFiles, doc: vscode.TextDocument): YamlTree | undefined {
  const parsed = files.state(doc.uri)?.parsed;
  const text = doc.getText();
  if (parsed && parsed.text === text && parsed.tree.root) return parsed.tree;
  try {
    return parseYaml(text);
  } catch {
    return undefined;
  }
}

export function codeActions(
  files: AccessFiles,
  doc: vscode.TextDocument,
  ctx: vscode.CodeActionContext,
): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  for (const d of ctx.diagnostics) {
    if (d.source !== 'Workspace Access' || (d.code !== 'drift' && d.code !== 'expired' && d.code !== 'stale')) continue;
    const fix = files.fixAt(doc.uri, d);
    if (fix) {
      const accept = new vscode.CodeAction(
        d.code === 'stale' ? vscode.l10n.t('Delete the line') : vscode.l10n.t('Accept live value into the file'),
        vscode.CodeActionKind.QuickFix,
      );
      accept.diagnostics = [d];
      accept.isPreferred = true;
      accept.command = { command: 'workspaceAccess.access.acceptLive', title: accept.title, arguments: [doc.uri, fix] };
      actions.push(accept);
    }
    if (d.code === 'stale') continue;
    const plan = new vscode.CodeAction(vscode.l10n.t('Plan'), vscode.CodeActionKind.QuickFix);
    plan.diagnostics = [d];
    plan.command = { command: 'workspaceAccess.access.plan', title: plan.title, arguments: [doc.uri] };
    actions.push(plan);
  }
  return actions;
}

interface Where {
  readonly path: Path;
  /** On a key (or a list entry), not a value after `key:`. */
  readonly onKey: boolean;
}

interface Context {
  readonly facts?: AccessFileFacts;
  readonly live?: LiveState;
  readonly raw?: Record<string, unknown>;
}

function connectionContext(files: AccessFiles, doc: vscode.TextDocument, index: number): Context {
  const raw = (treeOf(files, doc)?.value as { connections?: Record<string, unknown>[] } | null | undefined)
    ?.connections?.[index];
  const facts = files.facts.find((f) => f.platform === raw?.platform);
  const plan = files.state(doc.uri)?.plan;
  const target = plan?.targets[index];
  return { facts, raw, live: target ? plan?.live.get(target.connectionId) : undefined };
}

/**
 * Roles in the ladder's order, not the alphabet's, with the current one preselected (or, with none,
 * the least powerful): Enter never picks the most powerful by accident.
 */
function ladder(roles: readonly string[], current: string | undefined, detail?: string): vscode.CompletionItem[] {
  const pick = current && roles.includes(current) ? current : roles[roles.length - 1];
  return roles.map((r, i) => {
    const c = item(r, vscode.CompletionItemKind.EnumMember, r === current ? vscode.l10n.t('live now') : detail);
    c.sortText = String(i).padStart(3, '0');
    c.preselect = r === pick;
    return c;
  });
}

const item = (label: string, kind: vscode.CompletionItemKind, detail?: string, insert?: string) => {
  const c = new vscode.CompletionItem(label, kind);
  if (detail) c.detail = detail;
  if (insert) c.insertText = insert;
  return c;
};

/** Where the cursor is: the entry under it, else (a blank line) the entry whose block it is in, by indentation. */
function whereAt(
  files: AccessFiles,
  doc: vscode.TextDocument,
  pos: vscode.Position,
): (Where & { child?: boolean }) | undefined {
  const root = treeOf(files, doc)?.root;
  const line = doc.lineAt(pos.line).text;
  const before = line.slice(0, pos.character);
  const here = before.trim() ? treePathAt(root, doc.offsetAt(pos)) : undefined;
  if (here && !/^\s*-?\s*$/.test(before)) return here;
  const indent = line.length - line.trimStart().length || pos.character;
  for (let l = pos.line - 1; l >= 0; l--) {
    const text = doc.lineAt(l).text;
    if (!text.trim() || text.trimStart().startsWith('#')) continue;
    const ind = text.length - text.trimStart().length;
    if (ind >= indent) continue;
    const parent = treePathAt(
      root,
      doc.offsetAt(new vscode.Position(l, ind + (text.trimStart().startsWith('- ') ? 2 : 0))),
    );
    return parent && { path: parent.path, onKey: true, child: true };
  }
  return undefined;
}

export function complete(files: AccessFiles, doc: vscode.TextDocument, pos: vscode.Position): vscode.CompletionItem[] {
  const where = whereAt(files, doc, pos);
  if (!where) return [];
  const { path } = where;
  const child = where.child === true;
  const value = !child && !where.onKey;
  const Kind = vscode.CompletionItemKind;
  if (path[0] !== 'connections' || typeof path[1] !== 'number') return [];
  const ctx = connectionContext(files, doc, path[1]);
  const f = ctx.facts;
  const rel = path.slice(2);
  const last = String(rel[rel.length - 1] ?? '');
  if (value && last === 'platform') return files.facts.map((x) => item(x.platform, Kind.EnumMember, x.label));
  if (!f) return [];
  if (value && last === f.match.key)
    return files.deps.store
      .list()
      .filter((c) => c.platform === f.platform)
      .flatMap((c) =>
        candidateOf(c)
          .names.slice(0, 1)
          .concat(c.tenantId ? [c.tenantId] : []),
      )
      .map((n) => item(n, Kind.Value));
  // Roles the platform does not fix are the organization's records: the file names them.
  const listed = !f.members.roles;
  const roles = ctx.live?.roles.length ? ctx.live.roles.map((r) => fileRole(r, listed)) : [...(f.members.roles ?? [])];
  const members = ctx.live?.members ?? [];
  const emails = (asKey = false) =>
    members.map((m) => item(m.email, Kind.User, m.name, asKey ? `${m.email}: ` : undefined));
  const section = rel[0];
  if (child && rel.length === 0)
    return [
      'exclusive',
      'members',
      ...(f.groups ? [f.groups.key] : []),
      ...(f.resources ? ['resources'] : []),
      ...(f.inviteLinks ? ['inviteLinks'] : []),
      ...(f.projects ? ['projects'] : []),
    ].map((k) => item(k, Kind.Property, undefined, `${k}: `));
  if (section === 'members') {
    if (child && rel.length === 1) return emails(true);
    if (value || rel.length === 3) {
      const m = members.find((x) => x.email.toLowerCase() === String(rel[1]).toLowerCase());
      return ladder(roles, m && fileRole(resolveRole(ctx.live?.roles ?? [], m.role ?? ''), listed), f.members.roleKey);
    }
  }
  if (f.groups && section === f.groups.key) {
    if (child && rel.length === 1)
      return (ctx.live?.groupNames ?? []).map((g) => item(g.name, Kind.Class, undefined, `${g.name}:`));
    if (child && rel.length >= 2) return emails();
    if (value && rel.length === 3) return (f.groups.roles ?? []).map((r) => item(r, Kind.EnumMember));
  }
  if (section === 'resources' && f.resources) {
    if (value && last === 'type') return f.resources.types.map((t) => item(t, Kind.EnumMember));
    if (child && rel.length === 2)
      return ['type', 'id', 'name', 'grants'].map((k) => item(k, Kind.Property, undefined, `${k}: `));
    if (child && last === 'grants') {
      const prefix = f.groups?.prefix ?? 'group';
      const principals = [...(ctx.live?.principals?.values() ?? [])].map((p) => principalKey(p, prefix));
      const keys = principals.length
        ? principals
        : [
            ...members.map((m) => m.email),
            ...(ctx.live?.groupNames ?? []).map((g) => `${prefix}:${g.name}`),
            ...(f.resources.workspaceDefault ? ['default'] : []),
          ];
      return keys.map((k) => item(k, k.includes('@') ? Kind.User : Kind.Class, undefined, `${k}: `));
    }
    if (value && rel[rel.length - 2] === 'grants') {
      const raw = (ctx.raw?.resources as { type?: string; id?: string }[] | undefined)?.[Number(rel[1])];
      const held = ctx.live?.resources?.find((r) => r.resource.type === raw?.type && r.resource.id === raw?.id)?.grants;
      const prefix = f.groups?.prefix ?? 'group';
      const current = held?.find(
        (g) => principalKey(g.principal, prefix).toLowerCase() === String(rel[rel.length - 1]).toLowerCase(),
      )?.role;
      return ladder(f.resources.roles, current);
    }
  }
  if (section === 'projects' && f.projects) {
    if (child && last === 'members') return emails(true);
    if (value && rel[rel.length - 2] === 'members' && typeof rel[1] === 'number') {
      const project = ctx.live?.projects?.find(
        (p) => p.project.id === (ctx.raw?.projects as { id?: string }[] | undefined)?.[rel[1] as number]?.id,
      );
      return (project?.roles ?? []).map((r) => item(fileRole(r, true), Kind.EnumMember));
    }
  }
  if (section === 'inviteLinks' && value && last === 'role')
    return (f.inviteLinks?.roles ?? []).map((r) => item(r, Kind.EnumMember));
  return [];
}

export function hover(files: AccessFiles, doc: vscode.TextDocument, pos: vscode.Position): vscode.Hover | undefined {
  const where = treePathAt(treeOf(files, doc)?.root, doc.offsetAt(pos));
  if (!where || where.path[0] !== 'connections' || typeof where.path[1] !== 'number') return undefined;
  const ctx = connectionContext(files, doc, where.path[1]);
  const f = ctx.facts;
  const live = ctx.live;
  if (!f) return undefined;
  const rel = where.path.slice(2).map(String);
  const md = new vscode.MarkdownString();
  const email = emailAt(rel, f, ctx.raw);
  const person = (email: string) => live?.members.find((m) => m.email.toLowerCase() === email.toLowerCase());
  if (rel[0] === 'members' && rel.length >= 2) {
    const m = person(rel[1]);
    if (!live) md.appendMarkdown(vscode.l10n.t('Live access is not read yet: save the file or run Plan.'));
    else if (!m)
      md.appendMarkdown(
        vscode.l10n.t('**{0}** is not a member of this {1} {2}. Plan invites them.', rel[1], f.label, f.match.key),
      );
    else {
      const groups = (live.groups ?? [])
        .filter((g) => g.members.some((x) => x.email.toLowerCase() === m.email.toLowerCase()))
        .map((g) => g.group.name);
      const role = fileRole(resolveRole(live.roles, m.role ?? ''), !f.members.roles, m.role ?? '');
      md.appendMarkdown(
        vscode.l10n.t(
          '**{0}** ({1}): live {2} `{3}`{4}.',
          m.name,
          m.email,
          f.members.roleKey,
          role,
          m.locked ? vscode.l10n.t(', locked') : '',
        ),
      );
      if (groups.length)
        md.appendMarkdown(`\n\n${vscode.l10n.t('In {0}: {1}.', f.groups?.key ?? 'groups', groups.join(', '))}`);
    }
  } else if (rel[0] === 'resources' && rel[2] === 'grants' && rel.length >= 4) {
    const key = rel[3];
    const raw = (
      ctx.raw?.resources as
        { type?: string; id?: string; name?: string; grants?: Record<string, unknown> }[] | undefined
    )?.[Number(rel[1])];
    const value = raw?.grants?.[key];
    const role = typeof value === 'string' ? value : ((value as { role?: string } | undefined)?.role ?? '');
    const what = `${raw?.type ?? ''} "${raw?.name ?? raw?.id ?? ''}"`;
    const prefix = `${f.groups?.prefix ?? 'group'}:`;
    if (key === 'default')
      md.appendMarkdown(
        vscode.l10n.t('Everyone in the {0} reaches {1} as **{2}**, by the default.', f.match.key, what, role),
      );
    else if (key.startsWith(prefix)) {
      const name = key.slice(prefix.length);
      const group = live?.groups?.find((g) => g.group.name === name);
      const count = group?.members.length;
      md.appendMarkdown(
        vscode.l10n.t(
          'Everyone in {0} "{1}" reaches {2} as **{3}**, through the {0}.',
          f.groups?.key.slice(0, -1) ?? 'group',
          name,
          what,
          role,
        ),
      );
      if (count !== undefined) md.appendMarkdown(` ${vscode.l10n.t('({0} members)', count)}`);
    } else {
      const m = key.includes('@') ? person(key) : undefined;
      md.appendMarkdown(
        vscode.l10n.t(
          '{0} gets **{1}** on {2}, directly.',
          m ? `**${m.name}** (${m.email})` : `**${key}**`,
          role,
          what,
        ),
      );
      if (key.includes('@') && live && !m)
        md.appendMarkdown(`\n\n${vscode.l10n.t('Not a member yet: the grant waits until they join.')}`);
    }
    const held = live?.resources?.find((r) => r.resource.type === raw?.type && r.resource.id === raw?.id);
    if (held && !held.grants)
      md.appendMarkdown(`\n\n${vscode.l10n.t('This resource no longer exists, or the key cannot see it.')}`);
  } else if (f.groups && rel[0] === f.groups.key && rel.length >= 2) {
    const group = live?.groups?.find((g) => g.group.name === rel[1]);
    md.appendMarkdown(
      group
        ? vscode.l10n.t(
            '{0} "{1}": {2} member(s) live.',
            f.groups.key.slice(0, -1),
            group.group.name,
            group.members.length,
          )
        : vscode.l10n.t('No {0} named "{1}" live.', f.groups.key.slice(0, -1), rel[1]),
    );
  } else if (rel[0] === 'exclusive') {
    md.appendMarkdown(vscode.l10n.t('In these sections, what is live and not in the file is removed by Apply.'));
  } else if (!email) return undefined;
  // A line that grants a person something: their roster row and last activity, where a roster is known.
  const roster = email && rosterHover(files, doc, where.path[1], email, live);
  if (roster) md.appendMarkdown(`${md.value ? '\n\n' : ''}${roster}`);
  return md.value ? new vscode.Hover(md) : undefined;
}
