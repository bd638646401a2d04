/**
 * Our zod response schemas against a platform's official spec (the subset in test/contract/):
 * where a schema refuses an answer the spec allows (a field it requires that the spec leaves
 * optional, a null, an enum value, a type), and the smallest answer the spec allows for an
 * operation (required fields only, placeholder values, enums at their first value), to parse.
 */
import type * as z from 'zod';
import type { SpecSubset } from '../contract/contract';

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The zod 4 definition of a schema: its kind and, per kind, its parts. */
interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly shape?: Record<string, z.ZodType>;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly values?: readonly unknown[];
  readonly entries?: Record<string, unknown>;
  readonly in?: z.ZodType;
  readonly getter?: () => z.ZodType;
}
const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** Wrappers that change only whether undefined or null pass; those are asked of the schema itself. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'nonoptional']);

function unwrap(s: z.ZodType): { inner: z.ZodType; def: Def } {
  let inner = s;
  for (let def = defOf(inner); ; def = defOf(inner)) {
    if (WRAPPERS.has(def.type) && def.innerType) inner = def.innerType;
    else if (def.type === 'pipe' && def.in) inner = def.in;
    else if (def.type === 'lazy' && def.getter) inner = def.getter();
    else return { inner, def };
  }
}

/** The values a spec schema allows, when they are few (an enum, a const, a boolean). */
function finiteValues(f: Json): unknown[] | undefined {
  if (f.const !== undefined) return [f.const];
  if (Array.isArray(f.enum)) return f.enum as unknown[];
  if (f.type === 'boolean') return [true, false];
  return undefined;
}

function describe(f: Json): string {
  const values = finiteValues(f);
  if (values) return values.map((v) => JSON.stringify(v)).join(' | ');
  return typeof f.type === 'string' ? `any ${f.type}` : 'any value';
}

/** A spec's schemas, with $ref, allOf, anyOf/oneOf and `type: [x, "null"]` taken apart. */
export class SpecSchemas {
  /** `allowed` (a JSON Schema validator over the spec) lets `minimal` leave out an optional part it cannot make. */
  constructor(
    private readonly spec: SpecSubset,
    private readonly allowed: (schema: object, value: unknown) => boolean = () => true,
  ) {}

  resolve(s: unknown): Json {
    let out: unknown = s;
    for (let i = 0; isObj(out) && typeof out.$ref === 'string'; i++) {
      if (i > 20) throw new Error(`a $ref loop at ${String(out.$ref)}`);
      const name = out.$ref.split('/').pop() ?? '';
      const target = this.spec.components.schemas[name];
      if (!target) throw new Error(`the spec subset has no schema ${name}`);
      out = target;
    }
    return isObj(out) ? out : {};
  }

  /** The simple alternatives a value may take (no $ref, allOf or anyOf left); `{type: "null"}` for null. */
  forms(s: unknown, depth = 0): Json[] {
    if (depth > 40) throw new Error('spec schema nested too deeply');
    const r = this.resolve(s);
    // The subsets hold JSON Schema: OpenAPI's `nullable` was made a null alternative when extracted.
    const { allOf, anyOf, oneOf, ...base } = r;
    let forms: Json[] = [base];
    if (Array.isArray(allOf))
      for (const part of allOf) {
        const partForms = this.forms(part, depth + 1);
        forms = forms.flatMap((f) => partForms.map((p) => merge(f, p)));
      }
    const alternatives = Array.isArray(anyOf) ? anyOf : Array.isArray(oneOf) ? oneOf : undefined;
    if (alternatives) {
      const altForms = alternatives.flatMap((a) => this.forms(a, depth + 1));
      forms = forms.flatMap((f) => altForms.map((a) => (a.type === 'null' ? a : merge(f, a))));
    }
    return forms.flatMap((f) => {
      if (Array.isArray(f.type))
        return (f.type as string[]).map((t) => (t === 'null' ? { type: 'null' } : { ...f, type: t }));
      if (Array.isArray(f.enum) && f.enum.includes(null))
        return [{ ...f, enum: f.enum.filter((v) => v !== null) }, { type: 'null' }];
      return [f];
    });
  }

  /** Where `schema` refuses what the spec schema `s` allows, one line each, named by their path. */
  problems(schema: z.ZodType, s: unknown, path = '(answer)'): string[] {
    const out = new Set<string>();
    this.check(schema, s, path, out);
    return [...out];
  }

