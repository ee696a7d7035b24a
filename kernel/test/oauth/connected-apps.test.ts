import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { authContextFor, verifyAccessToken } from '../../src/oauth/index.js';
import { appId } from '../../src/oauth/connected-apps.js';
import { api } from '../helpers/api.js';
import { createApiKey, inviteAndAccept, signUp } from '../helpers/auth.js';
import { connectClient } from '../mcp/helpers.js';
import { openApiProblems, responseChecker } from '../openapi/fixtures/schema-check.js';
import { authorizeAndExchange, listeningKernel, postForm, register } from './helpers.js';

const REDIRECT = 'http://127.0.0.1:7777/callback';

/** A loopback server answering one client metadata document, whose URL is long (a path of 120 characters). */
async function documentClient(t: { teardown(fn: () => unknown): void }) {
  const path = `/clients/${'a'.repeat(100)}/metadata.json`;
  let clientId = '';
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ client_id: clientId, client_name: 'Doc Agent', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  clientId = `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  return clientId;
}

t.test('connected apps: members list and revoke their own, admins everyone’s; revocation is immediate', async (t) => {
  const { kernel, base, owner } = await listeningKernel(t, { OAUTH_ALLOW_LOOPBACK_CLIENT_METADATA: 'true' });
  const { services } = kernel;
  const mia = await inviteAndAccept(kernel.app, owner, 'member', { name: 'Mia Member' });
  const { body: agent } = await register(base, { client_name: 'Claude', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
  const docClientId = await documentClient(t);
  const asMia = api(kernel.app, mia);
  const asOwner = api(kernel.app, owner);

  t.same((await asMia.get('/api/connected-apps')).body, { data: [] }, 'nothing connected yet');

  // Mia authorizes the registered client twice (two grants) and the document client once; the owner once.
  const first = await authorizeAndExchange(base, mia, { client_id: agent.client_id, redirect_uri: REDIRECT, scope: 'records:read' });
  const second = await authorizeAndExchange(base, mia, { client_id: agent.client_id, redirect_uri: REDIRECT, scope: 'metadata:read' });
  const viaDoc = await authorizeAndExchange(base, mia, { client_id: docClientId, redirect_uri: REDIRECT });
  const ownerTokens = await authorizeAndExchange(base, owner, { client_id: agent.client_id, redirect_uri: REDIRECT });
  for (const res of [first, second, viaDoc, ownerTokens]) t.equal(res.status, 200, res.status === 200 ? 'tokens issued' : JSON.stringify(res.body));

  // A refresh is a use: the app's last use moves on.
  const before = (await asMia.get('/api/connected-apps')).body.data.find((a: { client_id: string }) => a.client_id === agent.client_id);
  const refreshed = await postForm(`${base}/oauth/token`, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token, client_id: agent.client_id });
  t.equal(refreshed.status, 200, refreshed.status === 200 ? 'refreshed' : JSON.stringify(refreshed.body));

  const mine = (await asMia.get('/api/connected-apps')).body.data as any[];
  t.equal(mine.length, 2, 'Mia sees her two apps, not the owner’s');
  const claude = mine.find((a) => a.client_id === agent.client_id);
  t.match(claude, {
    id: appId(agent.client_id),
    client_name: 'Claude',
    client_kind: 'registered',
    redirect_hosts: ['127.0.0.1:7777'],
    scopes: ['records:read', 'metadata:read'],
    authorizations: 2,
  }, 'one app over both authorizations, with every scope granted');
  t.notOk('member' in claude, 'a member’s own list does not name the member');
  t.ok(Date.parse(claude.first_authorized_at) <= Date.parse(claude.last_used_at), 'first authorized, then used');
  t.ok(Date.parse(claude.last_used_at) > Date.parse(before.last_used_at), 'the refresh counts as the last use');
  const doc = mine.find((a) => a.client_id === docClientId);
  t.match(doc, { client_name: 'Doc Agent', client_kind: 'document', scopes: ['records:read', 'records:write', 'metadata:read'], authorizations: 1 });
  t.equal(doc.id.length, 32, 'a long client id URL still makes a short path id');

  // The admin list names the member of each app.
  const all = await asOwner.get('/api/workspace/connected-apps');
  t.equal(all.status, 200);
  t.same(
    all.body.data.map((a: any) => `${a.member.name}:${a.client_name}`).sort(),
    ['Ada Owner:Claude', 'Mia Member:Claude', 'Mia Member:Doc Agent'],
  );
  t.same(all.body.idle_clients, []);

  // The OpenAPI document describes these routes, and the answers conform to it.
  const openapi = (await asOwner.get('/api/openapi.json')).body;
  t.equal(await openApiProblems(openapi), null, 'still valid OpenAPI');
  const check = responseChecker(openapi);
  t.equal(check('/api/workspace/connected-apps', 'get', 200, all.body), null, 'the admin list matches its schema');
  t.equal(check('/api/connected-apps', 'get', 200, { data: mine }), null, 'the member list matches its schema');
  t.ok(openapi.paths['/api/workspace/connected-apps/{member_id}/{id}'].delete && openapi.paths['/api/workspace/oauth-clients/{id}'].delete && openapi.paths['/api/connected-apps/{id}'].delete);
  const miaDoc = (await asMia.get('/api/openapi.json')).body;
  t.ok(miaDoc.paths['/api/connected-apps'].get, 'a member sees her own routes');
  t.notOk(miaDoc.paths['/api/workspace/connected-apps'], 'not the administrators’ ones');
  const miaKey = await createApiKey(kernel.app, owner, 'member');
  t.equal((await asMia.get('/api/workspace/connected-apps')).body.error.code, 'MOSAIC_ERR_FORBIDDEN', 'a member lists only her own');
  t.equal((await api(kernel.app, miaKey).get('/api/connected-apps')).body.error.code, 'MOSAIC_ERR_FORBIDDEN', 'an API key has no apps of its own');
  t.equal((await asMia.delete(`/api/workspace/connected-apps/${owner.memberId}/${appId(agent.client_id)}`)).status, 403, 'nor revokes others’');

  // Before revocation the newest access token works at /mcp; an OAuth caller is `via: oauth`.
  const live = await connectClient(base, refreshed.body.access_token);
  t.ok((await live.listTools()).tools.length > 0);
  await live.close();
  const principal = await verifyAccessToken(services, refreshed.body.access_token, `${base}/mcp`);
  const auth = await authContextFor(services, principal);
  t.same([auth.via, auth.actor.type, auth.memberId], ['oauth', 'member', mia.memberId], 'recorded as the member, through OAuth');

  // Mia revokes Claude: every refresh token of both grants fails, and the access token stops at once.
  t.equal((await asMia.delete(`/api/connected-apps/${appId(agent.client_id)}`)).status, 204);
  for (const token of [refreshed.body.refresh_token, second.body.refresh_token]) {
    const again = await postForm(`${base}/oauth/token`, { grant_type: 'refresh_token', refresh_token: token, client_id: agent.client_id });
    t.same([again.status, again.body.code], [400, 'MOSAIC_ERR_OAUTH_GRANT_INVALID'], 'the refresh token is refused');
  }
  const mcp = await fetch(`${base}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${refreshed.body.access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  t.equal(mcp.status, 401, 'the unexpired access token is refused at once');
  t.match(((await mcp.json()) as any).error, { code: 'MOSAIC_ERR_OAUTH_TOKEN_INVALID', message: /revoked/ });
  t.same((await asMia.get('/api/connected-apps')).body.data.map((a: any) => a.client_id), [docClientId], 'gone from her list');
  t.equal((await asMia.delete(`/api/connected-apps/${appId(agent.client_id)}`)).body.error.code, 'MOSAIC_ERR_OAUTH_APP_NOT_FOUND', 'revoking twice: nothing left');
  t.equal((await asMia.delete(`/api/connected-apps/${'0'.repeat(32)}`)).status, 404, 'an unknown id');
  t.equal((await asMia.delete('/api/connected-apps/not-an-id')).body.error.code, 'MOSAIC_ERR_OAUTH_APP_NOT_FOUND');
  t.equal(
    (await asOwner.get('/api/workspace/connected-apps')).body.data.filter((a: any) => a.client_id === agent.client_id).length,
    1,
    'the owner’s own authorization of the same client stays',
  );
  const event = (await services.db.knex('event').where({ workspace_id: owner.workspaceId, type: 'oauth_app.revoked' }).first('actor', 'payload')) as { actor: any; payload: any };
  t.match(event, { actor: { type: 'member', id: mia.memberId }, payload: { client_id: agent.client_id, member_id: mia.memberId, authorizations: 2 } }, 'the revocation is an event');

  const authorized = (await services.db.knex('event').where({ workspace_id: owner.workspaceId, type: 'oauth_app.authorized' }).orderBy('seq').select('actor', 'payload')) as { actor: any; payload: any }[];
  t.equal(authorized.length, 4, 'each consent turned into tokens is an event');
  t.match(authorized[0], { actor: { type: 'member', id: mia.memberId, name: 'Mia Member' }, payload: { client_id: agent.client_id, member_id: mia.memberId, scopes: ['records:read'] } });
  const noCsrf = await kernel.app.inject({ method: 'DELETE', url: `/api/connected-apps/${appId(docClientId)}`, headers: { cookie: mia.cookie } });
  t.equal(noCsrf.json().error.code, 'MOSAIC_ERR_AUTH_CSRF', 'a session needs its CSRF token to revoke');

  // The admin revokes Mia's document client.
  t.equal((await asOwner.delete(`/api/workspace/connected-apps/${mia.memberId}/${appId(docClientId)}`)).status, 204);
  const docRefresh = await postForm(`${base}/oauth/token`, { grant_type: 'refresh_token', refresh_token: viaDoc.body.refresh_token, client_id: docClientId });
  t.equal(docRefresh.body.code, 'MOSAIC_ERR_OAUTH_GRANT_INVALID', 'the admin’s revocation ends it too');
  t.equal((await asOwner.delete(`/api/workspace/oauth-clients/${appId(docClientId)}`)).body.error.code, 'MOSAIC_ERR_OAUTH_CLIENT_NOT_REGISTERED', 'a document client has no registration to delete');
});

