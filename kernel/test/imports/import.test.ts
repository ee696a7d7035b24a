import t from 'tap';
import { api } from '../helpers/api.js';
import { inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { COMPANY, finished, upload } from './helpers.js';

t.test('a CSV file imports with a suggested mapping, type coercion, upsert on a unique field and a per-row report', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  t.equal((await admin.post('/api/metadata/objects', COMPANY)).status, 201);

  const file =
    '\uFEFFCompany name,E-mail,Domain,Employees,Annual Revenue,Founded,Ideal customer,Industry,City,Notes,Ignored\r\n' +
    'Acme,hello@acme.com,acme.com,"1,200",€1.500.000,2001-02-03,yes,Software,Lyon,"=1+1 is ""text""",x\r\n' +
    "Globex,info@globex.com,globex.com,40,USD 2500.50,31/12/1999,no,retail & shops,Paris,'=SUM(A1),x\n" +
    'Initech,,initech.com,,,,,,,,\n';
  const up = await upload(kernel, owner, 'company', file);
  t.equal(up.status, 201, JSON.stringify(up.body));
  const job = up.body.data;
  t.equal(job.status, 'uploaded');
  t.same(job.headers[0], 'Company name', 'the BOM is not part of the first header');
  t.equal(job.row_count, 3);
  t.same(job.ragged, []);
  t.ok(job.targets.some((x: any) => x.key === 'domain' && x.unique), 'targets list unique fields');
  t.same(job.suggested_mapping, [null, null, 'domain', 'employees', 'revenue', 'founded', 'icp', 'industry', 'address.city', 'notes', null], 'labels, keys and sub-fields are matched');

  const mapping = [...job.suggested_mapping];
  mapping[0] = 'name';
  mapping[1] = 'contact';
  const start = await admin.post(`/api/imports/${job.id}/start`, { mapping, upsert_on: 'domain' });
  t.equal(start.status, 202, JSON.stringify(start.body));
  const done = await finished(admin, job.id);
  t.equal(done.status, 'completed', JSON.stringify(done.errors).slice(0, 500));
  t.same([done.created, done.updated, done.failed, done.processed], [3, 0, 0, 3]);
  t.equal(done.message, '3 created, 0 updated, 0 failed.');
  t.equal((await admin.post(`/api/imports/${job.id}/start`, { mapping })).body.error.code, 'MOSAIC_ERR_IMPORT_STATE', 'an import runs once');

  const rows = (await admin.get('/api/objects/company?order_by=name')).body.data;
  const acme = rows[0];
  t.same(
    [acme.name, acme.contact, acme.employees, acme.revenue, acme.founded, acme.icp, acme.industry, acme.address?.city, acme.notes],
    ['Acme', 'hello@acme.com', 1200, { amount: 1500000, currency: 'EUR' }, '2001-02-03', true, 'software', 'Lyon', '=1+1 is "text"'],
    'numbers with separators, money with a symbol, dates, yes/no, a select by label, a sub-field',
  );
  const globex = rows[1];
  t.same([globex.revenue, globex.founded, globex.icp, globex.industry, globex.notes], [{ amount: 2500.5, currency: 'USD' }, '1999-12-31', false, 'retail', '=SUM(A1)'], 'DD/MM/YYYY, a select label in any case, the export formula guard removed');
  t.equal(rows[2].employees, null, 'an empty cell is not sent');

  // Again, upserting on the domain: Acme changes, a new row is created, a bad row is reported.
  const again = await upload(kernel, owner, 'company', 'domain,employees,founded,industry\nacme.com,1300,,\nnew.com,5,2024-02-30,\nbad.com,many,,Farming\nshort.com\n');
  t.same(again.body.data.ragged, [{ row: 5, cells: 1 }], 'ragged rows are reported on upload');
  t.equal(again.body.data.failed, 1);
  let res = await admin.post(`/api/imports/${again.body.data.id}/start`, { mapping: ['domain', 'employees', 'founded', 'industry'], upsert_on: 'domain' });
  let report = await finished(admin, again.body.data.id);
  t.equal(report.status, 'failed', 'all or nothing by default');
  t.same([report.created, report.updated, report.failed], [0, 0, 3]);
  t.match(report.message, /^3 of 4 rows have problems, so nothing was imported \(all or nothing\)/);
  t.same(
    report.errors.map((e: any) => [e.row, e.column, e.field]),
    [[3, 'founded', 'founded'], [4, 'employees', 'employees'], [4, 'industry', 'industry'], [5, null, null]],
    'every problem: CSV line, column, field',
  );
  t.match(report.errors[1].reason, /"many" is not a number/);
  t.match(report.errors[2].reason, /"Farming" is not one of the options \(software, retail\)/);
  t.match(report.errors[3].reason, /The row has 1 cells; the header has 4/);
  t.equal((await admin.get('/api/objects/company?filter=domain[eq]:acme.com')).body.data[0].employees, 1200, 'nothing of it was written');

  const skip = await upload(kernel, owner, 'company', 'domain,employees,founded,industry\nacme.com,1300,,\nnew.com,5,2024-02-30,\nbad.com,many,,Farming\nfine.com,7,,software\n');
  res = await admin.post(`/api/imports/${skip.body.data.id}/start`, { mapping: ['domain', 'employees', 'founded', 'industry'], upsert_on: 'domain', on_error: 'skip' });
  t.equal(res.status, 202);
  report = await finished(admin, skip.body.data.id);
  t.equal(report.status, 'completed');
  t.same([report.created, report.updated, report.failed], [0, 1, 3], 'the good rows only; fine.com has no name, which the records layer refuses');
  t.equal(report.message, '0 created, 1 updated, 3 failed (not imported; see the report).');
  t.same(report.errors.map((e: any) => e.row), [3, 4, 4, 5]);
  t.equal(report.errors.at(-1).field, 'name', 'a refusal of the records layer names its field');
  t.equal((await admin.get('/api/objects/company?filter=domain[eq]:acme.com')).body.data[0].employees, 1300);

  // Bad mappings are refused before anything runs.
  const pending = (await upload(kernel, owner, 'company', 'a,b\n1,2\n')).body.data;
  t.equal((await admin.post(`/api/imports/${pending.id}/start`, { mapping: ['name'] })).body.error.code, 'MOSAIC_ERR_IMPORT_MAPPING_INVALID', 'one entry per column');
  t.equal((await admin.post(`/api/imports/${pending.id}/start`, { mapping: ['name', 'name'] })).body.error.code, 'MOSAIC_ERR_IMPORT_MAPPING_INVALID', 'a field once');
  t.equal((await admin.post(`/api/imports/${pending.id}/start`, { mapping: ['name', 'created_at'] })).body.error.code, 'MOSAIC_ERR_IMPORT_MAPPING_INVALID', 'system fields are not targets');
  t.equal((await admin.post(`/api/imports/${pending.id}/start`, { mapping: ['name', null], upsert_on: 'name' })).body.error.code, 'MOSAIC_ERR_IMPORT_MAPPING_INVALID', 'upsert on a unique field only');
  t.equal((await admin.post(`/api/imports/${pending.id}/start`, { mapping: ['name', null], upsert_on: 'domain' })).body.error.code, 'MOSAIC_ERR_IMPORT_MAPPING_INVALID', 'the upsert key must be mapped');
  t.equal((await admin.get(`/api/imports/${pending.id}`)).body.data.status, 'uploaded', 'still waiting');
  t.ok((await admin.get('/api/imports?object=company')).body.data.length >= 4, 'the member lists their imports');

  // Imports belong to who uploaded them and run on their role.
  await admin.post('/api/workspace/roles', { key: 'viewer2', name: 'Viewer', permissions: { workspace: [], objects: { '*': { read: true, create: false, update: false, delete: false } }, fields: {} } });
  const viewerSession = await inviteAndAccept(kernel.app, owner, 'viewer2');
  const viewer = api(kernel.app, viewerSession);
  t.equal((await upload(kernel, viewerSession, 'company', 'name\nX\n')).body.error.code, 'MOSAIC_ERR_FORBIDDEN', 'a role that cannot create records cannot import');
  t.equal((await viewer.get(`/api/imports/${pending.id}`)).body.error.code, 'MOSAIC_ERR_IMPORT_NOT_FOUND', "nobody sees another member's import");
  t.equal((await viewer.post(`/api/imports/${pending.id}/start`, { mapping: ['name', null] })).body.error.code, 'MOSAIC_ERR_IMPORT_NOT_FOUND');
});

