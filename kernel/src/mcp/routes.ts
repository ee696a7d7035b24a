import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import { requestOrigin as oauthOrigin } from '../oauth/index.js';
import { RecordService } from '../records/service.js';
import { SearchService } from '../search/service.js';
import { insufficientScopeChallenge, invalidTokenChallenge, MCP_PATH, missingTokenChallenge, PRM_PATH } from './challenge.js';
import { CORS_HEADERS, corsRaw, PREFLIGHT_HEADERS } from './cors.js';
import { authenticate } from './principal.js';
import { requiredScopes } from './required-scopes.js';
import { MCP_SCOPES } from './scopes.js';
import { mcpServer } from './server.js';
import { ToolCatalog } from './tools/catalog.js';

/** The kernel's auth hook must not answer for `/mcp`: this module reads the bearer token itself. */
const ROUTE_CONFIG = { auth: 'optional', csrf: false } as const;

/** Protected Resource Metadata (RFC 9728) for `resource`, served by the authorization server at `origin`. */
function protectedResourceMetadata(origin: string, resource: string): Record<string, unknown> {
  return {
    resource,
    authorization_servers: [origin],
    scopes_supported: [...MCP_SCOPES],
    bearer_methods_supported: ['header'],
    resource_name: 'Mosaic CRM',
  };
}

function sendError(reply: FastifyReply, request: FastifyRequest, error: MosaicError, challenge?: string): FastifyReply {
  if (challenge) reply.header('www-authenticate', challenge);
  return reply.status(error.statusCode).send({ error: error.toJSON(), request_id: request.id });
}

/**
 * The MCP server (`/mcp`, Streamable HTTP, stateless) and its Protected Resource Metadata
 * (`/.well-known/oauth-protected-resource[/mcp]`). Callers authenticate with an OAuth access token whose
 * audience is `<origin>/mcp`, or a workspace API key; every tool runs the HTTP API's code with the
 * caller's role narrowed to the token's scopes.
 */
export async function mcpRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  // The authorization server's notion of this kernel's origin (TRUST_PROXY-aware), so that the resource
  // a token was minted for and the one it is checked against are spelt the same.
  const requestOrigin = (request: FastifyRequest) => oauthOrigin(request, services);
  const deps = { services, records: new RecordService(services), search: new SearchService(services) };

  // Every answer of this module carries CORS headers (errors too, so a browser client can read them), and
  // a 401 without a challenge (a malformed header the kernel's auth hook refused) gets the discovery one.
  app.addHook('onSend', async (request, reply, payload) => {
    reply.headers(CORS_HEADERS);
    if (reply.statusCode === 401 && !reply.hasHeader('www-authenticate')) reply.header('www-authenticate', missingTokenChallenge(requestOrigin(request)));
    return payload;
  });

  for (const url of [PRM_PATH, `${PRM_PATH}${MCP_PATH}`, MCP_PATH]) {
    app.options(url, { config: ROUTE_CONFIG }, async (_request, reply) => reply.status(204).headers(PREFLIGHT_HEADERS).send());
  }
  // RFC 9728 §3.1: the metadata of a resource with a path lives at the well-known prefix + that path, and
  // its `resource` must be exactly the URL the client used (§3.3), so each path answers its own.
  // Public documents: a stale session cookie a browser happens to send must not turn them into a 401.
  app.get(PRM_PATH, { config: ROUTE_CONFIG }, async (request) => protectedResourceMetadata(requestOrigin(request), requestOrigin(request)));
  app.get(`${PRM_PATH}${MCP_PATH}`, { config: ROUTE_CONFIG }, async (request) => protectedResourceMetadata(requestOrigin(request), `${requestOrigin(request)}${MCP_PATH}`));

  /** The caller of an `/mcp` request, or the 401 answer already sent. */
  async function caller(request: FastifyRequest, reply: FastifyReply) {
    const origin = requestOrigin(request);
    const result = await authenticate(services, request, `${origin}${MCP_PATH}`);
    if (result.ok) return result.caller;
    if (result.reason === 'missing') sendError(reply, request, new MosaicError('MOSAIC_ERR_AUTH_REQUIRED', 'Send an OAuth access token or a workspace API key as "Authorization: Bearer …".'), missingTokenChallenge(origin));
    else sendError(reply, request, result.error, invalidTokenChallenge(origin, result.error.message));
    return undefined;
  }

  app.post(MCP_PATH, { config: ROUTE_CONFIG }, async (request, reply) => {
    const who = await caller(request, reply);
    if (!who) return reply;
    // Checked before the transport sees the message: a missing scope must be an HTTP 403 challenge the
    // client can act on (step-up authorization), not a JSON-RPC error inside a 200.
    const needed = requiredScopes(request.body);
    const missing = needed.filter((scope) => !who.scopes.has(scope));
    if (missing.length > 0) {
      // The challenge asks for what the token has plus what the call needs (the "existing + new" approach
      // of the 2025-11-25 specification): the official SDK replaces its scope with the challenge's, so a
      // challenge naming only the new scope would leave a stepped-up agent unable to read.
      const ask = MCP_SCOPES.filter((scope) => who.scopes.has(scope) || needed.includes(scope));
      const error = new MosaicError('MOSAIC_ERR_MCP_INSUFFICIENT_SCOPE', `This call needs the scope ${missing.join(' ')}, which the token lacks (it has ${[...who.scopes].join(' ') || 'none'}). Authorize again asking for ${ask.join(' ')}.`);
      return sendError(reply, request, error, insufficientScopeChallenge(requestOrigin(request), ask));
    }

    const catalog = await ToolCatalog.build(deps, who);
    const server = mcpServer(catalog);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.hijack();
    const res = reply.raw;
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    corsRaw(res);
    res.setHeader('x-request-id', request.id);
    try {
      await server.connect(transport);
      await transport.handleRequest(request.raw, res, request.body);
    } catch (err) {
      request.log.error({ err }, 'MCP request failed');
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }));
      }
    }
    return reply;
  });

  // Stateless: no server-initiated stream to open with GET and no session to end with DELETE (Streamable
  // HTTP lets a server answer both with 405). The token is still checked first, so discovery works.
  for (const method of ['GET', 'DELETE'] as const) {
    app.route({
      method,
      url: MCP_PATH,
      config: ROUTE_CONFIG,
      handler: async (request, reply) => {
        if (!(await caller(request, reply))) return reply;
        reply.header('allow', 'POST, OPTIONS');
        return sendError(reply, request, new MosaicError('MOSAIC_ERR_MCP_METHOD_NOT_ALLOWED'));
      },
    });
  }
}
