import t from 'tap';
import type { BusEvent } from '../../src/events/types.js';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';

const FAST = { EVENT_POLL_MS: '50', EVENT_RETRY_BASE_MS: '20', EVENT_MAX_ATTEMPTS: '3', EVENT_LEASE_MS: '2000' };

t.test('record events reach in-kernel subscribers, shaped, filtered and in order', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'employees', type: 'number' }, { name: 'address', type: 'address' }] });
  await client.post('/api/metadata/objects', { name: 'person', fields: [{ name: 'name', type: 'text' }] });
  // A subscriber starts at the current head position: position the setup's object.created events first,
  // or a slow sequencer would put them after the head and deliver them to the subscribers below.
  await kernel.services.bus.wake();

  const all: BusEvent[] = [];
  const companies: BusEvent[] = [];
  const employeeChanges: BusEvent[] = [];
  const meta: BusEvent[] = [];
  kernel.services.bus.subscribe('record.*', {}, (e) => void all.push(e), { name: 'test:all' });
  kernel.services.bus.subscribe('record.created', { objects: ['company'] }, (e) => void companies.push(e), { name: 'test:companies' });
  kernel.services.bus.subscribe('record.updated', { objects: ['company'], fields: ['employees'] }, (e) => void employeeChanges.push(e), { name: 'test:employees' });
  kernel.services.bus.subscribe(['field.*', 'object.*'], {}, (e) => void meta.push(e), { name: 'test:meta' });
  await kernel.services.bus.wake();

  const acme = (await client.post('/api/objects/company', { name: 'Acme', employees: 5, address: { city: 'Berlin' } })).body.data;
  await client.post('/api/objects/person', { name: 'Ann' });
  await client.patch(`/api/objects/company/${acme.id}`, { name: 'Acme GmbH' });
  await client.patch(`/api/objects/company/${acme.id}`, { employees: 6, address: { city: 'Munich' } });
  await client.delete(`/api/objects/company/${acme.id}`);
  await client.post('/api/metadata/objects/company/fields', { name: 'city', type: 'text' });

  await waitFor(() => all.length >= 5 && meta.length >= 1);
  t.same(all.map((e) => e.type), ['record.created', 'record.created', 'record.updated', 'record.updated', 'record.deleted']);
  t.ok(all.every((e, i) => i === 0 || e.position > all[i - 1].position), 'positions increase');
  t.same(companies.map((e) => e.payload.record && (e.payload.record as any).name), ['Acme'], 'object filter');
  const created = all[0];
  t.match(created, { workspace_id: owner.workspaceId, object: 'company', record_id: acme.id, actor: { type: 'member', id: owner.memberId } });
  t.same((created.payload.record as any).address, { street: null, city: 'Berlin', postcode: null, region: null, country: null }, 'records arrive in API shape');
  t.match(created.id, /^[0-9a-f-]{36}$/);

  t.equal(employeeChanges.length, 1, 'changed-field filter passes only updates touching employees');
  const update = employeeChanges[0].payload as any;
  t.same(update.changed_fields.sort(), ['address', 'employees']);
  t.same(update.before, { employees: 5, address: { street: null, city: 'Berlin', postcode: null, region: null, country: null } });
  t.same(update.after.employees, 6);
  t.equal(update.record.name, 'Acme GmbH', 'the full record comes along');
  t.same(meta.map((e) => e.type), ['field.added']);
});

