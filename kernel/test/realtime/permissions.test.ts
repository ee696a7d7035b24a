import t from 'tap';
import type { BusEvent } from '../../src/events/types.js';
import { api } from '../helpers/api.js';
import { createApiKey, inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';
import { connect, listen, settle, type TestClient } from './fixtures/client.js';

const FAST = { EVENT_POLL_MS: '50' };
const ALL = { read: true, create: true, update: true, delete: true };
const NONE = { read: false, create: false, update: false, delete: false };
const HIDDEN = { read: false, update: false };
const money = (amount: number) => ({ amount, currency: 'EUR' });

/** Every key any part of a record event carries. */
function keysOf(event: BusEvent): string[] {
  const { record, before, after, changed_fields: changed } = event.payload as Record<string, any>;
  return [...Object.keys(record ?? {}), ...Object.keys(before ?? {}), ...Object.keys(after ?? {}), ...(changed ?? [])];
}

/** Waits for a record event whose record has this name. */
async function nameArrives(client: TestClient, name: string): Promise<void> {
  const ok = await waitFor(() => client.records.some((e) => (e.payload.record as any)?.name === name), 15_000);
  if (!ok) throw new Error(`no event for "${name}"; got ${JSON.stringify(client.records.map((e) => [e.type, (e.payload.record as any)?.name]))}`);
}

t.test('members receive only what their role may read, at object and field level', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const url = await listen(kernel);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  await admin.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'revenue', type: 'currency' }, { name: 'notes', type: 'text' }] });
  await admin.post('/api/metadata/objects', { name: 'payroll', fields: [{ name: 'name', type: 'text' }] });
  const role = await admin.post('/api/workspace/roles', {
    key: 'sales',
    name: 'Sales',
    permissions: { workspace: [], objects: { '*': ALL, payroll: NONE }, fields: { company: { revenue: HIDDEN, margin: HIDDEN } } },
  });
  t.equal(role.status, 201);
  const sales = await connect(t, url, { headers: (await inviteAndAccept(kernel.app, owner, 'sales')).headers });
  const salesKey = await connect(t, url, { token: (await createApiKey(kernel.app, owner, 'sales')).key });
  const full = await connect(t, url, { headers: owner.headers });

  t.same(await sales.subscribe({ object: 'company' }), { ok: true });
  t.same(await salesKey.subscribe({ object: 'company' }), { ok: true });
  t.match(await sales.subscribe({ object: 'payroll' }), { error: { code: 'MOSAIC_ERR_OBJECT_NOT_FOUND' } }, 'an unreadable object looks absent, as on HTTP');
  t.match(await sales.subscribe({ object: 'payroll', record_id: '3f1c1e52-7c1a-4a57-9d63-0a0b8f3c2d11' }), { error: { code: 'MOSAIC_ERR_OBJECT_NOT_FOUND' } });
  await full.subscribe({ object: 'company' });
  await full.subscribe({ object: 'payroll' });

  const acme = (await admin.post('/api/objects/company', { name: 'Acme', revenue: money(1000), notes: 'n' })).body.data;
  await admin.patch(`/api/objects/company/${acme.id}`, { revenue: money(2000) });
  await admin.patch(`/api/objects/company/${acme.id}`, { name: 'Acme GmbH', revenue: money(3000) });
  await admin.post('/api/objects/payroll', { name: 'salaries' });
  await admin.post('/api/metadata/objects/payroll/fields', { name: 'amount', type: 'number' });
  await admin.post('/api/metadata/objects/company/fields', { name: 'margin', type: 'number' });
  await admin.post('/api/metadata/objects/company/fields', { name: 'city', type: 'text' });
  await admin.post('/api/objects/company', { name: 'marker' });
  for (const client of [sales, salesKey, full]) await nameArrives(client, 'marker');
  await waitFor(() => full.metadata.length >= 3 && sales.metadata.length >= 1);
  await settle();

  t.same(full.records.map((e) => e.type), ['record.created', 'record.updated', 'record.updated', 'record.created', 'record.created']);
  t.same((full.records[0].payload.record as any).revenue, money(1000), 'a role that may read revenue gets it');
  for (const client of [sales, salesKey]) {
    t.same(client.records.map((e) => e.type), ['record.created', 'record.updated', 'record.created'], 'the revenue-only update is not sent at all');
    t.notOk(client.records.some((e) => keysOf(e).includes('revenue')), 'revenue is in no record, before, after or changed_fields');
    t.equal((client.records[0].payload.record as any).notes, 'n', 'readable fields are kept');
    t.same(client.records[1].payload.changed_fields, ['name']);
    t.same(client.records[1].payload.before, { name: 'Acme' });
    t.same(client.records[1].payload.after, { name: 'Acme GmbH' });
    t.notOk(client.records.some((e) => e.object === 'payroll'), 'nothing of an unreadable object');
  }
  t.same(full.metadata.map((e) => `${e.object}:${(e.payload.field as any).name}`), ['payroll:amount', 'company:margin', 'company:city']);
  t.same(sales.metadata.map((e) => `${e.object}:${(e.payload.field as any).name}`), ['company:city'], 'no metadata about unreadable objects or fields either');
});

