/**
 * The access file's schema, built from each platform's facts: one zod schema that validates a
 * parsed file, and the same schema as JSON Schema (media/workspace-access.schema.json) for editors
 * that read `yamlValidation`. The descriptions say what each platform cannot express.
 */
import * as z from 'zod';
import { EMAIL_PATTERN } from '../inviteRows';
import { sectionKey, sectionsOf, type AccessFileFacts } from './facts';

export const FILE_VERSION = 1;

/** The same email rule as an invitation's (zod's own pattern). */
const EMAIL = EMAIL_PATTERN;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const email = () => z.string().regex(EMAIL, { error: 'Use an email address here.' });
const until = () =>
  z
    .string()
    .regex(DATE, { error: 'Write the date as YYYY-MM-DD.' })
    .refine(
      (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
      { error: 'This is not a calendar date.' },
    )
    .describe('The last day this holds (UTC). After it, diagnostics say it expired and Plan removes it.');

/** Whether a value was left out after its key (`ada@example.com:`), or written as "". */
const isEmpty = (input: unknown) => input === null || input === undefined || input === '';

/** One of fixed values; `noun` names what is missing when the value is left empty ("role", "seat"). */
function oneOf(values: readonly string[], what: string, noun: string) {
  const [first, ...rest] = values;
  if (first === undefined) return z.string().min(1);
  return z.enum([first, ...rest], {
    error: (issue) =>
      isEmpty(issue.input)
        ? `The ${noun} is empty; use one of: ${values.join(', ')}.`
        : `"${typeof issue.input === 'string' ? issue.input : JSON.stringify(issue.input)}" is not ${what}; use one of: ${values.join(', ')}.`,
  });
}

/** A role the organization names (not fixed by the platform): `whose` roles, to say where they are. */
const roleName = (noun: string, whose: string) => {
  const empty = `The ${noun} is empty: name one of ${whose} roles.`;
  return z.string({ error: (issue) => (isEmpty(issue.input) ? empty : `Name the ${noun}.`) }).min(1, { error: empty });
};

function memberValue(f: AccessFileFacts) {
  const role = f.members.roles
    ? oneOf(
        f.members.roles,
        `a ${f.members.roleKey === 'seat' ? 'seat type' : 'role'} of ${f.label}`,
        f.members.roleKey === 'seat' ? 'seat type' : 'role',
      )
    : roleName('role', `the ${f.match.key}'s`);
  const object = z.strictObject({
    [f.members.roleKey]: role.optional(),
    ...(f.members.locks
      ? { locked: z.boolean().optional().describe('Whether the member is locked out of the workspace.') }
      : {}),
    until: until().optional(),
  });
  return z
    .union([role, object])
    .describe(`The ${f.members.roleKey}, or { ${f.members.roleKey}, ${f.members.locks ? 'locked, ' : ''}until }.`);
}

function principalKey(f: AccessFileFacts) {
  const kinds = [
    ...(f.groups ? [`${f.groups.prefix}:<name>`] : []),
    ...(f.resources?.serviceAccounts ? ['service-account:<name>'] : []),
    ...(f.resources?.workspaceDefault ? ['default'] : []),
  ];
  const alternatives = [
    EMAIL.source.slice(1, -1),
    ...(f.groups ? [`${f.groups.prefix}:.+`] : []),
    ...(f.resources?.serviceAccounts ? ['service-account:.+'] : []),
    ...(f.resources?.workspaceDefault ? ['default'] : []),
  ];
  return z.string().regex(new RegExp(`^(${alternatives.join('|')})$`), {
    error: `Name who holds the role: an email${kinds.length ? `, ${kinds.join(', ')}` : ''}.`,
  });
}

/** One connection's schema in parts: its own fields, and each section's entry schemas. */
export interface ConnectionParts {
  readonly top: Record<string, z.ZodType>;
  /** Map sections (members, groups): each entry's key and value. */
  readonly maps: Readonly<
    Record<string, { readonly key: z.ZodType; readonly value: z.ZodType; readonly description: string }>
  >;
  /** List sections (resources, inviteLinks, projects): each item. */
  readonly lists: Readonly<Record<string, { readonly item: z.ZodType; readonly description: string }>>;
}

export function connectionParts(f: AccessFileFacts): ConnectionParts {
  const sections = sectionsOf(f).map((s) => sectionKey(f, s));
  const top: Record<string, z.ZodType> = {
    platform: z.literal(f.platform),
    [f.match.key]: z.string().min(1).describe(f.match.description),
    exclusive: z
      .array(oneOf(sections, `a section of a ${f.label} connection`, 'section'))
      .optional()
      .describe(
        `The sections that hold everything: what is live and not in the file is removed. Without it, only what the file names is added or changed. Sections: ${sections.join(', ')}.`,
      ),
  };
  const maps: Record<string, { key: z.ZodType; value: z.ZodType; description: string }> = {
    members: { key: email(), value: memberValue(f), description: f.members.description },
  };
  const lists: Record<string, { item: z.ZodType; description: string }> = {};
  if (f.groups) {
    const list = z.array(email());
    maps[f.groups.key] = {
      key: z.string().min(1),
      value: f.groups.roles
        ? z.union([list, z.record(email(), oneOf(f.groups.roles, `a ${f.groups.key.slice(0, -1)} role`, 'role'))])
        : list,
      description: f.groups.description,
    };
  }
  if (f.resources) {
    const role = oneOf(f.resources.roles, `a ${f.label} share role`, 'role');
    const grant = z.union([role, z.strictObject({ role, until: until().optional() })]);
    lists.resources = {
      item: z.strictObject({
        type: oneOf(f.resources.types, `a ${f.label} resource type`, 'type'),
        id: z.string().min(1),
        name: z.string().optional().describe('For people to read; the id decides.'),
        grants: z.record(principalKey(f), grant),
      }),
      description: f.resources.description,
    };
  }
  if (f.inviteLinks) {
    lists.inviteLinks = {
      item: z.strictObject({
        target: z.string().regex(/^(organization|(space|collection):\S+)$/, {
          error: 'Use organization, space:<id> or collection:<id>.',
        }),
        role: oneOf(f.inviteLinks.roles, 'an invite link role', 'role'),
      }),
      description: f.inviteLinks.description,
    };
  }
  if (f.projects) {
    const role = roleName('project role', "the project's");
    lists.projects = {
      item: z.strictObject({
        id: z.string().min(1),
        name: z.string().optional(),
        members: z.record(email(), z.union([role, z.strictObject({ role, until: until().optional() })])),
      }),
      description: f.projects.description,
    };
  }
  return { top, maps, lists };
}

/** The whole schema of a connection (for the JSON Schema). */
function connectionSchema(f: AccessFileFacts) {
  const { top, maps, lists } = connectionParts(f);
  const shape: Record<string, z.ZodType> = { ...top };
  for (const [k, m] of Object.entries(maps))
    shape[k] = z
      .record(m.key as z.ZodString, m.value)
      .optional()
      .describe(m.description);
  for (const [k, l] of Object.entries(lists)) shape[k] = z.array(l.item).optional().describe(l.description);
  return z.strictObject(shape).describe(`A ${f.label} connection.`);
}

/** A connection with its sections' entries left unchecked: they are checked one by one (and an unchanged one is not checked again). */
export function skeletonSchema(f: AccessFileFacts) {
  const { top, maps, lists } = connectionParts(f);
  const shape: Record<string, z.ZodType> = { ...top };
  for (const k of Object.keys(maps))
    shape[k] = z.record(z.string(), z.unknown(), { error: `"${k}" holds entries of the form key: value.` }).optional();
  for (const k of Object.keys(lists))
    shape[k] = z.array(z.unknown(), { error: `"${k}" is a list: start each entry with "- ".` }).optional();
  return z.strictObject(shape);
}

const ROSTER_ERROR = 'Name the roster file: a path to a CSV, relative to this file.';
const ROSTER_DESCRIPTION =
  'The roster (an HR or identity-provider CSV export), relative to this file. The editor marks people the file grants access to who have left or are not on it; for this file it takes the place of the workspaceAccess.roster setting.';
/** `roster:` as the JSON Schema says it. */
const roster = () => z.string().min(1).optional().describe(ROSTER_DESCRIPTION);
/**
 * `roster:` as the parser checks it: a refinement, so that a number or an empty value gets the
 * message above (a wrong type would otherwise read as a missing key).
 */
const rosterChecked = () =>
  z
    .unknown()
    .refine((v) => typeof v === 'string' && v.trim() !== '', { error: ROSTER_ERROR })
    .transform((v) => v as string)
    .optional();

/** The file's own fields, with each connection left to its platform's schema. */
export const fileSkeleton = (platforms: readonly string[]) =>
  z.strictObject({
    version: z.literal(FILE_VERSION, { error: `Write version: ${FILE_VERSION}.` }),
    roster: rosterChecked(),
    connections: z.array(
      z
        .strictObject({
          platform: z.enum(platforms as [string, ...string[]], {
            error: `Name the platform: ${platforms.join(', ')}.`,
          }),
        })
        .loose(),
    ),
  });

/** The whole file: a version and a list of connections, each checked by its platform's facts. */
export function accessFileSchema(facts: readonly AccessFileFacts[]) {
  const [first, ...rest] = facts.map(connectionSchema);
  if (!first) throw new Error('No platform has access file facts.');
  const platforms = facts.map((f) => f.platform);
  return z
    .strictObject({
      version: z.literal(FILE_VERSION, { error: `Write version: ${FILE_VERSION}.` }),
      roster: roster(),
      connections: z
        .array(
          z.discriminatedUnion('platform', [first, ...rest], {
            error: (issue) =>
              issue.code === 'invalid_union' ? `Name the platform: ${platforms.join(', ')}.` : undefined,
          }),
        )
        .describe(
          'One entry per connection. Each is matched to a stored connection by platform and workspace or organization, never by a key: the file holds no secret.',
        ),
    })
    .describe('Workspace Access: who should have what, per connection. Only what the file declares is managed.');
}

/** The JSON Schema the extension ships for editors that read `yamlValidation`. */
export function accessFileJsonSchema(facts: readonly AccessFileFacts[]): Record<string, unknown> {
  return {
    ...z.toJSONSchema(accessFileSchema(facts), { target: 'draft-7', io: 'input' }),
    title: 'Workspace Access file',
  };
}