  private check(schema: z.ZodType, s: unknown, path: string, out: Set<string>): void {
    for (const f of this.forms(s)) this.checkForm(schema, f, path, out);
  }

  private checkForm(schema: z.ZodType, f: Json, path: string, out: Set<string>): void {
    const { def } = unwrap(schema);
    if (def.type === 'unknown' || def.type === 'any' || def.type === 'catch') return;
    if (f.type === 'null') {
      if (!schema.safeParse(null).success) out.add(`${path}: the spec allows null; our schema does not`);
      return;
    }
    const mismatch = (ours: string) => out.add(`${path}: the spec allows ${describe(f)}; our schema takes ${ours}`);
    const values = finiteValues(f);
    switch (def.type) {
      case 'string':
      case 'number':
      case 'boolean': {
        const types = def.type === 'number' ? ['integer', 'number'] : [def.type];
        const ok = values
          ? values.every((v) => typeof v === (def.type === 'number' ? 'number' : def.type))
          : types.includes(f.type as string);
        if (!ok) mismatch(def.type === 'string' ? 'a string' : `a ${def.type}`);
        return;
      }
      case 'literal':
      case 'enum': {
        const ours = def.type === 'literal' ? (def.values ?? []) : Object.values(def.entries ?? {});
        if (!values) return void mismatch(`only ${ours.map((v) => JSON.stringify(v)).join(' | ')}`);
        for (const v of values)
          if (v !== null && !ours.includes(v))
            out.add(`${path}: the spec allows ${JSON.stringify(v)}; our schema does not`);
        return;
      }
      case 'array':
        if (f.type !== 'array') return void mismatch('an array');
        return this.check(def.element!, f.items ?? {}, `${path}[]`, out);
      case 'object':
        if (f.type !== undefined && f.type !== 'object') return void mismatch('an object');
        return this.checkObject(def.shape ?? {}, f, path, out);
      case 'record': {
        if (f.type !== undefined && f.type !== 'object') return void mismatch('an object');
        const props = isObj(f.properties) ? Object.entries(f.properties) : [];
        for (const [k, p] of props) this.check(def.valueType!, p, `${path}.${k}`, out);
        const extra = f.additionalProperties;
        if (isObj(extra)) this.check(def.valueType!, extra, `${path}.*`, out);
        else if (extra !== false && props.length === 0 && !defOf(def.valueType!).type.match(/^(unknown|any)$/))
          out.add(`${path}.*: the spec allows any value; our schema does not`);
        return;
      }
      case 'union':
        return this.checkUnion(def.options ?? [], f, path, out);
      case 'undefined':
        return void mismatch('no body');
      default:
        out.add(`${path}: our schema is a zod ${def.type}, which this check does not read`);
    }
  }

  private checkObject(shape: Record<string, z.ZodType>, f: Json, path: string, out: Set<string>): void {
    const props = isObj(f.properties) ? f.properties : {};
    const required = new Set(Array.isArray(f.required) ? (f.required as string[]) : []);
    for (const [key, field] of Object.entries(shape)) {
      const where = `${path}.${key}`;
      const spec = key in props ? props[key] : isObj(f.additionalProperties) ? f.additionalProperties : undefined;
      if (!required.has(key) && !field.safeParse(undefined).success)
        out.add(
          spec === undefined
            ? `${where}: required by our schema, not in the spec`
            : `${where}: required by our schema, optional in the spec`,
        );
      if (spec !== undefined) this.check(field, spec, where, out);
    }
  }

