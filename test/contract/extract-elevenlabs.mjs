// Copies the parts of the official ElevenLabs OpenAPI spec that the extension uses into
// test/contract/elevenlabs.json: the operations, their parameters, request bodies and 200
// responses, and every schema they reach, without descriptions, titles or examples.
// Run it when the spec changes: node test/contract/extract-elevenlabs.mjs <path/to/elevenlabs-openapi.json>
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const OPERATIONS = [
  ['get', '/v1/user'],
  ['get', '/v1/workspace/members'],
  ['post', '/v1/workspace/members'],
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
];

const DROP = new Set(['description', 'title', 'examples', 'example', 'x-fern-sdk-group-name', 'x-fern-sdk-method-name', 'x-fern-audiences', 'x-fern-availability', 'summary', 'operationId', 'tags', 'x-fern-type-name', 'x-fern-ignore', 'deprecated']);

/** Drops documentation keywords; under `properties` the keys are field names and all stay. */
function strip(value, refs, fieldNames = false) {
  if (Array.isArray(value)) return value.map((v) => strip(v, refs));
  if (!value || typeof value !== 'object') return value;
  const out = {};
  for (const [k, v] of Object.entries(value)) {
    if (!fieldNames && (DROP.has(k) || k.startsWith('x-'))) continue;
    if (!fieldNames && k === '$ref') refs.add(v.split('/').pop());
    out[k] = strip(v, refs, !fieldNames && (k === 'properties' || k === 'patternProperties' || k === '$defs'));
  }
  return out;
}

function main(specPath) {
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  const refs = new Set();
  const paths = {};
  for (const [method, path] of OPERATIONS) {
    const op = spec.paths[path]?.[method];
    if (!op) throw new Error(`${method.toUpperCase()} ${path} is not in the spec`);
    const body = op.requestBody?.content?.['application/json']?.schema;
    const ok = op.responses?.['200']?.content?.['application/json']?.schema;
    const parameters = (op.parameters ?? []).filter((p) => p.in !== 'header').map((p) => strip({ name: p.name, in: p.in, required: p.required ?? false, schema: p.schema }, refs));
    paths[path] ??= {};
    paths[path][method] = { parameters, ...(body ? { requestBody: strip(body, refs), requestBodyRequired: op.requestBody.required ?? false } : {}), response200: ok ? strip(ok, refs) : {} };
  }
  const schemas = {};
  const queue = [...refs];
  while (queue.length) {
    const name = queue.pop();
    if (schemas[name]) continue;
    const found = new Set();
    schemas[name] = strip(spec.components.schemas[name], found);
    for (const r of found) if (!schemas[r]) queue.push(r);
  }
  const out = { source: 'ElevenLabs OpenAPI 3.1, Aug 2026 (subset, descriptions removed)', paths, components: { schemas: Object.fromEntries(Object.entries(schemas).sort()) } };
  const file = join(dirname(fileURLToPath(import.meta.url)), 'elevenlabs.json');
  writeFileSync(file, JSON.stringify(out) + '\n');
  console.log(`${Object.keys(paths).length} paths, ${Object.keys(schemas).length} schemas, ${(JSON.stringify(out).length / 1024).toFixed(0)} KB → ${file}`);
}

main(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../../../shared/api/specs/elevenlabs-openapi.json'));
