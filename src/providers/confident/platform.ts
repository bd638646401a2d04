import type { Platform } from '../../core/provider';
import { ConfidentProvider } from './provider';

/** Confident AI: the facts every layer shares, and how its provider is made. src/providers/index.ts registers it. */
export const confident = {
  info: {
    id: 'confident' as const,
    label: 'Confident AI',
    container: 'organization',
    defaultBaseUrl: 'https://api.confident-ai.com',
    authHeader: 'CONFIDENT_API_KEY',
    authValue: (key) => key,
    keyHelpUrl: 'https://app.confident-ai.com',
    /** The codicon on its connections. */
    icon: 'beaker',
  },
  create: (http) => new ConfidentProvider(http),
  accessFile: {
    platform: 'confident',
    label: 'Confident AI',
    match: {
      key: 'organization',
      by: 'account',
      description: "The Confident AI organization's name: the organization its key belongs to.",
    },
    members: {
      roleKey: 'role',
      description:
        "Organization members by email, with their role's name (the organization's own roles: Owner, Admin, Member, or a custom one). A member not yet in the organization is invited; pending invitations count as done. The Owner role cannot be given by invitation.",
    },
    projects: {
      description:
        "Projects by id, each with its members by email and their project role's name. Someone not yet in a project is invited to it; pending project invitations count as done.",
    },
    invitationsListed: true,
  },
} satisfies Platform;
