import t from 'tap';
import { issueAccessToken } from '../../src/oauth/access-token.js';
import { inviteAndAccept, signUp, type Session } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { api } from '../helpers/api.js';
import { call, connectClient, errorText } from './helpers.js';

// OAuth access tokens at /mcp, minted directly by the authorization server's signer: the audience must be
// exactly <origin>/mcp, expiry counts, and each tool call needs its scope — a missing one is an HTTP 403
// step-up challenge, never a tool error. The role still bounds what a scope allows.

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const toolCall = (name: string, args: Record<string, unknown> = {}) => JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name, arguments: args } });

t.test('OAuth access tokens at /mcp: audience, expiry, scopes', async (t) => {
  const kernel = await startTestKernel(t);
  const { services, app } = kernel;
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const origin = new URL(base).origin;
  const resource = `${origin}/mcp`;
  const prm = `${origin}/.well-known/oauth-protected-resource/mcp`;
  const owner = await signUp(app, { workspace: 'Agents Inc' });
  await api(app, owner).post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] });
  const viewer = await inviteAndAccept(app, owner, 'viewer');

  /** A token for `who` as the authorization server would mint it after consent. */
  async function token(who: Session, scopes: string[], options: { resource?: string; issuedAt?: number } = {}): Promise<string> {
    const [grant] = (await services.db.knex('oauth_grant')
      .insert({ workspace_id: who.workspaceId, member_id: who.memberId, user_id: who.userId, client_id: 'test-agent', scopes, resource: options.resource ?? resource })
      .returning('id')) as { id: string }[];
    const grantFields = { issuer: origin, grantId: grant!.id, workspaceId: who.workspaceId, userId: who.userId, memberId: who.memberId, clientId: 'test-agent', scopes, resource: options.resource ?? resource };
    return (await issueAccessToken(services, grantFields, options.issuedAt)).token;
  }
  const post = (bearer: string, body: string) => fetch(`${origin}/mcp`, { method: 'POST', headers: { ...MCP_HEADERS, authorization: `Bearer ${bearer}` }, body });

  t.test('a read-only token reads, and is challenged for records:write with the exact header', async (t) => {
    const read = await token(owner, ['records:read']);
    const client = await connectClient(base, read);
    t.teardown(() => client.close());
    t.ok((await client.listTools()).tools.length >= 8, 'listing tools needs no particular scope');
    t.same((await call(client, 'find_records', { object: 'deal' })).structuredContent.data, []);

    const res = await post(read, toolCall('create_record', { object: 'deal', data: { title: 'x' } }));
    t.equal(res.status, 403);
    t.equal(res.headers.get('www-authenticate'), `Bearer error="insufficient_scope", scope="records:read records:write", resource_metadata="${prm}"`, 'the scopes held plus the one needed');
    t.match(await res.json(), { error: { code: 'MOSAIC_ERR_MCP_INSUFFICIENT_SCOPE' } });
    t.equal((await post(read, toolCall('list_objects'))).status, 403, 'metadata tools need metadata:read');
    t.same((await api(app, owner).get('/api/objects/deal')).body.data, [], 'nothing was written');
  });

  t.test('metadata:read alone describes the data model but reads no record', async (t) => {
    const meta = await token(owner, ['metadata:read']);
    const client = await connectClient(base, meta);
    t.teardown(() => client.close());
    t.same((await call(client, 'list_objects')).structuredContent.data.map((o: { name: string }) => o.name), ['deal']);
    t.ok((await call(client, 'describe_object', { object: 'deal' })).structuredContent.data.fields.some((f: { name: string }) => f.name === 'title'));
    const res = await post(meta, toolCall('find_records', { object: 'deal' }));
    t.equal(res.status, 403);
    t.equal(res.headers.get('www-authenticate'), `Bearer error="insufficient_scope", scope="records:read metadata:read", resource_metadata="${prm}"`);
    const plugin = await post(meta, toolCall('acme__lookup'));
    t.equal(plugin.status, 403, 'plugin tools need records:read');
  });

  t.test('records:write writes as the member, within the role', async (t) => {
    const write = await token(owner, ['records:read', 'records:write']);
    const client = await connectClient(base, write);
    t.teardown(() => client.close());
    const made = await call(client, 'create_record', { object: 'deal', data: { title: 'Through an agent' } });
    t.match(made.structuredContent.data.created_by, { type: 'member', id: owner.memberId }, 'attributed to the member who consented');

    const viewerWrite = await token(viewer, ['records:read', 'records:write']);
    const viewerClient = await connectClient(base, viewerWrite);
    t.teardown(() => viewerClient.close());
    t.match(errorText(await call(viewerClient, 'create_record', { object: 'deal', data: { title: 'No' } })), /^MOSAIC_ERR_FORBIDDEN: /, 'a scope never widens the role');
    t.equal((await call(viewerClient, 'find_records', { object: 'deal' })).structuredContent.data.length, 1);
  });

  t.test('a token for another audience, an expired one: 401 invalid_token', async (t) => {
    const wrongAudience = await token(owner, ['records:read'], { resource: origin });
    const longAgo = Math.floor(Date.now() / 1000) - services.config.oauthAccessTokenTtlSeconds - 60;
    const expired = await token(owner, ['records:read'], { issuedAt: longAgo });
    for (const [bearer, why] of [[wrongAudience, /issued for/], [expired, /expired/]] as const) {
      const res = await post(bearer, toolCall('find_records', { object: 'deal' }));
      t.equal(res.status, 401);
      const challenge = res.headers.get('www-authenticate')!;
      t.match(challenge, /^Bearer error="invalid_token", error_description="[^"]+", resource_metadata="/);
      t.match(challenge, why);
      t.ok(challenge.endsWith(`resource_metadata="${prm}"`));
      t.match(await res.json(), { error: { code: 'MOSAIC_ERR_OAUTH_TOKEN_INVALID' } });
    }
  });
});
