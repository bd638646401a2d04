/**
 * Every write the product makes, in one vocabulary: the access plan, offboarding and copy,
 * follow-ups and the tree's bulk commands each decide which changes to run, and one task runs them
 * all (task.ts). Each op has one name, a journal key (here), how it is sent (run.ts), how it is
 * checked after a lost answer (verify.ts) and its words (words.ts). Adding a kind of write is one
 * variant here and one case in each of those switches. Changes are plain JSON (ids, names, emails,
 * roles), never a secret: a job's journal holds them.
 */
import type { Invitation, InviteLink, Member, Principal, Resource } from '../model';

/** Enough of a member to act on them again after a reload. */
export type MemberRef = Pick<Member, 'id' | 'email' | 'name'>;
/** A group, team or project by id, with its name for words. */
export type Ref = { readonly id: string; readonly name: string };
export type ResourceRef = Pick<Resource, 'id' | 'type' | 'name'>;
/** A person by email, not yet a member when the change was decided (a copy to someone invited): resolved when it runs. */
export type PersonByEmail = { readonly kind: 'person'; readonly email: string };
/** Who a grant is for: a principal by the platform's id, or a person by email. */
export type Grantee = Principal | PersonByEmail;

export type Change =
  | {
      readonly op: 'invite';
      readonly email: string;
      /** The seat or role the platform takes, and how to show it. */
      readonly role?: string;
      readonly roleLabel?: string;
      readonly groups?: readonly Ref[];
      /** GitBook: invite as an SSO member. */
      readonly sso?: boolean;
    }
  | { readonly op: 'revoke-invitation'; readonly email: string; readonly invitation?: Invitation }
  | {
      readonly op: 'set-role';
      readonly member: MemberRef;
      readonly role: string;
      readonly roleLabel: string;
      readonly from?: string;
    }
  | { readonly op: 'set-locked'; readonly member: MemberRef; readonly locked: boolean }
  | { readonly op: 'remove-member'; readonly member: MemberRef }
  /** Someone into a group or team, by email (they may have been invited since); `role` inside it where groups have roles. */
  | {
      readonly op: 'join-group';
      readonly group: Ref;
      readonly email: string;
      readonly name?: string;
      readonly role?: string;
    }
  | { readonly op: 'set-group-role'; readonly group: Ref; readonly member: MemberRef; readonly role: string }
  | { readonly op: 'leave-group'; readonly group: Ref; readonly member: MemberRef }
  /** A role on a resource; `from` is the role held now, when the platform changes roles in place. */
  | {
      readonly op: 'grant';
      readonly resource: ResourceRef;
      readonly principal: Grantee;
      readonly role: string;
      readonly from?: string;
    }
  | { readonly op: 'revoke'; readonly resource: ResourceRef; readonly principal: Principal; readonly from?: string }
  | { readonly op: 'create-link'; readonly target: InviteLink['target']; readonly role: string }
  | { readonly op: 'update-link'; readonly link: InviteLink; readonly role: string }
  | { readonly op: 'delete-link'; readonly link: InviteLink }
  | {
      readonly op: 'join-project';
      readonly project: Ref;
      readonly email: string;
      readonly role?: string;
      readonly roleLabel?: string;
    }
  | {
      readonly op: 'set-project-role';
      readonly project: Ref;
      readonly member: MemberRef;
      readonly role: string;
      readonly roleLabel: string;
      readonly from?: string;
    }
  | { readonly op: 'leave-project'; readonly project: Ref; readonly member: MemberRef }
  | { readonly op: 'revoke-project-invitation'; readonly project: Ref; readonly invitation: Invitation };

export type Op = Change['op'];

/** A change in one connection: what a job's journal holds for each item. */
export interface ChangeItem {
  readonly connectionId: string;
  readonly change: Change;
  /** Where an invitation came from: its CSV line, or its entry in a pasted list (`unit: 'entry'`), for the report. */
  readonly line?: number;
  readonly unit?: 'entry';
}

const lower = (s: string) => s.toLowerCase();

/** How the file and the words name an invite link's target: `organization`, `space:<id>`, `collection:<id>`. */
export const linkTarget = (t: InviteLink['target']): string =>
  t.kind === 'organization' ? 'organization' : `${t.kind}:${t.id}`;

/** A grantee as a key: `user:<id>`, `group:<id>`, or `person:<email>` before they are a member. */
export const granteeKey = (p: Grantee): string =>
  p.kind === 'person' ? `person:${lower(p.email)}` : `${p.kind}:${p.id}`;

/** What the change is about, stable across a reload. */
function subject(c: Change): string {
  switch (c.op) {
    case 'invite':
    case 'revoke-invitation':
      return c.op === 'revoke-invitation' && c.invitation ? c.invitation.id : lower(c.email);
    case 'set-role':
    case 'set-locked':
    case 'remove-member':
      return c.member.id;
    case 'join-group':
      return `${c.group.id}|${lower(c.email)}`;
    case 'set-group-role':
    case 'leave-group':
      return `${c.group.id}|${c.member.id}`;
    case 'grant':
    case 'revoke':
      return `${c.resource.type}:${c.resource.id}|${granteeKey(c.principal)}`;
    case 'create-link':
      return linkTarget(c.target);
    case 'update-link':
    case 'delete-link':
      return c.link.id;
    case 'join-project':
      return `${c.project.id}|${lower(c.email)}`;
    case 'set-project-role':
    case 'leave-project':
      return `${c.project.id}|${c.member.id}`;
    case 'revoke-project-invitation':
      return `${c.project.id}|${c.invitation.id}`;
  }
}

/** Stable across a reload: what the journal records an item's outcome under. */
export const changeKey = (i: Pick<ChangeItem, 'connectionId' | 'change'>): string =>
  `${i.connectionId}|${i.change.op}|${subject(i.change)}`;

/** Whether a change needs its person to be a member first (then, for a copy, it waits as a follow-up). */
export const needsMember = (c: Change): boolean => c.op === 'join-group' || c.op === 'grant' || c.op === 'join-project';

/**
 * Whether sending a change twice leaves the same state (a role set, a grant, a removal), so one
 * whose answer was lost and cannot be checked may be sent again. An invitation is a second email, a
 * link a second link; a revoked invitation is left unknown rather than guessed.
 */
export const repeatable = (c: Change): boolean =>
  !(
    c.op === 'invite' ||
    c.op === 'join-project' ||
    c.op === 'create-link' ||
    c.op === 'revoke-invitation' ||
    c.op === 'revoke-project-invitation'
  );

/** The resource whose grants a change touches, if it touches any. */
export const touchedResource = (c: Change): ResourceRef | undefined =>
  c.op === 'grant' || c.op === 'revoke' ? c.resource : undefined;
