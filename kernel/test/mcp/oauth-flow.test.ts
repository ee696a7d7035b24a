import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auth, type OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import t, { type Test } from 'tap';
import { signUp, type Session } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { api } from '../helpers/api.js';
import { call } from './helpers.js';

// The whole connect flow as an AI client runs it, with the official SDK's OAuth support against a real
// kernel on loopback: 401 → protected resource metadata → authorization server metadata → registration
// (dynamic, or a client ID metadata document) → PKCE authorization with the member's consent → token →
// tools → refresh. The member's browser is played with fetch and the session cookie.

/** An in-memory OAuthClientProvider: what a desktop client keeps in its keychain. */
class MemoryProvider implements OAuthClientProvider {
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';
  /** Where the client sent the member's browser, last time. */
  authorizationUrl: URL | undefined;

  constructor(
    readonly redirect: string,
    readonly clientMetadataUrl?: string,
    /** false: a client that does not keep refresh tokens, so it must ask the member again for more. */
    readonly keepRefreshTokens = true,
  ) {}

  get redirectUrl(): string {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: 'Test Agent', redirect_uris: [this.redirect], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  clientInformation() {
    return this.#client;
  }
  saveClientInformation(info: OAuthClientInformationMixed) {
    this.#client = info;
  }
  tokens() {
    return this.#tokens;
  }
  saveTokens(tokens: OAuthTokens) {
    if (this.keepRefreshTokens) this.#tokens = tokens;
    else {
      const { refresh_token: _dropped, ...rest } = tokens;
      this.#tokens = rest as OAuthTokens;
    }
  }
  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }
  saveCodeVerifier(verifier: string) {
    this.#verifier = verifier;
  }
  codeVerifier() {
    return this.#verifier;
  }
}

