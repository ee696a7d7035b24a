import t from 'tap';
import { createApiKey, inviteAndAccept, signUp, uniqueEmail } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test("a workspace cannot reach another workspace's members, invites, keys or roles", async (t) => {
  const { app, services } = await startTestKernel(t);
  const a = await signUp(app, { workspace: 'A' });
  const b = await signUp(app, { workspace: 'B' });
  const bMember = await inviteAndAccept(app, b, 'member');
  const bKey = await createApiKey(app, b, 'member');
  const bInvite = (await app.inject({ method: 'POST', url: '/api/workspace/invites', headers: b.headers, payload: { email: uniqueEmail(), role: 'member' } })).json();
  await app.inject({
    method: 'POST',
    url: '/api/workspace/roles',
    headers: b.headers,
    payload: { key: 'b_only', name: 'B only', permissions: { workspace: [], objects: {}, fields: {} } },
  });
  const aKey = await createApiKey(app, a, 'admin');

  for (const [who, headers] of [['A owner session', a.headers], ['A admin key', aKey.headers]] as const) {
    const codes = [
      (await app.inject({ method: 'PATCH', url: `/api/workspace/members/${bMember.memberId}`, headers, payload: { role: 'viewer' } })).json().error.code,
      (await app.inject({ method: 'DELETE', url: `/api/workspace/members/${bMember.memberId}`, headers })).json().error.code,
      (await app.inject({ method: 'DELETE', url: `/api/workspace/api-keys/${bKey.id}`, headers })).json().error.code,
      (await app.inject({ method: 'DELETE', url: `/api/workspace/invites/${bInvite.id}`, headers })).json().error.code,
      (await app.inject({ method: 'PATCH', url: '/api/workspace/roles/b_only', headers, payload: { name: 'mine' } })).json().error.code,
      (await app.inject({ method: 'DELETE', url: '/api/workspace/roles/b_only', headers })).json().error.code,
    ];
    t.same(
      codes,
      ['MOSAIC_ERR_MEMBER_NOT_FOUND', 'MOSAIC_ERR_MEMBER_NOT_FOUND', 'MOSAIC_ERR_API_KEY_NOT_FOUND', 'MOSAIC_ERR_INVITE_NOT_FOUND', 'MOSAIC_ERR_ROLE_NOT_FOUND', 'MOSAIC_ERR_ROLE_NOT_FOUND'],
      `${who}: ids from B answer 404`,
    );
    const lists = await Promise.all(
      ['members', 'invites', 'api-keys', 'roles'].map((path) => app.inject({ method: 'GET', url: `/api/workspace/${path}`, headers }).then((r) => r.body)),
    );
    for (const secretOfB of [bMember.memberId, bKey.id, bInvite.id, 'b_only']) {
      t.notOk(lists.some((body) => body.includes(secretOfB)), `${who}: ${secretOfB} is not listed`);
    }
  }

  const keyB = await app.inject({ method: 'GET', url: '/api/auth/session', headers: bKey.headers });
  t.equal(keyB.json().workspace.id, b.workspaceId, 'a key speaks for its own workspace only');
  t.equal((await app.inject({ method: 'GET', url: '/api/auth/session', headers: bKey.headers })).statusCode, 200, 'B key untouched');
  t.equal((await app.inject({ method: 'GET', url: '/api/auth/session', headers: bMember.headers })).json().role.key, 'member', 'B role untouched');
});
