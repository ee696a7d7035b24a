import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

/**
 * Every kind of bad metadata gets a coded 4xx and changes nothing: the metadata and the table's columns
 * are the same before and after.
 */
t.test('bad metadata is refused with a coded error and changes nothing', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'domain', type: 'text' }] });
  await client.post('/api/metadata/objects', { name: 'person', fields: [{ name: 'name', type: 'text' }, { name: 'company', type: 'relation', options: { target: 'company' } }] });
  await client.post('/api/objects/company', { name: 'Acme' });

  const snapshot = async () => {
    const meta = (await client.get('/api/metadata/objects')).body;
    const schema = (await kernel.services.metadata.get(owner.workspaceId)).schema;
    const { rows } = await kernel.services.db.knex.raw('select table_name, column_name from information_schema.columns where table_schema = ? order by 1, 2', [schema]);
    return JSON.stringify({ meta, rows });
  };
  const before = await snapshot();

  const cases: [string, () => Promise<{ status: number; body: any }>, string, number][] = [
    ['reserved object name', () => client.post('/api/metadata/objects', { name: 'metadata' }), 'MOSAIC_ERR_NAME_RESERVED', 400],
    ['invalid object name', () => client.post('/api/metadata/objects', { name: 'Bad Name' }), 'MOSAIC_ERR_NAME_INVALID', 400],
    ['double underscore', () => client.post('/api/metadata/objects', { name: 'a__b' }), 'MOSAIC_ERR_NAME_INVALID', 400],
    ['duplicate object', () => client.post('/api/metadata/objects', { name: 'company' }), 'MOSAIC_ERR_OBJECT_EXISTS', 409],
    ['reserved field name', () => client.post('/api/metadata/objects/company/fields', { name: 'created_at', type: 'text' }), 'MOSAIC_ERR_NAME_RESERVED', 400],
    ['duplicate field', () => client.post('/api/metadata/objects/company/fields', { name: 'domain', type: 'text' }), 'MOSAIC_ERR_FIELD_EXISTS', 409],
    ['field key clash with relation key', () => client.post('/api/metadata/objects/person/fields', { name: 'company_id', type: 'text' }), 'MOSAIC_ERR_FIELD_EXISTS', 409],
    ['duplicate in one create', () => client.post('/api/metadata/objects', { name: 'thing', fields: [{ name: 'a', type: 'text' }, { name: 'a', type: 'number' }] }), 'MOSAIC_ERR_FIELD_EXISTS', 409],
    ['unknown type', () => client.post('/api/metadata/objects/company/fields', { name: 'x', type: 'color' }), 'MOSAIC_ERR_FIELD_TYPE_UNKNOWN', 400],
    ['relation to missing object', () => client.post('/api/metadata/objects/company/fields', { name: 'owner', type: 'relation', options: { target: 'ghost' } }), 'MOSAIC_ERR_RELATION_TARGET_MISSING', 400],
    ['select without options', () => client.post('/api/metadata/objects/company/fields', { name: 'stage', type: 'select' }), 'MOSAIC_ERR_FIELD_OPTIONS_INVALID', 400],
    ['select duplicate options', () => client.post('/api/metadata/objects/company/fields', { name: 'stage', type: 'select', options: { options: [{ value: 'a', label: 'A' }, { value: 'a', label: 'B' }] } }), 'MOSAIC_ERR_FIELD_OPTIONS_INVALID', 400],
    ['default of the wrong type', () => client.post('/api/metadata/objects/company/fields', { name: 'size', type: 'number', default_value: 'big' }), 'MOSAIC_ERR_FIELD_OPTIONS_INVALID', 400],
    ['required field without default on a non-empty object', () => client.post('/api/metadata/objects/company/fields', { name: 'size', type: 'number', is_nullable: false }), 'MOSAIC_ERR_FIELD_OPTIONS_INVALID', 400],
    ['rename into a clash', () => client.patch('/api/metadata/objects/company/fields/domain', { name: 'name' }), 'MOSAIC_ERR_FIELD_EXISTS', 409],
    ['rename object into a clash', () => client.patch('/api/metadata/objects/company', { name: 'person' }), 'MOSAIC_ERR_OBJECT_EXISTS', 409],
    ['change a system field', () => client.patch('/api/metadata/objects/company/fields/created_at', { label: 'x' }), 'MOSAIC_ERR_FIELD_SYSTEM', 400],
    ['delete a system field', () => client.delete('/api/metadata/objects/company/fields/id'), 'MOSAIC_ERR_FIELD_SYSTEM', 400],
    ['delete the reverse side of a relation', () => client.delete('/api/metadata/objects/company/fields/persons'), 'MOSAIC_ERR_FIELD_IN_USE', 409],
    ['delete an object another relates to', () => client.delete('/api/metadata/objects/company'), 'MOSAIC_ERR_OBJECT_IN_USE', 409],
    ['retarget a relation', () => client.patch('/api/metadata/objects/person/fields/company', { options: { target: 'person' } }), 'MOSAIC_ERR_FIELD_OPTIONS_INVALID', 400],
    ['unknown object', () => client.post('/api/metadata/objects/ghost/fields', { name: 'x', type: 'text' }), 'MOSAIC_ERR_OBJECT_NOT_FOUND', 404],
    ['unknown field', () => client.patch('/api/metadata/objects/company/fields/ghost', { label: 'x' }), 'MOSAIC_ERR_FIELD_NOT_FOUND', 404],
    ['unknown label field', () => client.patch('/api/metadata/objects/company', { label_field: 'ghost' }), 'MOSAIC_ERR_FIELD_NOT_FOUND', 404],
    ['composite default', () => client.post('/api/metadata/objects/company/fields', { name: 'addr', type: 'address', default_value: { city: 'x' } }), 'MOSAIC_ERR_FIELD_OPTIONS_INVALID', 400],
    ['body with unknown property', () => client.post('/api/metadata/objects', { name: 'x', colour: 'red' }), 'MOSAIC_ERR_REQUEST_INVALID', 400],
  ];
  for (const [what, call, code, status] of cases) {
    const res = await call();
    t.equal(res.status, status, `${what}: status`);
    t.equal(res.body?.error?.code, code, `${what}: ${res.body?.error?.message}`);
  }
  t.equal(await snapshot(), before, 'metadata and tables are unchanged');
});

