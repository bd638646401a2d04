// The planner on its own: a parsed access file against a live state built by hand, with a provider
// that only states what it can do (planning never calls the network). Each case checks the exact
// changes and the findings' codes.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RoleLadder, type Grant, type InviteLink, type Member, type Principal } from '../../src/core/model';
import type { Provider, RoleChoice } from '../../src/core/provider';
import { locate, parseAccessFile } from '../../src/core/access/parse';
import type { LiveState } from '../../src/core/access/live';
import type { InvitedLookup } from '../../src/core/access/invited';
import { planConnection, type ConnectionPlan, type PlannedChange } from '../../src/core/access/planner';
import { daysBetween, fileRole, principalKey, resolveRole } from '../../src/core/access/planRoles';
import { ACCESS_FILE_FACTS } from '../../src/providers';

const TODAY = '2026-11-30';

/** What a fake provider's calls do: planning must not make any. */
const never = (): never => {
  throw new Error('planning called the network');
};

const member = (id: string, email: string, role: string, extra: Partial<Member> = {}): Member => ({
  id,
  email,
  name: email.split('@')[0],
  role,
  ...extra,
});
const ref = (m: Member) => ({ id: m.id, email: m.email, name: m.name });
const user = (m: Member): Principal => ({ kind: 'user', id: m.id, name: m.name, email: m.email });

/** Plans the file's first connection against `live`. */
function plan(
  yaml: string,
  live: LiveState,
  provider: Provider,
  invited?: InvitedLookup,
): ConnectionPlan & { text: string } {
  const text = `version: 1\nconnections:\n${yaml}`;
  const parsed = parseAccessFile(text, ACCESS_FILE_FACTS);
  assert.deepEqual(parsed.problems, []);
  const sectionAt = (key: string) => locate(parsed.tree.root, ['connections', 0, key]);
  return {
    text,
    ...planConnection(parsed.connections[0], live, { connectionId: 'c1', provider, today: TODAY, invited }, sectionAt),
  };
}

/** The text a change or finding points at. */
const at = (p: { text: string }, x: { at: readonly [number, number] }) => p.text.slice(x.at[0], x.at[1]);
const codes = (p: ConnectionPlan) => p.findings.map((f) => f.code);
/** Who a group change is about, whether the change names a member or an email. */
const who = (c: PlannedChange['change']) => ('email' in c ? c.email : 'member' in c ? c.member.email : undefined);

// ElevenLabs: seats, locking instead of removal, groups without roles, invitations that add to groups, sharing.
const SEATS: RoleChoice[] = [
  { id: 'workspace_admin', label: 'Admin' },
  { id: 'workspace_member', label: 'Member' },
  { id: 'workspace_lite_member', label: 'Lite member' },
];
const ada = member('u1', 'ada@example.com', 'workspace_admin');
const alan = member('u2', 'alan@example.com', 'workspace_member');
const grace = member('u3', 'grace@example.com', 'workspace_member');
const ken = member('u4', 'ken@example.com', 'workspace_member', { locked: true });
const support: Principal = { kind: 'group', id: 'g1', name: 'Support' };
const ci: Principal = { kind: 'serviceAccount', id: 'sa1', name: 'CI' };
const everyone: Principal = { kind: 'default', id: 'default', name: 'Everyone' };

const elevenlabs: Provider = {
  platform: 'elevenlabs',
  whoAmI: never,
  invalidate: () => {},
  members: { list: never, page: never, roles: { kind: 'seat', choices: never, set: never }, setLocked: never },
  groups: { word: 'group', label: 'Groups', list: never, page: never, members: never, add: never, remove: never },
  invitations: { send: never, options: { groups: true } },
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
};

