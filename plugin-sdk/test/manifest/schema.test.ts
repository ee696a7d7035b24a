import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import t from 'tap';
// The kernel does not export its field-type list; this drift guard reads it directly, in a test only.
import { FIELD_TYPES as KERNEL_FIELD_TYPES } from '../../../kernel/src/metadata/field-types/model.js';
import { schemaFileText } from '../../scripts/write-schema.js';
import { FIELD_TYPES, MANIFEST_SCHEMA } from '../../src/index.js';
import { fullManifest } from './fixtures.js';

const sdkRoot = new URL('../../', import.meta.url);

t.test('manifest.schema.json is the schema constant, as scripts/write-schema.ts writes it', async (t) => {
  const file = readFileSync(new URL('manifest.schema.json', sdkRoot), 'utf8');
  t.equal(file, schemaFileText(), 'run `node --import tsx plugin-sdk/scripts/write-schema.ts` after changing src/manifest/schema.ts');
  t.same(JSON.parse(file), MANIFEST_SCHEMA);
});

t.test('the schema constant cannot be changed by accident', async (t) => {
  t.ok(Object.isFrozen(MANIFEST_SCHEMA));
  t.ok(Object.isFrozen((MANIFEST_SCHEMA.properties as Record<string, unknown>).permissions));
});

t.test('the published schema works on its own, as an editor or another tool would use it', async (t) => {
  const ajv = new Ajv2020({ allErrors: true });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  const schema = JSON.parse(readFileSync(new URL('manifest.schema.json', sdkRoot), 'utf8'));
  const validate = ajv.compile(schema);
  t.ok(validate(fullManifest()), JSON.stringify(validate.errors));
  t.notOk(validate({ ...fullManifest(), permissions: { email: true } }));
});

t.test('the package publishes the schema and pins the same dependency versions as the kernel', async (t) => {
  const sdk = JSON.parse(readFileSync(new URL('package.json', sdkRoot), 'utf8'));
  const kernel = JSON.parse(readFileSync(new URL('../kernel/package.json', sdkRoot), 'utf8'));
  t.equal(sdk.exports['./manifest.schema.json'], './manifest.schema.json');
  for (const name of ['ajv', 'ajv-formats', 'semver']) t.equal(sdk.dependencies[name], kernel.dependencies[name], name);
});

t.test("the SDK's field types are the kernel's declarable field types", async (t) => {
  t.same([...FIELD_TYPES], [...KERNEL_FIELD_TYPES]);
});
