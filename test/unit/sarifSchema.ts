// The official SARIF 2.1.0 schema, vendored (test/fixtures/README.md), as a validator the command
// line's SARIF tests share.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';

const SCHEMA = path.resolve(__dirname, '../../..', 'test/fixtures/sarif-schema-2.1.0.json');
/** The schema as @microsoft/sarif-multitool-linux 5.7.0 ships it (sarif-2.1.0.json): see test/fixtures/README.md. */
const SCHEMA_SHA256 = '1c49a0f2b60444c71bb14878e21e0d882198eff4c539861b133093ad89ed798c';

/** The official SARIF 2.1.0 schema, compiled with its formats (uri, uri-reference, date-time, uuid) checked. */
export function sarifValidator(): (log: unknown) => { ok: boolean; errors: string } {
  const text = fs.readFileSync(SCHEMA);
  assert.equal(createHash('sha256').update(text).digest('hex'), SCHEMA_SHA256, 'the vendored schema is unchanged');
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // ajv-formats is a devDependency loaded at run time (see the README of test/fixtures).
  const addFormats = createRequire(__filename)('ajv-formats') as (a: Ajv2020) => Ajv2020;
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(text.toString('utf8')) as object);
  return (log: unknown) => {
    const ok = validate(log);
    return { ok, errors: JSON.stringify(validate.errors ?? [], null, 2) };
  };
}
