import t from 'tap';
import { api } from '../helpers/api.js';
import { inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { startReceiver } from './fixtures/receiver.js';

const FAST = { WEBHOOK_ALLOW_PRIVATE: 'true', EVENT_POLL_MS: '50', EVENT_RETRY_BASE_MS: '20', EVENT_MAX_ATTEMPTS: '3' };

t.test('webhooks are created, read, changed and deleted; the secret is shown once', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const receiver = await startReceiver(t);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  const { knex } = kernel.services.db;

  const created = await client.post('/api/webhooks', { url: `${receiver.url}/a#ignored`, description: 'CRM sync', event_types: ['record.created', 'record.*'], objects: ['company'] });
  t.equal(created.status, 201);
  const hook = created.body.data;
  t.match(hook, { url: `${receiver.url}/a`, description: 'CRM sync', event_types: ['record.created', 'record.*'], objects: ['company'], enabled: true, created_by: { type: 'member', id: owner.memberId } });
  t.match(hook.secret, /^whsec_[A-Za-z0-9_-]{43}$/, 'whsec_ + 32 random bytes, base64url');
  t.match(hook.created_at, /Z$/);

  const own = await client.post('/api/webhooks', { url: `${receiver.url}/b`, secret: 'my-own-secret-0123456789', enabled: false });
  t.equal(own.body.data.secret, 'my-own-secret-0123456789', 'an admin may bring their own secret');
  t.same([own.body.data.event_types, own.body.data.objects, own.body.data.enabled], [[], [], false]);

  const list = await client.get('/api/webhooks');
  t.same(list.body.data.map((w: any) => w.id), [hook.id, own.body.data.id]);
  const one = await client.get(`/api/webhooks/${hook.id}`);
  t.equal(one.body.data.url, hook.url);
  for (const body of [JSON.stringify(list.body), JSON.stringify(one.body)]) {
    t.notOk(body.includes('secret') || body.includes(hook.secret), 'reads never show a secret');
  }

  const subscribers = async () => (await client.get('/api/events/subscribers')).body.data.filter((s: any) => s.kind === 'webhook');
  t.same((await subscribers()).map((s: any) => [s.id, s.filter, s.enabled]), [
    [`webhook:${hook.id}`, { workspaceId: owner.workspaceId, types: ['record.created', 'record.*'], objects: ['company'] }, true],
    [`webhook:${own.body.data.id}`, { workspaceId: owner.workspaceId }, false],
  ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))), 'each webhook is a bus subscriber with its filter');

  const patched = await client.patch(`/api/webhooks/${hook.id}`, { description: null, event_types: ['*'], objects: [], enabled: false });
  t.equal(patched.status, 200);
  t.match(patched.body.data, { description: null, event_types: ['*'], objects: [], enabled: false });
  t.notOk('secret' in patched.body.data, 'a plain update shows no secret');
  t.match((await subscribers()).find((s: any) => s.id === `webhook:${hook.id}`), { filter: { workspaceId: owner.workspaceId, types: ['*'] }, enabled: false }, 'the subscriber follows');

  const rotated = await client.patch(`/api/webhooks/${hook.id}`, { rotate_secret: true });
  t.match(rotated.body.data.secret, /^whsec_/);
  t.not(rotated.body.data.secret, hook.secret, 'rotation returns a new secret once');
  const stored = (await knex('webhook').where({ id: hook.id }).first()).secret as string;
  t.equal(kernel.services.secretBox.open(stored), rotated.body.data.secret, 'and stores it for signing');
  t.not(stored, rotated.body.data.secret, 'encrypted at rest, not in the clear');

  t.equal((await client.delete(`/api/webhooks/${hook.id}`)).status, 204);
  const gone = await client.get(`/api/webhooks/${hook.id}`);
  t.equal(gone.status, 404);
  t.equal(gone.body.error.code, 'MOSAIC_ERR_WEBHOOK_NOT_FOUND');
  t.equal((await client.delete(`/api/webhooks/${hook.id}`)).body.error.code, 'MOSAIC_ERR_WEBHOOK_NOT_FOUND');
  t.notOk((await subscribers()).some((s: any) => s.id === `webhook:${hook.id}`), 'its subscriber is dropped');

  const events = (await knex('event').where('type', 'like', 'webhook.%').orderBy('seq')) as { type: string; payload: Record<string, unknown> }[];
  t.same(events.map((e) => e.type), ['webhook.created', 'webhook.created', 'webhook.updated', 'webhook.updated', 'webhook.deleted']);
  t.match(events[0]!.payload, { webhook_id: hook.id, target: receiver.url, event_types: ['record.created', 'record.*'] });
  t.match(events[2]!.payload, { changed: ['description', 'event_types', 'objects', 'enabled'], secret_rotated: false });
  t.match(events[3]!.payload, { changed: [], secret_rotated: true });
  const text = JSON.stringify(events);
  t.notOk(text.includes(hook.secret) || text.includes(rotated.body.data.secret) || text.includes('my-own-secret') || text.includes('"secret"'), 'no secrets in events');
});

