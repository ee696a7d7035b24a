import { createLocalJWKSet, jwtVerify } from 'jose';
import t from 'tap';
import { authorizeAndExchange, listeningKernel, pkce, register } from './helpers.js';

t.test('metadata document (RFC 8414), JWKS, CORS', async (t) => {
  const { base, owner } = await listeningKernel(t);
  const res = await fetch(`${base}/.well-known/oauth-authorization-server`);
  t.equal(res.status, 200);
  t.equal(res.headers.get('access-control-allow-origin'), '*', 'browser clients can read it');
  const meta = (await res.json()) as Record<string, unknown>;
  t.match(meta, {
    issuer: base,
    authorization_endpoint: `${base}/oauth/authorize`,
    token_endpoint: `${base}/oauth/token`,
    registration_endpoint: `${base}/oauth/register`,
    revocation_endpoint: `${base}/oauth/revoke`,
    jwks_uri: `${base}/oauth/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: true,
  });
  t.same(meta.scopes_supported, ['records:read', 'records:write', 'metadata:read']);
  t.ok((meta.token_endpoint_auth_methods_supported as string[]).includes('none'));
  t.ok((meta.token_endpoint_auth_methods_supported as string[]).includes('client_secret_basic'));
  t.ok((meta.token_endpoint_auth_methods_supported as string[]).includes('client_secret_post'));

  const preflight = await fetch(`${base}/oauth/token`, { method: 'OPTIONS', headers: { origin: 'http://app.example', 'access-control-request-method': 'POST' } });
  t.equal(preflight.status, 204);
  t.equal(preflight.headers.get('access-control-allow-origin'), '*');

  // A token from the token endpoint verifies against the published key set alone.
  const client = await register(base, { client_name: 'JWKS check', redirect_uris: ['http://127.0.0.1:9/cb'], token_endpoint_auth_method: 'none' });
  const tokens = await authorizeAndExchange(base, owner, { client_id: client.body.client_id, redirect_uri: 'http://127.0.0.1:9/cb' });
  t.equal(tokens.status, 200, JSON.stringify(tokens.body));
  const jwks = await (await fetch(`${base}/oauth/jwks`)).json();
  const { payload, protectedHeader } = await jwtVerify(tokens.body.access_token, createLocalJWKSet(jwks as never), { issuer: base, audience: `${base}/mcp` });
  t.equal(protectedHeader.alg, 'ES256');
  t.equal(protectedHeader.typ, 'at+jwt');
  t.match(payload, { sub: owner.userId, workspace_id: owner.workspaceId, member_id: owner.memberId, client_id: client.body.client_id, scope: 'records:read records:write metadata:read' });
  t.type(payload.jti, 'string');
  t.ok((payload.exp as number) - (payload.iat as number) <= 600, 'short-lived');
});

t.test('forwarded headers are ignored without TRUST_PROXY', async (t) => {
  const { base } = await listeningKernel(t);
  const res = await fetch(`${base}/.well-known/oauth-authorization-server`, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' } });
  const meta = (await res.json()) as { issuer: string; token_endpoint: string };
  t.equal(meta.issuer, base);
  t.equal(meta.token_endpoint, `${base}/oauth/token`);
});

t.test('forwarded headers are honoured with TRUST_PROXY, and resources follow them', async (t) => {
  const { base, owner } = await listeningKernel(t, { TRUST_PROXY: 'true' });
  const proxied = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'crm.example.com' };
  const meta = (await (await fetch(`${base}/.well-known/oauth-authorization-server`, { headers: proxied })).json()) as { issuer: string; authorization_endpoint: string };
  t.equal(meta.issuer, 'https://crm.example.com');
  t.equal(meta.authorization_endpoint, 'https://crm.example.com/oauth/authorize');
  const direct = (await (await fetch(`${base}/.well-known/oauth-authorization-server`)).json()) as { issuer: string };
  t.equal(direct.issuer, base, 'without the headers, the Host');

  // The resource a token may be for is a URL of the origin the client sees.
  const client = await register(base, { client_name: 'Proxy', redirect_uris: ['https://app.example/cb'], token_endpoint_auth_method: 'none' });
  const ask = (resource: string) =>
    fetch(`${base}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: client.body.client_id, redirect_uri: 'https://app.example/cb', code_challenge: pkce().challenge, code_challenge_method: 'S256', resource })}`, {
      headers: { ...proxied, cookie: owner.cookie },
      redirect: 'manual',
    });
  const ours = await ask('https://crm.example.com/mcp');
  t.equal(ours.status, 200, 'the public origin is this server');
  const inner = await ask(`${base}/mcp`);
  t.equal(inner.status, 302);
  const location = new URL(inner.headers.get('location')!);
  t.equal(location.searchParams.get('error'), 'invalid_target', 'the inner address is not the resource clients see');
  t.equal(location.searchParams.get('iss'), 'https://crm.example.com');
});