t.test('bad files are refused with a coded error and nothing is kept', async (t) => {
  const kernel = await startTestKernel(t, { IMPORT_MAX_BYTES: String(60 * 1024 * 1024) });
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  await admin.post('/api/metadata/objects', { name: 'lead', fields: [{ name: 'name', type: 'text' }] });
  const jobs = async () => Number((await kernel.services.db.knex('import_job').count({ n: '*' }))[0].n);

  const latin1 = Buffer.concat([Buffer.from('name\nCaf'), Buffer.from([0xe9]), Buffer.from(' de Flore\n')]);
  let res = await upload(kernel, owner, 'lead', latin1);
  t.equal(res.status, 415);
  t.equal(res.body.error.code, 'MOSAIC_ERR_IMPORT_ENCODING');
  t.match(res.body.error.message, /not valid UTF-8.*Windows-1252\/Latin-1/);
  res = await upload(kernel, owner, 'lead', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name\n', 'utf16le')]));
  t.match(res.body.error, { code: 'MOSAIC_ERR_IMPORT_ENCODING', message: /UTF-16/ });
  res = await upload(kernel, owner, 'lead', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
  t.match(res.body.error, { code: 'MOSAIC_ERR_IMPORT_ENCODING', message: /\.xlsx/ });
  res = await upload(kernel, owner, 'lead', 'name\nA\u0000B\n');
  t.match(res.body.error, { code: 'MOSAIC_ERR_IMPORT_ENCODING', message: /NUL/ });

  // One 50 MB cell: refused as soon as it passes the cell limit.
  const huge = Buffer.alloc(50 * 1024 * 1024, 'a');
  res = await upload(kernel, owner, 'lead', Buffer.concat([Buffer.from('name\n"'), huge, Buffer.from('"\n')]));
  t.equal(res.status, 413);
  t.equal(res.body.error.code, 'MOSAIC_ERR_IMPORT_CELL_TOO_LARGE');
  t.match(res.body.error.message, /line 2 is longer than 1,000,000 characters/);
  res = await upload(kernel, owner, 'lead', Buffer.concat([Buffer.from('name\n'), Buffer.alloc(61 * 1024 * 1024, 'abcdefgh\n')]));
  t.equal(res.body.error.code, 'MOSAIC_ERR_IMPORT_TOO_LARGE', 'larger than IMPORT_MAX_BYTES');
  t.equal(res.status, 413);

  t.equal((await upload(kernel, owner, 'lead', 'name\n"never closed\n')).body.error.code, 'MOSAIC_ERR_IMPORT_CSV_INVALID');
  t.equal((await upload(kernel, owner, 'lead', 'name\n\n\n')).body.error.code, 'MOSAIC_ERR_IMPORT_EMPTY');
  t.equal((await upload(kernel, owner, 'lead', '')).body.error.code, 'MOSAIC_ERR_IMPORT_CSV_INVALID');
  const json = await kernel.app.inject({ method: 'POST', url: '/api/objects/lead/imports', headers: owner.headers, payload: { name: 'x' } });
  t.equal(json.json().error.code, 'MOSAIC_ERR_IMPORT_CONTENT_TYPE');
  t.equal((await upload(kernel, owner, 'nothing', 'name\nA\n')).body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND');
  t.equal(await jobs(), 0, 'no refused file left anything behind');

  // An import whose kernel process stopped mid-run is reported as interrupted, not running for ever.
  const orphan = (await upload(kernel, owner, 'lead', 'name\nA\n')).body.data;
  await kernel.services.db.knex('import_job').where({ id: orphan.id }).update({
    status: 'running',
    settings: JSON.stringify({ mapping: ['name'], upsert_on: null, on_error: 'abort', date_order: 'dmy' }),
    created: 1,
    updated_at: kernel.services.db.knex.raw(`now() - interval '10 minutes'`),
  });
  const interrupted = (await admin.get(`/api/imports/${orphan.id}`)).body.data;
  t.match(interrupted, { status: 'failed', created: 0, message: /interrupted.*Nothing was imported/ });
  await kernel.services.db.knex('import_job').where({ id: orphan.id }).delete();
  t.equal(Number((await kernel.services.db.knex('import_chunk').count({ n: '*' }))[0].n), 0);
});

t.test('a value a unique field already holds is reported on its row, never as a failed import', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  t.equal((await admin.post('/api/metadata/objects', COMPANY)).status, 201);
  t.equal((await admin.post('/api/objects/company', { name: 'Taken', domain: 'taken.com' })).status, 201);
  t.equal((await admin.post('/api/objects/company', { name: 'Also taken', domain: 'also.com' })).status, 201);
  const lines = ['name,domain'];
  for (let i = 1; i <= 40; i++) lines.push(i === 7 ? 'Clash,taken.com' : i === 31 ? 'Clash 2,also.com' : `Row ${i},row${i}.com`);
  const file = `${lines.join('\n')}\n`;
  const count = async () => (await admin.get('/api/objects/company?count=true&limit=1')).body.total_count;

  const abort = (await upload(kernel, owner, 'company', file)).body.data;
  t.equal((await admin.post(`/api/imports/${abort.id}/start`, { mapping: ['name', 'domain'] })).status, 202);
  let report = await finished(admin, abort.id);
  t.equal(report.status, 'failed', 'all or nothing: the clash fails the import');
  t.same(report.errors.map((e: any) => [e.row, e.field]), [[8, 'domain']], 'the clashing row (CSV line 8) and field are named');
  t.match(report.errors[0].reason, /domain "taken\.com" is already used by another company/);
  t.match(report.message, /nothing was imported/);
  t.equal(await count(), 2, 'nothing was written');

  const skip = (await upload(kernel, owner, 'company', file)).body.data;
  t.equal((await admin.post(`/api/imports/${skip.id}/start`, { mapping: ['name', 'domain'], on_error: 'skip' })).status, 202);
  report = await finished(admin, skip.id);
  t.equal(report.status, 'completed');
  t.same([report.created, report.failed], [38, 2], 'every other row is imported');
  t.same(report.errors.map((e: any) => e.row).sort((a: number, b: number) => a - b), [8, 32], 'both clashes are reported on their lines');
  t.equal(await count(), 40);
  const history = await kernel.services.db.knex('event').where({ type: 'record.created', object: 'company' }).whereNotNull('object_id').count({ n: '*' });
  t.equal(Number(history[0].n), 40, 'every imported record has its event, which is its history');
});
