import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test('batch create and upsert are all-or-nothing and report every bad row', async (t) => {
  const kernel = await startTestKernel(t);
  const client = api(kernel.app, await signUp(kernel.app));
  await client.post('/api/metadata/objects', {
    name: 'company',
    fields: [{ name: 'name', type: 'text', is_nullable: false }, { name: 'domain', type: 'text', is_unique: true }, { name: 'employees', type: 'number' }],
  });
  const count = async () => (await client.get('/api/objects/company?count=true&limit=1')).body.total_count;

  let res = await client.post('/api/objects/company/batch', { records: [{ name: 'A', domain: 'a.com' }, { name: 'B', domain: 'b.com', employees: 3 }] });
  t.equal(res.status, 200);
  t.same(res.body.data.map((r: any) => r.name), ['A', 'B'], 'results in input order');
  t.same([res.body.created, res.body.updated], [2, 0]);

  res = await client.post('/api/objects/company/batch', { records: [{ name: 'C' }, { employees: 'lots' }, { name: 'E', colour: 'red' }] });
  t.equal(res.status, 400);
  t.equal(res.body.error.code, 'MOSAIC_ERR_RECORD_INVALID');
  t.same(res.body.error.details.map((d: any) => d.path).sort(), ['records[1].employees', 'records[1].name', 'records[2].colour']);
  t.equal(await count(), 2, 'nothing of a bad batch is written');

  res = await client.post('/api/objects/company/batch', { records: [{ name: 'C', domain: 'c.com' }, { name: 'A dup', domain: 'a.com' }] });
  t.equal(res.body.error.code, 'MOSAIC_ERR_RECORD_UNIQUE', 'a unique clash fails the whole batch');
  t.equal(await count(), 2);

  res = await client.post('/api/objects/company/batch', {
    upsert_on: 'domain',
    records: [{ domain: 'a.com', employees: 10 }, { name: 'C', domain: 'c.com' }, { domain: 'b.com', name: 'B2' }],
  });
  t.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
  t.same([res.body.created, res.body.updated], [1, 2]);
  t.same(res.body.data.map((r: any) => [r.name, r.domain, r.employees]), [['A', 'a.com', 10], ['C', 'c.com', null], ['B2', 'b.com', 3]], 'upserts update only the fields sent');

  res = await client.post('/api/objects/company/batch', { upsert_on: 'domain', records: [{ domain: 'x.com', name: 'X' }, { domain: 'x.com', name: 'Y' }] });
  t.equal(res.body.error.code, 'MOSAIC_ERR_RECORD_INVALID', 'the same key twice in one batch is refused');

  const a = (await client.get('/api/objects/company?filter=domain[eq]:"a.com"')).body.data[0];
  res = await client.post('/api/objects/company/batch', { upsert_on: 'id', records: [{ id: a.id, employees: 11 }, { id: '0d9ee7f6-3e8f-4f8e-9a1d-3d8f8c1e2b10', name: 'New with id' }] });
  t.same([res.body.created, res.body.updated], [1, 1]);
  t.equal(res.body.data[1].id, '0d9ee7f6-3e8f-4f8e-9a1d-3d8f8c1e2b10');

  res = await client.post('/api/objects/company/batch', { upsert_on: 'employees', records: [{ name: 'Z' }] });
  t.equal(res.body.error.code, 'MOSAIC_ERR_REQUEST_INVALID', 'upsert only on a unique field');

  res = await client.post('/api/objects/company/batch', { records: Array.from({ length: 1001 }, (_, i) => ({ name: `n${i}` })) });
  t.equal(res.status, 400);
  t.equal(res.body.error.code, 'MOSAIC_ERR_BATCH_TOO_LARGE');

  res = await client.post('/api/objects/company/batch', { records: Array.from({ length: 1000 }, (_, i) => ({ name: `n${i}`, domain: `n${i}.io` })) });
  t.equal(res.status, 200);
  t.equal(res.body.created, 1000, 'a full batch of 1,000 is accepted');
});
