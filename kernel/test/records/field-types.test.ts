import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

/**
 * Each field type: a value is created, read back identically, updated, filtered on and sorted by.
 * `a` and `b` are two values with a < b; `filter` finds exactly the record holding `b`.
 */
const CASES: { field: Record<string, unknown>; a: unknown; b: unknown; update: unknown; filter: string; sort?: string }[] = [
  { field: { name: 'title', type: 'text' }, a: 'Alpha', b: 'Beta', update: 'Gamma', filter: 'title[eq]:"Beta"' },
  { field: { name: 'notes', type: 'long_text' }, a: 'a\nlong', b: 'b'.repeat(5000), update: 'c', filter: 'notes[startsWith]:"bbb"' },
  { field: { name: 'employees', type: 'number', options: { precision: 'integer' } }, a: 10, b: 9007199254740991, update: 12, filter: 'employees[gt]:100' },
  { field: { name: 'score', type: 'number' }, a: -1.5, b: 2.25, update: 3.125, filter: 'score[gte]:2.25' },
  { field: { name: 'revenue', type: 'currency' }, a: { amount: 100.5, currency: 'EUR' }, b: { amount: 2000, currency: 'USD' }, update: { amount: 3 }, filter: 'revenue.currency[eq]:USD', sort: 'revenue.amount' },
  { field: { name: 'active', type: 'boolean' }, a: false, b: true, update: false, filter: 'active[eq]:true' },
  { field: { name: 'founded', type: 'date' }, a: '1999-12-31', b: '2024-02-29', update: '2000-01-01', filter: 'founded[gt]:2000-01-01' },
  { field: { name: 'last_contact', type: 'datetime' }, a: '2024-01-01T10:00:00.000Z', b: '2024-06-01T08:30:00.123Z', update: '2025-01-01T00:00:00.000Z', filter: 'last_contact[gte]:"2024-06-01T08:30:00.123Z"' },
  { field: { name: 'email', type: 'email' }, a: 'a@example.com', b: 'b@example.com', update: 'c@example.com', filter: 'email[ilike]:"B@%"' },
  { field: { name: 'emails', type: 'emails' }, a: { primary: 'a@x.io', additional: [] }, b: { primary: 'b@x.io', additional: ['b2@x.io'] }, update: { additional: ['z@x.io'] }, filter: 'emails.additional[containsAny]:["b2@x.io"]', sort: 'emails.primary' },
  { field: { name: 'phone', type: 'phone' }, a: '+1 555 0100', b: '+44 20 7946 0958', update: '+33 1 23', filter: 'phone[startsWith]:"+44"' },
  { field: { name: 'phones', type: 'phones' }, a: { primary: '+1 555', additional: [] }, b: { primary: '+2 555', additional: ['+3 1'] }, update: { primary: '+9 9' }, filter: 'phones[eq]:"+2 555"' },
  { field: { name: 'website', type: 'link' }, a: 'https://a.example', b: 'https://b.example/path?q=1', update: 'http://c.example', filter: 'website[like]:"%b.example%"' },
  { field: { name: 'links', type: 'links' }, a: { primary: 'https://a.io', additional: [] }, b: { primary: 'https://b.io', additional: ['https://c.io'] }, update: { primary: 'https://d.io' }, filter: 'links.primary[eq]:"https://b.io"' },
  { field: { name: 'contact', type: 'full_name' }, a: { first_name: 'Ada', last_name: 'Byron' }, b: { first_name: 'Grace', last_name: 'Hopper' }, update: { first_name: 'Amazing Grace' }, filter: 'contact.first_name[eq]:Grace', sort: 'contact.last_name' },
  { field: { name: 'address', type: 'address' }, a: { street: '1 Main', city: 'Berlin', postcode: '10115', region: 'BE', country: 'DE' }, b: { street: '2 High', city: 'Paris', postcode: '75001', region: null, country: 'FR' }, update: { city: 'Lyon' }, filter: 'address.country[in]:["FR","ES"]', sort: 'address.city' },
  { field: { name: 'stage', type: 'select', options: { options: [{ value: 'a_lead', label: 'Lead' }, { value: 'b_won', label: 'Won' }, { value: 'c_lost', label: 'Lost' }] } }, a: 'a_lead', b: 'b_won', update: 'c_lost', filter: 'stage[in]:[b_won]' },
  { field: { name: 'tags', type: 'multi_select', options: { options: [{ value: 'x', label: 'X' }, { value: 'y', label: 'Y' }] } }, a: ['x'], b: ['x', 'y'], update: ['y'], filter: 'tags[containsAny]:["y"]' },
  { field: { name: 'rating', type: 'rating' }, a: 1, b: 5, update: 3, filter: 'rating[eq]:5' },
  { field: { name: 'extra', type: 'json' }, a: null, b: [1, 'two', { three: 3 }], update: 'plain', filter: 'extra[is]:NOT_NULL' },
];

