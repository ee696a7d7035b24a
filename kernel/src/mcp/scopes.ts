import { narrowAccess } from '../oauth/scopes.js';
import type { Access } from '../roles/index.js';

/**
 * The OAuth scopes the MCP server understands. The authorization server issues them (see
 * `kernel/src/oauth`); an API key holds all of them, limited by its role as always.
 */
export const MCP_SCOPES = ['records:read', 'records:write', 'metadata:read'] as const;

/** One MCP scope. */
export type McpScope = (typeof MCP_SCOPES)[number];

/** Whether a string is one of {@link MCP_SCOPES}. */
export function isMcpScope(value: string): value is McpScope {
  return (MCP_SCOPES as readonly string[]).includes(value);
}

/**
 * The caller's role narrowed to what the token's scopes allow: `records:read` keeps reading,
 * `records:write` keeps create, update and delete; field restrictions stay the role's, and no workspace
 * capability survives. The authorization server's own rule (`narrowAccess`), so the two never differ.
 */
export function scopedAccess(access: Access, scopes: ReadonlySet<string>): Access {
  return narrowAccess(access, [...scopes]);
}
