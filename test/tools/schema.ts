/**
 * The access file's JSON Schema as the extension ships it (media/workspace-access.schema.json),
 * made from the same zod schema that checks files. `npm run schema` writes it; a unit test fails
 * when the committed file is not what the code makes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { accessFileJsonSchema } from '../../src/core/access/schema';
import { ACCESS_FILE_FACTS } from '../../src/providers';

export const SCHEMA_FILE = path.resolve(__dirname, '..', '..', '..', 'media', 'workspace-access.schema.json');

export const schemaText = (): string => `${JSON.stringify(accessFileJsonSchema(ACCESS_FILE_FACTS), null, 2)}\n`;

if (require.main === module) {
  fs.writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
