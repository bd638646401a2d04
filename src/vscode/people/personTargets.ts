import * as vscode from 'vscode';
import { findMembers, looksLikeEmail } from '../../core/people/person';
import type { CommandDeps } from '../commands/targets';
import { UserCancelled } from '../prompts';
import { InvitationNode } from '../tree/invitationNodes';
import { MemberNode } from '../tree/memberNodes';
import { ProjectMemberNode } from '../tree/projectNodes';
import { GrantNode } from '../tree/resourceNodes';
import type { FollowUps } from './followUps';
import { needsIndex, type AccessIndexes } from './indexStore';
import { PersonConnectionNode, PersonNode } from './nodes/personNodes';
import { PEOPLE_VIEW_ID, type PeopleTree } from './peopleView';

export interface PeopleCommandDeps extends CommandDeps {
  readonly people: PeopleTree;
  readonly indexes: AccessIndexes;
  readonly followUps: FollowUps;
  /** The People view (made on first use). */
  readonly peopleView: () => vscode.TreeView<unknown>;
}

/** The email a row of either tree stands for: a member, an invitation, a user's grant, a project member. */
export function emailOf(node: unknown): string | undefined {
  if (node instanceof PersonNode) return node.person.email;
  if (node instanceof MemberNode || node instanceof ProjectMemberNode) return node.member.email;
  if (node instanceof InvitationNode) return node.invitation.email;
  if (node instanceof GrantNode) return node.grant.principal.kind === 'user' ? node.grant.principal.email : undefined;
  return undefined;
}

/** The people whose name or email holds the text, in every connection at once: email → name and where. */
async function search(
  deps: PeopleCommandDeps,
  text: string,
): Promise<{ found: Map<string, { name: string; where: string[] }>; failed: string[] }> {
  const found = new Map<string, { name: string; where: string[] }>();
  const failed: string[] = [];
  await Promise.all(
    deps.store.list().map(async (connection) => {
      try {
        for (const m of await findMembers(deps.sessions.provider(connection), text)) {
          const key = m.email.toLowerCase();
          const entry = found.get(key) ?? { name: m.name, where: [] };
          entry.where.push(connection.label);
          found.set(key, entry);
        }
      } catch (err) {
        failed.push(`${connection.label} (${err instanceof Error ? err.message : String(err)})`);
      }
    }),
  );
  return { found, failed };
}

export async function askPerson(deps: PeopleCommandDeps, title: string): Promise<string> {
  if (deps.store.list().length === 0) throw new Error(vscode.l10n.t('Add a connection first.'));
  const text = await vscode.window.showInputBox({
    title,
    prompt: vscode.l10n.t('An email (any case) or part of a name; every connection is searched at once.'),
    ignoreFocusOut: true,
    validateInput: (t) =>
      t.trim().length < 2 ? vscode.l10n.t('Type an email or at least two letters of a name.') : undefined,
  });
  if (text === undefined) throw new UserCancelled();
  if (looksLikeEmail(text)) return text.trim();
  const { found, failed } = await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: vscode.l10n.t('Searching every connection for "{0}"…', text.trim()),
    },
    () => search(deps, text.trim()),
  );
  if (found.size === 0)
    throw new Error(
      failed.length
        ? vscode.l10n.t(
            'No one matches "{0}" in the connections that answered; {1} could not be searched.',
            text.trim(),
            failed.join(', '),
          )
        : vscode.l10n.t(
            'No one matches "{0}" in any connection ({1}).',
            text.trim(),
            deps.store
              .list()
              .map((c) => c.label)
              .join(', '),
          ),
    );
  if (found.size === 1) return [...found.keys()][0];
  const picked = await vscode.window.showQuickPick(
    [...found].map(([email, f]) => ({ label: f.name, description: email, detail: f.where.join(' · '), email })),
    {
      title,
      placeHolder: vscode.l10n.t('{0} people match "{1}"', found.size, text.trim()),
      matchOnDescription: true,
      ignoreFocusOut: true,
    },
  );
  if (!picked) throw new UserCancelled();
  return picked.email;
}

/** Opens a person in the People view and reveals them; starts the access index where one is needed and missing. */
export async function openPerson(deps: PeopleCommandDeps, email: string): Promise<PersonNode> {
  const node = deps.people.open(email);
  for (const connection of deps.store.list()) {
    if (needsIndex(deps.sessions.provider(connection)) && !deps.indexes.get(connection.id))
      void deps.indexes.build(connection);
  }
  await vscode.commands.executeCommand(`${PEOPLE_VIEW_ID}.focus`);
  await deps.peopleView().reveal(node, { select: true, focus: true, expand: true });
  return node;
}

/** A person to act on: the clicked one, the only one open, or a pick among those open (or another). */
export async function personFrom(deps: PeopleCommandDeps, node: unknown, title: string): Promise<PersonNode> {
  if (node instanceof PersonNode) return node;
  if (node instanceof PersonConnectionNode) return node.personNode;
  const email = emailOf(node);
  if (email) return deps.people.open(email);
  const open = deps.people.list();
  if (open.length === 0) return openPerson(deps, await askPerson(deps, title));
  const another = { label: vscode.l10n.t('$(search) Another person…'), node: undefined };
  const picked = await vscode.window.showQuickPick(
    [...open.map((p) => ({ label: p.person.name ?? p.person.email, description: p.person.email, node: p })), another],
    { title, ignoreFocusOut: true },
  );
  if (!picked) throw new UserCancelled();
  return picked.node ?? openPerson(deps, await askPerson(deps, title));
}
