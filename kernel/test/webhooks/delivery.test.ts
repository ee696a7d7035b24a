import t, { type Test } from 'tap';
import { api, type Api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';
import { startReceiver, verifyMosaicWebhook, type Receiver } from './fixtures/receiver.js';

const FAST = { WEBHOOK_ALLOW_PRIVATE: 'true', EVENT_POLL_MS: '50', EVENT_RETRY_BASE_MS: '20', EVENT_MAX_ATTEMPTS: '3' };

/** A kernel with `company` and `person` objects, a signed-in owner and a receiver. */
async function setup(t: Test) {
  const kernel = await startTestKernel(t, FAST);
  const receiver = await startReceiver(t);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  await client.post('/api/metadata/objects', { name: 'person', fields: [{ name: 'name', type: 'text' }] });
  return { kernel, receiver, owner, client };
}

async function createHook(client: Api, receiver: Receiver, path: string, extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const res = await client.post('/api/webhooks', { url: `${receiver.url}${path}`, ...extra });
  if (res.status !== 201) throw new Error(`could not create a webhook: ${JSON.stringify(res.body)}`);
  return res.body.data;
}

const recordTypes = (r: Receiver, path: string) => r.at(path).filter((x) => x.event.type.startsWith('record.'));

t.test('a record write reaches the receiver, signed so that the documented check accepts it', async (t) => {
  const { receiver, owner, client } = await setup(t);
  const hook = await createHook(client, receiver, '/hook', { event_types: ['record.*'] });
  const acme = (await client.post('/api/objects/company', { name: 'Acme' })).body.data;

  const got = await waitFor(() => receiver.at('/hook')[0]);
  t.ok(got, 'delivered');
  t.match(got!.event, { type: 'record.created', object: 'company', record_id: acme.id, workspace_id: owner.workspaceId, payload: { record: { name: 'Acme' } } });
  t.match(got!.headers, {
    'content-type': 'application/json',
    'user-agent': 'MosaicCRM-Webhook/1',
    'x-mosaic-event-id': got!.event.id,
    'x-mosaic-event-type': 'record.created',
    'x-mosaic-webhook-id': hook.id,
    'x-mosaic-timestamp': /^\d{10}$/,
    'x-mosaic-signature': /^v1=[0-9a-f]{64}$/,
  });
  t.ok(verifyMosaicWebhook(hook.secret, got!.headers, got!.body), 'the documented snippet accepts the request');
  t.notOk(verifyMosaicWebhook('whsec_wrong', got!.headers, got!.body), 'and rejects a wrong secret');
  t.notOk(verifyMosaicWebhook(hook.secret, got!.headers, got!.body.replace('Acme', 'Evil')), 'a changed body');
  const stale = { ...got!.headers, 'x-mosaic-timestamp': String(Number(got!.headers['x-mosaic-timestamp']) - 301) };
  t.notOk(verifyMosaicWebhook(hook.secret, stale, got!.body), 'and a timestamp older than five minutes');

  // After rotation, deliveries are signed with the new secret only (the cache follows the change).
  const rotated = (await client.patch(`/api/webhooks/${hook.id}`, { rotate_secret: true })).body.data.secret;
  await client.post('/api/objects/company', { name: 'Beta' });
  const second = await waitFor(() => receiver.at('/hook')[1]);
  t.ok(verifyMosaicWebhook(rotated, second.headers, second.body), 'signed with the rotated secret');
  t.notOk(verifyMosaicWebhook(hook.secret, second.headers, second.body), 'not with the old one');
});

t.test('type and object filters: a webhook gets only what it asked for', async (t) => {
  const { kernel, receiver, client } = await setup(t);
  await createHook(client, receiver, '/companies-created', { event_types: ['record.created'], objects: ['company'] });
  await createHook(client, receiver, '/records', { event_types: ['record.*'] });
  const people = await createHook(client, receiver, '/people', { objects: ['person'] });
  await createHook(client, receiver, '/all');
  await client.patch(`/api/webhooks/${people.id}`, { description: 'people only' });

  const acme = (await client.post('/api/objects/company', { name: 'Acme' })).body.data;
  await client.patch(`/api/objects/company/${acme.id}`, { name: 'Acme GmbH' });
  await client.post('/api/objects/person', { name: 'Ann' });
  await client.delete(`/api/objects/company/${acme.id}`);
  await client.post('/api/objects/company', { name: 'Beta' });

  await waitFor(() => receiver.at('/records').length === 5 && recordTypes(receiver, '/all').length === 5);
  await kernel.services.bus.wake();
  const seen = (path: string) => receiver.at(path).map((r) => `${r.event.type}:${r.event.object}`);
  t.same(seen('/companies-created'), ['record.created:company', 'record.created:company']);
  t.same(seen('/records'), ['record.created:company', 'record.updated:company', 'record.created:person', 'record.deleted:company', 'record.created:company']);
  t.same(seen('/people'), ['record.created:person']);
  t.same(recordTypes(receiver, '/all').length, 5, 'no filter: every record event');
  t.ok(receiver.at('/all').some((r) => r.event.type === 'webhook.updated'), 'and webhook events too');
  t.notOk(receiver.at('/people').some((r) => r.event.type === 'webhook.updated'), 'which have no object, so object filters skip them');
});

t.test('a disabled webhook receives nothing; re-enabled, it receives new events only', async (t) => {
  const { receiver, client } = await setup(t);
  const hook = await createHook(client, receiver, '/paused', { event_types: ['record.created'] });
  await createHook(client, receiver, '/witness', { event_types: ['record.created'] });
  await client.patch(`/api/webhooks/${hook.id}`, { enabled: false });

  await client.post('/api/objects/company', { name: 'while-off' });
  await waitFor(() => receiver.at('/witness').length === 1);
  await new Promise((r) => setTimeout(r, 300));
  t.equal(receiver.at('/paused').length, 0, 'nothing while disabled');

  await client.patch(`/api/webhooks/${hook.id}`, { enabled: true });
  await client.post('/api/objects/company', { name: 'after' });
  await waitFor(() => receiver.at('/paused').length >= 1 && receiver.at('/witness').length === 2);
  await new Promise((r) => setTimeout(r, 200));
  t.same(receiver.at('/paused').map((r) => (r.event.payload.record as any).name), ['after'], 'the event from the pause is never sent');
});

t.test('a failing receiver is retried, then dead-lettered, while another keeps receiving', async (t) => {
  const { receiver, client } = await setup(t);
  receiver.statuses.set('/down', 500);
  const down = await createHook(client, receiver, '/down', { event_types: ['record.created'] });
  const up = await createHook(client, receiver, '/up', { event_types: ['record.created'] });

  await client.post('/api/objects/company', { name: 'one' });
  await waitFor(() => receiver.at('/up').length === 1);
  const dead = await waitFor(async () => (await client.get(`/api/events/dead-letters?subscriber_id=webhook:${down.id}`)).body.data[0], 8000);
  t.match(dead, { subscriber_id: `webhook:${down.id}`, event_type: 'record.created', attempts: 3, last_error: /^HTTP 500: receiver says no \(500\)$/ });
  t.equal(receiver.at('/down').length, 3, 'three attempts');
  t.same(new Set(receiver.at('/down').map((r) => r.event.id)).size, 1, 'of the same event');

  await client.post('/api/objects/company', { name: 'two' });
  await waitFor(() => receiver.at('/up').length === 2);
  t.same(receiver.at('/up').map((r) => (r.event.payload.record as any).name), ['one', 'two'], 'the healthy webhook was never held up');

  const history = await waitFor(async () => {
    const rows = (await client.get(`/api/webhooks/${down.id}/deliveries`)).body.data;
    return rows.length >= 4 ? rows : undefined;
  }, 8000);
  const first = history.filter((d: any) => d.event_id === dead.event_id);
  t.same(first.map((d: any) => [d.attempt, d.status_code]), [[3, 500], [2, 500], [1, 500]], 'every attempt, newest first, numbered');
  t.ok(first.every((d: any) => Number.isInteger(d.latency_ms) && d.latency_ms >= 0 && d.error.startsWith('HTTP 500') && /Z$/.test(d.created_at)));
  const ok = (await client.get(`/api/webhooks/${up.id}/deliveries?limit=1`)).body.data;
  t.match(ok, [{ attempt: 1, status_code: 200, error: null, event_type: 'record.created' }], 'successes are recorded too, limit applies');

  // Once the receiver recovers, the dead letter replays through the same deliverer.
  receiver.statuses.set('/down', 204);
  const replay = await client.post(`/api/events/dead-letters/${dead.id}/replay`);
  t.equal(replay.status, 200);
  t.equal((await client.get(`/api/webhooks/${down.id}/deliveries?limit=500`)).body.data.find((d: any) => d.event_id === dead.event_id).attempt, 4);
});

t.test('under normal operation each event is delivered exactly once', async (t) => {
  const { kernel, receiver, client } = await setup(t);
  await createHook(client, receiver, '/once', { event_types: ['record.created'], objects: ['company'] });
  const written: string[] = [];
  for (let i = 0; i < 50; i++) written.push((await client.post('/api/objects/company', { name: `c${i}` })).body.data.id);
  await waitFor(() => receiver.at('/once').length >= 50, 10_000);
  await kernel.services.bus.wake();
  await new Promise((r) => setTimeout(r, 300));

  const counts = new Map<string, number>();
  for (const r of receiver.at('/once')) counts.set(r.event.id, (counts.get(r.event.id) ?? 0) + 1);
  t.equal(counts.size, 50, '50 distinct events');
  t.ok([...counts.values()].every((n) => n === 1), 'none twice');
  t.same(receiver.at('/once').map((r) => r.event.record_id), written, 'in commit order');
});

t.test('the test ping is sent at once and answered with the result', async (t) => {
  const { receiver, client } = await setup(t);
  const hook = await createHook(client, receiver, '/ping', { event_types: ['record.created'], enabled: false });
  const res = await client.post(`/api/webhooks/${hook.id}/test`);
  t.equal(res.status, 200);
  t.match(res.body.data, { delivered: true, status_code: 200, error: null, event_id: /^[0-9a-f-]{36}$/ });
  t.equal(receiver.at('/ping').length, 1, 'sent even though disabled and filtered');
  const ping = receiver.at('/ping')[0]!;
  t.match(ping.event, { type: 'webhook.test', id: res.body.data.event_id, payload: { webhook_id: hook.id } });
  t.ok(verifyMosaicWebhook(hook.secret, ping.headers, ping.body), 'signed like any delivery');

  receiver.statuses.set('/ping', 503);
  const failed = await client.post(`/api/webhooks/${hook.id}/test`);
  t.match(failed.body.data, { delivered: false, status_code: 503, error: 'HTTP 503: receiver says no (503)' });
  const history = (await client.get(`/api/webhooks/${hook.id}/deliveries`)).body.data;
  t.same(history.map((d: any) => [d.event_type, d.status_code, d.attempt]), [['webhook.test', 503, 1], ['webhook.test', 200, 1]]);

  // A closed port: a network error, reported, not thrown.
  await client.patch(`/api/webhooks/${hook.id}`, { url: 'http://127.0.0.1:9/' });
  const refused = await client.post(`/api/webhooks/${hook.id}/test`);
  t.match(refused.body.data, { delivered: false, status_code: null, error: /ECONNREFUSED/ });
});
