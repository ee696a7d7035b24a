import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { verifyAccessToken } from '../../src/oauth/index.js';
import { authorizeAndExchange, listeningKernel, openAuthorize, pkce } from './helpers.js';

const REDIRECT = 'http://127.0.0.1:7777/callback';

/** A real HTTP server on loopback serving client metadata documents, counting requests per path. */
async function documentServer(t: { teardown(fn: () => unknown): void }) {
  const hits = new Map<string, number>();
  let origin = '';
  const docs: Record<string, (origin: string) => { status: number; body?: string; location?: string }> = {
    '/client.json': (o) => ({ status: 200, body: JSON.stringify({ client_id: `${o}/client.json`, client_name: 'Doc Agent', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' }) }),
    '/mismatch.json': () => ({ status: 200, body: JSON.stringify({ client_id: 'https://other.example/client.json', client_name: 'Impostor', redirect_uris: [REDIRECT] }) }),
    '/secret.json': (o) => ({ status: 200, body: JSON.stringify({ client_id: `${o}/secret.json`, redirect_uris: [REDIRECT], token_endpoint_auth_method: 'client_secret_basic' }) }),
    '/bad-redirect.json': (o) => ({ status: 200, body: JSON.stringify({ client_id: `${o}/bad-redirect.json`, redirect_uris: ['http://evil.example/cb'] }) }),
    '/big.json': (o) => ({ status: 200, body: JSON.stringify({ client_id: `${o}/big.json`, redirect_uris: [REDIRECT], client_name: 'x'.repeat(6000) }) }),
    '/moved.json': () => ({ status: 302, location: '/moved-target.json' }),
    '/moved-target.json': (o) => ({ status: 200, body: JSON.stringify({ client_id: `${o}/moved.json`, client_name: 'Moved Agent', redirect_uris: [REDIRECT] }) }),
    '/loop.json': () => ({ status: 302, location: '/loop.json' }),
    '/missing.json': () => ({ status: 404, body: '{}' }),
  };
  const server: Server = createServer((req, res) => {
    const path = req.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const answer = docs[path]?.(origin) ?? { status: 404, body: '{}' };
    res.writeHead(answer.status, { 'content-type': 'application/json', ...(answer.location ? { location: answer.location } : {}) });
    res.end(answer.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  return { origin, hits };
}

const ask = (clientId: string) => ({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, state: 's', code_challenge: pkce().challenge, code_challenge_method: 'S256' });

t.test('client metadata documents from a loopback server, with the test setting on', async (t) => {
  const docs = await documentServer(t);
  const { base, owner, kernel } = await listeningKernel(t, { OAUTH_ALLOW_LOOPBACK_CLIENT_METADATA: 'true' });
  const clientId = `${docs.origin}/client.json`;

  const page = await openAuthorize(base, ask(clientId), owner);
  t.equal(page.status, 200, page.html.slice(0, 300));
  t.match(page.html, /Doc Agent/);
  t.match(page.html, new RegExp(`identified by its metadata at <strong>${docs.origin.slice('http://'.length)}</strong>`), 'the page names the host of the client_id');

  const tokens = await authorizeAndExchange(base, owner, { client_id: clientId, redirect_uri: REDIRECT });
  t.equal(tokens.status, 200, JSON.stringify(tokens.body));
  const principal = await verifyAccessToken(kernel.services, tokens.body.access_token, `${base}/mcp`);
  t.equal(principal.clientId, clientId);
  t.equal(docs.hits.get('/client.json'), 1, 'the document is cached between the page, the form and the token request');

  const moved = await openAuthorize(base, ask(`${docs.origin}/moved.json`), owner);
  t.equal(moved.status, 200, 'a redirect is followed, and the client_id stays the URL asked for');
  t.match(moved.html, /Moved Agent/);

  const refused = async (path: string, why: RegExp) => {
    const res = await openAuthorize(base, ask(`${docs.origin}${path}`), owner);
    t.equal(res.status, 400, `${path} refused`);
    t.equal(res.location, null, `${path}: nothing is sent to the redirect URI`);
    t.match(res.html, /MOSAIC_ERR_OAUTH_CLIENT_METADATA_INVALID|MOSAIC_ERR_OAUTH_REDIRECT_URI_INVALID/);
    t.match(res.html, why, `${path}: ${why}`);
  };
  await refused('/mismatch.json', /another client_id/);
  await refused('/secret.json', /cannot use a client secret/);
  await refused('/bad-redirect.json', /plain http is allowed only/);
  await refused('/big.json', /larger than 5120 bytes/);
  await refused('/loop.json', /more than 3 redirects/);
  await refused('/missing.json', /HTTP 404/);

  // Loopback is the only exception the setting makes: private and link-local addresses stay refused.
  for (const id of ['https://10.1.2.3/client.json', 'http://169.254.169.254/latest/client.json', 'https://192.168.1.1/c.json']) {
    const res = await openAuthorize(base, ask(id), owner);
    t.equal(res.status, 400, `${id} refused`);
    t.match(res.html, /MOSAIC_ERR_OAUTH_CLIENT_METADATA_INVALID/);
    t.match(res.html, /private|link-local/);
  }
});

t.test('client metadata documents are refused from loopback without the test setting', async (t) => {
  const docs = await documentServer(t);
  const { base, owner } = await listeningKernel(t);
  const port = new URL(docs.origin).port;

  const http = await openAuthorize(base, ask(`${docs.origin}/client.json`), owner);
  t.equal(http.status, 400);
  t.match(http.html, /MOSAIC_ERR_OAUTH_CLIENT_METADATA_INVALID/);
  t.match(http.html, /only https/);
  for (const id of [`https://127.0.0.1:${port}/client.json`, `https://localhost:${port}/client.json`]) {
    const res = await openAuthorize(base, ask(id), owner);
    t.equal(res.status, 400, `${id} refused`);
    t.match(res.html, /loopback/);
  }
  t.equal(docs.hits.size, 0, 'the kernel never connected to the document server');
});
