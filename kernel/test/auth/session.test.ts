import t from 'tap';
import { createKernel, loadConfig } from '../../src/index.js';
import { createApiKey, signUp, TEST_PASSWORD, uniqueEmail } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test('an expired session answers 401', async (t) => {
  const { app, services } = await startTestKernel(t);
  const s = await signUp(app);
  t.equal((await app.inject({ method: 'GET', url: '/api/auth/session', headers: s.headers })).statusCode, 200, 'warm the cache');

  const [row] = await services.db.knex('session').where({ user_id: s.userId }).update({ expires_at: new Date(Date.now() - 1000) }, ['id']);
  services.invalidation.local('session', row.id);
  const res = await app.inject({ method: 'GET', url: '/api/auth/session', headers: s.headers });
  t.equal(res.statusCode, 401);
  t.equal(res.json().error.code, 'MOSAIC_ERR_AUTH_SESSION_EXPIRED');
  t.equal((await app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200, 'public routes work without a credential');
});

t.test('CSRF protects cookie-authenticated unsafe requests', async (t) => {
  const { app } = await startTestKernel(t);
  const s = await signUp(app);
  const create = (headers: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/api/workspace/api-keys', headers, payload: { name: 'ci', role: 'member' } });

  const missing = await create({ cookie: s.cookie });
  t.equal(missing.statusCode, 403);
  t.equal(missing.json().error.code, 'MOSAIC_ERR_AUTH_CSRF');
  const wrong = await create({ cookie: s.cookie, 'x-csrf-token': `${s.csrf.slice(0, -1)}x` });
  t.equal(wrong.statusCode, 403);
  t.equal(wrong.json().error.code, 'MOSAIC_ERR_AUTH_CSRF');
  t.equal((await create({ cookie: s.cookie, 'x-csrf-token': 'short' })).statusCode, 403, 'a token of another length is refused too');

  const right = await create(s.headers);
  t.equal(right.statusCode, 201);
  t.equal((await app.inject({ method: 'GET', url: '/api/workspace/api-keys', headers: { cookie: s.cookie } })).statusCode, 200, 'GET needs no token');

  const key = await createApiKey(app, s);
  t.equal((await create(key.headers)).statusCode, 201, 'API key requests need no CSRF token');
  const del = await app.inject({ method: 'DELETE', url: `/api/workspace/api-keys/${right.json().id}`, headers: { cookie: s.cookie } });
  t.equal(del.statusCode, 403, 'DELETE is checked as well');
  const out = await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: { cookie: s.cookie } });
  t.equal(out.statusCode, 403, 'signing out needs the token too, so a foreign page cannot end a session');
});

t.test('the cookie is Secure only when the client used https', async (t) => {
  const email = uniqueEmail();
  const behindProxy = await startTestKernel(t, { TRUST_PROXY: 'true' });
  await signUp(behindProxy.app, { email });
  const signIn = (app: typeof behindProxy.app, proto?: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      headers: proto ? { 'x-forwarded-proto': proto } : {},
      payload: { email, password: TEST_PASSWORD },
    });

  t.match(String((await signIn(behindProxy.app, 'https')).headers['set-cookie']), /; HttpOnly; Secure; SameSite=Lax$/);
  t.notMatch(String((await signIn(behindProxy.app)).headers['set-cookie']), /Secure/, 'plain http behind the proxy');

  const direct = await startTestKernel(t);
  await signUp(direct.app, { email });
  t.notMatch(String((await signIn(direct.app, 'https')).headers['set-cookie']), /Secure/, 'X-Forwarded-Proto is ignored without TRUST_PROXY');
});

t.test('a warm cache answers without touching the database', async (t) => {
  const { app, services } = await startTestKernel(t);
  // Routes that read nothing from the database, so every query counted comes from authentication.
  app.get('/test/whoami', async (request) => ({ via: request.auth?.via, role: request.auth?.access.roleKey }));
  app.post('/test/whoami', async (request) => ({ via: request.auth?.via }));
  const s = await signUp(app);
  const key = await createApiKey(app, s);

  for (const headers of [s.headers, key.headers]) {
    await app.inject({ method: 'GET', url: '/test/whoami', headers });
  }
  let queries = 0;
  const count = () => queries++;
  services.db.knex.on('query', count);
  t.teardown(() => void services.db.knex.off('query', count));

  const bySession = await app.inject({ method: 'GET', url: '/test/whoami', headers: s.headers });
  const bySessionPost = await app.inject({ method: 'POST', url: '/test/whoami', headers: s.headers, payload: {} });
  const byKey = await app.inject({ method: 'GET', url: '/test/whoami', headers: key.headers });
  t.same(bySession.json(), { via: 'session', role: 'owner' });
  t.same(bySessionPost.json(), { via: 'session' });
  t.same(byKey.json(), { via: 'api_key', role: 'admin' });
  t.equal(queries, 0, 'no queries once the credentials are cached');
  await app.inject({ method: 'GET', url: '/api/auth/session', headers: s.headers });
  t.ok(queries > 0, 'the counter does see queries (the session route reads the database)');
});

t.test('signing out in one process ends the session in every process', async (t) => {
  const a = await startTestKernel(t);
  const b = await createKernel({ config: loadConfig({ LOG_LEVEL: 'silent', PLUGINS_CONFIG: 'off' }), databaseUrl: a.databaseUrl, logger: false });
  try {
    const s = await signUp(a.app);
    const key = await createApiKey(a.app, s);
    t.equal((await b.app.inject({ method: 'GET', url: '/api/auth/session', headers: s.headers })).statusCode, 200, 'process B caches the session');
    t.equal((await b.app.inject({ method: 'GET', url: '/api/auth/session', headers: key.headers })).statusCode, 200, 'and the key');

    t.equal((await a.app.inject({ method: 'DELETE', url: `/api/workspace/api-keys/${key.id}`, headers: s.headers })).statusCode, 204);
    t.equal((await a.app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: s.headers })).statusCode, 204);

    const deadline = Date.now() + 5000;
    let session = 200;
    let api = 200;
    while ((session !== 401 || api !== 401) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      session = (await b.app.inject({ method: 'GET', url: '/api/auth/session', headers: s.headers })).statusCode;
      api = (await b.app.inject({ method: 'GET', url: '/api/auth/session', headers: key.headers })).statusCode;
    }
    t.equal(session, 401, 'process B drops the revoked session');
    t.equal(api, 401, 'process B drops the revoked key');
  } finally {
    await b.close();
  }
});
