import { createHash } from 'node:crypto';
import t from 'tap';
import { createApiKey, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test('API keys: create, list, use, revoke', async (t) => {
  const { app, services } = await startTestKernel(t);
  const owner = await signUp(app);

  const created = await app.inject({ method: 'POST', url: '/api/workspace/api-keys', headers: owner.headers, payload: { name: 'Zapier', role: 'member' } });
  t.equal(created.statusCode, 201);
  const body = created.json();
  t.match(body.key, /^mk_[A-Za-z0-9]{40}$/, 'mk_ + 40 base62 characters');
  t.match(body, { name: 'Zapier', role: 'member', prefix: body.key.slice(0, 10), expires_at: null, last_used_at: null, created_by_member_id: owner.memberId });

  const list = await app.inject({ method: 'GET', url: '/api/workspace/api-keys', headers: owner.headers });
  t.equal(list.statusCode, 200);
  t.match(list.json().api_keys, [{ id: body.id, name: 'Zapier', prefix: body.key.slice(0, 10), role: 'member' }]);
  t.notOk(list.body.includes(body.key), 'the list never shows the secret');
  t.notOk(list.body.includes('token_hash'), 'nor its hash');

  const stored = await services.db.knex('api_key').where({ id: body.id }).first('token_hash');
  t.not(stored.token_hash, body.key);
  t.equal(stored.token_hash, createHash('sha256').update(body.key).digest('hex'), 'stored as sha256');

  const headers = { authorization: `Bearer ${body.key}` };
  const used = await app.inject({ method: 'GET', url: '/api/auth/session', headers });
  t.equal(used.statusCode, 200);
  t.match(used.json(), { via: 'api_key', workspace: { id: owner.workspaceId }, role: { key: 'member' }, api_key: { id: body.id, name: 'Zapier' } });
  t.notOk('user' in used.json(), 'an API key speaks for no user');
  await new Promise((r) => setTimeout(r, 100));
  const touched = await services.db.knex('api_key').where({ id: body.id }).first('last_used_at');
  t.ok(touched.last_used_at, 'last_used_at is recorded');
  await app.inject({ method: 'GET', url: '/api/auth/session', headers });
  await new Promise((r) => setTimeout(r, 100));
  t.equal((await services.db.knex('api_key').where({ id: body.id }).first('last_used_at')).last_used_at, touched.last_used_at, 'but not on every request');

  const revoked = await app.inject({ method: 'DELETE', url: `/api/workspace/api-keys/${body.id}`, headers: owner.headers });
  t.equal(revoked.statusCode, 204);
  const after = await app.inject({ method: 'GET', url: '/api/auth/session', headers });
  t.equal(after.statusCode, 401, 'a revoked key stops working at once');
  t.equal(after.json().error.code, 'MOSAIC_ERR_AUTH_API_KEY_INVALID');
  t.same((await app.inject({ method: 'GET', url: '/api/workspace/api-keys', headers: owner.headers })).json().api_keys, [], 'revoked keys leave the list');
  const twice = await app.inject({ method: 'DELETE', url: `/api/workspace/api-keys/${body.id}`, headers: owner.headers });
  t.equal(twice.statusCode, 404);
  t.equal(twice.json().error.code, 'MOSAIC_ERR_API_KEY_NOT_FOUND');

  const events = await services.db.knex('event').where({ workspace_id: owner.workspaceId }).whereLike('type', 'api_key.%').orderBy('seq').select('type', 'payload', 'actor');
  t.match(events, [
    { type: 'api_key.created', payload: { api_key_id: body.id, name: 'Zapier', role: 'member' }, actor: { type: 'member', id: owner.memberId } },
    { type: 'api_key.revoked', payload: { api_key_id: body.id } },
  ]);
  t.notOk(JSON.stringify(events).includes(body.key.slice(3, 10)), 'no part of the secret in events');
});

t.test('expiry, bad keys and key roles', async (t) => {
  const { app, services } = await startTestKernel(t);
  const owner = await signUp(app);

  const past = await app.inject({ method: 'POST', url: '/api/workspace/api-keys', headers: owner.headers, payload: { name: 'old', role: 'member', expires_at: '2020-01-01T00:00:00Z' } });
  t.equal(past.statusCode, 400, 'an expiry in the past is refused');
  const soon = await app.inject({
    method: 'POST',
    url: '/api/workspace/api-keys',
    headers: owner.headers,
    payload: { name: 'soon', role: 'member', expires_at: new Date(Date.now() + 3_600_000).toISOString() },
  });
  t.equal(soon.statusCode, 201);
  const headers = { authorization: `Bearer ${soon.json().key}` };
  t.equal((await app.inject({ method: 'GET', url: '/api/auth/session', headers })).statusCode, 200);
  await services.db.knex('api_key').where({ id: soon.json().id }).update({ expires_at: new Date(Date.now() - 1000) });
  services.invalidation.local('api_key', soon.json().id);
  const expired = await app.inject({ method: 'GET', url: '/api/auth/session', headers });
  t.equal(expired.statusCode, 401, 'an expired key is refused');
  t.equal(expired.json().error.code, 'MOSAIC_ERR_AUTH_API_KEY_INVALID');

  for (const authorization of ['Bearer mk_nope', 'Bearer', `Bearer mk_${'A'.repeat(40)}`, 'bearer x y']) {
    const res = await app.inject({ method: 'GET', url: '/healthz', headers: { authorization } });
    t.equal(res.statusCode, 401, `"${authorization}" is refused, even on a public route`);
  }
  t.equal((await app.inject({ method: 'GET', url: '/healthz', headers: { authorization: 'Basic dXNlcjpwYXNz' } })).statusCode, 200, "another scheme (a proxy's Basic auth) is not ours to judge");

  const viewer = await createApiKey(app, owner, 'viewer');
  const members = await app.inject({ method: 'POST', url: '/api/workspace/invites', headers: viewer.headers, payload: { email: 'x@example.test', role: 'member' } });
  t.equal(members.statusCode, 403, 'a viewer key cannot manage members');
  t.equal(members.json().error.code, 'MOSAIC_ERR_FORBIDDEN');
  t.equal((await app.inject({ method: 'GET', url: '/api/workspace/api-keys', headers: viewer.headers })).statusCode, 403, 'nor list keys');
  t.equal((await app.inject({ method: 'GET', url: '/api/workspace/members', headers: viewer.headers })).statusCode, 200, 'but may see who is in the workspace');

  const admin = await createApiKey(app, owner, 'admin');
  const ownerKey = await app.inject({ method: 'POST', url: '/api/workspace/api-keys', headers: admin.headers, payload: { name: 'x', role: 'owner' } });
  t.equal(ownerKey.statusCode, 403, 'an admin cannot mint an owner key');
  t.equal((await app.inject({ method: 'POST', url: '/api/workspace/api-keys', headers: owner.headers, payload: { name: 'x', role: 'owner' } })).statusCode, 201, 'an owner can');
  const unknown = await app.inject({ method: 'POST', url: '/api/workspace/api-keys', headers: owner.headers, payload: { name: 'x', role: 'ghost' } });
  t.equal(unknown.json().error.code, 'MOSAIC_ERR_ROLE_NOT_FOUND');
  t.equal((await app.inject({ method: 'POST', url: '/api/workspace/api-keys', headers: owner.headers, payload: { role: 'member' } })).statusCode, 400, 'a name is required');
});
