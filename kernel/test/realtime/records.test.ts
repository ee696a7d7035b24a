import t from 'tap';
import { api } from '../helpers/api.js';
import { createApiKey, inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';
import { connect, listen, settle } from './fixtures/client.js';

const FAST = { EVENT_POLL_MS: '50' };
const ADDRESS = { street: null, city: 'Berlin', postcode: null, region: null, country: null };

t.test('a subscribed object streams creates, updates, deletes and restores in API shape', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const url = await listen(kernel);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  await admin.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'address', type: 'address' }] });
  await admin.post('/api/metadata/objects', { name: 'person', fields: [{ name: 'name', type: 'text' }] });
  const colleague = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'member'));

  const client = await connect(t, url, { headers: owner.headers });
  t.same(await client.subscribe({ object: 'company' }), { ok: true });
  const acme = (await admin.post('/api/objects/company', { name: 'Acme', address: { city: 'Berlin' } })).body.data;
  await admin.post('/api/objects/person', { name: 'not subscribed' });
  await admin.patch(`/api/objects/company/${acme.id}`, { name: 'Acme GmbH' });
  await colleague.post('/api/objects/company', { name: 'By a colleague' });
  await admin.delete(`/api/objects/company/${acme.id}`);
  await admin.post(`/api/objects/company/${acme.id}/restore`);

  const events = await client.recordsAtLeast(5);
  t.same(events.map((e) => e.type), ['record.created', 'record.updated', 'record.created', 'record.deleted', 'record.restored']);
  const [created, updated, byColleague] = events;
  t.match(created, { workspace_id: owner.workspaceId, object: 'company', record_id: acme.id, actor: { type: 'member', id: owner.memberId } });
  t.match(created.id, /^[0-9a-f-]{36}$/, 'the event id, for idempotency');
  const record = created.payload.record as Record<string, unknown>;
  t.equal(record.name, 'Acme');
  t.same(record.address, ADDRESS, 'records arrive in API shape');
  t.same(record, acme, 'the same record the HTTP API answered with');
  t.same(updated.payload.changed_fields, ['name']);
  t.same(updated.payload.before, { name: 'Acme' });
  t.same(updated.payload.after, { name: 'Acme GmbH' });
  t.equal((updated.payload.record as any).name, 'Acme GmbH');
  t.equal((byColleague.payload.record as any).name, 'By a colleague', 'a write through another session arrives too');
  t.notOk(events.some((e) => e.object === 'person'), 'objects not subscribed to stay silent');
  t.ok(events.every((e, i) => i === 0 || e.position > events[i - 1].position), 'in order');

  t.same(await client.unsubscribe({ object: 'company' }), { ok: true });
  await admin.post('/api/objects/company', { name: 'After unsubscribing' });
  await settle();
  t.equal(client.records.length, 5, 'nothing after unsubscribing');
});

t.test('a record room receives only its record, and each event once', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const url = await listen(kernel);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  await admin.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  const one = (await admin.post('/api/objects/company', { name: 'one' })).body.data;
  const two = (await admin.post('/api/objects/company', { name: 'two' })).body.data;

  const key = await createApiKey(kernel.app, owner, 'viewer');
  const watcher = await connect(t, url, { token: key.key });
  t.same(await watcher.subscribe({ object: 'company', record_id: one.id.toUpperCase() }), { ok: true }, 'ids are not case-sensitive');
  const both = await connect(t, url, { headers: owner.headers });
  await both.subscribe({ object: 'company' });
  await both.subscribe({ object: 'company', record_id: one.id });

  await admin.patch(`/api/objects/company/${two.id}`, { name: 'two!' });
  await admin.patch(`/api/objects/company/${one.id}`, { name: 'one!' });
  await admin.patch(`/api/objects/company/${two.id}`, { name: 'two!!' });
  // The creates above may still be on their way to the new subscriptions: look at the updates only.
  const updates = (client: { records: { type: string }[] }) => client.records.filter((e) => e.type === 'record.updated') as typeof both.records;
  await waitFor(() => updates(both).length >= 3 && updates(watcher).length >= 1);
  await settle();
  t.same(updates(watcher).map((e) => e.record_id), [one.id], 'only the watched record');
  t.same(updates(both).map((e) => (e.payload.after as any).name), ['two!', 'one!', 'two!!'], 'object and record rooms together: each event once');
  t.same(both.records.map((e) => e.id), [...new Set(both.records.map((e) => e.id))], 'no event twice');
});

t.test('metadata changes reach every connected member without subscribing', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const url = await listen(kernel);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  const viewer = await connect(t, url, { headers: (await inviteAndAccept(kernel.app, owner, 'viewer')).headers });
  await admin.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  await admin.post('/api/metadata/objects/company/fields', { name: 'city', type: 'text' });
  await admin.patch('/api/metadata/objects/company/fields/city', { label: 'Town' });
  await waitFor(() => viewer.metadata.length >= 3);
  t.same(viewer.metadata.map((e) => e.type), ['object.created', 'field.added', 'field.updated']);
  t.match(viewer.metadata[1], { object: 'company', payload: { field: { name: 'city' } } });
  t.equal(viewer.records.length, 0);
});
