import type { ObjectAccess, RolePermissions } from '../db/entities/index.js';
import { MosaicError } from '../errors/index.js';
import { Access } from '../roles/index.js';

/**
 * The scopes this authorization server issues, with the words the consent page shows. A token never
 * grants more than the member's role: the scopes only narrow it.
 */
export const OAUTH_SCOPES = [
  { name: 'records:read', description: 'Read the records your role can see' },
  { name: 'records:write', description: 'Create, change and delete records your role can change' },
  { name: 'metadata:read', description: 'See the data model: objects, fields and their options' },
] as const satisfies readonly { name: string; description: string }[];

const KNOWN: ReadonlySet<string> = new Set(OAUTH_SCOPES.map((s) => s.name));

/**
 * Parses a `scope` parameter (space-separated, RFC 6749 §3.3). An absent or empty value asks for every
 * scope; the consent page lists them, so the member still sees what they grant. Unknown scopes fail with
 * `MOSAIC_ERR_OAUTH_SCOPE_INVALID` rather than being dropped silently.
 */
export function parseScopes(raw: string | undefined): string[] {
  const asked = (raw ?? '').split(' ').filter(Boolean);
  if (asked.length === 0) return OAUTH_SCOPES.map((s) => s.name);
  const unknown = asked.filter((s) => !KNOWN.has(s));
  if (unknown.length > 0) {
    throw new MosaicError('MOSAIC_ERR_OAUTH_SCOPE_INVALID', `Unknown scope ${unknown.map((s) => `"${s}"`).join(', ')}; this server knows ${[...KNOWN].join(', ')}.`);
  }
  // Kept in the catalogue's order, so the same request always yields the same scope string.
  return OAUTH_SCOPES.map((s) => s.name).filter((s) => asked.includes(s));
}

/** The plain-words description of a scope, for the consent page. */
export function describeScope(name: string): string {
  return OAUTH_SCOPES.find((s) => s.name === name)?.description ?? name;
}

/**
 * A role's access narrowed to a token's scopes: `records:read` keeps reading, `records:write` keeps
 * create, update and delete, field restrictions stay the role's, and no workspace administration
 * capability survives — a delegated token never administers the workspace.
 */
export function narrowAccess(access: Access, scopes: readonly string[]): Access {
  const read = scopes.includes('records:read');
  const write = scopes.includes('records:write');
  const narrow = (o: ObjectAccess): ObjectAccess => ({ read: o.read && read, create: o.create && write, update: o.update && write, delete: o.delete && write });
  const objects = Object.fromEntries(Object.entries(access.permissions.objects).map(([name, o]) => [name, narrow(o)]));
  const permissions: RolePermissions = { workspace: [], objects, fields: access.permissions.fields };
  return new Access(access.roleKey, permissions);
}