t.test('bodies are validated against the schema', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const client = api(kernel.app, await signUp(kernel.app));
  const bad = [
    {},
    { url: 'http://127.0.0.1/', event_types: ['record created'] },
    { url: 'http://127.0.0.1/', event_types: ['record.*.x*'] },
    { url: 'http://127.0.0.1/', objects: ['Company'] },
    { url: 'http://127.0.0.1/', secret: 'too-short' },
    { url: 'http://127.0.0.1/', secret: 'has spaces in it, 16+' },
    { url: 'http://127.0.0.1/', rotate_secret: true },
    { url: 'http://127.0.0.1/', enabled: 'maybe' },
  ];
  for (const body of bad) {
    const res = await client.post('/api/webhooks', body);
    t.equal(res.body.error?.code, 'MOSAIC_ERR_REQUEST_INVALID', JSON.stringify(body));
  }
  const hook = (await client.post('/api/webhooks', { url: 'http://127.0.0.1:9/' })).body.data;
  t.equal((await client.patch(`/api/webhooks/${hook.id}`, {})).body.error.code, 'MOSAIC_ERR_REQUEST_INVALID', 'an empty patch');
  t.equal((await client.patch(`/api/webhooks/${hook.id}`, { secret: 'x'.repeat(20) })).body.error.code, 'MOSAIC_ERR_REQUEST_INVALID', 'the secret is only rotated');
  t.equal((await client.get('/api/webhooks/not-a-uuid')).body.error.code, 'MOSAIC_ERR_REQUEST_INVALID');
  t.equal((await client.get(`/api/webhooks/${hook.id}/deliveries?limit=0`)).body.error.code, 'MOSAIC_ERR_REQUEST_INVALID');
  t.equal((await client.patch(`/api/webhooks/${hook.id}`, { url: 'ftp://x' })).body.error.code, 'MOSAIC_ERR_WEBHOOK_URL_INVALID');
});

t.test('only roles with the webhooks capability, and only in their own workspace', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  const hook = (await client.post('/api/webhooks', { url: 'http://127.0.0.1:9/' })).body.data;

  const member = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'member'));
  for (const res of [await member.get('/api/webhooks'), await member.post('/api/webhooks', { url: 'http://127.0.0.1:9/' }), await member.get(`/api/webhooks/${hook.id}`), await member.post(`/api/webhooks/${hook.id}/test`)]) {
    t.equal(res.status, 403);
    t.equal(res.body.error.code, 'MOSAIC_ERR_FORBIDDEN');
  }
  t.equal((await kernel.app.inject({ method: 'GET', url: '/api/webhooks' })).json().error.code, 'MOSAIC_ERR_AUTH_REQUIRED');

  const stranger = api(kernel.app, await signUp(kernel.app));
  const attempts = [
    await stranger.get(`/api/webhooks/${hook.id}`),
    await stranger.patch(`/api/webhooks/${hook.id}`, { enabled: false }),
    await stranger.delete(`/api/webhooks/${hook.id}`),
    await stranger.get(`/api/webhooks/${hook.id}/deliveries`),
    await stranger.post(`/api/webhooks/${hook.id}/test`),
  ];
  for (const res of attempts) t.same([res.status, res.body.error.code], [404, 'MOSAIC_ERR_WEBHOOK_NOT_FOUND']);
  t.same((await stranger.get('/api/webhooks')).body.data, [], 'another workspace sees none');
  t.equal((await client.get(`/api/webhooks/${hook.id}`)).body.data.enabled, true, 'and changed nothing');
});

t.test('with the default configuration, internal targets are refused', async (t) => {
  const kernel = await startTestKernel(t, { EVENT_POLL_MS: '50' });
  const receiver = await startReceiver(t);
  const client = api(kernel.app, await signUp(kernel.app));
  const forbidden = [`${receiver.url}/x`, 'http://localhost', 'http://localhost:8080/hook', 'http://10.0.0.1', 'http://169.254.169.254/latest/meta-data/', 'http://[::1]', 'http://[::ffff:127.0.0.1]', 'http://[fd00::1]:443/', 'http://0.0.0.0:80'];
  for (const url of forbidden) {
    const res = await client.post('/api/webhooks', { url });
    t.same([res.status, res.body.error?.code], [400, 'MOSAIC_ERR_WEBHOOK_URL_FORBIDDEN'], url);
    t.match(res.body.error?.message, /WEBHOOK_ALLOW_PRIVATE=true/, 'the message says how to allow it');
  }
  for (const url of ['ftp://x', 'http://user:pass@example.com', 'not a url']) {
    const res = await client.post('/api/webhooks', { url });
    t.same([res.status, res.body.error?.code], [400, 'MOSAIC_ERR_WEBHOOK_URL_INVALID'], url);
  }
  t.same((await client.get('/api/webhooks')).body.data, [], 'nothing was created');
  t.equal(receiver.received.length, 0, 'and nothing was sent');

  // An existing webhook cannot be moved onto an internal address either (inserted as if it had been
  // created while the name resolved publicly).
  const id = '00000000-0000-4000-8000-000000000001';
  const workspaceId = (await kernel.services.db.knex('workspace').first('id')).id;
  await kernel.services.db.knex('webhook').insert({ id, workspace_id: workspaceId, url: 'https://hooks.example.com/', secret: 'whsec_test_secret_value' });
  const moved = await client.patch(`/api/webhooks/${id}`, { url: 'http://192.168.0.10/' });
  t.equal(moved.body.error?.code, 'MOSAIC_ERR_WEBHOOK_URL_FORBIDDEN');
});
