import { MCP_SCOPES } from './scopes.js';

/** The path of the MCP endpoint, and of its protected resource metadata (RFC 9728 §3.1: inserted after the host). */
export const MCP_PATH = '/mcp';
/** The well-known prefix of protected resource metadata. */
export const PRM_PATH = '/.well-known/oauth-protected-resource';

/** `"` and `\` must be escaped inside an auth-param quoted-string (RFC 9110 §5.6.4). */
const quoted = (value: string) => `"${value.replace(/["\\]/g, (c) => `\\${c}`)}"`;

/** The URL of the metadata document describing `<origin>/mcp`. */
export function resourceMetadataUrl(origin: string): string {
  return `${origin}${PRM_PATH}${MCP_PATH}`;
}

/**
 * `WWW-Authenticate` for a request without a bearer token (RFC 6750 §3.1: no error code): where to
 * discover the authorization server, and the scopes worth asking for.
 */
export function missingTokenChallenge(origin: string): string {
  return `Bearer resource_metadata=${quoted(resourceMetadataUrl(origin))}, scope=${quoted(MCP_SCOPES.join(' '))}`;
}

/** `WWW-Authenticate` for a token that is unknown, expired, or issued for another audience. */
export function invalidTokenChallenge(origin: string, description: string): string {
  return `Bearer error="invalid_token", error_description=${quoted(description)}, resource_metadata=${quoted(resourceMetadataUrl(origin))}`;
}

/**
 * `WWW-Authenticate` for a valid token that lacks a scope the request needs (step-up authorization):
 * `scope` names the scopes to authorize again with.
 */
export function insufficientScopeChallenge(origin: string, scopes: readonly string[]): string {
  return `Bearer error="insufficient_scope", scope=${quoted(scopes.join(' '))}, resource_metadata=${quoted(resourceMetadataUrl(origin))}`;
}
