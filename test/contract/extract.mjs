// Copies the parts of a platform's official OpenAPI spec that the extension uses into
// test/contract/<platform>.json: the operations, their parameters, request bodies and 2xx
// responses, and every schema they reach, without descriptions, titles or examples.
// Run it when a spec changes:  node test/contract/extract.mjs <platform> <path/to/spec.(json|yaml)>
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const OPERATIONS = {
  elevenlabs: [
    ['get', '/v1/user'],
    ['get', '/v1/workspace/members'],
    ['post', '/v1/workspace/members'],
    ['post', '/v1/workspace/analytics/query/usage-by-product-over-time'],
    ['get', '/v1/workspace/groups'],
    ['get', '/v1/workspace/groups/search'],
    ['post', '/v1/workspace/groups/{group_id}/members'],
    ['post', '/v1/workspace/groups/{group_id}/members/remove'],
    ['post', '/v1/workspace/invites/add'],
    ['post', '/v1/workspace/invites/add-bulk'],
    ['delete', '/v1/workspace/invites'],
    ['get', '/v1/service-accounts'],
    ['get', '/v1/service-accounts/{service_account_user_id}/api-keys'],
    ['get', '/v1/workspace/resources/{resource_id}'],
    ['post', '/v1/workspace/resources/{resource_id}/share'],
    ['post', '/v1/workspace/resources/{resource_id}/unshare'],
    ['get', '/v2/voices'],
    ['get', '/v1/pronunciation-dictionaries'],
    ['get', '/v1/dubbing'],
    ['get', '/v1/studio/projects'],
    ['get', '/v1/convai/agents'],
    ['get', '/v1/convai/knowledge-base'],
    ['get', '/v1/convai/tools'],
    ['get', '/v1/convai/phone-numbers'],
    ['get', '/v1/convai/mcp-servers'],
    ['get', '/v1/convai/secrets'],
  ],
  confident: [
    ['get', '/v1/organization'],
    ['get', '/v1/organization/roles'],
    ['get', '/v1/organization/members'],
    ['put', '/v1/organization/members/{userId}'],
    ['delete', '/v1/organization/members/{userId}'],
    ['get', '/v1/organization/invitations'],
    ['post', '/v1/organization/invitations'],
    ['put', '/v1/organization/invitations/{invitationId}'],
    ['delete', '/v1/organization/invitations/{invitationId}'],
    ['get', '/v1/projects'],
    ['get', '/v1/projects/{projectId}/members'],
    ['put', '/v1/projects/{projectId}/members/{userId}'],
    ['delete', '/v1/projects/{projectId}/members/{userId}'],
    ['get', '/v1/projects/{projectId}/roles'],
    ['get', '/v1/projects/{projectId}/invitations'],
    ['post', '/v1/projects/{projectId}/invitations'],
    ['put', '/v1/projects/{projectId}/invitations/{invitationId}'],
    ['delete', '/v1/projects/{projectId}/invitations/{invitationId}'],
  ],
  gitbook: [
    ['get', '/user'],
    ['get', '/orgs'],
    ['get', '/orgs/{organizationId}'],
    ['get', '/orgs/{organizationId}/members'],
    ['get', '/orgs/{organizationId}/members/{userId}'],
    ['patch', '/orgs/{organizationId}/members/{userId}'],
    ['delete', '/orgs/{organizationId}/members/{userId}'],
    ['get', '/orgs/{organizationId}/members/{userId}/spaces'],
    ['get', '/orgs/{organizationId}/members/{userId}/teams'],
    ['get', '/orgs/{organizationId}/teams'],
    ['put', '/orgs/{organizationId}/teams'],
    ['get', '/orgs/{organizationId}/teams/{teamId}'],
    ['patch', '/orgs/{organizationId}/teams/{teamId}'],
    ['delete', '/orgs/{organizationId}/teams/{teamId}'],
    ['get', '/orgs/{organizationId}/teams/{teamId}/members'],
    ['put', '/orgs/{organizationId}/teams/{teamId}/members'],
    ['put', '/orgs/{organizationId}/teams/{teamId}/members/{userId}'],
    ['delete', '/orgs/{organizationId}/teams/{teamId}/members/{userId}'],
    ['post', '/orgs/{organizationId}/invites'],
    ['get', '/orgs/{organizationId}/link-invites'],
    ['post', '/orgs/{organizationId}/link-invites'],
    ['get', '/orgs/{organizationId}/link-invites/{inviteId}'],
    ['patch', '/orgs/{organizationId}/link-invites/{inviteId}'],
    ['delete', '/orgs/{organizationId}/link-invites/{inviteId}'],
    ['get', '/orgs/{organizationId}/spaces'],
    ['get', '/orgs/{organizationId}/collections'],
    ['get', '/orgs/{organizationId}/sites'],
    ...['/spaces/{spaceId}', '/collections/{collectionId}', '/orgs/{organizationId}/sites/{siteId}'].flatMap((base) => [
      ['post', `${base}/permissions`],
      ['get', `${base}/permissions/users`],
      ['get', `${base}/permissions/teams`],
      ['get', `${base}/permissions/aggregate`],
      ['patch', `${base}/permissions/users/{userId}`],
      ['delete', `${base}/permissions/users/{userId}`],
      ['patch', `${base}/permissions/teams/{teamId}`],
      ['delete', `${base}/permissions/teams/{teamId}`],
    ]),
  ],
};

