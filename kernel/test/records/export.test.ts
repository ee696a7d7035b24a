import t from 'tap';
import { parseCsv, CsvParser } from '../../src/imports/csv-parser.js';
import { api } from '../helpers/api.js';
import { inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

const BOM = '\uFEFF';

t.test('a view exports as CSV: its filter, order and columns, composites flattened, text guarded against formulas', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  await admin.post('/api/metadata/objects', {
    name: 'company',
    fields: [
      { name: 'name', type: 'text', label: 'Name' },
      { name: 'employees', type: 'number', label: 'Employees' },
      { name: 'revenue', type: 'currency', label: 'Revenue' },
      { name: 'notes', type: 'text', label: 'Notes' },
      { name: 'tags', type: 'multi_select', label: 'Tags', options: { options: [{ value: 'b2b', label: 'B2B' }, { value: 'saas', label: 'SaaS' }] } },
    ],
  });
  const rows = [
    { name: 'Acme, Inc.', employees: 10, revenue: { amount: 1500.5, currency: 'EUR' }, notes: 'says "hi"\nsecond line', tags: ['b2b', 'saas'] },
    { name: '=HYPERLINK("http://evil.example","x")', employees: -5, notes: '+cmd|/C calc', tags: [] },
    { name: '@SUM(A1)', employees: 3, notes: '-2+3' },
    { name: 'Zeta', employees: 20, notes: ' padded ' },
  ];
  t.equal((await admin.post('/api/objects/company/batch', { records: rows })).status, 200);

  const res = await admin.get('/api/objects/company/export?filter=employees[lt]:15&order_by=employees&fields=name,employees,revenue,notes,tags');
  t.equal(res.status, 200);
  t.match(res.raw.headers['content-type'], /^text\/csv; charset=utf-8/);
  t.match(res.raw.headers['content-disposition'], /^attachment; filename="company-\d{4}-\d{2}-\d{2}\.csv"$/);
  const text = res.raw.body;
  t.ok(text.startsWith(BOM), 'starts with a BOM so spreadsheets read UTF-8');
  t.ok(text.endsWith('\r\n'));
  t.same(
    parseCsv(text.slice(1)),
    [
      ['Name', 'Employees', 'Revenue: Amount', 'Revenue: Currency', 'Notes', 'Tags'],
      ["'=HYPERLINK(\"http://evil.example\",\"x\")", '-5', '', '', "'+cmd|/C calc", ''],
      ["'@SUM(A1)", '3', '', '', "'-2+3", ''],
      ['Acme, Inc.', '10', '1500.5', 'EUR', 'says "hi"\nsecond line', 'b2b; saas'],
    ],
    'filtered, ordered, columns in the order asked, formulas defused, numbers untouched',
  );
  t.match(text, /"says ""hi""\nsecond line"/, 'quotes doubled, line breaks kept inside quotes');

  const keys = await admin.get('/api/objects/company/export?fields=revenue,name&header=key&order_by=name');
  t.same(parseCsv(keys.raw.body.slice(1))[0], ['revenue.amount', 'revenue.currency', 'name'], 'header=key names columns by API key');

  const all = parseCsv((await admin.get('/api/objects/company/export')).raw.body.slice(1));
  t.equal(all[0][0], 'Id', 'every readable field without fields=, id first');
  t.equal(all.length, 5);

  t.equal((await admin.get('/api/objects/company/export?filter=nope[eq]:1')).body.error.code, 'MOSAIC_ERR_QUERY_UNKNOWN_FIELD', 'a bad filter is a coded error, not a broken download');
  t.equal((await admin.get('/api/objects/nothing/export')).body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND');
  t.equal((await admin.get('/api/objects/company/export?format=xlsx')).status, 400);

  // A role that cannot read revenue gets neither the column nor a way to ask for it.
  await admin.post('/api/workspace/roles', {
    key: 'sales',
    name: 'Sales',
    permissions: { workspace: [], objects: { '*': { read: true, create: false, update: false, delete: false } }, fields: { company: { revenue: { read: false, update: false } } } },
  });
  const sales = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'sales'));
  const seen = parseCsv((await sales.get('/api/objects/company/export?order_by=name')).raw.body.slice(1));
  t.notOk(seen[0].some((h) => h.startsWith('Revenue')), 'a field the role cannot read is not exported');
  t.equal(seen.length, 5);
  t.equal((await sales.get('/api/objects/company/export?fields=name,revenue')).body.error.code, 'MOSAIC_ERR_FIELD_FORBIDDEN', 'asking for it is refused');
  t.equal((await api(kernel.app, { headers: {} }).get('/api/objects/company/export')).status, 401);
});

t.test('100,000 records export completely and in order, streamed', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  await admin.post('/api/metadata/objects', {
    name: 'contact',
    fields: [{ name: 'name', type: 'text' }, { name: 'seq', type: 'number', is_indexed: true }, { name: 'address', type: 'address' }, { name: 'comment', type: 'text' }],
  });
  const { schema } = await kernel.services.metadata.object(owner.workspaceId, 'contact');
  const N = 100_000;
  // Written straight into the table: the records API's write speed is not what this test is about.
  await kernel.services.db.knex.raw(
    `insert into "${schema}"."contact" (name, seq, address__city, comment, created_by__type, created_by__id, created_by__name)
     select 'Contact ' || i, i, case when i % 2 = 0 then 'Lyon' else null end, case when i % 1000 = 0 then '=1+1, "x"' else 'ok' end, 'system', 'test', 'test'
     from generate_series(1, ${N}) as i`,
  );

  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const address = kernel.app.server.address() as { port: number };
  const res = await fetch(`http://127.0.0.1:${address.port}/api/objects/contact/export?order_by=seq&fields=seq,name,address,comment`, { headers: owner.headers });
  t.equal(res.status, 200);

  // Read as a stream, row by row, holding nothing but counters and a few samples.
  let count = 0;
  let expected = 1;
  let inOrder = true;
  let header: string[] = [];
  const samples = new Map<number, string[]>();
  const parser = new CsvParser({ maxCell: 10_000 }, (cells) => {
    if (header.length === 0) return void (header = cells);
    count++;
    const seq = Number(cells[0]);
    if (seq !== expected++) inOrder = false;
    if (seq === 1 || seq === 1000 || seq === 50_000 || seq === N) samples.set(seq, cells);
  });
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  const heapBefore = process.memoryUsage().heapUsed;
  let heapPeak = heapBefore;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    parser.write(decoder.decode(chunk, { stream: true }));
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }
  parser.write(decoder.decode());
  parser.end();

  t.equal(count, N, 'every record, no row cap');
  t.ok(inOrder, 'in the order asked, none repeated or skipped');
  t.same(header.slice(0, 3), ['Seq', 'Name', 'Address: Street']);
  t.equal(samples.get(1)?.[1], 'Contact 1');
  t.equal(samples.get(1000)?.at(-1), "'=1+1, \"x\"", 'guarded and quoted at row 1,000');
  t.equal(samples.get(50_000)?.[header.indexOf('Address: City')], 'Lyon');
  t.equal(samples.get(N)?.[1], `Contact ${N}`);
  // The whole file is ~5 MB of text plus 100,000 record objects if it were buffered; streamed, the
  // kernel holds one page at a time. (Same process, so this bounds kernel and reader together.)
  t.ok(heapPeak - heapBefore < 150 * 1024 * 1024, `heap grew by ${Math.round((heapPeak - heapBefore) / 1048576)} MiB`);
});