t.test('every field type round-trips through create, read, update, filter and sort', async (t) => {
  const kernel = await startTestKernel(t);
  const client = api(kernel.app, await signUp(kernel.app));
  const created = await client.post('/api/metadata/objects', { name: 'sample', fields: CASES.map((c) => c.field) });
  t.equal(created.status, 201, JSON.stringify(created.body));

  for (const c of CASES) {
    const name = c.field.name as string;
    await t.test(`${c.field.type} (${name})`, async (t) => {
      const ra = await client.post('/api/objects/sample', { [name]: c.a });
      t.equal(ra.status, 201, JSON.stringify(ra.body));
      t.same(ra.body.data[name], c.a, 'create returns the value');
      const rb = await client.post('/api/objects/sample', { [name]: c.b });
      t.same((await client.get(`/api/objects/sample/${rb.body.data.id}`)).body.data[name], c.b, 'read returns the value');

      const filtered = await client.get(`/api/objects/sample?filter=${encodeURIComponent(c.filter)}`);
      t.equal(filtered.status, 200, JSON.stringify(filtered.body));
      t.same(filtered.body.data.map((r: { id: string }) => r.id), [rb.body.data.id], `filter ${c.filter}`);

      const sortPath = c.sort ?? name;
      if (c.field.type !== 'json' && c.field.type !== 'multi_select') {
        const ids = [ra.body.data.id, rb.body.data.id];
        const asc = await client.get(`/api/objects/sample?order_by=${sortPath}[AscNullsLast]&filter=${encodeURIComponent(`id[in]:[${ids.map((i) => `"${i}"`).join(',')}]`)}`);
        t.same(asc.body.data.map((r: { id: string }) => r.id), ids, 'ascending sort');
        const desc = await client.get(`/api/objects/sample?order_by=${sortPath}[DescNullsLast]&filter=${encodeURIComponent(`id[in]:[${ids.map((i) => `"${i}"`).join(',')}]`)}`);
        t.same(desc.body.data.map((r: { id: string }) => r.id), [...ids].reverse(), 'descending sort');
      }

      const up = await client.patch(`/api/objects/sample/${rb.body.data.id}`, { [name]: c.update });
      t.equal(up.status, 200, JSON.stringify(up.body));
      const expected = typeof c.b === 'object' && c.b !== null && !Array.isArray(c.b) && typeof c.update === 'object' && !Array.isArray(c.update)
        ? { ...(c.b as object), ...(c.update as object) }
        : c.update;
      t.same(up.body.data[name], expected, 'update (composites merge the sub-fields sent)');
      const cleared = await client.patch(`/api/objects/sample/${rb.body.data.id}`, { [name]: null });
      t.equal(cleared.body.data[name], null, 'null clears the value');
      await client.delete(`/api/objects/sample/${ra.body.data.id}?destroy=true`);
      await client.delete(`/api/objects/sample/${rb.body.data.id}?destroy=true`);
    });
  }
});

t.test('system fields are set by the kernel', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  await client.post('/api/metadata/objects', { name: 'thing', fields: [{ name: 'name', type: 'text' }] });
  const id = '6f1d1c1e-7a55-4e53-9c8b-4c1c3b0b9d10';
  const res = await client.post('/api/objects/thing', { id, name: 'x', position: 2.5 });
  t.equal(res.body.data.id, id, 'a client may choose the id (imports keep their ids)');
  t.equal(res.body.data.position, 2.5);
  t.match(res.body.data.created_at, /^\d{4}-\d\d-\d\dT/);
  t.equal(res.body.data.deleted_at, null);
  t.same(res.body.data.created_by, { type: 'member', id: owner.memberId, name: res.body.data.created_by.name });
  const bad = await client.post('/api/objects/thing', { created_at: '2020-01-01T00:00:00Z' });
  t.equal(bad.body.error.code, 'MOSAIC_ERR_RECORD_INVALID', 'created_at is not writable');
  const later = await client.patch(`/api/objects/thing/${id}`, { name: 'y' });
  t.ok(later.body.data.updated_at >= res.body.data.updated_at, 'updated_at moves');
});
