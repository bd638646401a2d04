import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import type { PlatformId } from '../../src/providers';
import type { RecordedRequest } from '../emulator/server';

interface Parameter {
  name: string;
  in: 'query' | 'path';
  required: boolean;
  schema: object;
}

interface Operation {
  parameters: Parameter[];
  requestBody?: object;
  requestBodyRequired?: boolean;
  /** 2xx statuses the spec declares, with their JSON schema (null: no body). */
  responses: Record<string, object | null>;
}

export interface SpecSubset {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, object> };
}

/**
 * Checks traffic against a platform's official OpenAPI spec (the subset in test/contract/):
 * each request names an operation the spec has, with declared query parameters and a body that
 * matches the request schema; each 2xx status is one the spec declares, and its body matches.
 */
export class Contract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  private readonly coercing = new Ajv2020({ strict: false, coerceTypes: true, validateFormats: false });
  private readonly routes: { method: string; template: string; pattern: RegExp; op: Operation }[] = [];
  private readonly compiled = new Map<object, ValidateFunction>();

  constructor(spec: SpecSubset) {
    for (const ajv of [this.ajv, this.coercing]) ajv.addSchema({ $id: 'spec', components: spec.components });
    for (const [template, methods] of Object.entries(spec.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries(methods))
        this.routes.push({ method: method.toUpperCase(), template, pattern, op });
    }
  }

  private validator(schema: object, coerce = false): ValidateFunction {
    const key = coerce ? { coerce: schema } : schema;
    let v = coerce ? undefined : this.compiled.get(schema);
    if (!v) {
      const rebased = JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"spec#/components')) as object;
      v = (coerce ? this.coercing : this.ajv).compile(rebased);
      if (!coerce) this.compiled.set(key, v);
    }
    return v;
  }

  private errors(v: ValidateFunction): string {
    return (v.errors ?? [])
      .slice(0, 3)
      .map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`)
      .join('; ');
  }

  /** Problems with one exchange; empty when it keeps to the spec. */
  check(r: RecordedRequest): string[] {
    const where = `${r.method} ${r.path}`;
    const route = this.routes.find((x) => x.method === r.method && x.pattern.test(r.path));
    if (!route) {
      return this.routes.some((x) => x.pattern.test(r.path))
        ? [`${where}: the spec has no ${r.method} on this path`]
        : [`${where}: no such operation in the spec`];
    }
    const problems: string[] = [];
    const query = new URLSearchParams(r.query);
    for (const name of new Set(query.keys())) {
      const param = route.op.parameters.find((p) => p.in === 'query' && p.name === name);
      if (!param) {
        problems.push(`${where}: query parameter "${name}" is not in the spec`);
        continue;
      }
      const values = query.getAll(name);
      const holder = { v: (param.schema as { type?: string }).type === 'array' ? values : values[0] };
      const v = this.validator({ type: 'object', properties: { v: param.schema } }, true);
      if (!v(holder)) problems.push(`${where}: query "${name}": ${this.errors(v)}`);
    }
    for (const p of route.op.parameters)
      if (p.in === 'query' && p.required && !query.has(p.name))
        problems.push(`${where}: required query parameter "${p.name}" is missing`);
    if (r.body !== undefined) {
      if (!route.op.requestBody) problems.push(`${where}: sends a body the spec does not take`);
      else {
        const v = this.validator(route.op.requestBody);
        if (!v(r.body)) problems.push(`${where}: request body: ${this.errors(v)}`);
      }
    } else if (route.op.requestBodyRequired) problems.push(`${where}: the spec requires a body`);
    if (r.status >= 200 && r.status < 300 && r.fault === 'none') {
      const declared = route.op.responses[String(r.status)];
      if (declared === undefined)
        problems.push(
          `${where}: answered ${r.status}, which the spec does not declare (${Object.keys(route.op.responses).join(', ')})`,
        );
      else if (declared !== null) {
        const v = this.validator(declared);
        if (!v(r.response)) problems.push(`${where}: ${r.status} response: ${this.errors(v)}`);
      } else if (r.response !== undefined) problems.push(`${where}: ${r.status} has a body the spec does not declare`);
    }
    return problems;
  }

  checkAll(requests: readonly RecordedRequest[]): string[] {
    return requests.flatMap((r) => this.check(r));
  }
}

/** The spec subset of one platform, committed beside this file's source. */
export function loadSpec(platform: PlatformId): SpecSubset {
  // Compiled to out/test/contract/; the JSON stays in test/contract/.
  const file = join(__dirname, '..', '..', '..', 'test', 'contract', `${platform}.json`);
  return JSON.parse(readFileSync(file, 'utf8')) as SpecSubset;
}

/** The contract of one platform, from its spec subset. */
export function loadContract(platform: PlatformId): Contract {
  return new Contract(loadSpec(platform));
}