/**
 * Known gaps in a spec, corrected here so the check stays strict everywhere else. Each says why.
 */
const CORRECTIONS = {
  gitbook: [
    // GET link-invites types its items as InviteLinkToOrganization, but the API also lists space and
    // collection links (shared/api/gitbook.md §4.2): use the spec's own OrganizationInviteLink union.
    (paths) => {
      paths['/orgs/{organizationId}/link-invites'].get.responses['200'].allOf[1].properties.items.items = {
        $ref: '#/components/schemas/OrganizationInviteLink',
      };
    },
  ],
};

const DROP = new Set([
  'description',
  'title',
  'examples',
  'example',
  'summary',
  'operationId',
  'tags',
  'deprecated',
  'externalDocs',
]);

/**
 * Drops documentation keywords; under `properties` the keys are field names and all stay.
 * OpenAPI 3.0's `nullable: true` (ignored by JSON Schema) becomes an explicit null alternative.
 */
function strip(value, refs, fieldNames = false) {
  if (Array.isArray(value)) return value.map((v) => strip(v, refs));
  if (!value || typeof value !== 'object') return value;
  if (!fieldNames && value.nullable === true) {
    const { nullable: _, ...rest } = value;
    const inner = strip(rest, refs);
    return typeof inner.type === 'string' && !inner.enum
      ? { ...inner, type: [inner.type, 'null'] }
      : { anyOf: [inner, { type: 'null' }] };
  }
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (!fieldNames && (DROP.has(k) || k.startsWith('x-'))) continue;
    if (!fieldNames && k === '$ref') refs.add(v.split('/').pop());
    out[k] = strip(v, refs, !fieldNames && (k === 'properties' || k === 'patternProperties' || k === '$defs'));
  }
  return out;
}

async function main(platform, specPath) {
  const text = readFileSync(specPath, 'utf8');
  const spec = specPath.endsWith('.json') ? JSON.parse(text) : (await import('yaml')).parse(text);
  const deref = (o, kind) => (o?.$ref ? spec.components[kind][o.$ref.split('/').pop()] : o);
  const refs = new Set();
  const paths = {};
  for (const [method, path] of OPERATIONS[platform]) {
    const item = spec.paths[path];
    const op = item?.[method];
    if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the spec`);
    const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])]
      .map((p) => deref(p, 'parameters'))
      .filter((p) => p.in === 'query' || p.in === 'path')
      .map((p) => strip({ name: p.name, in: p.in, required: p.required ?? false, schema: p.schema ?? {} }, refs));
    const body = deref(op.requestBody, 'requestBodies');
    const responses = {};
    for (const [status, r] of Object.entries(op.responses ?? {})) {
      if (!/^2\d\d$/.test(status)) continue;
      const schema = deref(r, 'responses')?.content?.['application/json']?.schema;
      responses[status] = schema ? strip(schema, refs) : null;
    }
    const json = body?.content?.['application/json']?.schema;
    paths[path] ??= {};
    paths[path][method] = {
      parameters,
      ...(json ? { requestBody: strip(json, refs), requestBodyRequired: body.required ?? false } : {}),
      responses,
    };
  }
  for (const correct of CORRECTIONS[platform] ?? []) correct(paths);
  const schemas = {};
  const queue = [...refs];
  while (queue.length) {
    const name = queue.pop();
    if (schemas[name]) continue;
    const found = new Set();
    schemas[name] = strip(spec.components.schemas[name], found);
    for (const r of found) if (!schemas[r]) queue.push(r);
  }
  const out = {
    source: `${platform} OpenAPI spec (subset, descriptions removed)`,
    paths,
    components: { schemas: Object.fromEntries(Object.entries(schemas).sort()) },
  };
  const file = join(dirname(fileURLToPath(import.meta.url)), `${platform}.json`);
  writeFileSync(file, JSON.stringify(out) + '\n');
  console.log(
    `${Object.values(paths).reduce((n, m) => n + Object.keys(m).length, 0)} operations, ${Object.keys(schemas).length} schemas, ${(JSON.stringify(out).length / 1024).toFixed(0)} KB → ${file}`,
  );
}

const [platform, spec] = process.argv.slice(2);
if (!OPERATIONS[platform] || !spec) {
  console.error(`usage: node test/contract/extract.mjs <${Object.keys(OPERATIONS).join('|')}> <spec file>`);
  process.exit(2);
}
await main(platform, spec);
