import t from 'tap';
import { sessionCookieOf, signUp, TEST_PASSWORD, uniqueEmail } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test('sign-up, session, sign-out', async (t) => {
  const { app, services } = await startTestKernel(t);
  const email = uniqueEmail();

  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-up',
    payload: { email, password: TEST_PASSWORD, name: 'Ada', workspace_name: 'Acme' },
  });
  t.equal(res.statusCode, 201);
  const body = res.json();
  t.match(body, { user: { email, name: 'Ada' }, workspace: { name: 'Acme' }, member: { role: 'owner' }, csrf_token: String });
  t.notOk('password_hash' in body.user, 'no hash in the answer');

  const setCookie = String(res.headers['set-cookie']);
  t.match(setCookie, /^mosaic_session=[\w-]{43}; Max-Age=\d+; Path=\/; HttpOnly; SameSite=Lax$/, 'httpOnly, Lax, whole site, not Secure over http');
  const cookie = sessionCookieOf(res);
  const headers = { cookie, 'x-csrf-token': body.csrf_token };

  const session = await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
  t.equal(session.statusCode, 200);
  t.match(session.json(), {
    via: 'session',
    user: { id: body.user.id, email },
    workspace: { id: body.workspace.id, name: 'Acme' },
    member: { id: body.member.id, role: 'owner' },
    role: { key: 'owner', name: 'Owner', permissions: { workspace: Array } },
    csrf_token: body.csrf_token,
    workspaces: [{ id: body.workspace.id, name: 'Acme', role: 'owner' }],
  });

  const stored = await services.db.knex('session').where({ user_id: body.user.id }).first('token_hash');
  t.not(stored.token_hash, cookie.split('=')[1], 'only a hash of the session token is stored');

  const events = await services.db.knex('event').where({ workspace_id: body.workspace.id }).select('type', 'actor', 'payload');
  t.match(events, [{ type: 'member.added', actor: { type: 'member', id: body.member.id }, payload: { member_id: body.member.id, role: 'owner' } }]);

  const out = await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers });
  t.equal(out.statusCode, 204);
  t.match(String(out.headers['set-cookie']), /^mosaic_session=; Max-Age=0;.*Expires=Thu, 01 Jan 1970/, 'the cookie is cleared');

  const after = await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
  t.equal(after.statusCode, 401, 'the old cookie no longer works');
  t.equal(after.json().error.code, 'MOSAIC_ERR_AUTH_SESSION_EXPIRED');
  t.match(String(after.headers['set-cookie']), /^mosaic_session=;/, 'a dead cookie is cleared');

  const none = await app.inject({ method: 'GET', url: '/api/auth/session' });
  t.equal(none.statusCode, 401);
  t.equal(none.json().error.code, 'MOSAIC_ERR_AUTH_REQUIRED');

  const again = await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers });
  t.equal(again.statusCode, 204, 'signing out with an ended session still clears the cookie');
});

t.test('sign-up input rules', async (t) => {
  const { app } = await startTestKernel(t);
  const email = uniqueEmail();
  await signUp(app, { email });

  const post = (payload: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: '/api/auth/sign-up', payload: { email: uniqueEmail(), password: TEST_PASSWORD, name: 'N', workspace_name: 'W', ...payload } });

  const dup = await post({ email: email.toUpperCase() });
  t.equal(dup.statusCode, 409, 'the same email in another case is a duplicate');
  t.equal(dup.json().error.code, 'MOSAIC_ERR_AUTH_EMAIL_TAKEN');

  const weak = await post({ password: 'short1234' });
  t.equal(weak.statusCode, 400);
  t.equal(weak.json().error.code, 'MOSAIC_ERR_REQUEST_INVALID');
  t.match(weak.json().error.details, [{ path: '/password' }]);

  t.equal((await post({ email: 'not-an-email' })).statusCode, 400);
  t.equal((await post({ name: '   ' })).statusCode, 400, 'a blank name is refused');
  t.equal((await post({ extra: true })).statusCode, 400, 'unknown properties are refused');
  t.equal((await post({ workspace_name: undefined })).statusCode, 400);
});

t.test('SIGNUP=closed refuses sign-up', async (t) => {
  const { app } = await startTestKernel(t, { SIGNUP: 'closed' });
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-up',
    payload: { email: uniqueEmail(), password: TEST_PASSWORD, name: 'N', workspace_name: 'W' },
  });
  t.equal(res.statusCode, 403);
  t.equal(res.json().error.code, 'MOSAIC_ERR_FORBIDDEN');
  t.match(res.json().error.message, /closed/);
});
