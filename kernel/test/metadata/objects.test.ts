import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

const ALL_TYPES = [
  { name: 'title', type: 'text' },
  { name: 'notes', type: 'long_text' },
  { name: 'employees', type: 'number', options: { precision: 'integer' } },
  { name: 'score', type: 'number' },
  { name: 'revenue', type: 'currency' },
  { name: 'active', type: 'boolean' },
  { name: 'founded', type: 'date' },
  { name: 'last_contact', type: 'datetime' },
  { name: 'email', type: 'email' },
  { name: 'emails', type: 'emails' },
  { name: 'phone', type: 'phone' },
  { name: 'phones', type: 'phones' },
  { name: 'website', type: 'link' },
  { name: 'links', type: 'links' },
  { name: 'contact_name', type: 'full_name' },
  { name: 'address', type: 'address' },
  { name: 'stage', type: 'select', options: { options: [{ value: 'lead', label: 'Lead' }, { value: 'won', label: 'Won' }] } },
  { name: 'tags', type: 'multi_select', options: { options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] } },
  { name: 'rating', type: 'rating' },
  { name: 'extra', type: 'json' },
];

async function columns(kernel: Awaited<ReturnType<typeof startTestKernel>>, workspaceId: string, table: string) {
  const schema = (await kernel.services.metadata.get(workspaceId)).schema;
  const { rows } = (await kernel.services.db.knex.raw(
    'select column_name, data_type, is_nullable from information_schema.columns where table_schema = ? and table_name = ? order by ordinal_position',
    [schema, table],
  )) as { rows: { column_name: string; data_type: string; is_nullable: string }[] };
  return Object.fromEntries(rows.map((r) => [r.column_name, r.data_type]));
}

t.test('an object with every field type becomes a real table with typed columns', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  const res = await client.post('/api/metadata/objects', { name: 'deal', label_singular: 'Deal', label_plural: 'Deals', fields: ALL_TYPES });
  t.equal(res.status, 201, JSON.stringify(res.body));
  const names = res.body.data.fields.map((f: { name: string }) => f.name);
  t.same(names.slice(0, 6), ['id', 'created_at', 'updated_at', 'deleted_at', 'created_by', 'position'], 'system fields come first');
  t.same(names.slice(6), ALL_TYPES.map((f) => f.name));
  t.equal(res.body.data.label_field, 'title', 'the first text field is the record title');

  const cols = await columns(kernel, owner.workspaceId, 'deal');
  t.equal(cols.id, 'uuid');
  t.equal(cols.employees, 'bigint');
  t.equal(cols.score, 'numeric');
  t.equal(cols.revenue__amount, 'numeric');
  t.equal(cols.revenue__currency, 'text');
  t.equal(cols.active, 'boolean');
  t.equal(cols.founded, 'date');
  t.equal(cols.last_contact, 'timestamp with time zone');
  t.equal(cols.emails__additional, 'ARRAY');
  t.equal(cols.contact_name__first_name, 'text');
  t.equal(cols.address__postcode, 'text');
  t.equal(cols.tags, 'ARRAY');
  t.equal(cols.rating, 'smallint');
  t.equal(cols.extra, 'jsonb');

  const list = await client.get('/api/metadata/objects');
  t.same(list.body.data.map((o: { name: string }) => o.name), ['deal']);
  const types = await client.get('/api/metadata/field-types');
  t.equal(types.body.data.length, 21);
});

t.test('fields are added, renamed, reconfigured and deleted at runtime', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });

  let res = await client.post('/api/metadata/objects/company/fields', { name: 'tier', type: 'select', options: { options: [{ value: 'gold', label: 'Gold' }, { value: 'silver', label: 'Silver' }] }, default_value: 'silver', is_nullable: false });
  t.equal(res.status, 201, JSON.stringify(res.body));
  let cols = await columns(kernel, owner.workspaceId, 'company');
  t.ok(cols.tier, 'column added');

  const rec = await client.post('/api/objects/company', { name: 'Acme' });
  t.equal(rec.body.data.tier, 'silver', 'the default applies');
  const gold = await client.post('/api/objects/company', { name: 'Gold Inc', tier: 'gold' });
  t.equal(gold.status, 201);

  res = await client.patch('/api/metadata/objects/company/fields/tier', { name: 'level', label: 'Level' });
  t.equal(res.status, 200, JSON.stringify(res.body));
  cols = await columns(kernel, owner.workspaceId, 'company');
  t.ok(cols.level && !cols.tier, 'column renamed');
  const read = await client.get(`/api/objects/company/${gold.body.data.id}`);
  t.equal(read.body.data.level, 'gold', 'data follows the rename');

  res = await client.patch('/api/metadata/objects/company/fields/level', { options: { options: [{ value: 'silver', label: 'Silver' }] } });
  t.equal(res.status, 200);
  const cleared = await client.get(`/api/objects/company/${gold.body.data.id}`);
  t.equal(cleared.body.data.level, 'silver', 'values of a removed option fall back to the default');

  res = await client.patch('/api/metadata/objects/company/fields/level', { type: 'text' });
  t.equal(res.body.error.code, 'MOSAIC_ERR_FIELD_TYPE_IMMUTABLE');

  res = await client.delete('/api/metadata/objects/company/fields/level');
  t.equal(res.status, 200);
  cols = await columns(kernel, owner.workspaceId, 'company');
  t.notOk(cols.level, 'column dropped');

  res = await client.patch('/api/metadata/objects/company', { name: 'organization', label_plural: 'Organizations' });
  t.equal(res.status, 200);
  t.equal((await client.get('/api/objects/organization')).body.data.length, 2, 'records follow the object rename');
  t.equal((await client.get('/api/objects/company')).body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND');

  res = await client.delete('/api/metadata/objects/organization');
  t.equal(res.status, 204);
  t.same((await client.get('/api/metadata/objects')).body.data, []);
});

