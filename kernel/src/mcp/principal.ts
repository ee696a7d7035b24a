import type { FastifyRequest } from 'fastify';
import type { KernelServices } from '../app/services.js';
import type { AuthContext } from '../auth/index.js';
import { looksLikeApiKey } from '../auth/tokens.js';
import { isMosaicError, MosaicError } from '../errors/index.js';
import type { Access } from '../roles/index.js';
import { verifyOAuthToken } from './oauth-tokens.js';
import { isMcpScope, MCP_SCOPES, scopedAccess, type McpScope } from './scopes.js';

/** Who calls `/mcp`: the member (or API key) with their role narrowed to the token's scopes. */
export interface McpCaller {
  /** The caller as the records layer sees it; `access` is already the role ∩ the scopes. */
  readonly auth: AuthContext;
  /** The role's own access, before the scopes: what the data model is described with. */
  readonly roleAccess: Access;
  readonly scopes: ReadonlySet<McpScope>;
  readonly via: 'api_key' | 'oauth';
  /** For OAuth tokens: the client the member authorised. */
  readonly clientId?: string;
}

/** The outcome of reading a request's bearer token. */
export type McpAuthentication =
  | { readonly ok: true; readonly caller: McpCaller }
  | { readonly ok: false; readonly reason: 'missing' }
  | { readonly ok: false; readonly reason: 'invalid'; readonly error: MosaicError };

const BEARER = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)\s*$/i;

/** A refused token, with a message safe to put in `error_description`. */
function invalid(error: MosaicError): McpAuthentication {
  return { ok: false, reason: 'invalid', error };
}

/** The caller with its access narrowed to `scopes`. */
function callerOf(auth: AuthContext, scopes: ReadonlySet<McpScope>, via: McpCaller['via'], clientId?: string): McpCaller {
  return { auth: { ...auth, access: scopedAccess(auth.access, scopes) }, roleAccess: auth.access, scopes, via, ...(clientId ? { clientId } : {}) };
}

/**
 * Reads the bearer token of a request to `resource` (`<origin>/mcp`). A workspace API key (already
 * resolved by the kernel's auth hook, which runs with `auth: 'optional'` on these routes) holds every
 * scope; anything else must be an OAuth access token whose audience is exactly `resource`. Session
 * cookies are ignored: an agent is not a browser tab, and a cookie would make `/mcp` a CSRF target.
 */
export async function authenticate(services: KernelServices, request: FastifyRequest, resource: string): Promise<McpAuthentication> {
  const header = request.headers.authorization;
  if (header === undefined || !/^bearer(\s|$)/i.test(header)) return { ok: false, reason: 'missing' };
  const token = BEARER.exec(header)?.[1];
  if (token === undefined) return invalid(new MosaicError('MOSAIC_ERR_OAUTH_TOKEN_INVALID', 'Send the token as "Authorization: Bearer <token>".'));

  if (looksLikeApiKey(token)) {
    // The hook resolved it, or left `request.auth` null because the key is unknown, revoked or expired.
    const auth = request.auth;
    if (!auth || auth.via !== 'api_key' || auth.apiKeyId === undefined) return invalid(new MosaicError('MOSAIC_ERR_AUTH_API_KEY_INVALID'));
    return { ok: true, caller: callerOf(auth, new Set(MCP_SCOPES), 'api_key') };
  }
  try {
    const verified = await verifyOAuthToken(services, token, resource);
    const scopes = new Set(verified.scopes.filter(isMcpScope));
    return { ok: true, caller: callerOf(verified.auth, scopes, 'oauth', verified.clientId) };
  } catch (error) {
    if (!isMosaicError(error)) throw error;
    return invalid(error);
  }
}
