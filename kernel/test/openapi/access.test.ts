import t from 'tap';
import { api } from '../helpers/api.js';
import { createApiKey, inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { openApiProblems, schemaChecker, type Doc } from './fixtures/schema-check.js';

const all = { read: true, create: true, update: true, delete: true };

t.test('the document shows only what the role can read and do', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  await admin.post('/api/metadata/objects', {
    name: 'company',
    fields: [
      { name: 'name', type: 'text' },
      { name: 'secret_note', type: 'text' },
      { name: 'stage', type: 'select', options: { options: [{ value: 'lead', label: 'Lead' }] } },
      { name: 'salary', type: 'currency' },
    ],
  });
  await admin.post('/api/metadata/objects', { name: 'payroll', fields: [{ name: 'amount', type: 'number' }] });
  await admin.post('/api/metadata/objects', { name: 'person', fields: [{ name: 'name', type: 'text' }, { name: 'payroll', type: 'relation', options: { target: 'payroll' } }] });
  const permissions = {
    workspace: [],
    objects: { company: { ...all, delete: false }, person: all },
    fields: { company: { secret_note: { read: false, update: false }, stage: { read: true, update: false }, salary: { read: false, update: false } } },
  };
  const role = await admin.post('/api/workspace/roles', { key: 'sales', name: 'Sales', permissions });
  t.equal(role.status, 201, JSON.stringify(role.body));

  const sales = await inviteAndAccept(kernel.app, owner, 'sales');
  const doc: Doc = (await api(kernel.app, sales).get('/api/openapi.json')).body;
  t.equal(await openApiProblems(doc), null, 'valid for a narrow role too');
  const schemas = doc.components.schemas;

  t.notOk(doc.paths['/api/objects/payroll'], 'an unreadable object has no paths');
  t.notOk(schemas.Payroll, 'nor schemas');
  t.notOk(JSON.stringify(doc.tags).includes('payroll'), 'nor a tag');
  t.ok(schemas.Person.properties.payroll_id, 'the relation key is a readable field of person');
  t.notOk(schemas.Person.properties.payroll, 'but the unreadable target is not embedded');

  t.notOk(schemas.Company.properties.secret_note, 'an unreadable field is not in the record');
  t.notOk(schemas.Company.properties.salary, 'nor an unreadable composite');
  t.notOk(schemas.CompanyCreate.properties.secret_note, 'nor in the write schema');
  t.ok(schemas.Company.properties.stage, 'a read-only field is in the record');
  t.notOk(schemas.CompanyCreate.properties.stage, 'but not in the write schemas');
  t.notOk(schemas.CompanyUpdate.properties.stage);
  const filter = doc.paths['/api/objects/company'].get.parameters.find((p: { name: string }) => p.name === 'filter').description as string;
  t.notOk(/secret_note|salary/.test(filter), 'nor among the filterable fields');
  t.match(filter, /- `stage` \(text\)/);

  t.same(Object.keys(doc.paths['/api/objects/company/{id}']).sort(), ['get', 'patch'], 'no delete without the delete permission');
  t.notOk(doc.paths['/api/objects/company/{id}/restore'], 'nor restore');
  t.notOk(doc.paths['/api/metadata/objects'].post, 'no metadata changes without the capability');
  t.ok(doc.paths['/api/metadata/objects'].get, 'but metadata can be read');
  t.notOk(doc.paths['/api/workspace/roles'].post, 'no role administration');
  t.notOk(doc.paths['/api/workspace/api-keys'], 'no API key administration');
  t.notOk(doc.paths['/api/workspace/invites'], 'no invites');

  const check = schemaChecker(doc);
  const created = await api(kernel.app, sales).post('/api/objects/company', { name: 'Acme' });
  t.equal(created.status, 201, JSON.stringify(created.body));
  t.equal(check('Company', created.body.data), null, 'what the role gets back conforms');
  t.same(Object.keys(created.body.data).filter((k) => !(k in schemas.Company.properties)), [], 'and holds nothing undocumented');
  t.not(check('CompanyCreate', { name: 'x', secret_note: 'y' }), null, 'the document refuses an unwritable field');
  t.equal((await api(kernel.app, sales).post('/api/objects/company', { name: 'x', secret_note: 'y' })).status, 403, 'and so does the server');

  const key = await createApiKey(kernel.app, owner, 'sales');
  const viaKey = await api(kernel.app, key).get('/api/openapi.json');
  t.same(viaKey.body, doc, 'an API key with the same role gets the same document');

  const viewer = await inviteAndAccept(kernel.app, owner, 'viewer');
  const viewerDoc: Doc = (await api(kernel.app, viewer).get('/api/openapi.json')).body;
  t.equal(await openApiProblems(viewerDoc), null);
  t.same(Object.keys(viewerDoc.paths['/api/objects/payroll']), ['get'], 'viewers only list');
  t.same(Object.keys(viewerDoc.paths['/api/objects/payroll/{id}']), ['get'], 'and get');
  t.notOk(viewerDoc.paths['/api/objects/payroll/batch']);
  t.notOk(viewerDoc.components.schemas.PayrollCreate, 'and need no write schemas');
  t.ok(viewerDoc.components.schemas.Person.properties.payroll, 'viewers can read payroll, so it is embedded with depth=1');

  const widened = await admin.patch('/api/workspace/roles/sales', { permissions: { ...permissions, fields: { company: {} } } });
  t.equal(widened.status, 200, JSON.stringify(widened.body));
  const after: Doc = (await api(kernel.app, sales).get('/api/openapi.json')).body;
  t.ok(after.components.schemas.Company.properties.secret_note, 'editing the role changes the next document');
  t.ok(after.components.schemas.CompanyCreate.properties.stage);
});
