import type { Platform } from '../../core/provider';
import { ElevenLabsProvider } from './provider';
import { RESOURCE_LISTS } from './resources';
import { SHARE_ROLES } from './roles';
import { SEAT_TYPES } from './schemas';

/** ElevenLabs: the facts every layer shares, and how its provider is made. src/providers/index.ts registers it. */
export const elevenlabs = {
  info: {
    id: 'elevenlabs' as const,
    label: 'ElevenLabs',
    container: 'workspace',
    defaultBaseUrl: 'https://api.elevenlabs.io',
    authHeader: 'xi-api-key',
    authValue: (key) => key,
    keyHelpUrl: 'https://elevenlabs.io/app/settings/api-keys',
    /** The codicon on its connections. */
    icon: 'mic',
  },
  create: (http) => new ElevenLabsProvider(http),
  accessFile: {
    platform: 'elevenlabs',
    label: 'ElevenLabs',
    match: {
      key: 'workspace',
      by: 'label',
      description:
        'The name of the ElevenLabs connection in Workspace Access (the API does not name the workspace; on the command line, any name).',
    },
    members: {
      roleKey: 'seat',
      roles: SEAT_TYPES,
      locks: true,
      description:
        'Workspace members by email: their seat type, and whether they are locked. ElevenLabs cannot remove a member through its API, so a member the file leaves out of an exclusive list is locked. A member not yet in the workspace is invited (with the groups the file puts them in); ElevenLabs cannot list invitations, so Workspace Access remembers the ones Apply sent.',
    },
    groups: {
      key: 'groups',
      prefix: 'group',
      description:
        "Workspace groups by name, each with its members' emails. Groups are not created or deleted: a group the workspace does not have is reported.",
    },
    resources: {
      types: RESOURCE_LISTS.map((l) => l.type.id),
      roles: SHARE_ROLES.roles,
      serviceAccounts: true,
      workspaceDefault: true,
      description:
        'Shared resources (voices, agents, dictionaries, projects, …) by type and id, each with who holds which role: an email, `group:<name>`, `service-account:<name>`, or `default` (everyone in the workspace).',
    },
    invitationsListed: false,
  },
} satisfies Platform;