t.test('unique fields: refused over duplicates, enforced after, freed by soft delete', async (t) => {
  const kernel = await startTestKernel(t);
  const client = api(kernel.app, await signUp(kernel.app));
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'domain', type: 'text' }] });
  const a = await client.post('/api/objects/company', { name: 'A', domain: 'a.com' });
  await client.post('/api/objects/company', { name: 'A2', domain: 'a.com' });
  let res = await client.patch('/api/metadata/objects/company/fields/domain', { is_unique: true });
  t.equal(res.status, 409);
  t.equal(res.body.error.code, 'MOSAIC_ERR_UNIQUE_VIOLATION_EXISTING');
  await client.delete(`/api/objects/company/${a.body.data.id}`);
  res = await client.patch('/api/metadata/objects/company/fields/domain', { is_unique: true });
  t.equal(res.status, 200, 'soft-deleted records do not count');
  res = await client.post('/api/objects/company', { name: 'A3', domain: 'a.com' });
  t.equal(res.status, 409);
  t.equal(res.body.error.code, 'MOSAIC_ERR_RECORD_UNIQUE');
  res = await client.post(`/api/objects/company/${a.body.data.id}/restore`);
  t.equal(res.body.error.code, 'MOSAIC_ERR_RECORD_UNIQUE', 'restoring checks unique values again');
});

t.test('relations create a foreign key and a reverse field', async (t) => {
  const kernel = await startTestKernel(t);
  const client = api(kernel.app, await signUp(kernel.app));
  await client.post('/api/metadata/objects', { name: 'company', label_plural: 'Companies', fields: [{ name: 'name', type: 'text' }] });
  const res = await client.post('/api/metadata/objects', {
    name: 'person',
    label_plural: 'People',
    fields: [{ name: 'name', type: 'text' }, { name: 'company', type: 'relation', options: { target: 'company' } }],
  });
  t.equal(res.status, 201, JSON.stringify(res.body));
  const relation = res.body.data.fields.find((f: { name: string }) => f.name === 'company');
  t.equal(relation.key, 'company_id');
  t.match(relation.options, { target: 'company', inverse_name: 'people', on_delete: 'set_null' });
  const company = (await client.get('/api/metadata/objects/company')).body.data;
  const reverse = company.fields.find((f: { name: string }) => f.name === 'people');
  t.equal(reverse.type, 'one_to_many');

  const bad = await client.post(`/api/objects/person`, { name: 'x', company_id: '00000000-0000-4000-8000-000000000000' });
  t.equal(bad.status, 400);
  t.equal(bad.body.error.code, 'MOSAIC_ERR_RECORD_RELATION_MISSING');

  let del = await client.delete('/api/metadata/objects/company/fields/people');
  t.equal(del.body.error.code, 'MOSAIC_ERR_FIELD_IN_USE');
  del = await client.delete('/api/metadata/objects/company');
  t.equal(del.status, 409);
  t.equal(del.body.error.code, 'MOSAIC_ERR_OBJECT_IN_USE');
  t.match(del.body.error.message, /person\.company/);

  // Self relation on one object, then renaming the target keeps the relation working.
  const self = await client.post('/api/metadata/objects/company/fields', { name: 'parent', type: 'relation', options: { target: 'company', inverse_name: 'subsidiaries' } });
  t.equal(self.status, 201, JSON.stringify(self.body));
  const renamed = await client.patch('/api/metadata/objects/company', { name: 'account' });
  t.equal(renamed.status, 200);
  const person = (await client.get('/api/metadata/objects/person')).body.data;
  t.equal(person.fields.find((f: { name: string }) => f.name === 'company').options.target, 'account');
  const acme = await client.post('/api/objects/account', { name: 'Acme' });
  const p = await client.post('/api/objects/person', { name: 'Ann', company_id: acme.body.data.id });
  t.equal(p.status, 201);

  // Deleting the relation field removes the reverse side; then the target can go.
  t.equal((await client.delete('/api/metadata/objects/person/fields/company')).status, 200);
  t.notOk((await client.get('/api/metadata/objects/account')).body.data.fields.some((f: { name: string }) => f.name === 'people'));
});

t.test('objects and fields are managed only with the metadata capability', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  await api(kernel.app, owner).post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  const { inviteAndAccept } = await import('../helpers/auth.js');
  const member = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'member'));
  const res = await member.post('/api/metadata/objects', { name: 'secret' });
  t.equal(res.status, 403);
  t.equal(res.body.error.code, 'MOSAIC_ERR_FORBIDDEN');
  t.equal((await member.get('/api/metadata/objects')).body.data.length, 1, 'members can read metadata');
  t.equal((await api(kernel.app, { headers: {} }).get('/api/metadata/objects')).body.error.code, 'MOSAIC_ERR_AUTH_REQUIRED');
});
