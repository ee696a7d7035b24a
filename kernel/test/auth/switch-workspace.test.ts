import { randomUUID } from 'node:crypto';
import t from 'tap';
import { createApiKey, sessionFrom, signUp, TEST_PASSWORD, uniqueEmail } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test('a user in two workspaces switches between them', async (t) => {
  const { app } = await startTestKernel(t);
  const email = uniqueEmail();
  const alice = await signUp(app, { email, name: 'Alice', workspace: 'Alpha' });
  const bob = await signUp(app, { name: 'Bob', workspace: 'Beta' });

  const invite = await app.inject({ method: 'POST', url: '/api/workspace/invites', headers: bob.headers, payload: { email: email.toUpperCase(), role: 'viewer' } });
  t.equal(invite.statusCode, 201);
  const accepted = await app.inject({ method: 'POST', url: '/api/auth/invites/accept', payload: { token: invite.json().token, password: TEST_PASSWORD } });
  t.equal(accepted.statusCode, 200, 'an existing user accepts with their password');
  const inBeta = sessionFrom(accepted);
  t.equal(inBeta.userId, alice.userId, 'no second account is made');
  t.equal(inBeta.workspaceId, bob.workspaceId);

  const session = await app.inject({ method: 'GET', url: '/api/auth/session', headers: inBeta.headers });
  t.match(session.json(), { workspace: { name: 'Beta' }, role: { key: 'viewer' } });
  t.same(
    session.json().workspaces.map((w: { name: string; role: string }) => [w.name, w.role]),
    [['Alpha', 'owner'], ['Beta', 'viewer']],
  );

  const toAlpha = await app.inject({ method: 'POST', url: '/api/auth/switch-workspace', headers: inBeta.headers, payload: { workspace_id: alice.workspaceId } });
  t.equal(toAlpha.statusCode, 200);
  t.match(toAlpha.json(), { workspace: { id: alice.workspaceId, name: 'Alpha' }, member: { id: alice.memberId, role: 'owner' }, csrf_token: inBeta.csrf });
  const after = await app.inject({ method: 'GET', url: '/api/auth/session', headers: inBeta.headers });
  t.match(after.json(), { workspace: { name: 'Alpha' }, role: { key: 'owner' } }, 'the same cookie now speaks for Alpha at once');
  t.equal((await app.inject({ method: 'GET', url: '/api/workspace/api-keys', headers: inBeta.headers })).statusCode, 200, 'with Alpha permissions');

  const notMine = await app.inject({ method: 'POST', url: '/api/auth/switch-workspace', headers: inBeta.headers, payload: { workspace_id: randomUUID() } });
  t.equal(notMine.statusCode, 403);
  t.equal(notMine.json().error.code, 'MOSAIC_ERR_AUTH_NOT_A_MEMBER');

  const bobs = await app.inject({ method: 'POST', url: '/api/auth/switch-workspace', headers: alice.headers, payload: { workspace_id: bob.workspaceId } });
  t.equal(bobs.statusCode, 200, 'another session of Alice may switch too');

  const key = await createApiKey(app, bob);
  const byKey = await app.inject({ method: 'POST', url: '/api/auth/switch-workspace', headers: key.headers, payload: { workspace_id: alice.workspaceId } });
  t.equal(byKey.statusCode, 403, 'an API key is bound to its workspace');
  t.equal(byKey.json().error.code, 'MOSAIC_ERR_FORBIDDEN');

  const signIn = await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password: TEST_PASSWORD, workspace_id: bob.workspaceId } });
  t.equal(signIn.json().workspace.name, 'Beta', 'sign-in can pick the workspace');
});
