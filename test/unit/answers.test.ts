// Every answer the official specs allow is read by our zod schemas: each endpoint function of the
// three clients is mapped to the spec operation it calls, and each status it accepts to the spec's
// answer for it. A schema may not require a field the spec leaves optional, refuse a null, an enum
// value or a type the spec allows; and the smallest answers the spec allows must parse.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import * as z from 'zod';
import type { PlatformId } from '../../src/providers';
import { envelope } from '../../src/providers/confident/schemas';
import { loadSpec, type SpecSubset } from '../contract/contract';
import { calledFunctions, exportedFunctions, recordCalls, type RecordedCall } from '../shared/clientCalls';
import { SpecSchemas } from '../shared/specAnswers';

type Operation = SpecSubset['paths'][string][string];

/** The spec operation a request calls: the template that matches with the most fixed segments. */
function operationOf(spec: SpecSubset, method: string, path: string): { template: string; op: Operation } | undefined {
  const found = Object.entries(spec.paths)
    .filter(
      ([template, ops]) =>
        ops[method.toLowerCase()] && new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path),
    )
    .sort(([a], [b]) => (a.match(/\{/g) ?? []).length - (b.match(/\{/g) ?? []).length)[0];
  return found && { template: found[0], op: found[1][method.toLowerCase()] };
}

/** Each status a call accepts, with the spec's answer for it (null: no body; undefined: not declared). */
interface Answer {
  readonly label: string;
  readonly schema: z.ZodType;
  readonly status: number;
  readonly spec: object | null | undefined;
}

function answersOf(spec: SpecSubset, calls: readonly RecordedCall[]): Answer[] {
  return calls.flatMap(({ name, req }) => {
    const found = operationOf(spec, req.method, req.path);
    if (!found) return [];
    const label = `${name} (${req.method} ${found.template})`;
    return (req.expect ?? [200]).map((status) => ({
      label,
      schema: req.schema,
      status,
      spec: found.op.responses[String(status)],
    }));
  });
}

/** Checks answers against the spec's JSON schema, so the generated ones are known to be allowed: the errors, if any. */
function specValidator(spec: SpecSubset): (schema: object, value: unknown) => string | undefined {
  const ajv = new Ajv2020({ strict: false, validateFormats: false });
  ajv.addSchema({ $id: 'spec', components: spec.components });
  const compiled = new Map<object, ValidateFunction>();
  return (schema, value) => {
    let v = compiled.get(schema);
    if (!v) {
      v = ajv.compile(JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"spec#/components')) as object);
      compiled.set(schema, v);
    }
    return v(value) ? undefined : JSON.stringify(v.errors?.slice(0, 2));
  };
}

const PLATFORMS: readonly PlatformId[] = ['confident', 'elevenlabs', 'gitbook'];

describe('answers the specs allow, read by our zod schemas', () => {
  for (const platform of PLATFORMS) {
    describe(platform, () => {
      const spec = loadSpec(platform);
      const allowed = specValidator(spec);
      const schemas = new SpecSchemas(spec, (schema, value) => allowed(schema, value) === undefined);
      let calls: RecordedCall[] = [];
      let answers: Answer[] = [];
      before(async () => {
        calls = await recordCalls(platform);
        answers = answersOf(spec, calls);
      });

      it('every endpoint function of the client is mapped to a spec operation, and every status it accepts is one the spec declares', () => {
        assert.deepEqual(
          calledFunctions(platform),
          exportedFunctions(platform),
          'each client function is in the table',
        );
        assert.ok(calls.length >= calledFunctions(platform).length);
        assert.deepEqual(
          calls.filter((c) => !operationOf(spec, c.req.method, c.req.path)).map((c) => `${c.req.method} ${c.req.path}`),
          [],
        );
        assert.deepEqual(
          answers.filter((a) => a.spec === undefined).map((a) => `${a.label}: ${a.status}`),
          [],
        );
      });

      it('no schema requires a field the spec leaves optional, or refuses a null, a value or a type the spec allows', () => {
        const problems = answers.flatMap((a) => {
          if (a.spec === undefined) return [];
          if (a.spec === null)
            return a.schema.safeParse(undefined).success
              ? []
              : [`${a.label}: ${a.status} has no body; our schema wants one`];
          return schemas.problems(a.schema, a.spec).map((p) => `${a.label}: ${a.status} ${p}`);
        });
        assert.deepEqual(problems, []);
      });

      it('the smallest answer the spec allows for each operation is read, with and without its optional lists', () => {
        const failures: string[] = [];
        for (const a of answers) {
          if (!a.spec) continue;
          for (const fill of [false, true]) {
            const answer = schemas.minimal(a.spec, fill);
            const invalid = allowed(a.spec, answer);
            assert.equal(invalid, undefined, `the generated answer for ${a.label} keeps to the spec`);
            const parsed = a.schema.safeParse(answer);
            if (!parsed.success) {
              const issue = parsed.error.issues[0];
              failures.push(`${a.label}${fill ? ' (lists filled)' : ''}: ${issue.path.join('.')}: ${issue.message}`);
            }
          }
        }
        assert.deepEqual(failures, []);
      });
    });
  }
});

describe('the check of schemas against a spec sees what it should', () => {
  const spec = loadSpec('confident');
  const schemas = new SpecSchemas(spec);
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

  it('names each field we require and the spec does not, through $ref, arrays and nested objects', () => {
    const strict = z.object({
      success: z.literal(true),
      data: z.object({
        members: z.array(z.object({ id: z.string(), email: z.string(), name: z.string(), extra: z.string() })),
        total: z.number(),
      }),
    });
    assert.deepEqual(schemas.problems(strict, ref('ListMembersResponse')).sort(), [
      '(answer).data.members: required by our schema, optional in the spec',
      '(answer).data.members[].extra: required by our schema, not in the spec',
      '(answer).data.members[].name: required by our schema, optional in the spec',
      '(answer).data.members[].name: the spec allows null; our schema does not',
      '(answer).data.total: required by our schema, optional in the spec',
      '(answer).success: the spec allows false; our schema does not',
    ]);
  });

  it('names types and enum values the spec allows and a schema refuses', () => {
    const narrow = z.object({ id: z.number(), email: z.string(), status: z.enum(['PENDING']), created_at: z.string() });
    assert.deepEqual(schemas.problems(narrow, ref('Invitation')), [
      '(answer).status: the spec allows "ACCEPTED"; our schema does not',
      '(answer).status: the spec allows "DECLINED"; our schema does not',
    ]);
    const stringId = z.object({ success: z.boolean(), data: z.object({ id: z.string().optional() }) });
    assert.deepEqual(schemas.problems(stringId, ref('DeleteInvitationResponse')), [
      '(answer).data.id: the spec allows any integer; our schema takes a string',
    ]);
  });

  it('reads the other specs too: allOf lists (GitBook), nullable and optional fields (ElevenLabs)', () => {
    const gitbook = new SpecSchemas(loadSpec('gitbook'));
    const teams = z.object({ items: z.array(z.object({ id: z.string() })), next: z.object({ page: z.string() }) });
    const listTeams = loadSpec('gitbook').paths['/orgs/{organizationId}/teams'].get.responses['200'] as object;
    assert.deepEqual(gitbook.problems(teams, listTeams), [
      '(answer).next: required by our schema, optional in the spec',
    ]);
    const elevenlabs = new SpecSchemas(loadSpec('elevenlabs'));
    const voices = z.object({ voices: z.array(z.object({ voice_id: z.string() })), next_page_token: z.string() });
    assert.deepEqual(elevenlabs.problems(voices, ref('GetVoicesV2ResponseModel')), [
      '(answer).next_page_token: required by our schema, optional in the spec',
      '(answer).next_page_token: the spec allows null; our schema does not',
    ]);
  });

  it('a union of success: true and success: false answers takes what the spec allows; either alone does not', () => {
    const data = z.object({ id: z.string().optional(), removed: z.boolean().optional() });
    assert.deepEqual(schemas.problems(envelope(data), ref('RemoveMemberResponse')), []);
    assert.deepEqual(schemas.problems(z.object({ success: z.literal(true), data }), ref('RemoveMemberResponse')), [
      '(answer).success: the spec allows false; our schema does not',
    ]);
  });

  it('makes the smallest answer: required fields, placeholders, the first enum value, one entry per list when filling', () => {
    assert.deepEqual(schemas.minimal(ref('Invitation')), {
      id: 1,
      email: 'x',
      status: 'PENDING',
      created_at: '2026-01-01T00:00:00Z',
    });
    assert.deepEqual(schemas.minimal(ref('GetProjectsResponse')), { success: true, data: {} });
    assert.deepEqual(schemas.minimal(ref('GetProjectsResponse'), true), {
      success: true,
      data: { projects: [{ governancePolicy: {} }] },
    });
  });
});
