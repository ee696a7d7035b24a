import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { COMPANY, finished, upload } from './helpers.js';

// 100,000 rows on a shared machine can take minutes: this file gets more than tap's default budget.
t.setTimeout(900_000);

t.test('100,000 rows import completely', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  t.equal((await admin.post('/api/metadata/objects', COMPANY)).status, 201);
  const N = 100_000;
  const lines = ['name,domain,employees,revenue,founded,icp,industry,city'];
  for (let i = 1; i <= N; i++) lines.push(`Company ${i},c${i}.example.com,${i % 5000},${i}.50 EUR,2020-01-${String((i % 28) + 1).padStart(2, '0')},${i % 2 ? 'yes' : 'no'},${i % 3 ? 'Software' : 'retail'},"City, ${i % 100}"`);
  const up = await upload(kernel, owner, 'company', `${lines.join('\n')}\n`);
  t.equal(up.status, 201);
  t.equal(up.body.data.row_count, N);
  const mapping = ['name', 'domain', 'employees', 'revenue', 'founded', 'icp', 'industry', 'address.city'];
  t.same(up.body.data.suggested_mapping, mapping);
  t.equal((await admin.post(`/api/imports/${up.body.data.id}/start`, { mapping, upsert_on: 'domain' })).status, 202);
  const done = await finished(admin, up.body.data.id);
  t.equal(done.status, 'completed', JSON.stringify(done.errors).slice(0, 500));
  t.same([done.created, done.updated, done.failed, done.processed], [N, 0, 0, N]);
  const count = await admin.get('/api/objects/company?count=true&limit=1');
  t.equal(count.body.total_count, N, 'every row is a record');
  const sample = (await admin.get('/api/objects/company?filter=domain[eq]:c77777.example.com')).body.data[0];
  t.same([sample.name, sample.employees, sample.revenue, sample.founded, sample.icp, sample.industry, sample.address.city], ['Company 77777', 2777, { amount: 77777.5, currency: 'EUR' }, '2020-01-22', true, 'software', 'City, 77']);
  t.equal(Number((await kernel.services.db.knex('import_chunk').count({ n: '*' }))[0].n), 0, 'the stored file is gone once imported');
});
