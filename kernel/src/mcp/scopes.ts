import type { ObjectAccess, RolePermissions } from '../db/entities/index.js';
import { Access } from '../roles/index.js';

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
 * `records:write` keeps create, update and delete; field restrictions stay the role's. No workspace
 * capability survives: a token never administers, whatever the role could do in the UI.
 */
export function scopedAccess(access: Access, scopes: ReadonlySet<string>): Access {
  const read = scopes.has('records:read');
  const write = scopes.has('records:write');
  const narrow = (o: ObjectAccess): ObjectAccess => ({ read: o.read && read, create: o.create && write, update: o.update && write, delete: o.delete && write });
  const objects = Object.fromEntries(Object.entries(access.permissions.objects).map(([name, o]) => [name, narrow(o)]));
  const permissions: RolePermissions = { workspace: [], objects, fields: access.permissions.fields };
  return new Access(access.roleKey, permissions);
}
