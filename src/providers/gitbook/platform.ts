import type { Platform } from '../../core/provider';
import { GitBookProvider } from './provider';
import { GITBOOK_ROLES, GUEST } from './roles';
import { RESOURCE_TYPES } from './sharing';

/** GitBook: the facts every layer shares, and how its provider is made. src/providers/index.ts registers it. */
export const gitbook = {
  info: {
    id: 'gitbook' as const,
    label: 'GitBook',
    container: 'organization',
    defaultBaseUrl: 'https://api.gitbook.com/v1',
    authHeader: 'authorization',
    authValue: (key) => `Bearer ${key}`,
    keyHelpUrl: 'https://app.gitbook.com/account/developer',
    /** The codicon on its connections. */
    icon: 'book',
  },
  create: (http, tenantId, account) => new GitBookProvider(http, tenantId, account),
  accessFile: {
    platform: 'gitbook',
    label: 'GitBook',
    match: {
      key: 'organization',
      by: 'tenant',
      description: "The GitBook organization's id (or its name, as the connection shows it).",
    },
    members: {
      roleKey: 'role',
      roles: [...GITBOOK_ROLES.roles, GUEST],
      description:
        'Organization members by email, with their role. A member not yet in the organization is invited with that role; GitBook cannot list invitations, so Workspace Access remembers the ones Apply sent. A removal from an exclusive list removes the member from the organization.',
    },
    groups: {
      key: 'teams',
      prefix: 'team',
      roles: ['owner', 'member'],
      description:
        'Teams by name, each with its members: a list of emails, or email: owner | member. Teams are not created or deleted: a team the organization does not have is reported.',
    },
    resources: {
      types: RESOURCE_TYPES,
      roles: GITBOOK_ROLES.roles,
      description:
        'Spaces, collections and sites by type and id, each with who holds which role: an email or `team:<name>`. The default level is set on the content in GitBook and is not managed here.',
    },
    inviteLinks: {
      roles: [...GITBOOK_ROLES.roles, GUEST],
      targets: ['organization', 'space:<id>', 'collection:<id>'],
      description:
        'Invite links: what each joins (`organization`, `space:<id>`, `collection:<id>`) and the role it gives.',
    },
    invitationsListed: false,
  },
} satisfies Platform;
