/**
 * Writes `manifest.schema.json` (the published manifest JSON Schema) from the constant in
 * src/manifest/schema.ts. Run after changing the schema:
 *   node --import tsx plugin-sdk/scripts/write-schema.ts
 * A test fails while the file and the constant differ.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MANIFEST_SCHEMA } from '../src/manifest/schema.js';

/** The file's exact text. */
export function schemaFileText(): string {
  return `${JSON.stringify(MANIFEST_SCHEMA, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = fileURLToPath(new URL('../manifest.schema.json', import.meta.url));
  writeFileSync(target, schemaFileText());
  console.log(`wrote ${target}`);
}
