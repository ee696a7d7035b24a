import t from 'tap';
import { api } from '../helpers/api.js';
import { createApiKey, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { call, connectClient } from './helpers.js';

// The HTTP face of /mcp: protected resource metadata per path, the 401 challenge, CORS for browser
// clients, the stateless transport's refusals, and the tool list following the workspace's metadata.

const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

t.test('/mcp over plain HTTP', async (t) => {
  const kernel = await startTestKernel(t);
  const base = await kernel.app.listen({ host: '127.0.0.1', port: 0 });
  const origin = new URL(base).origin;
  const owner = await signUp(kernel.app);
  const key = await createApiKey(kernel.app, owner, 'admin');

  t.test('protected resource metadata: each path names its own resource (RFC 9728 §3.2)', async (t) => {
    for (const [path, resource] of [['/.well-known/oauth-protected-resource', origin], ['/.well-known/oauth-protected-resource/mcp', `${origin}/mcp`]]) {
      const res = await fetch(`${origin}${path}`);
      t.equal(res.status, 200);
      t.equal(res.headers.get('access-control-allow-origin'), '*', 'readable from any origin');
      t.same(await res.json(), {
        resource,
        authorization_servers: [origin],
        scopes_supported: ['records:read', 'records:write', 'metadata:read'],
        bearer_methods_supported: ['header'],
        resource_name: 'Mosaic CRM',
      }, path);
    }
  });

  t.test('the metadata is public: a stale session cookie or a bad API key does not hide it', async (t) => {
    for (const headers of [{ cookie: 'mosaic_session=stale' }, { authorization: `Bearer mk_${'y'.repeat(40)}` }] as Record<string, string>[]) {
      const res = await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`, { headers });
      t.equal(res.status, 200);
    }
  });

  t.test('forwarded headers do not move the resource without TRUST_PROXY', async (t) => {
    const res = await fetch(`${origin}/.well-known/oauth-protected-resource/mcp`, { headers: { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' } });
    t.equal(((await res.json()) as { resource: string }).resource, `${origin}/mcp`);
  });

  t.test('no token: 401 with the discovery challenge, readable by a browser client', async (t) => {
    const res = await fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, origin: 'https://inspector.example' }, body: JSON.stringify(INITIALIZE) });
    t.equal(res.status, 401);
    t.equal(res.headers.get('www-authenticate'), `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp", scope="records:read records:write metadata:read"`);
    t.equal(res.headers.get('access-control-allow-origin'), '*');
    t.equal(res.headers.get('access-control-allow-credentials'), null, 'never with credentials');
    t.match(res.headers.get('access-control-expose-headers'), /WWW-Authenticate/);
    t.match(res.headers.get('access-control-expose-headers'), /Mcp-Protocol-Version/);
    t.match(await res.json(), { error: { code: 'MOSAIC_ERR_AUTH_REQUIRED' } });
  });

  t.test('a session cookie is not a credential for /mcp', async (t) => {
    const res = await fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, cookie: owner.cookie, 'x-csrf-token': owner.csrf }, body: JSON.stringify(INITIALIZE) });
    t.equal(res.status, 401);
  });

  t.test('a bad token: 401 with error="invalid_token"', async (t) => {
    for (const [token, code] of [['mk_' + 'x'.repeat(40), 'MOSAIC_ERR_AUTH_API_KEY_INVALID'], ['eyJhbGciOiJFUzI1NiJ9.e30.c2ln', 'MOSAIC_ERR_OAUTH_TOKEN_INVALID']]) {
      const res = await fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, authorization: `Bearer ${token}` }, body: JSON.stringify(INITIALIZE) });
      t.equal(res.status, 401);
      t.match(res.headers.get('www-authenticate'), new RegExp(`^Bearer error="invalid_token", error_description=".+", resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"$`));
      t.match(await res.json(), { error: { code } });
    }
  });

  t.test('a malformed Authorization header still gets a challenge and CORS', async (t) => {
    const res = await fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, authorization: 'Bearer two words' }, body: JSON.stringify(INITIALIZE) });
    t.equal(res.status, 401);
    t.match(res.headers.get('www-authenticate'), new RegExp(`^Bearer .*resource_metadata="${origin}/.well-known/oauth-protected-resource/mcp"`));
    t.equal(res.headers.get('access-control-allow-origin'), '*');
  });

  t.test('preflight: any origin, the MCP headers, no credentials', async (t) => {
    for (const path of ['/mcp', '/.well-known/oauth-protected-resource/mcp']) {
      const res = await fetch(`${origin}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://inspector.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, mcp-protocol-version' },
      });
      t.equal(res.status, 204, path);
      t.equal(res.headers.get('access-control-allow-origin'), '*');
      t.match(res.headers.get('access-control-allow-methods'), /POST/);
      const allowed = res.headers.get('access-control-allow-headers')!.split(',').map((h) => h.trim());
      for (const header of ['authorization', 'content-type', 'mcp-protocol-version', 'mcp-session-id']) t.ok(allowed.includes(header), `${header} allowed`);
      t.equal(res.headers.get('access-control-allow-credentials'), null);
    }
  });

  t.test('stateless: GET and DELETE are 405 once authenticated; answers carry the protocol version', async (t) => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(`${origin}/mcp`, { method, headers: { ...key.headers, accept: 'text/event-stream' } });
      t.equal(res.status, 405, method);
      t.equal(res.headers.get('allow'), 'POST, OPTIONS');
      t.match(await res.json(), { error: { code: 'MOSAIC_ERR_MCP_METHOD_NOT_ALLOWED' } });
    }
    const res = await fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, ...key.headers }, body: JSON.stringify(INITIALIZE) });
    t.equal(res.status, 200);
    t.equal(res.headers.get('mcp-session-id'), null, 'no session: any kernel process can answer the next request');
    t.equal(res.headers.get('access-control-allow-origin'), '*');
    const body = (await res.json()) as { result: { protocolVersion: string; serverInfo: { name: string }; capabilities: { tools: unknown } } };
    t.equal(body.result.protocolVersion, '2025-06-18');
    t.equal(body.result.serverInfo.name, 'mosaic-crm');
    t.ok(body.result.capabilities.tools);
  });

  t.test('the tools follow metadata changes', async (t) => {
    const client = await connectClient(base, key.key);
    t.teardown(() => client.close());
    const objectsOf = async () => ((await client.listTools()).tools.find((tool) => tool.name === 'find_records')!.inputSchema.properties as any).object.enum as string[] | undefined;
    t.equal(await objectsOf(), undefined, 'no objects yet: the parameter is a plain name');
    const created = await api(kernel.app, owner).post('/api/metadata/objects', { name: 'invoice', fields: [{ name: 'number', type: 'text' }, { name: 'status', type: 'select', options: { options: [{ value: 'open', label: 'Open' }, { value: 'paid', label: 'Paid' }] } }] });
    t.equal(created.status, 201);
    t.same(await objectsOf(), ['invoice'], 'the next tools/list names the new object');
    t.same((await call(client, 'list_objects')).structuredContent.data.map((o: { name: string }) => o.name), ['invoice']);
    const described = (await call(client, 'describe_object', { object: 'invoice' })).structuredContent.data;
    t.same(described.fields.find((f: { name: string }) => f.name === 'status').options.options.map((o: { value: string }) => o.value), ['open', 'paid']);
    const made = await call(client, 'create_record', { object: 'invoice', data: { number: 'F-1', status: 'open' } });
    t.equal(made.structuredContent.data.status, 'open');

    await api(kernel.app, owner).post('/api/metadata/objects/invoice/fields', { name: 'total', type: 'number' });
    const again = (await call(client, 'describe_object', { object: 'invoice' })).structuredContent.data;
    t.ok(again.fields.some((f: { name: string }) => f.name === 'total'), 'a new field shows at once');
  });
});

t.test('behind a trusted proxy, the forwarded scheme and host name the resource', async (t) => {
  const kernel = await startTestKernel(t, { TRUST_PROXY: 'true' });
  const base = await kernel.app.listen({ host: '127.0.0.1', port: 0 });
  const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'crm.example.com' };
  const prm = await fetch(`${base}/.well-known/oauth-protected-resource/mcp`, { headers: forwarded });
  t.match(await prm.json(), { resource: 'https://crm.example.com/mcp', authorization_servers: ['https://crm.example.com'] });
  const res = await fetch(`${base}/mcp`, { method: 'POST', headers: { ...forwarded, 'content-type': 'application/json' }, body: '{}' });
  t.equal(res.status, 401);
  t.match(res.headers.get('www-authenticate'), /resource_metadata="https:\/\/crm\.example\.com\/\.well-known\/oauth-protected-resource\/mcp"/);
});