t.test('a client of another workspace never hears of this one', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const url = await listen(kernel);
  const a = await signUp(kernel.app);
  const b = await signUp(kernel.app);
  await api(kernel.app, a).post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  await api(kernel.app, a).post('/api/metadata/objects', { name: 'payroll', fields: [{ name: 'name', type: 'text' }] });
  await api(kernel.app, b).post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  const secret = (await api(kernel.app, a).post('/api/objects/company', { name: 'A secret' })).body.data;

  const spy = await connect(t, url, { headers: b.headers });
  t.same(await spy.subscribe({ object: 'company' }), { ok: true }, 'B has a company object of its own');
  t.same(await spy.subscribe({ object: 'company', record_id: secret.id }), { ok: true }, 'naming A’s record id gives B nothing but its own room');
  t.match(await spy.subscribe({ object: 'payroll' }), { error: { code: 'MOSAIC_ERR_OBJECT_NOT_FOUND' } }, 'A’s objects do not exist for B');

  await api(kernel.app, a).patch(`/api/objects/company/${secret.id}`, { name: 'A secret 2' });
  await api(kernel.app, a).post('/api/objects/company', { name: 'A other' });
  await api(kernel.app, a).post('/api/metadata/objects/company/fields', { name: 'city', type: 'text' });
  await api(kernel.app, b).post('/api/objects/company', { name: 'B marker' });
  await nameArrives(spy, 'B marker');
  await settle();
  t.same(spy.records.map((e) => (e.payload.record as any).name), ['B marker']);
  t.ok(spy.records.every((e) => e.workspace_id === b.workspaceId));
  t.notOk(spy.metadata.some((e) => e.workspace_id === a.workspaceId), 'nor A’s metadata');
});

t.test('permission changes apply to live connections', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const url = await listen(kernel);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  await admin.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'revenue', type: 'currency' }] });
  const permissions = (fields: object, company = ALL) => ({ workspace: [], objects: { '*': ALL, company }, fields });
  await admin.post('/api/workspace/roles', { key: 'sales', name: 'Sales', permissions: permissions({}) });
  const member = await inviteAndAccept(kernel.app, owner, 'sales');
  const sales = await connect(t, url, { headers: member.headers });
  await sales.subscribe({ object: 'company' });

  await admin.post('/api/objects/company', { name: 'one', revenue: money(1) });
  await nameArrives(sales, 'one');
  t.same((sales.records.at(-1)!.payload.record as any).revenue, money(1), 'visible at first');

  t.equal((await admin.patch('/api/workspace/roles/sales', { permissions: permissions({ company: { revenue: HIDDEN } }) })).status, 200);
  await admin.post('/api/objects/company', { name: 'two', revenue: money(2) });
  await nameArrives(sales, 'two');
  t.notOk('revenue' in (sales.records.at(-1)!.payload.record as any), 'the next event after editing the role respects it');

  await admin.patch('/api/workspace/roles/sales', { permissions: permissions({}, { read: false, create: false, update: false, delete: false }) });
  await waitFor(() => sales.unsubscribed.length > 0);
  t.match(sales.unsubscribed, [{ object: 'company', error: { code: 'MOSAIC_ERR_OBJECT_NOT_FOUND' } }], 'an object the role can no longer read ends its subscription');
  // The owner watches too: once "three" reaches the owner, the bus has delivered it to every socket, so
  // the role change below cannot overtake it (delivered late, to a viewer, it would rightly arrive).
  const watcher = await connect(t, url, { headers: owner.headers });
  await watcher.subscribe({ object: 'company' });
  await admin.post('/api/objects/company', { name: 'three' });
  await nameArrives(watcher, 'three');
  t.match(await sales.subscribe({ object: 'company' }), { error: { code: 'MOSAIC_ERR_OBJECT_NOT_FOUND' } });

  const accessEvents = sales.access.length;
  t.equal((await admin.patch(`/api/workspace/members/${member.memberId}`, { role: 'viewer' })).status, 200);
  await waitFor(() => sales.access.length > accessEvents);
  t.same(sales.access.at(-1), { role: 'viewer' }, 'a new role is announced once the socket moved');
  t.same(await sales.subscribe({ object: 'company' }), { ok: true });
  await admin.post('/api/objects/company', { name: 'four', revenue: money(4) });
  await nameArrives(sales, 'four');
  t.same((sales.records.at(-1)!.payload.record as any).revenue, money(4), 'as a viewer, revenue is readable again');
  t.notOk(sales.records.some((e) => (e.payload.record as any).name === 'three'), 'nothing arrived while the object was unreadable');
  const sockets = await kernel.app.realtime.io.fetchSockets();
  t.same(sockets.filter((s) => s.data.workspaceId === owner.workspaceId).map((s) => s.data.roleKey).sort(), ['owner', 'viewer'], 'the member\u2019s socket (and the watching owner\u2019s)');
});
