import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { hostApiManifest, hostHarness } from './fixtures/host-api.js';

t.test('ctx.host.records.upsert', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  const created = await admin.post('/api/metadata/objects', {
    name: 'contact',
    fields: [{ name: 'name', type: 'text', is_nullable: false }, { name: 'email', type: 'text', is_unique: true }, { name: 'score', type: 'number' }],
  });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const manifest = hostApiManifest({ permissions: { records: { contact: ['read', 'create', 'update'] } } });
  const plugin = hostHarness(t, kernel, manifest, owner.workspaceId);
  const { call } = plugin;

  t.test('creates, then updates the record with the same unique value', async (t) => {
    const first = await plugin.invoke('upsertAda');
    t.match(first, { email: 'ada@example.com', name: 'Ada', created_by: { type: 'plugin', id: 'hostapi' } });
    const second = await call('records', 'upsert', 'contact', { email: 'ada@example.com', score: 9 }, { on: 'email' });
    t.match(second.value, { id: (first as { id: string }).id, name: 'Ada', score: 9 }, 'the same record, updated');
    const all = await admin.get('/api/objects/contact');
    t.equal(all.body.data.length, 1);
    const byId = await call('records', 'upsert', 'contact', { id: (first as { id: string }).id, score: 10 }, { on: 'id' });
    t.match(byId.value, { score: 10, email: 'ada@example.com' }, 'on: "id" works too');
    const types = (await kernel.services.db.knex('event').where({ workspace_id: owner.workspaceId, object: 'contact' }).where('type', 'like', 'record.%').orderBy('seq')).map((e) => e.type);
    t.same(types, ['record.created', 'record.updated', 'record.updated'], 'the usual record events');
  });

  t.test('the same validation and permissions as the batch endpoint', async (t) => {
    t.match(await call('records', 'upsert', 'contact', { email: 'x@example.com', score: 'high' }, { on: 'email' }), { code: 'MOSAIC_ERR_RECORD_INVALID' });
    t.match(await call('records', 'upsert', 'contact', { name: 'N', score: 1 }, { on: 'score' }), { code: 'MOSAIC_ERR_REQUEST_INVALID', message: /upsert_on must be "id" or a unique/ });
    const createOnly = hostHarness(t, kernel, hostApiManifest({ id: 'createonly', permissions: { records: { contact: ['read', 'create'] } } }), owner.workspaceId);
    t.match(await createOnly.call('records', 'upsert', 'contact', { name: 'B', email: 'b@example.com' }, { on: 'email' }), { code: 'MOSAIC_ERR_FORBIDDEN' }, 'an upsert needs update too');
    const stranger = hostHarness(t, kernel, hostApiManifest({ id: 'stranger' }), owner.workspaceId);
    t.match(await stranger.call('records', 'upsert', 'contact', { name: 'C', email: 'c@example.com' }, { on: 'email' }), { code: 'MOSAIC_ERR_OBJECT_NOT_FOUND' }, 'an object not granted is not found');
    t.equal((await admin.get('/api/objects/contact')).body.data.length, 1, 'nothing was written');
  });

  t.test('aggregate: groups and totals through the grant', async (t) => {
    await admin.post('/api/objects/contact/batch', { records: [{ name: 'B', email: 'b1@example.com', score: 2 }, { name: 'C', email: 'c1@example.com', score: 2 }] });
    const res = await call('records', 'aggregate', 'contact', { group_by: ['score'], metrics: ['sum:score'] });
    t.same(res.value, { data: [{ group: { score: 2 }, count: 2, metrics: { 'sum:score': 4 } }, { group: { score: 10 }, count: 1, metrics: { 'sum:score': 10 } }], has_more: false });
    t.match(await call('records', 'aggregate', 'contact', { metrics: ['sum:name'] }), { code: 'MOSAIC_ERR_QUERY_AGGREGATE' });
    t.match(await call('records', 'aggregate', 'contact', { group: ['score'] }), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID' });
    t.match(await call('records', 'aggregate', 'contact', { metrics: 'sum:score' }), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', message: /metrics must be a list/ });
    const stranger = hostHarness(t, kernel, hostApiManifest({ id: 'stranger2' }), owner.workspaceId);
    t.match(await stranger.call('records', 'aggregate', 'contact', {}), { code: 'MOSAIC_ERR_OBJECT_NOT_FOUND' }, 'an object not granted is not found');
  });

  t.test('find queries are checked key by key, in the HTTP API’s words', async (t) => {
    t.match((await call('records', 'find', 'contact', { order_by: 'score', limit: 1 })).value, { data: [{ score: 2 }] }, 'order_by and limit as the API takes them');
    t.match(await call('records', 'find', 'contact', { limit: 'ten' }), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', message: /limit must be a whole number/ });
    t.match(await call('records', 'find', 'contact', { orderBy: 'score' }), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', message: /unknown query keys orderBy/ });
    t.match(await call('records', 'find', 'contact', { fields: 'name' }), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', message: /fields must be a list of strings/ });
    t.match(await call('records', 'find', 'contact', 'score > 1'), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', message: /the query must be an object/ });
  });

  t.test('malformed arguments are refused', async (t) => {
    for (const args of [['contact', { name: 'x' }], ['contact', { name: 'x' }, {}], ['contact', { name: 'x' }, { on: 5 }], ['contact', { name: 'x' }, { on: 'email', extra: 1 }], ['contact', [{ name: 'x' }], { on: 'email' }], [7, {}, { on: 'email' }]]) {
      t.match(await call('records', 'upsert', ...args), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID' }, JSON.stringify(args));
    }
  });
});
