import t from 'tap';
import { authContextFor, verifyAccessToken } from '../../src/oauth/index.js';
import { inviteAndAccept } from '../helpers/auth.js';
import { authorizeAndExchange, consent, hiddenFields, listeningKernel, openAuthorize, pkce, postForm, register } from './helpers.js';

const REDIRECT = 'http://127.0.0.1:7777/callback';

t.test('dynamic client registration (RFC 7591)', async (t) => {
  const { base } = await listeningKernel(t);
  const pub = await register(base, { client_name: 'Claude', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
  t.equal(pub.status, 201);
  t.match(pub.body, { client_id: /^mc_/, client_name: 'Claude', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'] });
  t.notOk('client_secret' in pub.body, 'a public client gets no secret');

  const conf = await register(base, { client_name: 'Server app', redirect_uris: ['https://app.example/cb'] });
  t.equal(conf.status, 201);
  t.equal(conf.body.token_endpoint_auth_method, 'client_secret_basic', 'the RFC 7591 default');
  t.match(conf.body.client_secret, /^mcs_/);
  t.equal(conf.body.client_secret_expires_at, 0);

  for (const bad of [['http://app.example/cb'], ['javascript:alert(1)'], ['https://app.example/cb#frag'], [], 'https://app.example/cb']) {
    const res = await register(base, { client_name: 'Bad', redirect_uris: bad });
    t.equal(res.status, 400, `refused: ${JSON.stringify(bad)}`);
    t.match(res.body, { error: 'invalid_redirect_uri', code: 'MOSAIC_ERR_OAUTH_REDIRECT_URI_INVALID' });
  }
  const badMethod = await register(base, { redirect_uris: [REDIRECT], token_endpoint_auth_method: 'private_key_jwt' });
  t.match(badMethod, { status: 400, body: { error: 'invalid_client_metadata', code: 'MOSAIC_ERR_OAUTH_CLIENT_METADATA_INVALID' } });
  const native = await register(base, { redirect_uris: ['com.example.app:/oauth', 'http://[::1]/cb'], token_endpoint_auth_method: 'none' });
  t.equal(native.status, 201, 'private-use schemes and loopback listeners are fine');
});

t.test('the authorize request: PKCE required, S256 only, errors go back with state and iss', async (t) => {
  const { base, owner } = await listeningKernel(t);
  const { body: client } = await register(base, { client_name: 'Agent', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
  const base_params = { response_type: 'code', client_id: client.client_id, redirect_uri: REDIRECT, state: 'xyz' };

  const noPkce = await openAuthorize(base, base_params, owner);
  t.equal(noPkce.status, 302);
  const noPkceTo = new URL(noPkce.location!);
  t.equal(noPkceTo.origin + noPkceTo.pathname, REDIRECT);
  t.equal(noPkceTo.searchParams.get('error'), 'invalid_request');
  t.match(noPkceTo.searchParams.get('error_description'), /code_challenge/);
  t.equal(noPkceTo.searchParams.get('state'), 'xyz');
  t.equal(noPkceTo.searchParams.get('iss'), base);

  const { verifier } = pkce();
  const plain = await openAuthorize(base, { ...base_params, code_challenge: verifier, code_challenge_method: 'plain' }, owner);
  const plainTo = new URL(plain.location!);
  t.equal(plainTo.searchParams.get('error'), 'invalid_request', 'plain is refused');
  t.match(plainTo.searchParams.get('error_description'), /S256/);
  const noMethod = await openAuthorize(base, { ...base_params, code_challenge: pkce().challenge }, owner);
  t.equal(new URL(noMethod.location!).searchParams.get('error'), 'invalid_request', 'no method means plain, refused');

  const badScope = await openAuthorize(base, { ...base_params, code_challenge: pkce().challenge, code_challenge_method: 'S256', scope: 'records:read admin' }, owner);
  t.equal(new URL(badScope.location!).searchParams.get('error'), 'invalid_scope');
  const otherResource = await openAuthorize(base, { ...base_params, code_challenge: pkce().challenge, code_challenge_method: 'S256', resource: 'https://elsewhere.example/mcp' }, owner);
  t.equal(new URL(otherResource.location!).searchParams.get('error'), 'invalid_target');
  const implicit = await openAuthorize(base, { ...base_params, response_type: 'token', code_challenge: pkce().challenge, code_challenge_method: 'S256' }, owner);
  t.equal(new URL(implicit.location!).searchParams.get('error'), 'unsupported_response_type');

  // Nothing is sent to a redirect URI the client did not register, nor for an unknown client.
  const foreign = await openAuthorize(base, { ...base_params, redirect_uri: 'https://attacker.example/cb', code_challenge: pkce().challenge, code_challenge_method: 'S256' }, owner);
  t.equal(foreign.status, 400);
  t.equal(foreign.location, null);
  t.match(foreign.html, /MOSAIC_ERR_OAUTH_REDIRECT_URI_INVALID/);
  const unknown = await openAuthorize(base, { ...base_params, client_id: 'mc_nope', code_challenge: pkce().challenge, code_challenge_method: 'S256' }, owner);
  t.equal(unknown.status, 400);
  t.match(unknown.html, /MOSAIC_ERR_OAUTH_CLIENT_INVALID/);
  const loopbackPort = await openAuthorize(base, { ...base_params, redirect_uri: 'http://127.0.0.1:53123/callback', code_challenge: pkce().challenge, code_challenge_method: 'S256' }, owner);
  t.equal(loopbackPort.status, 200, 'a loopback redirect may use another port');
});

t.test('consent: page, deny, allow, code exchange, single use', async (t) => {
  const { base, owner, kernel } = await listeningKernel(t);
  const { body: client } = await register(base, { client_name: 'Claude Desktop', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
  const { verifier, challenge } = pkce();
  const params = { response_type: 'code', client_id: client.client_id, redirect_uri: REDIRECT, state: 'abc', code_challenge: challenge, code_challenge_method: 'S256', scope: 'records:read metadata:read' };

  const anonymous = await openAuthorize(base, params);
  t.equal(anonymous.status, 200);
  t.match(anonymous.html, /Sign in to continue/);
  t.match(anonymous.html, /href="\/sign-in"/);

  const page = await openAuthorize(base, params, owner);
  t.equal(page.status, 200);
  t.match(page.html, /Claude Desktop/);
  t.match(page.html, /Acme Workspace/);
  t.match(page.html, /Read the records your role can see/);
  t.match(page.html, /See the data model/);
  t.notMatch(page.html, /records:write/, 'only the scopes asked for');
  t.notMatch(page.html, /<script/i, 'no script under the strict CSP');
  const csp = page.headers.get('content-security-policy')!;
  t.match(csp, /script-src 'self'/);
  t.match(csp, /frame-ancestors 'none'/);
  t.match(csp, /form-action 'self' http:\/\/127\.0\.0\.1:7777/, 'the form may redirect to the client only');

  const forged = await postForm(`${base}/oauth/authorize`, { ...hiddenFields(page.html), csrf: 'forged', decision: 'allow' }, { cookie: owner.cookie });
  t.equal(forged.status, 403, 'a form without the session CSRF token is refused');
  t.match(forged.body, /MOSAIC_ERR_AUTH_CSRF/);

  const denied = await consent(base, owner, params, 'deny');
  t.equal(denied.searchParams.get('error'), 'access_denied');
  t.equal(denied.searchParams.get('state'), 'abc');
  t.equal(denied.searchParams.get('iss'), base);
  t.equal(denied.searchParams.get('code'), null);

  const allowed = await consent(base, owner, params);
  t.equal(allowed.origin + allowed.pathname, REDIRECT);
  t.equal(allowed.searchParams.get('state'), 'abc');
  t.equal(allowed.searchParams.get('iss'), base);
  const code = allowed.searchParams.get('code')!;
  t.ok(code);

  const exchange = (extra: Record<string, string>) =>
    postForm(`${base}/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: client.client_id, code_verifier: verifier, ...extra });
  const wrongVerifier = await exchange({ code_verifier: pkce().verifier });
  t.equal(wrongVerifier.status, 400);
  t.match(wrongVerifier.body, { error: 'invalid_grant', code: 'MOSAIC_ERR_OAUTH_GRANT_INVALID' });
  t.equal(wrongVerifier.headers.get('cache-control'), 'no-store');
  const noVerifier = await exchange({ code_verifier: '' });
  t.match(noVerifier.body, { error: 'invalid_request', code: 'MOSAIC_ERR_OAUTH_REQUEST_INVALID' });
  const wrongRedirect = await exchange({ redirect_uri: 'http://127.0.0.1:7777/other' });
  t.match(wrongRedirect.body, { error: 'invalid_grant' });
  const unknownClient = await exchange({ client_id: 'mc_unknown' });
  t.match(unknownClient, { status: 401, body: { error: 'invalid_client', code: 'MOSAIC_ERR_OAUTH_CLIENT_INVALID' } });

  const ok = await exchange({});
  t.equal(ok.status, 200, JSON.stringify(ok.body));
  t.match(ok.body, { token_type: 'Bearer', expires_in: 600, scope: 'records:read metadata:read' });
  t.equal(ok.headers.get('cache-control'), 'no-store');
  const principal = await verifyAccessToken(kernel.services, ok.body.access_token, `${base}/mcp`);
  t.same(principal, { workspaceId: owner.workspaceId, userId: owner.userId, memberId: owner.memberId, clientId: client.client_id, scopes: ['records:read', 'metadata:read'], audience: `${base}/mcp` });

  const again = await exchange({});
  t.match(again, { status: 400, body: { error: 'invalid_grant', error_description: /already used/ } });
  await t.rejects(verifyAccessToken(kernel.services, ok.body.access_token, `${base}/mcp`), { code: 'MOSAIC_ERR_OAUTH_TOKEN_INVALID' }, 'a reused code revokes what the first use gave');
  const refreshAfterReuse = await postForm(`${base}/oauth/token`, { grant_type: 'refresh_token', refresh_token: ok.body.refresh_token, client_id: client.client_id });
  t.match(refreshAfterReuse.body, { error: 'invalid_grant' });

  const json = await fetch(`${base}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'authorization_code', client_id: client.client_id, code: 12345 }) });
  t.equal(json.status, 400, 'a JSON body with a non-string code is a bad request, not a crash');
  t.match(await json.json(), { error: 'invalid_request', error_description: /code is missing/ });
  const unsupported = await postForm(`${base}/oauth/token`, { grant_type: 'password', client_id: client.client_id });
  t.match(unsupported, { status: 400, body: { error: 'unsupported_grant_type', code: 'MOSAIC_ERR_OAUTH_GRANT_TYPE_UNSUPPORTED' } });
});

t.test('refresh tokens: rotation, reuse revokes the family, revocation', async (t) => {
  const { base, owner, kernel } = await listeningKernel(t);
  const { body: client } = await register(base, { client_name: 'Agent', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
  const resource = `${base}/mcp`;
  const first = await authorizeAndExchange(base, owner, { client_id: client.client_id, redirect_uri: REDIRECT, resource });
  t.equal(first.status, 200);
  const refresh = (token: string, extra: Record<string, string> = {}) => postForm(`${base}/oauth/token`, { grant_type: 'refresh_token', refresh_token: token, client_id: client.client_id, ...extra });

  const second = await refresh(first.body.refresh_token);
  t.equal(second.status, 200);
  t.not(second.body.refresh_token, first.body.refresh_token, 'the refresh token rotates');
  t.ok(await verifyAccessToken(kernel.services, second.body.access_token, resource));
  const narrowed = await refresh(second.body.refresh_token, { scope: 'records:read' });
  t.equal(narrowed.body.scope, 'records:read', 'a refresh may narrow the scopes');
  const widened = await refresh(narrowed.body.refresh_token, { scope: 'records:read bogus' });
  t.match(widened.body, { error: 'invalid_scope', code: 'MOSAIC_ERR_OAUTH_SCOPE_INVALID' });
  const otherTarget = await refresh(narrowed.body.refresh_token, { resource: `${base}/other` });
  t.match(otherTarget.body, { error: 'invalid_target', code: 'MOSAIC_ERR_OAUTH_TARGET_INVALID' });
  const third = await refresh(narrowed.body.refresh_token, { resource });
  t.equal(third.status, 200, 'failed refreshes did not spend the token');

  // A spent token presented again: the whole family dies, including the newest tokens.
  const reused = await refresh(first.body.refresh_token);
  t.match(reused, { status: 400, body: { error: 'invalid_grant', error_description: /already used/ } });
  const afterReuse = await refresh(third.body.refresh_token);
  t.match(afterReuse.body, { error: 'invalid_grant' }, 'the latest refresh token is revoked too');
  await t.rejects(verifyAccessToken(kernel.services, third.body.access_token, resource), { code: 'MOSAIC_ERR_OAUTH_TOKEN_INVALID' }, 'and its access tokens');

  // Revocation (RFC 7009) of a refresh token ends its grant; of an access token, that token.
  const grantA = await authorizeAndExchange(base, owner, { client_id: client.client_id, redirect_uri: REDIRECT });
  const revoked = await postForm(`${base}/oauth/revoke`, { token: grantA.body.refresh_token, token_type_hint: 'refresh_token', client_id: client.client_id });
  t.equal(revoked.status, 200);
  t.match((await refresh(grantA.body.refresh_token)).body, { error: 'invalid_grant' });
  await t.rejects(verifyAccessToken(kernel.services, grantA.body.access_token, resource));

  const grantB = await authorizeAndExchange(base, owner, { client_id: client.client_id, redirect_uri: REDIRECT });
  t.equal((await postForm(`${base}/oauth/revoke`, { token: grantB.body.access_token, client_id: client.client_id })).status, 200);
  await t.rejects(verifyAccessToken(kernel.services, grantB.body.access_token, resource), { message: /revoked/ });
  t.equal((await refresh(grantB.body.refresh_token)).status, 200, 'revoking an access token leaves the grant');
  t.equal((await postForm(`${base}/oauth/revoke`, { token: 'unknown', client_id: client.client_id })).status, 200, 'unknown tokens: success too');
  const noToken = await postForm(`${base}/oauth/revoke`, { client_id: client.client_id });
  t.match(noToken.body, { error: 'invalid_request' });
});

t.test('confidential clients authenticate; the member role applies at use time', async (t) => {
  const { base, owner, kernel } = await listeningKernel(t);
  const { body: client } = await register(base, { client_name: 'Server', redirect_uris: ['https://app.example/cb'] });
  const viewer = await inviteAndAccept(kernel.app, owner, 'member');
  const { verifier, challenge } = pkce();
  const redirect = await consent(base, viewer, { response_type: 'code', client_id: client.client_id, redirect_uri: 'https://app.example/cb', code_challenge: challenge, code_challenge_method: 'S256' });
  const code = redirect.searchParams.get('code')!;
  const form = { grant_type: 'authorization_code', code, redirect_uri: 'https://app.example/cb', code_verifier: verifier };

  const noSecret = await postForm(`${base}/oauth/token`, { ...form, client_id: client.client_id });
  t.match(noSecret, { status: 401, body: { error: 'invalid_client' } });
  const wrongSecret = await postForm(`${base}/oauth/token`, form, { authorization: `Basic ${Buffer.from(`${client.client_id}:nope`).toString('base64')}` });
  t.equal(wrongSecret.status, 401);
  t.equal(wrongSecret.headers.get('www-authenticate'), 'Basic realm="oauth"');
  const ok = await postForm(`${base}/oauth/token`, form, { authorization: `Basic ${Buffer.from(`${client.client_id}:${client.client_secret}`).toString('base64')}` });
  t.equal(ok.status, 200, JSON.stringify(ok.body));
  const refreshed = await postForm(`${base}/oauth/token`, { grant_type: 'refresh_token', refresh_token: ok.body.refresh_token, client_id: client.client_id, client_secret: client.client_secret });
  t.equal(refreshed.status, 200, 'client_secret_post works as well');

  // The member's role is read when the token is used: a demotion narrows the token at once.
  const before = await authContextFor(kernel.services, await verifyAccessToken(kernel.services, refreshed.body.access_token, `${base}/mcp`));
  t.ok(before.access.object('company', 'create'), 'a member with records:write creates');
  t.equal(before.actor.id, viewer.memberId, 'writes are attributed to the member');
  const demoted = await kernel.app.inject({ method: 'PATCH', url: `/api/workspace/members/${viewer.memberId}`, headers: owner.headers, payload: { role: 'viewer' } });
  t.equal(demoted.statusCode, 200, demoted.body);
  const after = await authContextFor(kernel.services, await verifyAccessToken(kernel.services, refreshed.body.access_token, `${base}/mcp`));
  t.notOk(after.access.object('company', 'create'), 'the same token no longer creates');
  t.ok(after.access.object('company', 'read'));

  // Removing the member ends the grant: the refresh token and the access token stop working.
  const removed = await kernel.app.inject({ method: 'DELETE', url: `/api/workspace/members/${viewer.memberId}`, headers: owner.headers });
  t.ok(removed.statusCode < 300, `member removed (${removed.statusCode} ${removed.body})`);
  await t.rejects(verifyAccessToken(kernel.services, refreshed.body.access_token, `${base}/mcp`), { code: 'MOSAIC_ERR_OAUTH_TOKEN_INVALID' });
  const afterRemoval = await postForm(`${base}/oauth/token`, { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token, client_id: client.client_id, client_secret: client.client_secret });
  t.match(afterRemoval.body, { error: 'invalid_grant' });
});
