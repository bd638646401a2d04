/**
 * The access file's schema, built from each platform's facts: one zod schema that validates a
 * parsed file, and the same schema as JSON Schema (media/workspace-access.schema.json) for editors
 * that read `yamlValidation`. The descriptions say what each platform cannot express.
 */
import * as z from 'zod';
import { sectionKey, sectionsOf, type AccessFileFacts } from './facts';

export const FILE_VERSION = 1;

const EMAIL = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const email = () => z.string().regex(EMAIL, { error: 'Use an email address here.' });
const until = () =>
  z
    .string()
    .regex(DATE, { error: 'Write the date as YYYY-MM-DD.' })
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), { error: 'This is not a calendar date.' })
    .describe('The last day this holds (UTC). After it, diagnostics say it expired and Plan removes it.');

function oneOf(values: readonly string[], what: string) {
  const [first, ...rest] = values;
  if (first === undefined) return z.string().min(1);
  return z.enum([first, ...rest], { error: (issue) => `"${String(issue.input)}" is not ${what}; use one of: ${values.join(', ')}.` });
}

const roleName = (what: string) => z.string().min(1, { error: `Name ${what}.` });

function memberValue(f: AccessFileFacts) {
  const role = f.members.roles ? oneOf(f.members.roles, `a ${f.platform === 'elevenlabs' ? 'seat type' : 'role'} of ${f.label}`) : roleName('the role');
  const object = z.strictObject({
    [f.members.roleKey]: role.optional(),
    ...(f.members.locks ? { locked: z.boolean().optional().describe('Whether the member is locked out of the workspace.') } : {}),
    until: until().optional(),
  });
  return z.union([role, object]).describe(`The ${f.members.roleKey}, or { ${f.members.roleKey}, ${f.members.locks ? 'locked, ' : ''}until }.`);
}

function principalKey(f: AccessFileFacts) {
  const kinds = [
    ...(f.groups ? [`${f.groups.prefix}:<name>`] : []),
    ...(f.resources?.serviceAccounts ? ['service-account:<name>'] : []),
    ...(f.resources?.workspaceDefault ? ['default'] : []),
  ];
  const alternatives = [EMAIL.source.slice(1, -1), ...(f.groups ? [`${f.groups.prefix}:.+`] : []), ...(f.resources?.serviceAccounts ? ['service-account:.+'] : []), ...(f.resources?.workspaceDefault ? ['default'] : [])];
  return z.string().regex(new RegExp(`^(${alternatives.join('|')})$`), { error: `Name who holds the role: an email${kinds.length ? `, ${kinds.join(', ')}` : ''}.` });
}

function connectionSchema(f: AccessFileFacts) {
  const sections = sectionsOf(f).map((s) => sectionKey(f, s));
  const shape: Record<string, z.ZodType> = {
    platform: z.literal(f.platform),
    [f.match.key]: z.string().min(1).describe(f.match.description),
    exclusive: z
      .array(oneOf(sections, `a section of a ${f.label} connection`))
      .optional()
      .describe(`The sections that hold everything: what is live and not in the file is removed. Without it, only what the file names is added or changed. Sections: ${sections.join(', ')}.`),
    members: z.record(email(), memberValue(f)).optional().describe(f.members.description),
  };
  if (f.groups) {
    const list = z.array(email());
    const value = f.groups.roles ? z.union([list, z.record(email(), oneOf(f.groups.roles, `a ${f.groups.key.slice(0, -1)} role`))]) : list;
    shape[f.groups.key] = z.record(z.string().min(1), value).optional().describe(f.groups.description);
  }
  if (f.resources) {
    const role = oneOf(f.resources.roles, `a ${f.label} share role`);
    const grant = z.union([role, z.strictObject({ role, until: until().optional() })]);
    shape.resources = z
      .array(
        z.strictObject({
          type: oneOf(f.resources.types, `a ${f.label} resource type`),
          id: z.string().min(1),
          name: z.string().optional().describe('For people to read; the id decides.'),
          grants: z.record(principalKey(f), grant),
        }),
      )
      .optional()
      .describe(f.resources.description);
  }
  if (f.inviteLinks) {
    shape.inviteLinks = z
      .array(z.strictObject({ target: z.string().regex(/^(organization|(space|collection):\S+)$/, { error: 'Use organization, space:<id> or collection:<id>.' }), role: oneOf(f.inviteLinks.roles, 'an invite link role') }))
      .optional()
      .describe(f.inviteLinks.description);
  }
  if (f.projects) {
    const role = roleName('the project role');
    shape.projects = z
      .array(z.strictObject({ id: z.string().min(1), name: z.string().optional(), members: z.record(email(), z.union([role, z.strictObject({ role, until: until().optional() })])) }))
      .optional()
      .describe(f.projects.description);
  }
  return z.strictObject(shape).describe(`A ${f.label} connection.`);
}

/** The whole file: a version and a list of connections, each checked by its platform's facts. */
export function accessFileSchema(facts: readonly AccessFileFacts[]) {
  const [first, ...rest] = facts.map(connectionSchema);
  if (!first) throw new Error('No platform has access file facts.');
  const platforms = facts.map((f) => f.platform);
  return z
    .strictObject({
      version: z.literal(FILE_VERSION, { error: `Write version: ${FILE_VERSION}.` }),
      connections: z
        .array(z.discriminatedUnion('platform', [first, ...rest], { error: (issue) => (issue.code === 'invalid_union' ? `Name the platform: ${platforms.join(', ')}.` : undefined) }))
        .describe('One entry per connection. Each is matched to a stored connection by platform and workspace or organization, never by a key: the file holds no secret.'),
    })
    .describe('Workspace Access: who should have what, per connection. Only what the file declares is managed.');
}

export type AccessFileSchema = ReturnType<typeof accessFileSchema>;

/** The JSON Schema the extension ships for editors that read `yamlValidation`. */
export function accessFileJsonSchema(facts: readonly AccessFileFacts[]): Record<string, unknown> {
  return { ...z.toJSONSchema(accessFileSchema(facts), { target: 'draft-7', io: 'input' }), title: 'Workspace Access file' };
}

export { EMAIL, DATE };
