import t from 'tap';
import { api } from '../helpers/api.js';
import { inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

const DEAL = {
  name: 'deal',
  fields: [
    { name: 'name', type: 'text' },
    { name: 'stage', type: 'select', options: { options: [{ value: 'open', label: 'Open' }, { value: 'won', label: 'Won' }, { value: 'lost', label: 'Lost' }] } },
    { name: 'amount', type: 'currency' },
    { name: 'probability', type: 'number', options: { precision: 'integer' } },
    { name: 'close_date', type: 'date' },
    { name: 'tags', type: 'multi_select', options: { options: [{ value: 'a', label: 'A' }] } },
  ],
};

t.test('aggregate: counts and totals per group, computed by the database over every record', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  t.equal((await admin.post('/api/metadata/objects', DEAL)).status, 201);
  // 1,500 deals: more than a page, so totals that only read one page would be wrong.
  const records = Array.from({ length: 1500 }, (_, i) => ({
    name: `Deal ${i}`,
    stage: ['open', 'won', 'lost'][i % 3],
    amount: i % 10 === 0 ? null : { amount: (i % 7) + 0.25, currency: i % 2 === 0 ? 'EUR' : 'USD' },
    probability: (i % 3) * 50,
    close_date: `2026-0${(i % 9) + 1}-15`,
  }));
  for (let i = 0; i < records.length; i += 500) t.equal((await admin.post('/api/objects/deal/batch', { records: records.slice(i, i + 500) })).status, 200);

  const expected = new Map<string, { count: number; sum: number }>();
  for (const r of records) {
    const key = `${r.stage}/${r.amount?.currency ?? null}`;
    const e = expected.get(key) ?? { count: 0, sum: 0 };
    e.count++;
    e.sum += r.amount?.amount ?? 0;
    expected.set(key, e);
  }
  const res = await admin.get('/api/objects/deal/aggregate?group_by=stage,amount.currency&metrics=sum:amount.amount,max:close_date,avg:probability');
  t.equal(res.status, 200, JSON.stringify(res.body).slice(0, 300));
  t.equal(res.body.has_more, false);
  t.equal(res.body.data.length, expected.size, 'one group per stage and currency, empty currency included');
  for (const g of res.body.data) {
    const e = expected.get(`${g.group.stage}/${g.group['amount.currency']}`)!;
    t.equal(g.count, e.count, `count of ${JSON.stringify(g.group)}`);
    t.equal(g.metrics['sum:amount.amount'] ?? 0, Math.round(e.sum * 100) / 100, `exact sum of ${JSON.stringify(g.group)}`);
    t.match(g.metrics['max:close_date'], /^2026-0\d-15$/);
  }
  const counts = res.body.data.map((g: { count: number }) => g.count);
  t.same(counts, [...counts].sort((a, b) => b - a), 'largest groups first');

  const all = await admin.get('/api/objects/deal/aggregate?metrics=sum:probability');
  t.same(all.body.data, [{ group: {}, count: 1500, metrics: { 'sum:probability': records.reduce((s, r) => s + r.probability, 0) } }], 'no group_by: one group of everything');
  const won = await admin.get(`/api/objects/deal/aggregate?group_by=stage&filter=${encodeURIComponent('stage[eq]:won')}`);
  t.same(won.body.data, [{ group: { stage: 'won' }, count: 500, metrics: {} }], 'the filter grammar applies');

  const firstId = (await admin.get('/api/objects/deal?limit=1')).body.data[0].id;
  await admin.delete(`/api/objects/deal/${firstId}`);
  t.equal((await admin.get('/api/objects/deal/aggregate')).body.data[0].count, 1499, 'soft-deleted records are left out');
  t.equal((await admin.get('/api/objects/deal/aggregate?deleted=only')).body.data[0].count, 1);

  for (const [query, path] of [
    ['metrics=sum:name', 'sum:name'],
    ['metrics=median:probability', 'median:probability'],
    ['metrics=sum', 'sum'],
    ['group_by=tags', 'tags'],
    ['group_by=name,stage,probability,close_date', 'group_by'],
  ] as const) {
    const bad = await admin.get(`/api/objects/deal/aggregate?${query}`);
    t.equal(bad.status, 400, query);
    t.equal(bad.body.error.code, 'MOSAIC_ERR_QUERY_AGGREGATE', query);
    t.equal(bad.body.error.details?.[0]?.path, path, `${query} names what is wrong`);
  }
  t.equal((await admin.get('/api/objects/deal/aggregate?group_by=nope')).body.error.code, 'MOSAIC_ERR_QUERY_UNKNOWN_FIELD');
  t.equal((await admin.get('/api/objects/deal/aggregate?nope=1')).body.error.code, 'MOSAIC_ERR_REQUEST_INVALID');

  // A role that may not read amounts cannot total them, nor group by them.
  await admin.post('/api/workspace/roles', {
    key: 'sales',
    name: 'Sales',
    permissions: { workspace: [], objects: { '*': { read: true, create: false, update: false, delete: false } }, fields: { deal: { amount: { read: false, update: false } } } },
  });
  const sales = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'sales'));
  t.equal((await sales.get('/api/objects/deal/aggregate?metrics=sum:amount.amount')).body.error.code, 'MOSAIC_ERR_FIELD_FORBIDDEN');
  t.equal((await sales.get('/api/objects/deal/aggregate?group_by=amount.currency')).body.error.code, 'MOSAIC_ERR_FIELD_FORBIDDEN');
  t.equal((await sales.get('/api/objects/deal/aggregate?group_by=stage')).status, 200, 'readable fields still work');
  await admin.post('/api/workspace/roles', { key: 'blind', name: 'Blind', permissions: { workspace: [], objects: { '*': { read: false, create: false, update: false, delete: false } }, fields: {} } });
  const blind = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'blind'));
  t.equal((await blind.get('/api/objects/deal/aggregate')).body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND', 'an unreadable object does not exist');
});