/** The member's browser on the consent page: opens it with their session and presses Allow. */
async function consent(authorizationUrl: URL, member: Session): Promise<URL> {
  const page = await fetch(authorizationUrl, { headers: { cookie: member.cookie }, redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) throw new Error(`consent page ${page.status}: ${html.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of html.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)) fields[m[1]!] = unescape(m[2]!);
  const answer = await fetch(new URL('/oauth/authorize', authorizationUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: member.cookie },
    body: new URLSearchParams({ ...fields, decision: 'allow' }).toString(),
    redirect: 'manual',
  });
  const location = answer.headers.get('location');
  if (answer.status !== 303 || !location) throw new Error(`consent answer ${answer.status}: ${await answer.text()}`);
  return new URL(location);
}

/** Connects the official client; the first attempt sends the member through consent, the second connects. */
async function connectWithOAuth(t: Test, base: string, provider: MemoryProvider, member: Session): Promise<Client> {
  const url = new URL('/mcp', base);
  const first = new StreamableHTTPClientTransport(url, { authProvider: provider });
  await t.rejects(new Client({ name: 'test-agent', version: '1.0.0' }).connect(first), { message: /Unauthorized/ }, '401 starts the authorization: the client is sent to consent');
  const authorizationUrl = provider.authorizationUrl!;
  t.ok(authorizationUrl, 'the client found the authorization endpoint through the metadata documents');
  t.equal(authorizationUrl.searchParams.get('code_challenge_method'), 'S256');
  t.equal(authorizationUrl.searchParams.get('resource'), `${base}/mcp`, 'the token is asked for this resource (RFC 8707)');
  t.equal(authorizationUrl.searchParams.get('scope'), 'records:read records:write metadata:read', 'the scopes of the 401 challenge');

  const redirect = await consent(authorizationUrl, member);
  t.equal(redirect.searchParams.get('iss'), base, 'the redirect names the issuer (RFC 9207)');
  await first.finishAuth(redirect.searchParams.get('code')!);
  t.match(provider.tokens(), { token_type: /bearer/i, access_token: /^ey/, refresh_token: /.+/ });

  const client = new Client({ name: 'test-agent', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
  return client;
}

/** Finds, creates, refreshes the tokens and finds again with the new ones. */
async function useAndRefresh(t: Test, base: string, provider: MemoryProvider, client: Client, member: Session): Promise<void> {
  const { tools } = await client.listTools();
  t.ok(tools.some((tool) => tool.name === 'create_record'));
  const made = await call(client, 'create_record', { object: 'deal', data: { title: `Made by ${provider.clientMetadataUrl ? 'CIMD' : 'DCR'} agent` } });
  t.notOk(made.isError, made.content[0]?.text);
  t.match(made.structuredContent.data.created_by, { type: 'member', id: member.memberId }, 'the agent acts as the member');
  const found = await call(client, 'find_records', { object: 'deal', filter: `id[eq]:${made.structuredContent.data.id}` });
  t.equal(found.structuredContent.data.length, 1);
  await client.close();

  const before = provider.tokens()!;
  t.equal(await auth(provider, { serverUrl: new URL('/mcp', base) }), 'AUTHORIZED', 'the refresh token renews the access');
  const after = provider.tokens()!;
  t.not(after.access_token, before.access_token);
  t.not(after.refresh_token, before.refresh_token, 'the refresh token rotated');
  const again = new Client({ name: 'test-agent', version: '1.0.0' });
  await again.connect(new StreamableHTTPClientTransport(new URL('/mcp', base), { authProvider: provider }));
  t.ok((await call(again, 'find_records', { object: 'deal' })).structuredContent.data.length >= 1, 'the renewed token works');
  await again.close();
}

t.test('the official MCP client through OAuth: dynamic registration and a client ID metadata document', async (t) => {
  // A TLS document server on loopback for the client ID metadata document (the SDK insists on https).
  const dir = mkdtempSync(join(tmpdir(), 'mosaic-mcp-cimd-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const cert = readFileSync(join(dir, 'cert.pem'));
  // The kernel runs in this process and fetches documents with node:https's global agent: trust the test CA there.
  const previousCa = https.globalAgent.options.ca;
  https.globalAgent.options.ca = cert;
  t.teardown(() => void (https.globalAgent.options.ca = previousCa));

  const kernel = await startTestKernel(t, { OAUTH_ALLOW_LOOPBACK_CLIENT_METADATA: 'true' });
  const base = await kernel.app.listen({ host: '127.0.0.1', port: 0 });
  const owner = await signUp(kernel.app, { workspace: 'Agents Inc' });
  t.equal((await api(kernel.app, owner).post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] })).status, 201);
  const redirect = 'http://127.0.0.1:9/callback';

  t.test('dynamic client registration', async (t) => {
    const provider = new MemoryProvider(redirect);
    const client = await connectWithOAuth(t, base, provider, owner);
    t.match(provider.clientInformation(), { client_id: /.+/ }, 'the client registered itself');
    await useAndRefresh(t, base, provider, client, owner);
  });

  t.test('a client ID metadata document', async (t) => {
    let documentUrl = '';
    let fetched = 0;
    const documents = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (req, res) => {
      if (req.url !== '/agent/client.json') return void res.writeHead(404).end();
      fetched++;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ client_id: documentUrl, client_name: 'Document Agent', redirect_uris: [redirect], token_endpoint_auth_method: 'none', grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'] }));
    });
    await new Promise<void>((done) => documents.listen(0, '127.0.0.1', done));
    t.teardown(() => new Promise<void>((done) => documents.close(() => done())));
    documentUrl = `https://127.0.0.1:${(documents.address() as AddressInfo).port}/agent/client.json`;

    const provider = new MemoryProvider(redirect, documentUrl);
    const client = await connectWithOAuth(t, base, provider, owner);
    t.equal(provider.authorizationUrl!.searchParams.get('client_id'), documentUrl, 'the document URL is the client id: no registration');
    t.ok(fetched >= 1, 'the kernel fetched the document');
    await useAndRefresh(t, base, provider, client, owner);
  });

  t.test('step-up: a read-only token is challenged on a write, and the member consents to more', async (t) => {
    const url = new URL('/mcp', base);
    const provider = new MemoryProvider(redirect, undefined, false);
    t.equal(await auth(provider, { serverUrl: url, scope: 'records:read' }), 'REDIRECT', 'the client asks for reading only');
    const first = await consent(provider.authorizationUrl!, owner);
    t.equal(await auth(provider, { serverUrl: url, authorizationCode: first.searchParams.get('code')! }), 'AUTHORIZED');

    const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
    const client = new Client({ name: 'test-agent', version: '1.0.0' });
    await client.connect(transport);
    t.teardown(() => client.close());
    t.ok((await call(client, 'find_records', { object: 'deal' })).structuredContent.data.length >= 1, 'reading works');

    provider.authorizationUrl = undefined;
    await t.rejects(call(client, 'create_record', { object: 'deal', data: { title: 'After step-up' } }), { message: /Unauthorized/ }, 'the 403 challenge sends the client back to the member');
    t.equal(provider.authorizationUrl!.searchParams.get('scope'), 'records:read records:write', 'for the scopes the challenge named: those held and the one needed');
    const second = await consent(provider.authorizationUrl!, owner);
    await transport.finishAuth(second.searchParams.get('code')!);
    const made = await call(client, 'create_record', { object: 'deal', data: { title: 'After step-up' } });
    t.notOk(made.isError, made.content[0]?.text);
    t.equal(made.structuredContent.data.title, 'After step-up', 'the call succeeds with the new token, which still reads');
  });
});
