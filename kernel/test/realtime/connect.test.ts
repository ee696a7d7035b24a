import t from 'tap';
import { api } from '../helpers/api.js';
import { createApiKey, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';
import { connect, listen, refusal } from './fixtures/client.js';

const FAST = { EVENT_POLL_MS: '50' };

t.test('clients connect with a session cookie or an API key, and nothing else', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const url = await listen(kernel);
  const owner = await signUp(kernel.app);
  const key = await createApiKey(kernel.app, owner, 'viewer');

  const byCookie = await connect(t, url, { headers: { cookie: owner.cookie }, transports: ['polling', 'websocket'] });
  t.ok(byCookie.socket.connected, 'a session cookie, over long-polling first');
  t.ok(byCookie.socket.id);
  t.ok((await connect(t, url, { headers: key.headers })).socket.connected, 'an API key in Authorization: Bearer');
  t.ok((await connect(t, url, { token: key.key })).socket.connected, 'an API key in the handshake auth');
  const sockets = await kernel.app.realtime.io.fetchSockets();
  t.same(new Set(sockets.map((s) => s.data.workspaceId)), new Set([owner.workspaceId]), 'every socket is in its workspace');
  t.same(sockets.map((s) => s.data.roleKey).sort(), ['owner', 'viewer', 'viewer']);

  const none = await refusal(url);
  t.equal(none.message, 'MOSAIC_ERR_AUTH_REQUIRED', 'no credential');
  t.equal(none.data?.code, 'MOSAIC_ERR_AUTH_REQUIRED');
  t.ok(none.data?.message, 'with a message a person can act on');
  t.equal((await refusal(url, { token: 'mk_nope' })).message, 'MOSAIC_ERR_AUTH_API_KEY_INVALID', 'an unknown key');
  t.equal((await refusal(url, { headers: { authorization: 'Bearer' } })).message, 'MOSAIC_ERR_AUTH_API_KEY_INVALID', 'a malformed header');
  t.equal((await refusal(url, { headers: { cookie: 'mosaic_session=forged' } })).message, 'MOSAIC_ERR_AUTH_SESSION_EXPIRED', 'an unknown session');
  const foreign = await refusal(url, { headers: { cookie: owner.cookie, origin: 'https://evil.example' } });
  t.equal(foreign.message, 'MOSAIC_ERR_AUTH_CSRF', 'another origin cannot use the cookie');
  t.ok((await connect(t, url, { headers: { cookie: owner.cookie, origin: url } })).socket.connected, 'our own origin can');
  t.ok((await connect(t, url, { headers: { ...key.headers, origin: 'https://evil.example' } })).socket.connected, 'an API key works from any origin, as on HTTP');

  const revoked = await createApiKey(kernel.app, owner, 'member');
  t.equal((await api(kernel.app, owner).delete(`/api/workspace/api-keys/${revoked.id}`)).status, 204);
  t.equal((await refusal(url, { headers: revoked.headers })).message, 'MOSAIC_ERR_AUTH_API_KEY_INVALID', 'a revoked key');
});

t.test('revoking a key or signing out ends live connections', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const url = await listen(kernel);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  const key = await createApiKey(kernel.app, owner, 'member');
  const keyed = await connect(t, url, { token: key.key });
  const other = await connect(t, url, { headers: owner.headers });

  await admin.delete(`/api/workspace/api-keys/${key.id}`);
  await waitFor(() => !keyed.socket.connected);
  t.notOk(keyed.socket.connected, 'the revoked key was disconnected');
  t.same(keyed.authErrors.map((e) => e.error.code), ['MOSAIC_ERR_AUTH_API_KEY_INVALID'], 'and told why');
  t.ok(other.socket.connected, 'other connections stay');

  const session = await signUp(kernel.app);
  const browser = await connect(t, url, { headers: { cookie: session.cookie } });
  t.equal((await api(kernel.app, session).post('/api/auth/sign-out')).status, 204);
  await waitFor(() => !browser.socket.connected);
  t.same(browser.authErrors.map((e) => e.error.code), ['MOSAIC_ERR_AUTH_SESSION_EXPIRED'], 'signing out ends the session’s socket');
});

t.test('subscriptions are validated like HTTP requests', async (t) => {
  const kernel = await startTestKernel(t, FAST);
  const url = await listen(kernel);
  const owner = await signUp(kernel.app);
  await api(kernel.app, owner).post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  const client = await connect(t, url, { headers: owner.headers });

  t.same(await client.subscribe({ object: 'company' }), { ok: true });
  t.same(await client.subscribe({ object: 'company', record_id: '3f1c1e52-7c1a-4a57-9d63-0a0b8f3c2d11' }), { ok: true });
  t.match(await client.subscribe({ object: 'nothing' }), { error: { code: 'MOSAIC_ERR_OBJECT_NOT_FOUND' } });
  for (const bad of [null, 'company', {}, { object: 'Company' }, { object: 'company', record_id: 'x' }, { object: 'company', record_id: 7 }]) {
    t.match(await client.subscribe(bad), { error: { code: 'MOSAIC_ERR_REQUEST_INVALID' } }, `refuses ${JSON.stringify(bad)}`);
  }
  t.same(await client.unsubscribe({ object: 'company' }), { ok: true });
  t.match(await client.unsubscribe({}), { error: { code: 'MOSAIC_ERR_REQUEST_INVALID' } });
  client.socket.emit('subscribe', { object: 'company' }); // without an ack: accepted, nothing to answer
  t.ok(client.socket.connected);
});

t.test('closing the kernel disconnects its clients instead of hanging', async (t) => {
  const { createKernel, loadConfig } = await import('../../src/index.js');
  const base = await startTestKernel(t, FAST);
  const kernel = await createKernel({ config: loadConfig({ LOG_LEVEL: 'silent', PLUGINS_CONFIG: 'off', ...FAST }), databaseUrl: base.databaseUrl, logger: false });
  t.teardown(() => kernel.close());
  const url = await listen(kernel);
  const owner = await signUp(kernel.app);
  const client = await connect(t, url, { headers: owner.headers });
  const began = Date.now();
  await kernel.close();
  t.ok(Date.now() - began < 3000, `closed in ${Date.now() - began} ms`);
  await waitFor(() => !client.socket.connected);
  t.notOk(client.socket.connected);
});