t.test('a failing DDL step rolls back the metadata rows with it', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  // Make the DDL fail behind the metadata's back: a column the metadata does not know about.
  const schema = (await kernel.services.metadata.get(owner.workspaceId)).schema;
  await kernel.services.db.knex.raw('alter table ??.company add column size bigint', [schema]);
  const res = await client.post('/api/metadata/objects/company/fields', { name: 'size', type: 'number' });
  t.equal(res.status, 500);
  t.equal(res.body.error.code, 'MOSAIC_ERR_INTERNAL', 'an unexpected failure is a coded 500 without internals');
  t.notMatch(res.body.error.message, /alter table|size/i);
  const fields = (await client.get('/api/metadata/objects/company')).body.data.fields.map((f: { name: string }) => f.name);
  t.notOk(fields.includes('size'), 'no metadata row survives a failed DDL');
});

t.test('a schema change on a busy table gives up quickly and changes nothing', async (t) => {
  const kernel = await startTestKernel(t, { DDL_LOCK_TIMEOUT_MS: '300' });
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  const schema = (await kernel.services.metadata.get(owner.workspaceId)).schema;
  // A long transaction holds a lock on the table, as a long report query would.
  const { default: pg } = await import('pg');
  const blocker = new pg.Client({ connectionString: kernel.databaseUrl });
  await blocker.connect();
  t.teardown(() => blocker.end());
  await blocker.query('begin');
  await blocker.query(`lock table "${schema}".company in access share mode`);
  const started = Date.now();
  const res = await client.post('/api/metadata/objects/company/fields', { name: 'city', type: 'text' });
  t.equal(res.status, 503);
  t.equal(res.body.error.code, 'MOSAIC_ERR_METADATA_BUSY');
  t.ok(Date.now() - started < 3000, 'it did not wait long');
  await blocker.query('rollback');
  t.notOk((await client.get('/api/metadata/objects/company')).body.data.fields.some((f: any) => f.name === 'city'));
  t.equal((await client.post('/api/metadata/objects/company/fields', { name: 'city', type: 'text' })).status, 201, 'works once the table is free');
});

t.test('an oversized body is refused with a coded 413', async (t) => {
  const kernel = await startTestKernel(t, { BODY_LIMIT: '2048' });
  const client = api(kernel.app, await signUp(kernel.app));
  const res = await client.post('/api/metadata/objects', { name: 'company', description: 'x'.repeat(5000) });
  t.equal(res.status, 413);
  t.equal(res.body.error.code, 'MOSAIC_ERR_BODY_TOO_LARGE');
});
