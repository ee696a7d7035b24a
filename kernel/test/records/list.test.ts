import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test('lists: pagination both ways, counts, projection, deleted records', async (t) => {
  const kernel = await startTestKernel(t);
  const client = api(kernel.app, await signUp(kernel.app));
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'employees', type: 'number' }, { name: 'city', type: 'text' }] });
  const batch = await client.post('/api/objects/company/batch', {
    records: Array.from({ length: 120 }, (_, i) => ({ name: `Company ${String(i).padStart(3, '0')}`, employees: i % 7 === 0 ? null : i % 10, city: i % 3 === 0 ? null : 'Berlin' })),
  });
  t.equal(batch.status, 200, JSON.stringify(batch.body).slice(0, 500));
  t.equal(batch.body.created, 120);

  // Walk forward through a sort with many duplicates and nulls; every record appears exactly once.
  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/api/objects/company?order_by=employees[DescNullsLast],name&limit=25${cursor ? `&starting_after=${cursor}` : ''}`;
    const page = await client.get(url);
    t.equal(page.status, 200);
    seen.push(...page.body.data.map((r: { name: string }) => r.name));
    cursor = page.body.page_info.has_next_page ? page.body.page_info.end_cursor : null;
    pages++;
    if (pages === 2) {
      // Concurrent inserts do not disturb the walk.
      await client.post('/api/objects/company', { name: 'Late arrival', employees: 100, city: 'Berlin' });
    }
  } while (cursor);
  t.equal(pages, 5);
  t.equal(new Set(seen).size, 120, 'no duplicates, none skipped');
  t.notOk(seen.includes('Late arrival'), 'a row sorting before the cursor does not appear later');

  // Walk backwards from the end with ending_before.
  const first = await client.get('/api/objects/company?order_by=name&limit=10');
  const second = await client.get(`/api/objects/company?order_by=name&limit=10&starting_after=${first.body.page_info.end_cursor}`);
  const back = await client.get(`/api/objects/company?order_by=name&limit=10&ending_before=${second.body.page_info.start_cursor}`);
  t.same(back.body.data.map((r: { id: string }) => r.id), first.body.data.map((r: { id: string }) => r.id), 'ending_before returns the previous page in order');
  t.equal(back.body.page_info.has_previous_page, false);
  t.equal(second.body.page_info.has_previous_page, true);

  const bad = await client.get(`/api/objects/company?order_by=city&starting_after=${first.body.page_info.end_cursor}`);
  t.equal(bad.body.error.code, 'MOSAIC_ERR_QUERY_CURSOR', 'a cursor from another order is refused');
  t.equal((await client.get('/api/objects/company?starting_after=garbage!')).body.error.code, 'MOSAIC_ERR_QUERY_CURSOR');

  const counted = await client.get(`/api/objects/company?count=true&limit=1&filter=${encodeURIComponent('city[is]:NULL')}`);
  t.equal(counted.body.total_count, 40);
  t.equal(counted.body.data.length, 1);

  const projected = await client.get('/api/objects/company?fields=name&limit=1');
  t.same(Object.keys(projected.body.data[0]).sort(), ['id', 'name']);
  t.equal((await client.get('/api/objects/company?fields=nope')).body.error.code, 'MOSAIC_ERR_QUERY_UNKNOWN_FIELD');

  const victim = first.body.data[0].id;
  await client.delete(`/api/objects/company/${victim}`);
  t.equal((await client.get(`/api/objects/company/${victim}`)).status, 404, 'soft-deleted records are hidden');
  t.equal((await client.get(`/api/objects/company/${victim}?deleted=include`)).status, 200);
  const only = await client.get('/api/objects/company?deleted=only');
  t.same(only.body.data.map((r: { id: string }) => r.id), [victim]);
  t.equal((await client.get('/api/objects/company?count=true&limit=1')).body.total_count, 120);
  await client.post(`/api/objects/company/${victim}/restore`);
  t.equal((await client.get(`/api/objects/company/${victim}`)).status, 200, 'restored');
  await client.delete(`/api/objects/company/${victim}?destroy=true`);
  t.equal((await client.get(`/api/objects/company/${victim}?deleted=include`)).status, 404, 'destroyed for good');

  t.equal((await client.get('/api/objects/company?limit=501')).body.error.code, 'MOSAIC_ERR_QUERY_LIMIT');
  t.equal((await client.get('/api/objects/company?limit=0')).body.error.code, 'MOSAIC_ERR_QUERY_LIMIT');
  t.equal((await client.get('/api/objects/company?limit=ten')).body.error.code, 'MOSAIC_ERR_REQUEST_INVALID');
});

t.test('filter grammar over HTTP: nested groups, and coded errors for bad queries', async (t) => {
  const kernel = await startTestKernel(t);
  const client = api(kernel.app, await signUp(kernel.app));
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'employees', type: 'number' }, { name: 'city', type: 'text' }] });
  await client.post('/api/objects/company/batch', {
    records: [
      { name: 'Acme', employees: 5, city: 'Berlin' },
      { name: 'Acme Labs', employees: 50, city: null },
      { name: 'Beta', employees: 500, city: 'Paris' },
      { name: 'ACME Corp', employees: 1, city: 'Rome' },
    ],
  });
  const q = async (filter: string) => (await client.get(`/api/objects/company?order_by=name&filter=${encodeURIComponent(filter)}`)).body;
  t.same((await q('and(name[ilike]:"%acme%",or(employees[gte]:10,city[is]:NULL))')).data.map((r: { name: string }) => r.name), ['Acme Labs']);
  t.same((await q('not(name[ilike]:"acme%")')).data.map((r: { name: string }) => r.name), ['Beta']);
  t.same((await q('city[neq]:Berlin')).data.map((r: { name: string }) => r.name), ['ACME Corp', 'Acme Labs', 'Beta'], 'neq keeps nulls');
  t.equal((await q('name[eq]:"x" OR 1=1')).error.code, 'MOSAIC_ERR_QUERY_FILTER_SYNTAX');
  t.equal((await q('ghost[eq]:1')).error.code, 'MOSAIC_ERR_QUERY_UNKNOWN_FIELD');
  t.equal((await q('employees[like]:"1%"')).error.code, 'MOSAIC_ERR_QUERY_OPERATOR');
  t.equal((await q('employees[gt]:"many"')).error.code, 'MOSAIC_ERR_QUERY_VALUE');
  t.equal((await q('created_at[gt]:yesterday')).error.code, 'MOSAIC_ERR_QUERY_VALUE');
  t.equal((await client.get('/api/objects/company?order_by=ghost')).body.error.code, 'MOSAIC_ERR_QUERY_UNKNOWN_FIELD');
  t.equal((await client.get('/api/objects/company?order_by=name[Sideways]')).body.error.code, 'MOSAIC_ERR_QUERY_ORDER_BY');
  t.equal((await client.get('/api/objects/company?filter=name[eq]:"%27;drop table company;--"')).status, 200, 'quotes are values, not SQL');
  t.equal((await client.get('/api/objects/ghost')).body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND');
  t.equal((await client.get('/api/objects/company/not-a-uuid')).body.error.code, 'MOSAIC_ERR_REQUEST_INVALID');
});
