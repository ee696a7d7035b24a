import { Writable } from 'node:stream';
import t from 'tap';
import { createKernel, loadConfig } from '../../src/index.js';
import { createApiKey, signUp, TEST_PASSWORD, uniqueEmail } from '../helpers/auth.js';
import { createTestDatabase } from '../helpers/database.js';

t.test('passwords, keys, cookies and tokens never reach the logs', async (t) => {
  let output = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      output += String(chunk);
      done();
    },
  });
  const database = await createTestDatabase();
  const kernel = await createKernel({
    config: loadConfig({ LOG_LEVEL: 'trace', SIGNIN_RATE_LIMIT: '1000', PLUGINS_CONFIG: 'off' }),
    databaseUrl: database.url,
    logger: { stream, level: 'trace' },
  });
  t.teardown(async () => {
    await kernel.close();
    await database.drop();
  });
  const { app } = kernel;

  const email = uniqueEmail();
  const owner = await signUp(app, { email });
  const signIn = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password: TEST_PASSWORD } });
  const session = signIn.json();
  const key = await createApiKey(app, owner);
  await app.inject({ method: 'GET', url: '/api/workspace/members', headers: key.headers });
  await app.inject({ method: 'GET', url: '/api/auth/session', headers: owner.headers });
  await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password: 'a wrong password' } });
  await app.inject({ method: 'GET', url: '/api/workspace/members', headers: { authorization: `Bearer ${key.key.slice(0, -1)}x` } });
  const invite = await app.inject({ method: 'POST', url: '/api/workspace/invites', headers: owner.headers, payload: { email: uniqueEmail(), role: 'member' } });
  await app.inject({ method: 'POST', url: '/api/auth/invites/accept', payload: { token: invite.json().token, name: 'New', password: 'another secret password' } });

  t.ok(output.includes('incoming request'), 'requests were logged');
  const secrets = {
    password: TEST_PASSWORD,
    'wrong password': 'a wrong password',
    'invitee password': 'another secret password',
    'API key': key.key,
    'API key body': key.key.slice(10),
    'session cookie': owner.cookie.split('=')[1]!,
    'signed-in cookie': String(signIn.headers['set-cookie']).split(';')[0]!.split('=')[1]!,
    'CSRF token': session.csrf_token,
    'invite token': invite.json().token,
  };
  for (const [what, secret] of Object.entries(secrets)) t.notOk(output.includes(secret), `no ${what} in the logs`);
});