  /**
   * A union accepts a form when one of its alternatives does. Objects told apart by a literal field
   * (`success: true | false`) are matched value by value against what the spec allows there.
   */
  private checkUnion(options: readonly z.ZodType[], f: Json, path: string, out: Set<string>): void {
    const attempt = (o: z.ZodType, form: Json) => {
      const found = new Set<string>();
      this.checkForm(o, form, path, found);
      return found;
    };
    const best = (opts: readonly z.ZodType[], form: Json) =>
      opts.map((o) => attempt(o, form)).sort((a, b) => a.size - b.size)[0] ?? new Set([`${path}: no alternative`]);
    const first = best(options, f);
    if (first.size === 0) return;
    const props = isObj(f.properties) ? f.properties : {};
    const shapes = options.map((o) => unwrap(o).def.shape);
    const key = shapes.every((s) => s !== undefined)
      ? Object.keys(shapes[0]).find((k) => shapes.every((s) => s[k] && unwrap(s[k]).def.type === 'literal'))
      : undefined;
    const specValues = key && key in props ? this.forms(props[key]).flatMap((p) => finiteValues(p) ?? []) : [];
    if (!key || specValues.length === 0) return void first.forEach((p) => out.add(p));
    for (const v of specValues) {
      const takers = options.filter((_, i) => unwrap(shapes[i]![key]).def.values?.includes(v));
      if (takers.length === 0) out.add(`${path}.${key}: the spec allows ${JSON.stringify(v)}; our schema does not`);
      else best(takers, { ...f, properties: { ...props, [key]: { const: v } } }).forEach((p) => out.add(p));
    }
  }

  /**
   * The smallest answer the spec allows: required fields only (and those with a single allowed value),
   * one entry in each list and map, enums at their first value. With `fill`, optional lists and
   * objects are there too (each at its smallest).
   */
  minimal(s: unknown, fill = false, depth = 0): unknown {
    const f = this.forms(s).find((x) => x.type !== 'null');
    if (!f) return null;
    const values = finiteValues(f);
    if (values && f.type !== 'boolean') return values.find((v) => v !== null) ?? null;
    switch (this.typeOf(f)) {
      case 'object': {
        const props = isObj(f.properties) ? f.properties : {};
        const required = Array.isArray(f.required) ? (f.required as string[]) : [];
        const containers = fill && depth < 12 ? Object.keys(props).filter((k) => this.isContainer(props[k])) : [];
        // A field with one allowed value tells alternatives apart (`type: "available"`): always there.
        const tags = Object.keys(props).filter((k) => this.resolve(props[k]).const !== undefined);
        const out: Json = {};
        for (const k of new Set([...required, ...tags])) out[k] = this.minimal(props[k] ?? {}, fill, depth + 1);
        for (const k of containers.filter((c) => !(c in out))) {
          // An optional part whose smallest form this cannot make (a string with a pattern, say) stays out.
          const value = this.minimal(props[k], fill, depth + 1);
          if (isObj(props[k]) && this.allowed(props[k], value)) out[k] = value;
        }
        if (isObj(f.additionalProperties) && Object.keys(props).length === 0 && depth < 12)
          out.key_1 = this.minimal(f.additionalProperties, fill, depth + 1);
        return out;
      }
      case 'array':
        return depth < 12 ? [this.minimal(f.items ?? {}, fill, depth + 1)] : [];
      case 'string':
        return PLACEHOLDER_STRINGS[f.format as string] ?? 'x'.repeat(Math.max(1, Number(f.minLength ?? 1)));
      case 'integer':
      case 'number':
        return typeof f.minimum === 'number' ? Math.max(1, f.minimum) : 1;
      case 'boolean':
        return true;
      default:
        return {};
    }
  }

  private typeOf(f: Json): unknown {
    return f.type ?? (isObj(f.properties) || f.additionalProperties ? 'object' : undefined);
  }

  private isContainer(s: unknown): boolean {
    const f = this.forms(s).find((x) => x.type !== 'null');
    return f !== undefined && (this.typeOf(f) === 'object' || this.typeOf(f) === 'array');
  }
}

const PLACEHOLDER_STRINGS: Record<string, string> = {
  'date-time': '2026-01-01T00:00:00Z',
  date: '2026-01-01',
  email: 'person@example.com',
  uuid: '00000000-0000-4000-8000-000000000000',
  uri: 'https://example.com/',
};

function merge(a: Json, b: Json): Json {
  const out: Json = { ...a, ...b };
  if (isObj(a.properties) || isObj(b.properties)) {
    const props: Json = { ...(isObj(a.properties) ? a.properties : {}) };
    for (const [k, v] of Object.entries(isObj(b.properties) ? b.properties : {}))
      props[k] = k in props ? { allOf: [props[k], v] } : v;
    out.properties = props;
  }
  const required = [
    ...(Array.isArray(a.required) ? (a.required as string[]) : []),
    ...(Array.isArray(b.required) ? (b.required as string[]) : []),
  ];
  if (required.length) out.required = [...new Set(required)];
  if (a.type !== undefined && b.type === undefined) out.type = a.type;
  return out;
}
