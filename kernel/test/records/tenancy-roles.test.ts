import t from 'tap';
import { api } from '../helpers/api.js';
import { createApiKey, inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test('two workspaces never see each other’s records', async (t) => {
  const kernel = await startTestKernel(t);
  const a = api(kernel.app, await signUp(kernel.app));
  const b = api(kernel.app, await signUp(kernel.app));
  for (const client of [a, b]) await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  const secret = (await a.post('/api/objects/company', { name: 'A secret' })).body.data;
  await b.post('/api/objects/company', { name: 'B public' });

  t.same((await b.get('/api/objects/company')).body.data.map((r: any) => r.name), ['B public']);
  for (const res of [
    await b.get(`/api/objects/company/${secret.id}`),
    await b.patch(`/api/objects/company/${secret.id}`, { name: 'hacked' }),
    await b.delete(`/api/objects/company/${secret.id}`),
    await b.post(`/api/objects/company/${secret.id}/restore`),
  ]) {
    t.equal(res.status, 404);
    t.equal(res.body.error.code, 'MOSAIC_ERR_RECORD_NOT_FOUND');
  }
  t.same((await b.get(`/api/objects/company?filter=${encodeURIComponent(`id[eq]:"${secret.id}"`)}`)).body.data, []);
  t.equal((await a.get(`/api/objects/company/${secret.id}`)).body.data.name, 'A secret', 'untouched');
});

t.test('roles are enforced on every records call, at object and field level', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  await admin.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'revenue', type: 'currency' }, { name: 'notes', type: 'text' }] });
  await admin.post('/api/metadata/objects', { name: 'payroll', fields: [{ name: 'name', type: 'text' }] });
  const acme = (await admin.post('/api/objects/company', { name: 'Acme', revenue: { amount: 1000, currency: 'EUR' }, notes: 'n' })).body.data;
  await admin.post('/api/objects/payroll', { name: 'salaries' });

  const role = await admin.post('/api/workspace/roles', {
    key: 'sales',
    name: 'Sales',
    permissions: {
      workspace: [],
      objects: { '*': { read: true, create: true, update: true, delete: false }, payroll: { read: false, create: false, update: false, delete: false } },
      fields: { company: { revenue: { read: false, update: false }, notes: { read: true, update: false } } },
    },
  });
  t.equal(role.status, 201, JSON.stringify(role.body));
  const sales = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'sales'));

  const list = await sales.get('/api/objects/company');
  t.notOk('revenue' in list.body.data[0], 'hidden field absent from lists');
  t.equal(list.body.data[0].notes, 'n', 'read-only field is visible');
  t.notOk('revenue' in (await sales.get(`/api/objects/company/${acme.id}`)).body.data, 'absent from get');
  t.notOk('revenue' in (await sales.get(`/api/objects/company/${acme.id}?fields=name,revenue`)).body.data, 'absent from projections');
  t.notOk('revenue' in (await sales.get(`/api/objects/company/${acme.id}?depth=1`)).body.data);
  t.equal((await sales.get('/api/objects/company?filter=revenue.amount[gt]:10')).body.error.code, 'MOSAIC_ERR_FIELD_FORBIDDEN', 'cannot filter on it');
  t.equal((await sales.get('/api/objects/company?order_by=revenue')).body.error.code, 'MOSAIC_ERR_FIELD_FORBIDDEN', 'cannot sort by it');
  t.equal((await sales.patch(`/api/objects/company/${acme.id}`, { notes: 'x' })).body.error.code, 'MOSAIC_ERR_FIELD_FORBIDDEN', 'cannot write a read-only field');
  t.equal((await sales.post('/api/objects/company', { name: 'N', revenue: { amount: 1 } })).body.error.code, 'MOSAIC_ERR_FIELD_FORBIDDEN');
  const created = await sales.post('/api/objects/company', { name: 'Allowed' });
  t.equal(created.status, 201);
  t.notOk('revenue' in created.body.data, 'write responses hide it too');
  t.equal((await sales.delete(`/api/objects/company/${acme.id}`)).body.error.code, 'MOSAIC_ERR_FORBIDDEN', 'no delete permission');
  t.equal((await sales.get('/api/objects/payroll')).body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND', 'an unreadable object looks absent');
  t.notOk((await sales.get('/api/metadata/objects')).body.data.some((o: any) => o.name === 'payroll'), 'and is absent from metadata');
  const meta = (await sales.get('/api/metadata/objects/company')).body.data;
  t.notOk(meta.fields.some((f: any) => f.name === 'revenue'), 'hidden fields are absent from metadata');

  // Viewer: read only. API keys carry their role too.
  const viewer = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'viewer'));
  t.equal((await viewer.get('/api/objects/company')).status, 200);
  t.equal((await viewer.post('/api/objects/company', { name: 'no' })).body.error.code, 'MOSAIC_ERR_FORBIDDEN');
  t.equal((await viewer.patch(`/api/objects/company/${acme.id}`, { name: 'no' })).body.error.code, 'MOSAIC_ERR_FORBIDDEN');
  t.equal((await viewer.post('/api/objects/company/batch', { records: [{ name: 'no' }] })).body.error.code, 'MOSAIC_ERR_FORBIDDEN');
  const key = await createApiKey(kernel.app, owner, 'viewer');
  const keyed = api(kernel.app, key);
  t.equal((await keyed.get('/api/objects/company')).status, 200);
  t.equal((await keyed.post('/api/objects/company', { name: 'no' })).body.error.code, 'MOSAIC_ERR_FORBIDDEN');

  // Changing the role takes effect on the next request.
  const upd = await admin.patch('/api/workspace/roles/sales', {
    permissions: { workspace: [], objects: { '*': { read: true, create: true, update: true, delete: true } }, fields: {} },
  });
  t.equal(upd.status, 200, JSON.stringify(upd.body));
  t.equal((await sales.get(`/api/objects/company/${acme.id}`)).body.data.revenue.amount, 1000, 'field visible after the role change');
  t.equal((await sales.get('/api/objects/payroll')).status, 200);
});
