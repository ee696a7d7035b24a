import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test('depth=1 embeds many-to-one targets and one-to-many lists', async (t) => {
  const kernel = await startTestKernel(t);
  const client = api(kernel.app, await signUp(kernel.app));
  await client.post('/api/metadata/objects', { name: 'company', label_plural: 'Companies', fields: [{ name: 'name', type: 'text' }] });
  await client.post('/api/metadata/objects', { name: 'person', label_plural: 'People', fields: [{ name: 'name', type: 'text' }, { name: 'company', type: 'relation', options: { target: 'company', on_delete: 'set_null' } }] });
  const acme = (await client.post('/api/objects/company', { name: 'Acme' })).body.data;
  const empty = (await client.post('/api/objects/company', { name: 'Empty' })).body.data;
  const ann = (await client.post('/api/objects/person', { name: 'Ann', company_id: acme.id })).body.data;
  const bob = (await client.post('/api/objects/person', { name: 'Bob', company_id: acme.id })).body.data;
  await client.post('/api/objects/person', { name: 'Loner' });
  t.equal(ann.company_id, acme.id);

  const people = await client.get('/api/objects/person?depth=1&order_by=name&fields=name');
  t.same(people.body.data.map((p: any) => p.company?.name ?? null), ['Acme', 'Acme', null]);
  t.notOk('company_id' in people.body.data[0], 'the projection still applies to the record');

  const company = await client.get(`/api/objects/company/${acme.id}?depth=1`);
  t.same(company.body.data.people.map((p: any) => p.name).sort(), ['Ann', 'Bob']);
  t.same((await client.get(`/api/objects/company/${empty.id}?depth=1`)).body.data.people, []);
  const without = await client.get(`/api/objects/company/${acme.id}`);
  t.notOk('people' in without.body.data, 'no embedding without depth');

  await client.delete(`/api/objects/person/${bob.id}`);
  const after = await client.get(`/api/objects/company/${acme.id}?depth=1`);
  t.same(after.body.data.people.map((p: any) => p.name), ['Ann'], 'soft-deleted records are not embedded');

  await client.delete(`/api/objects/company/${acme.id}?destroy=true`);
  t.equal((await client.get(`/api/objects/person/${ann.id}`)).body.data.company_id, null, 'on_delete set_null');

  const filtered = await client.get(`/api/objects/person?filter=${encodeURIComponent(`company_id[is]:NULL`)}&count=true`);
  t.equal(filtered.body.total_count, 2);
});

t.test('restrict relations refuse destroying a referenced record', async (t) => {
  const kernel = await startTestKernel(t);
  const client = api(kernel.app, await signUp(kernel.app));
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  await client.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'name', type: 'text' }, { name: 'company', type: 'relation', options: { target: 'company', on_delete: 'restrict', inverse_name: 'deals' } }] });
  const acme = (await client.post('/api/objects/company', { name: 'Acme' })).body.data;
  await client.post('/api/objects/deal', { name: 'Big', company_id: acme.id });
  const res = await client.delete(`/api/objects/company/${acme.id}?destroy=true`);
  t.equal(res.status, 409);
  t.equal(res.body.error.code, 'MOSAIC_ERR_RECORD_REFERENCED');
});
