import t from 'tap';
import { api } from '../helpers/api.js';
import { createApiKey, inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

async function setup(t: Parameters<typeof startTestKernel>[0]) {
  const kernel = await startTestKernel(t);
  const ownerSession = await signUp(kernel.app);
  const owner = api(kernel.app, ownerSession);
  for (const body of [
    { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'domain', type: 'link' }, { name: 'secret_note', type: 'text' }, { name: 'notes', type: 'long_text' }, { name: 'employees', type: 'number' }] },
    { name: 'person', fields: [{ name: 'full', type: 'full_name' }, { name: 'emails', type: 'emails' }, { name: 'phone', type: 'phone' }, { name: 'city', type: 'text' }] },
    { name: 'payroll', fields: [{ name: 'name', type: 'text' }] },
  ]) {
    const res = await owner.post('/api/metadata/objects', body);
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  }
  return { kernel, owner, ownerSession };
}

const hits = (res: { body: any }) => res.body.data.map((h: any) => `${h.object}:${h.label}:${h.match.field}`);

t.test('finds records of every readable object in text-like fields, label prefixes first', async (t) => {
  const { owner } = await setup(t);
  const acme = (await owner.post('/api/objects/company', { name: 'Acme', domain: 'https://acme.example', secret_note: 'nothing', notes: 'acme in long text only', employees: 5 })).body.data;
  await owner.post('/api/objects/company', { name: 'Big Acme Holdings' });
  await owner.post('/api/objects/company', { name: 'Zenith', domain: 'https://zenith-acme.example' });
  await owner.post('/api/objects/company', { name: 'Notes only', notes: 'acme' });
  const ada = (await owner.post('/api/objects/person', { full: { first_name: 'Ada', last_name: 'Lovelace' }, emails: { primary: 'ada@analytical.example', additional: ['countess@acme.example'] }, city: 'London' })).body.data;
  await owner.post('/api/objects/person', { full: { first_name: 'Acme', last_name: 'Fan' } });
  await owner.post('/api/objects/payroll', { name: 'Acme salaries' });
  const gone = (await owner.post('/api/objects/company', { name: 'Acme Deleted' })).body.data;
  await owner.delete(`/api/objects/company/${gone.id}`);

  const res = await owner.get('/api/search?q=ACME');
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.same(hits(res), [
    'company:Acme:name',
    'person:Acme Fan:full',
    'payroll:Acme salaries:name',
    'person:Ada Lovelace:emails',
    'company:Big Acme Holdings:name',
    'company:Zenith:domain',
  ], 'label prefix matches first, then by label; long text and soft-deleted records are not searched');
  const first = res.body.data[0];
  t.same(first, { object: 'company', id: acme.id, label: 'Acme', match: { field: 'name', value: 'Acme' } });
  t.same(res.body.data.find((h: any) => h.id === ada.id).match, { field: 'emails', value: 'countess@acme.example' }, 'additional emails are searched');

  t.same(hits(await owner.get('/api/search?q=lovelace')), ['person:Ada Lovelace:full'], 'full names');
  t.same(hits(await owner.get('/api/search?q=ada%20love')), ['person:Ada Lovelace:full'], 'first and last name together');
  t.same(hits(await owner.get('/api/search?q=analytical')), ['person:Ada Lovelace:emails']);
  t.same(hits(await owner.get('/api/search?q=lond')), ['person:Ada Lovelace:city']);
  t.same(hits(await owner.get('/api/search?q=acme&objects=person,payroll')), ['person:Acme Fan:full', 'payroll:Acme salaries:name', 'person:Ada Lovelace:emails'], 'objects narrows the search');
  t.equal((await owner.get('/api/search?q=acme&limit=2')).body.data.length, 2);
  t.same((await owner.get('/api/search?q=%25')).body.data, [], 'LIKE wildcards are plain characters');
  t.same((await owner.get('/api/search?q=_')).body.data, []);
  await owner.post('/api/objects/company', { name: '100% juice' });
  t.same(hits(await owner.get('/api/search?q=0%25')), ['company:100% juice:name']);
});

t.test('bad input', async (t) => {
  const { owner } = await setup(t);
  for (const [query, code, status] of [
    ['', 'MOSAIC_ERR_REQUEST_INVALID', 400],
    ['q=', 'MOSAIC_ERR_REQUEST_INVALID', 400],
    ['q=%20%20', 'MOSAIC_ERR_REQUEST_INVALID', 400],
    [`q=${'x'.repeat(201)}`, 'MOSAIC_ERR_REQUEST_INVALID', 400],
    ['q=a&limit=0', 'MOSAIC_ERR_REQUEST_INVALID', 400],
    ['q=a&limit=51', 'MOSAIC_ERR_REQUEST_INVALID', 400],
    ['q=a&objects=planet', 'MOSAIC_ERR_OBJECT_NOT_FOUND', 404],
    ['q=a&sort=x', 'MOSAIC_ERR_REQUEST_INVALID', 400],
  ] as const) {
    const res = await owner.get(`/api/search?${query}`);
    t.equal(res.status, status, query);
    t.equal(res.body.error?.code, code, query);
  }
  t.equal((await owner.get(`/api/search?q=${'x'.repeat(200)}&limit=50`)).status, 200, 'the limits themselves are fine');
});

t.test('roles: unreadable objects and fields are neither searched nor shown; API keys and workspaces', async (t) => {
  const { kernel, owner, ownerSession } = await setup(t);
  await owner.post('/api/objects/company', { name: 'Visible Co', secret_note: 'falcon' });
  await owner.post('/api/objects/payroll', { name: 'Falcon payroll' });
  await owner.post('/api/objects/person', { full: { first_name: 'Fred', last_name: 'Falcon' }, city: 'Paris' });
  await owner.post('/api/workspace/roles', {
    key: 'sales',
    name: 'Sales',
    permissions: {
      workspace: [],
      objects: { '*': { read: true, create: true, update: true, delete: true }, payroll: { read: false, create: false, update: false, delete: false } },
      fields: { company: { secret_note: { read: false, update: false } }, person: { full: { read: false, update: false } } },
    },
  });
  t.same(hits(await owner.get('/api/search?q=falcon')), ['payroll:Falcon payroll:name', 'person:Fred Falcon:full', 'company:Visible Co:secret_note'], 'the owner finds all three');

  const sales = api(kernel.app, await inviteAndAccept(kernel.app, ownerSession, 'sales'));
  t.same((await sales.get('/api/search?q=falcon')).body.data, [], 'hidden fields and objects are not searched');
  const paris = (await sales.get('/api/search?q=paris')).body.data;
  t.equal(paris.length, 1);
  t.same(paris[0].match, { field: 'city', value: 'Paris' });
  t.equal(paris[0].label, 'Paris', 'a hidden label field is not shown; the match stands in');
  t.equal((await sales.get('/api/search?q=a&objects=payroll')).body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND', 'an unreadable object looks absent');

  const viewer = api(kernel.app, await inviteAndAccept(kernel.app, ownerSession, 'viewer'));
  t.equal((await viewer.get('/api/search?q=falcon')).body.data.length, 3, 'reading is enough');
  const key = api(kernel.app, await createApiKey(kernel.app, ownerSession, 'sales'));
  t.same((await key.get('/api/search?q=falcon')).body.data, [], 'API keys carry their role');

  const stranger = api(kernel.app, await signUp(kernel.app));
  await stranger.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  t.same((await stranger.get('/api/search?q=falcon')).body.data, [], 'another workspace finds nothing');
});