t.test('a failing subscriber retries, dead-letters, never delays the others, and replays', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  let failing = true;
  let attempts = 0;
  const healthy: string[] = [];
  const recovered: string[] = [];
  kernel.services.bus.subscribe('record.created', {}, (e) => {
    attempts++;
    if (failing) throw new Error('receiver is down');
    recovered.push((e.payload.record as any).name);
  }, { name: 'test:flaky' });
  kernel.services.bus.subscribe('record.created', {}, (e) => void healthy.push((e.payload.record as any).name), { name: 'test:healthy' });
  await kernel.services.bus.wake();

  for (const name of ['a', 'b', 'c']) await client.post('/api/objects/company', { name });
  await waitFor(() => healthy.length === 3, 3000);
  t.same(healthy, ['a', 'b', 'c'], 'the healthy subscriber got everything while the other kept failing');

  const dead = await waitFor(async () => {
    const res = await client.get('/api/events/dead-letters');
    return res.body.data.length === 3 ? res.body.data : undefined;
  }, 8000);
  t.ok(dead, 'every event ended in the dead letters');
  t.equal(attempts, 9, 'three attempts per event');
  t.ok(dead.every((d: any) => d.subscriber_id === 'test:flaky' && d.attempts === 3 && d.last_error === 'receiver is down'));
  const one = await client.get(`/api/events/dead-letters/${dead[0].id}`);
  t.equal(one.body.data.event.type, 'record.created', 'the full event is kept');

  const stillFailing = await client.post(`/api/events/dead-letters/${dead[0].id}/replay`);
  t.equal(stillFailing.status, 502);
  t.equal(stillFailing.body.error.code, 'MOSAIC_ERR_EVENT_REPLAY_FAILED');
  failing = false;
  for (const d of [...dead].reverse()) {
    const res = await client.post(`/api/events/dead-letters/${d.id}/replay`);
    t.equal(res.status, 200);
    t.ok(res.body.data.replayed_at);
  }
  t.same(recovered, ['a', 'b', 'c'], 'replay delivered them');
  t.equal((await client.delete(`/api/events/dead-letters/${dead[0].id}`)).status, 204);
  t.equal((await client.get(`/api/events/dead-letters/${dead[0].id}`)).body.error.code, 'MOSAIC_ERR_DEAD_LETTER_NOT_FOUND');

  const subs = await client.get('/api/events/subscribers');
  t.ok(subs.body.data.some((s: any) => s.id === 'test:flaky' && s.lag === 0), 'the flaky subscriber moved on');

  const { inviteAndAccept } = await import('../helpers/auth.js');
  const member = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'member'));
  t.equal((await member.get('/api/events/dead-letters')).body.error.code, 'MOSAIC_ERR_FORBIDDEN');
});

t.test('a dead letter whose subscriber runs nowhere cannot be replayed here', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  const sub = kernel.services.bus.subscribe('record.created', {}, () => {
    throw new Error('no');
  }, { name: 'test:gone' });
  await kernel.services.bus.wake();
  await client.post('/api/objects/company', { name: 'x' });
  const dead = await waitFor(async () => (await client.get('/api/events/dead-letters')).body.data[0], 5000);
  sub.unsubscribe();
  const res = await client.post(`/api/events/dead-letters/${dead.id}/replay`);
  t.equal(res.status, 503);
  t.equal(res.body.error.code, 'MOSAIC_ERR_SUBSCRIBER_UNAVAILABLE');
});

t.test('delivered events are pruned after the retention period; record events are kept as history', async (t) => {
  const kernel = await startTestKernel(t, { ...FAST, EVENT_RETENTION_HOURS: '0' });
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  const seen: string[] = [];
  kernel.services.bus.subscribe('field.*', {}, (e) => void seen.push(e.id), { name: 'test:retention' });
  await kernel.services.bus.wake();
  for (let i = 0; i < 5; i++) await client.post('/api/metadata/objects/company/fields', { name: `f${i}`, type: 'text' });
  const rec = (await client.post('/api/objects/company', { name: 'kept as history' })).body.data;
  await waitFor(() => seen.length === 5);
  const { pruneEvents } = await import('../../src/events/retention.js');
  await kernel.services.bus.wake();
  const pruned = await pruneEvents(kernel.services.db.knex, 0, 14);
  t.ok(pruned >= 5, `pruned ${pruned} delivered events`);
  const left = await kernel.services.db.knex('event').whereIn('id', seen).count({ n: '*' });
  t.equal(Number((left[0] as any).n), 0);
  t.equal((await kernel.services.db.knex('event').where({ record_id: rec.id, type: 'record.created' })).length, 1, 'a record event is its history and stays');

  // A subscriber that is behind holds its events back, up to the hard limit.
  kernel.services.bus.subscribe('field.*', {}, () => {
    throw new Error('behind');
  }, { name: 'test:behind' });
  await kernel.services.bus.wake();
  await client.post('/api/metadata/objects/company/fields', { name: 'kept', type: 'text' });
  await kernel.services.bus.wake();
  await pruneEvents(kernel.services.db.knex, 0, 14);
  t.equal(Number(((await kernel.services.db.knex('event').where({ type: 'field.added' }).count({ n: '*' }))[0] as any).n), 1, 'the undelivered event is kept');
});
