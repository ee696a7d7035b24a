import { randomUUID } from 'node:crypto';
import t from 'tap';
import { sessionFrom, signUp, TEST_PASSWORD, uniqueEmail } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test('sign-in', async (t) => {
  const { app } = await startTestKernel(t);
  const email = uniqueEmail();
  const owner = await signUp(app, { email, name: 'Grace', workspace: 'Hopper Inc' });
  const signIn = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/auth/sign-in', payload });

  const ok = await signIn({ email: email.toUpperCase(), password: TEST_PASSWORD });
  t.equal(ok.statusCode, 200, 'email is case-insensitive');
  t.match(ok.json(), { user: { id: owner.userId, email, name: 'Grace' }, workspace: { id: owner.workspaceId, name: 'Hopper Inc' }, member: { role: 'owner' } });
  const session = sessionFrom(ok);
  t.not(session.cookie, owner.cookie, 'a new session per sign-in');
  t.not(session.csrf, owner.csrf);
  t.equal((await app.inject({ method: 'GET', url: '/api/auth/session', headers: session.headers })).statusCode, 200);

  const wrong = await signIn({ email, password: 'not the password' });
  const unknown = await signIn({ email: uniqueEmail(), password: TEST_PASSWORD });
  t.equal(wrong.statusCode, 401);
  t.equal(unknown.statusCode, 401);
  t.equal(wrong.json().error.code, 'MOSAIC_ERR_AUTH_INVALID_CREDENTIALS');
  t.same(wrong.json().error, unknown.json().error, 'unknown email and wrong password answer the same');
  t.notOk(wrong.headers['set-cookie'], 'no cookie on failure');

  const elsewhere = await signIn({ email, password: TEST_PASSWORD, workspace_id: randomUUID() });
  t.equal(elsewhere.statusCode, 403);
  t.equal(elsewhere.json().error.code, 'MOSAIC_ERR_AUTH_NOT_A_MEMBER');

  const chosen = await signIn({ email, password: TEST_PASSWORD, workspace_id: owner.workspaceId });
  t.equal(chosen.json().workspace.id, owner.workspaceId);

  t.equal((await signIn({ email })).statusCode, 400, 'a missing password is a bad request');
});

t.test('a stale cookie does not block signing in', async (t) => {
  const { app } = await startTestKernel(t);
  const email = uniqueEmail();
  const old = await signUp(app, { email });
  await app.inject({ method: 'POST', url: '/api/auth/sign-out', headers: old.headers });
  const res = await app.inject({ method: 'POST', url: '/api/auth/sign-in', headers: { cookie: old.cookie }, payload: { email, password: TEST_PASSWORD } });
  t.equal(res.statusCode, 200);
  t.match(String(res.headers['set-cookie']), /^mosaic_session=[\w-]{43};/, 'the new cookie replaces the stale one');
});

t.test('sign-in is rate limited per client address', async (t) => {
  const { app } = await startTestKernel(t, { SIGNIN_RATE_LIMIT: '3' });
  const email = uniqueEmail();
  await signUp(app, { email });
  const attempt = (password: string, ip = '10.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/auth/sign-in', remoteAddress: ip, payload: { email, password } });

  for (let i = 0; i < 3; i++) t.equal((await attempt('wrong password!')).statusCode, 401, `attempt ${i + 1} is checked`);
  const limited = await attempt(TEST_PASSWORD);
  t.equal(limited.statusCode, 429, 'even the right password is refused once the budget is spent');
  t.equal(limited.json().error.code, 'MOSAIC_ERR_RATE_LIMITED');
  t.ok(limited.headers['retry-after'], 'tells the client when to retry');
  t.equal((await attempt(TEST_PASSWORD, '10.0.0.2')).statusCode, 200, 'another address has its own budget');
});
