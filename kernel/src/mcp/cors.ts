import type { FastifyReply } from 'fastify';
import type { ServerResponse } from 'node:http';

/**
 * CORS for `/mcp` and the protected resource metadata: any origin, never credentials. Browser-based MCP
 * clients (the MCP Inspector, web agents) authenticate with a bearer token in a header, never a cookie,
 * so allowing every origin exposes nothing a page could not already send; `WWW-Authenticate` and
 * `Mcp-Protocol-Version` are exposed so such a client can read the challenge and the negotiated version.
 */
export const CORS_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'WWW-Authenticate, Mcp-Protocol-Version, Mcp-Session-Id',
});

/** The extra headers of a preflight answer. */
export const PREFLIGHT_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'access-control-allow-methods': 'GET, POST, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, mcp-protocol-version, mcp-session-id, last-event-id',
  'access-control-max-age': '86400',
});

/** Sets the CORS headers on a fastify reply. */
export function corsReply(reply: FastifyReply): FastifyReply {
  return reply.headers(CORS_HEADERS);
}

/** Sets the CORS headers on a raw response the MCP transport writes (fastify's hooks do not run for it). */
export function corsRaw(res: ServerResponse): void {
  for (const [name, value] of Object.entries(CORS_HEADERS)) res.setHeader(name, value);
}