t.test('deleting a registered client: only without live authorizations here, and never from another workspace', async (t) => {
  const { kernel, base, owner } = await listeningKernel(t);
  const other = await signUp(kernel.app, { workspace: 'Other Workspace' });
  const asOwner = api(kernel.app, owner);
  const asOther = api(kernel.app, other);
  const { body: shared } = await register(base, { client_name: 'Shared Agent', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
  const { body: lone } = await register(base, { client_name: 'Lone Agent', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
  const here = await authorizeAndExchange(base, owner, { client_id: shared.client_id, redirect_uri: REDIRECT });
  const there = await authorizeAndExchange(base, other, { client_id: shared.client_id, redirect_uri: REDIRECT });
  const loneTokens = await authorizeAndExchange(base, owner, { client_id: lone.client_id, redirect_uri: REDIRECT });
  for (const res of [here, there, loneTokens]) t.equal(res.status, 200, res.status === 200 ? 'tokens issued' : JSON.stringify(res.body));

  const deleteShared = () => asOwner.delete(`/api/workspace/oauth-clients/${appId(shared.client_id)}`);
  t.same([(await deleteShared()).status, (await deleteShared()).body.error.code], [409, 'MOSAIC_ERR_OAUTH_CLIENT_IN_USE'], 'refused while connected here');
  t.equal((await asOther.delete(`/api/workspace/oauth-clients/${appId(lone.client_id)}`)).body.error.code, 'MOSAIC_ERR_OAUTH_APP_NOT_FOUND', 'a client never authorized in a workspace is not its to delete');

  // Revoked here (through RFC 7009, as the application itself would), the shared client is idle here.
  t.equal((await postForm(`${base}/oauth/revoke`, { token: here.body.refresh_token, client_id: shared.client_id })).status, 200);
  const listed = (await asOwner.get('/api/workspace/connected-apps')).body;
  t.same(listed.idle_clients.map((c: any) => [c.id, c.client_name]), [[appId(shared.client_id), 'Shared Agent']]);
  t.ok(listed.idle_clients[0].last_revoked_at, 'with when it was last revoked');
  t.equal((await deleteShared()).status, 204);
  t.same((await asOwner.get('/api/workspace/connected-apps')).body.idle_clients, [], 'forgotten here');
  // The other workspace's connection is untouched: its registration stays, and its refresh token works.
  const refreshThere = await postForm(`${base}/oauth/token`, { grant_type: 'refresh_token', refresh_token: there.body.refresh_token, client_id: shared.client_id });
  t.equal(refreshThere.status, 200, 'another workspace keeps using the client');
  t.equal((await asOther.get('/api/workspace/connected-apps')).body.data.length, 1);

  // The lone client, revoked by its member and deleted: no workspace uses it, so its registration goes.
  t.equal((await asOwner.delete(`/api/connected-apps/${appId(lone.client_id)}`)).status, 204);
  t.equal((await asOwner.delete(`/api/workspace/oauth-clients/${appId(lone.client_id)}`)).status, 204);
  t.notOk(await kernel.services.db.knex('oauth_client').where({ id: lone.client_id }).first(), 'the registration is deleted');
  const afterwards = await postForm(`${base}/oauth/token`, { grant_type: 'refresh_token', refresh_token: loneTokens.body.refresh_token, client_id: lone.client_id });
  t.equal(afterwards.body.code, 'MOSAIC_ERR_OAUTH_CLIENT_INVALID', 'its client_id no longer works anywhere');
  const event = await kernel.services.db.knex('event').where({ workspace_id: owner.workspaceId, type: 'oauth_client.deleted' }).count({ n: '*' }).first();
  t.equal(Number(event!.n), 2, 'each deletion is an event');
});