function elevenlabsLive(grants: Grant[] = []): LiveState {
  return {
    identity: { name: 'Ada', userId: ada.id, isAdmin: true },
    members: [ada, alan, grace, ken],
    roles: SEATS,
    groups: [{ group: { id: 'g1', name: 'Support', memberEmails: [ada.email] }, members: [ada] }],
    groupNames: [{ id: 'g1', name: 'Support' }],
    principals: new Map(
      [ada, alan, grace, ken]
        .map((m) => [m.id, user(m)] as [string, Principal])
        .concat([
          [support.id, support],
          [ci.id, ci],
          [everyone.id, everyone],
        ]),
    ),
    resources: [{ resource: { type: 'voice', id: 'v1', name: 'Narrator' }, grants }],
  };
}

const EL = (body: string) => `  - platform: elevenlabs\n    workspace: Sandbox\n${body}`;

describe('planner: a file against live state, without the network', () => {
  describe('members', () => {
    it('invites a member the file lists and live lacks, with the groups the file puts them in', () => {
      const p = plan(
        EL(
          '    members:\n      ada@example.com: workspace_admin\n      new@example.com: workspace_lite_member\n    groups:\n      Support:\n        - ada@example.com\n        - new@example.com\n',
        ),
        elevenlabsLive(),
        elevenlabs,
      );
      assert.equal(p.changes.length, 1);
      const [invite] = p.changes;
      assert.deepEqual(invite.change, {
        op: 'invite',
        email: 'new@example.com',
        role: 'workspace_lite_member',
        roleLabel: 'Lite member',
        groups: [{ id: 'g1', name: 'Support' }],
      });
      assert.equal(invite.kind, 'add');
      assert.equal(at(p, invite), 'new@example.com');
      assert.deepEqual(codes(p), ['drift', 'drift']);
      assert.deepEqual(p.findings[0].fix, { kind: 'delete', path: ['connections', 0, 'members', 'new@example.com'] });
      assert.equal(p.findings[1].message, 'live: not a member. The invitation puts new@example.com in "Support".');
    });

    it('someone Apply invited already is pending, not invited again', () => {
      const p = plan(
        EL('    members:\n      new@example.com: workspace_member\n'),
        elevenlabsLive(),
        elevenlabs,
        new Map([['new@example.com', 'sent' as const]]),
      );
      assert.deepEqual(p.changes, []);
      assert.deepEqual(codes(p), ['pending']);
    });

    it('an invitation whose answer was lost is "sent, unconfirmed": not invited again, not pending, a warning at its line', () => {
      const p = plan(
        EL('    members:\n      new@example.com: workspace_member\n'),
        elevenlabsLive(),
        elevenlabs,
        new Map([['new@example.com', 'unconfirmed' as const]]),
      );
      assert.deepEqual(p.changes, [], 'nothing is sent again automatically');
      assert.deepEqual(codes(p), ['unconfirmed']);
      assert.equal(p.findings[0].severity, 'warning');
      assert.equal(at(p, p.findings[0]), 'new@example.com');
      assert.match(p.findings[0].message, /^new@example\.com: sent, unconfirmed\. .*until they join, or for 30 days/);
    });

    it('changes a role, with the drift and the fix that writes the live one', () => {
      const p = plan(
        EL('    members:\n      alan@example.com: workspace_admin\n      ada@example.com: workspace_member\n'),
        elevenlabsLive(),
        elevenlabs,
      );
      assert.deepEqual(
        p.changes.map((c) => [c.change, c.kind, c.caution]),
        [
          [
            {
              op: 'set-role',
              member: ref(alan),
              role: 'workspace_admin',
              roleLabel: 'Admin',
              from: 'workspace_member',
            },
            'change',
            undefined,
          ],
          [
            {
              op: 'set-role',
              member: ref(ada),
              role: 'workspace_member',
              roleLabel: 'Member',
              from: 'workspace_admin',
            },
            'change',
            'self',
          ],
        ],
      );
      assert.deepEqual(
        p.findings.map((f) => [f.code, f.message, f.fix]),
        [
          [
            'drift',
            'live: workspace_member',
            {
              kind: 'set',
              path: ['connections', 0, 'members', 'alan@example.com'],
              key: 'seat',
              value: 'workspace_member',
            },
          ],
          [
            'drift',
            'live: workspace_admin',
            {
              kind: 'set',
              path: ['connections', 0, 'members', 'ada@example.com'],
              key: 'seat',
              value: 'workspace_admin',
            },
          ],
        ],
      );
    });

    it('an unknown role is an error at its line, and nothing is planned for it', () => {
      const p = plan(
        `  - platform: confident\n    organization: Evals\n    members:\n      alan@example.com: Boss\n`,
        { members: [alan], roles: [{ id: 'r-admin', label: 'Admin' }] },
        {
          platform: 'confident',
          whoAmI: never,
          invalidate: () => {},
          members: {
            list: never,
            page: never,
            roles: { kind: 'role', listed: true, choices: never, set: never },
            remove: never,
          },
        },
      );
      assert.deepEqual(p.changes, []);
      assert.deepEqual(
        p.findings.map((f) => [f.code, f.severity, f.message]),
        [['unknown', 'error', '"Boss" is not a role of this Confident AI organization; use one of: Admin.']],
      );
    });

    it('locks an unlisted member of an exclusive list where the platform cannot remove; someone locked already needs nothing', () => {
      const p = plan(
        EL(
          '    exclusive: [ members ]\n    members:\n      ada@example.com: workspace_admin\n      alan@example.com: workspace_member\n',
        ),
        elevenlabsLive(),
        elevenlabs,
      );
      assert.deepEqual(
        p.changes.map((c) => [c.change, c.kind]),
        [[{ op: 'set-locked', member: ref(grace), locked: true }, 'remove']],
      );
      assert.equal(at(p, p.changes[0]), 'members', 'a removal the file does not list points at its section');
      assert.deepEqual(
        p.findings.map((f) => [f.code, f.severity, f.message]),
        [['drift', 'info', `live: 1 member(s) the file does not list: ${grace.email}. Plan locks them.`]],
      );
    });

    it('removes an unlisted member of an exclusive list where the platform can', () => {
      const gitbook: Provider = {
        platform: 'gitbook',
        whoAmI: never,
        invalidate: () => {},
        members: { list: never, page: never, roles: { kind: 'role', choices: never, set: never }, remove: never },
      };
      const live: LiveState = {
        members: [
          member('u1', 'ada@example.com', 'admin'),
          member('u2', 'barbara@example.com', 'read', { owner: true }),
        ],
        roles: ['admin', 'read'].map((id) => ({ id, label: id })),
      };
      const p = plan(
        '  - platform: gitbook\n    organization: org_sandbox\n    exclusive: [ members ]\n    members:\n      ada@example.com: admin\n',
        live,
        gitbook,
      );
      assert.deepEqual(
        p.changes.map((c) => [c.change, c.kind, c.caution]),
        [[{ op: 'remove-member', member: ref(live.members[1]) }, 'remove', 'owner']],
      );
      assert.equal(
        p.findings[0].message,
        'live: 1 member(s) the file does not list: barbara@example.com. Plan removes them.',
        'drift names each member it would remove',
      );
    });

    it('locks and unlocks as the file says', () => {
      const p = plan(
        EL(
          '    members:\n      alan@example.com: { seat: workspace_member, locked: true }\n      ken@example.com: { seat: workspace_member, locked: false }\n',
        ),
        elevenlabsLive(),
        elevenlabs,
      );
      assert.deepEqual(
        p.changes.map((c) => c.change),
        [
          { op: 'set-locked', member: ref(alan), locked: true },
          { op: 'set-locked', member: ref(ken), locked: false },
        ],
      );
      assert.deepEqual(
        p.findings.map((f) => f.message),
        ['live: not locked', 'live: locked'],
      );
    });
  });

  describe('expiry (`until:`)', () => {
    it('what expired and live still has is a finding at its line, and Plan removes it', () => {
      const p = plan(
        EL(
          '    members:\n      alan@example.com: { seat: workspace_member, until: 2026-11-29 }\n    resources:\n      - type: voice\n        id: v1\n        grants:\n          group:Support: { role: editor, until: 2026-11-27 }\n',
        ),
        elevenlabsLive([{ principal: support, role: 'editor' }]),
        elevenlabs,
      );
      assert.deepEqual(
        p.changes.map((c) => [c.change, c.kind, at(p, c)]),
        [
          [{ op: 'set-locked', member: ref(alan), locked: true }, 'remove', 'alan@example.com'],
          [
            { op: 'revoke', resource: { type: 'voice', id: 'v1', name: 'v1' }, principal: support, from: 'editor' },
            'remove',
            'group:Support',
          ],
        ],
      );
      assert.deepEqual(
        p.findings.map((f) => [f.code, f.message, at(p, f)]),
        [
          ['expired', 'alan@example.com expired yesterday (until 2026-11-29): Plan removes it.', 'alan@example.com'],
          [
            'expired',
            "group:Support's editor expired 3 days ago (until 2026-11-27): Plan removes it.",
            'group:Support',
          ],
        ],
      );
    });

    it('an expired member the platform can only lock, locked already: nothing more to do, the line can go (it said "Plan removes it" with nothing planned)', () => {
      const p = plan(
        EL('    members:\n      ken@example.com: { seat: workspace_member, until: 2026-11-01 }\n'),
        elevenlabsLive(),
        elevenlabs,
      );
      assert.deepEqual(p.changes, []);
      assert.deepEqual(
        p.findings.map((f) => [f.code, f.message]),
        [['stale', 'ken@example.com ended on 2026-11-01 and they are locked: this line can go.']],
      );
    });

    it('what expired and live no longer has is a line that can go; a date to come is nothing yet', () => {
      const p = plan(
        EL(
          '    members:\n      new@example.com: { seat: workspace_member, until: 2026-11-01 }\n      alan@example.com: { seat: workspace_member, until: 2026-11-30 }\n',
        ),
        elevenlabsLive(),
        elevenlabs,
      );
      assert.deepEqual(p.changes, []);
      assert.deepEqual(
        p.findings.map((f) => [f.code, f.severity, f.message, f.fix]),
        [
          [
            'stale',
            'info',
            'new@example.com ended on 2026-11-01 and live no longer has it: this line can go.',
            { kind: 'delete', path: ['connections', 0, 'members', 'new@example.com'] },
          ],
        ],
      );
    });
  });

  describe('sharing', () => {
    it('grants what the file adds or raises, revokes what an exclusive list leaves out, and never the creator', () => {
      const live = elevenlabsLive([
        { principal: user(ada), role: 'admin', creator: true },
        { principal: support, role: 'editor' },
        { principal: user(alan), role: 'viewer' },
        { principal: ci, role: 'viewer' },
      ]);
      const p = plan(
        EL(
          '    exclusive: [ resources ]\n    resources:\n      - type: voice\n        id: v1\n        name: Narrator\n        grants:\n          group:Support: viewer\n          grace@example.com: commenter\n          service-account:CI: viewer\n          group:Nobody: viewer\n',
        ),
        live,
        elevenlabs,
      );
      const voice = { type: 'voice', id: 'v1', name: 'Narrator' };
      assert.deepEqual(
        p.changes.map((c) => [c.change, c.kind]),
        [
          [{ op: 'grant', resource: voice, principal: support, role: 'viewer', from: 'editor' }, 'change'],
          [{ op: 'grant', resource: voice, principal: user(grace), role: 'commenter' }, 'add'],
          [{ op: 'revoke', resource: voice, principal: user(alan), from: 'viewer' }, 'remove'],
        ],
      );
      assert.deepEqual(codes(p), ['drift', 'drift', 'unknown', 'drift']);
      assert.deepEqual(p.findings[0].fix, {
        kind: 'set',
        path: ['connections', 0, 'resources', 0, 'grants', 'group:Support'],
        key: 'role',
        value: 'editor',
      });
      assert.equal(p.findings[2].message, 'group:Nobody is not known in this ElevenLabs workspace: fix the name.');
      assert.equal(
        p.findings[3].message,
        'live: alan@example.com holds viewer and the file does not list them. Plan removes it.',
      );
    });

    it('a resource live does not have is reported, and nothing is planned on it', () => {
      const p = plan(
        EL('    resources:\n      - type: voice\n        id: gone\n        grants:\n          default: viewer\n'),
        elevenlabsLive(),
        elevenlabs,
      );
      assert.deepEqual(p.changes, []);
      assert.deepEqual(
        p.findings.map((f) => [f.code, f.message]),
        [['unknown', "voice gone no longer exists, or this connection's key cannot see it."]],
      );
    });
  });

  describe('groups', () => {
    it('joins and leaves groups as an exclusive group list says', () => {
      const p = plan(
        EL('    exclusive: [ groups ]\n    groups:\n      Support:\n        - alan@example.com\n'),
        elevenlabsLive(),
        elevenlabs,
      );
      assert.deepEqual(
        p.changes.map((c) => [
          c.change.op,
          'group' in c.change ? c.change.group : undefined,
          who(c.change),
          c.kind,
          at(p, c),
        ]),
        [
          ['join-group', { id: 'g1', name: 'Support' }, 'alan@example.com', 'add', 'alan@example.com'],
          ['leave-group', { id: 'g1', name: 'Support' }, 'ada@example.com', 'remove', 'Support'],
        ],
      );
      assert.deepEqual(codes(p), ['drift', 'drift']);
    });

    it('changes a team role where teams have roles', () => {
      const gitbook: Provider = {
        platform: 'gitbook',
        whoAmI: never,
        invalidate: () => {},
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
      };
      const ken = member('u4', 'ken@example.com', 'read', { groupRole: 'member' });
      const live: LiveState = {
        members: [ken],
        roles: [],
        groups: [{ group: { id: 't1', name: 'Engineering', memberEmails: [] }, members: [ken] }],
      };
      const p = plan(
        '  - platform: gitbook\n    organization: org_sandbox\n    teams:\n      Engineering:\n        ken@example.com: owner\n',
        live,
        gitbook,
      );
      assert.deepEqual(
        p.changes.map((c) => c.change),
        [{ op: 'set-group-role', group: { id: 't1', name: 'Engineering' }, member: ref(ken), role: 'owner' }],
      );
      assert.deepEqual(
        p.findings.map((f) => [f.code, f.message, f.fix]),
        [
          [
            'drift',
            'live: member',
            { kind: 'set', path: ['connections', 0, 'teams', 'Engineering', 'ken@example.com'], value: 'member' },
          ],
        ],
      );
    });
  });

  it('invite links: the same target and role match, another role is an update, a new target is created, the rest deleted', () => {
    const link = (id: string, target: InviteLink['target'], role: string): InviteLink => ({
      id,
      target,
      role,
      roleLabel: role,
      redundant: false,
    });
    const links = [
      link('l1', { kind: 'organization' }, 'read'),
      link('l2', { kind: 'space', id: 's1', name: 'Guide' }, 'edit'),
      link('l3', { kind: 'collection', id: 'c1', name: 'Docs' }, 'read'),
    ];
    const gitbook: Provider = {
      platform: 'gitbook',
      whoAmI: never,
      invalidate: () => {},
      inviteLinks: { roles: [], list: never, create: never, update: never, delete: never },
    };
    const p = plan(
      '  - platform: gitbook\n    organization: org_sandbox\n    exclusive: [ inviteLinks ]\n    inviteLinks:\n      - target: organization\n        role: read\n      - target: space:s1\n        role: comment\n      - target: space:s2\n        role: read\n',
      { members: [], roles: [], links },
      gitbook,
    );
    assert.deepEqual(
      p.changes.map((c) => [c.change, c.kind]),
      [
        [{ op: 'update-link', link: links[1], role: 'comment' }, 'change'],
        [{ op: 'create-link', target: { kind: 'space', id: 's2', name: 's2' }, role: 'read' }, 'add'],
        [{ op: 'delete-link', link: links[2] }, 'remove'],
      ],
    );
    assert.deepEqual(codes(p), ['drift', 'drift', 'drift']);
  });

  it('projects: joins, role changes and removals from an exclusive project', () => {
    const roles: RoleChoice[] = [
      { id: 'pr-manager', label: 'Manager' },
      { id: 'pr-member', label: 'Member' },
    ];
    const ada = member('u1', 'ada@example.com', 'pr-manager', { roleLabel: 'Manager' });
    const grace = member('u3', 'grace@example.com', 'pr-member', { roleLabel: 'Member' });
    const confident: Provider = {
      platform: 'confident',
      whoAmI: never,
      invalidate: () => {},
      projects: { list: never, roles: never, members: never, setRole: never, removeMember: never },
    };
    const live: LiveState = {
      members: [],
      roles: [],
      projects: [{ project: { type: 'project', id: 'p1', name: 'Launch' }, roles, members: [ada, grace] }],
    };
    const p = plan(
      '  - platform: confident\n    organization: Evals\n    exclusive: [ projects ]\n    projects:\n      - id: p1\n        members:\n          ada@example.com: Member\n          alan@example.com: manager\n',
      live,
      confident,
    );
    const launch = { id: 'p1', name: 'Launch' };
    assert.deepEqual(
      p.changes.map((c) => [c.change, c.kind]),
      [
        [
          {
            op: 'set-project-role',
            project: launch,
            member: ref(ada),
            role: 'pr-member',
            roleLabel: 'Member',
            from: 'Manager',
          },
          'change',
        ],
        [
          { op: 'join-project', project: launch, email: 'alan@example.com', role: 'pr-manager', roleLabel: 'Manager' },
          'add',
        ],
        [{ op: 'leave-project', project: launch, member: ref(grace) }, 'remove'],
      ],
    );
    assert.deepEqual(codes(p), ['drift', 'drift', 'drift']);
  });

  describe('ownership', () => {
    const ROLES: RoleChoice[] = [
      { id: 'r-owner', label: 'Owner', invitable: false },
      { id: 'r-admin', label: 'Admin' },
      { id: 'r-member', label: 'Member' },
    ];
    const confident: Provider = {
      platform: 'confident',
      whoAmI: never,
      invalidate: () => {},
      members: {
        list: never,
        page: never,
        roles: {
          kind: 'role',
          listed: true,
          choices: never,
          set: never,
          warning: (_members, role) => (role.label === 'Owner' ? 'Giving Owner transfers ownership.' : undefined),
        },
        remove: never,
      },
    };
    const owner = member('u1', 'ada@example.com', 'r-owner', { roleLabel: 'Owner', owner: true });
    const admin = member('u2', 'alan@example.com', 'r-admin', { roleLabel: 'Admin' });
    const live: LiveState = { members: [owner, admin], roles: ROLES };
    const CA = (body: string) => `  - platform: confident\n    organization: Evals\n${body}`;

    it("a transfer leaves out the old owner's own change, which waits for the next Plan", () => {
      const p = plan(
        CA('    members:\n      ada@example.com: Admin\n      alan@example.com: Owner\n'),
        live,
        confident,
      );
      assert.deepEqual(
        p.changes.map((c) => [c.change, c.kind, c.caution, c.warning]),
        [
          [
            { op: 'set-role', member: ref(admin), role: 'r-owner', roleLabel: 'Owner', from: 'Admin' },
            'change',
            'ownership',
            'Giving Owner transfers ownership.',
          ],
        ],
      );
      assert.deepEqual(codes(p), ['drift', 'drift', 'pending']);
      const pending = p.findings[2];
      assert.equal(
        pending.message,
        'ada@example.com stops being Owner when alan@example.com becomes Owner: Plan again after Apply for the rest of their change.',
      );
      assert.equal(at(p, pending), 'ada@example.com');
    });

    it('the old owner is not removed either when an exclusive list leaves them out', () => {
      const p = plan(CA('    exclusive: [ members ]\n    members:\n      alan@example.com: Owner\n'), live, confident);
      assert.deepEqual(
        p.changes.map((c) => c.change.op),
        ['set-role'],
      );
      assert.deepEqual(codes(p), ['drift', 'drift', 'pending']);
    });

    it("without a transfer, the owner's removal stands and says it is the owner", () => {
      const p = plan(CA('    exclusive: [ members ]\n    members:\n      alan@example.com: Admin\n'), live, confident);
      assert.deepEqual(
        p.changes.map((c) => [c.change, c.caution]),
        [[{ op: 'remove-member', member: ref(owner) }, 'owner']],
      );
    });

    it('Owner cannot be given by invitation', () => {
      const p = plan(CA('    members:\n      new@example.com: Owner\n'), live, confident);
      assert.deepEqual(p.changes, []);
      assert.deepEqual(
        p.findings.map((f) => [f.code, f.severity, f.message]),
        [
          [
            'unknown',
            'error',
            'Owner cannot be given by invitation: invite new@example.com with another role, and change it once they join.',
          ],
        ],
      );
    });
  });

  describe('helpers', () => {
    it('resolveRole: by id, or by label in any case without "(custom)"', () => {
      const choices: RoleChoice[] = [
        { id: 'r1', label: 'Admin' },
        { id: 'r2', label: 'Reviewer (custom)' },
        { id: 'admin', label: 'Legacy' },
      ];
      assert.equal(resolveRole(choices, 'admin')?.id, 'admin', 'an exact id wins over a label');
      assert.equal(resolveRole(choices, 'ADMIN')?.id, 'r1');
      assert.equal(resolveRole(choices, 'reviewer')?.id, 'r2');
      assert.equal(resolveRole(choices, 'r2')?.label, 'Reviewer (custom)');
      assert.equal(resolveRole(choices, 'Owner'), undefined);
    });

    it("fileRole: the id where roles are fixed, the name where they are the organization's", () => {
      assert.equal(fileRole({ id: 'r2', label: 'Reviewer (custom)' }, true), 'Reviewer');
      assert.equal(fileRole({ id: 'workspace_admin', label: 'Admin' }, false), 'workspace_admin');
      assert.equal(fileRole(undefined, true, 'as live says'), 'as live says');
    });

    it('principalKey: how the file names each kind of principal', () => {
      assert.equal(principalKey(user(ada), 'group'), 'ada@example.com');
      assert.equal(principalKey({ kind: 'user', id: 'u9', name: 'No Mail' }, 'group'), 'u9');
      assert.equal(principalKey(support, 'group'), 'group:Support');
      assert.equal(principalKey(support, 'team'), 'team:Support');
      assert.equal(
        principalKey(support, 'group', (name) => name === 'Support'),
        'group:g1',
        'a name two groups share: the id',
      );
      assert.equal(principalKey(ci, 'group'), 'service-account:CI');
      assert.equal(principalKey(everyone, 'group'), 'default');
    });

    it('daysBetween: whole days, across months, leap days and years', () => {
      assert.equal(daysBetween('2026-11-27', '2026-11-30'), 3);
      assert.equal(daysBetween('2024-02-28', '2024-03-01'), 2);
      assert.equal(daysBetween('2026-12-31', '2027-01-01'), 1);
      assert.equal(daysBetween('2026-11-30', '2026-11-27'), -3);
      assert.equal(daysBetween('2026-03-28', '2026-03-30'), 2, 'in UTC: no daylight-saving hour');
      assert.equal(daysBetween(TODAY, TODAY), 0);
    });
  });

  describe('demotions (the command line asks --yes for them)', () => {
    const lowered = (p: ConnectionPlan) =>
      p.changes.map((c) => [c.change.op, who(c.change), c.lowers ? 'lowers' : undefined].filter(Boolean).join(' '));

    it('a lower seat or share role lowers, a higher one does not, where the platform ranks its roles', () => {
      const members = elevenlabs.members;
      assert.ok(members?.roles);
      const ranked: Provider = { ...elevenlabs, members: { ...members, roles: { ...members.roles, ranked: true } } };
      const file = EL(
        '    members:\n      ada@example.com: workspace_member\n      alan@example.com: workspace_admin\n      grace@example.com: workspace_lite_member\n    resources:\n      - type: voice\n        id: v1\n        grants:\n          group:Support: viewer\n          service-account:CI: admin\n',
      );
      const live = elevenlabsLive([
        { principal: support, role: 'editor' },
        { principal: ci, role: 'viewer' },
      ]);
      assert.deepEqual(lowered(plan(file, live, ranked)), [
        'set-role ada@example.com lowers',
        'set-role alan@example.com',
        'set-role grace@example.com lowers',
        'grant lowers',
        'grant',
      ]);
      // Roles the provider does not rank are not compared.
      assert.deepEqual(lowered(plan(file, live, elevenlabs)), [
        'set-role ada@example.com',
        'set-role alan@example.com',
        'set-role grace@example.com',
        'grant lowers',
        'grant',
      ]);
    });

    it('unranked roles (custom ones): leaving a role that reaches everything lowers, anything else is not compared', () => {
      const roles: RoleChoice[] = [
        { id: 'r-admin', label: 'Admin' },
        { id: 'r-eval', label: 'Evaluator (custom)' },
        { id: 'r-member', label: 'Member' },
      ];
      const boss = member('u1', 'boss@example.com', 'r-admin', { roleLabel: 'Admin' });
      const dev = member('u2', 'dev@example.com', 'r-member', { roleLabel: 'Member' });
      const confident: Provider = {
        platform: 'confident',
        whoAmI: never,
        invalidate: () => {},
        members: {
          list: never,
          page: never,
          roles: { kind: 'role', listed: true, choices: never, set: never },
          reachesEverything: (m) => (m.role === 'r-admin' ? 'Admin' : undefined),
        },
      };
      const p = plan(
        '  - platform: confident\n    organization: Evals\n    members:\n      boss@example.com: Evaluator\n      dev@example.com: Evaluator\n',
        { members: [boss, dev], roles },
        confident,
      );
      assert.deepEqual(lowered(p), ['set-role boss@example.com lowers', 'set-role dev@example.com']);
    });

    it('a project role lower on the preset ladder lowers (Confident AI: Owner, Manager, Member)', () => {
      const roles: RoleChoice[] = [
        { id: 'pr-manager', label: 'Manager' },
        { id: 'pr-member', label: 'Member' },
      ];
      const lead = member('u1', 'lead@example.com', 'pr-manager', { roleLabel: 'Manager' });
      const dev = member('u2', 'dev@example.com', 'pr-member', { roleLabel: 'Member' });
      const confident: Provider = {
        platform: 'confident',
        whoAmI: never,
        invalidate: () => {},
        projects: {
          list: never,
          roles: never,
          members: never,
          setRole: never,
          removeMember: never,
          ranked: ['Owner', 'Manager', 'Member'],
        },
      };
      const p = plan(
        '  - platform: confident\n    organization: Evals\n    projects:\n      - id: p1\n        members:\n          lead@example.com: Member\n          dev@example.com: Manager\n',
        {
          members: [],
          roles: [],
          projects: [{ project: { type: 'project', id: 'p1', name: 'Launch' }, roles, members: [lead, dev] }],
        },
        confident,
      );
      assert.deepEqual(lowered(p), ['set-project-role lead@example.com lowers', 'set-project-role dev@example.com']);
    });
  });
});
