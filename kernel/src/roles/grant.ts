import type { Knex } from '@mikro-orm/postgresql';
import type { RolePermissions, WorkspaceCapability } from '../db/entities/index.js';
import { MosaicError } from '../errors/index.js';
import type { Access } from './access.js';

/** A role row as the administration routes read it. */
export interface RoleRow {
  id: string;
  key: string;
  name: string;
  built_in: boolean;
  permissions: RolePermissions;
  created_at: string;
}

/** A role of the workspace by key, or `MOSAIC_ERR_ROLE_NOT_FOUND`. Pass `lock` to hold it until commit. */
export async function findRole(knex: Knex, workspaceId: string, key: string, lock = false): Promise<RoleRow> {
  const query = knex('role').where({ workspace_id: workspaceId, key }).first('id', 'key', 'name', 'built_in', 'permissions', 'created_at');
  if (lock) query.forUpdate();
  const role = (await query) as RoleRow | undefined;
  if (!role) throw new MosaicError('MOSAIC_ERR_ROLE_NOT_FOUND', `No role "${key}" in this workspace.`);
  return role;
}

/**
 * Throws unless the caller holds every workspace capability in `capabilities`. Without this, anyone
 * allowed to manage members (or roles, or API keys) could hand themselves, a new account or a key
 * more power than they have.
 */
export function assertHoldsCapabilities(access: Access, capabilities: readonly WorkspaceCapability[]): void {
  const missing = capabilities.filter((c) => !access.can(c));
  if (missing.length > 0) {
    throw new MosaicError('MOSAIC_ERR_FORBIDDEN', `You cannot grant capabilities you do not hold yourself: ${missing.join(', ')}.`);
  }
}

/**
 * Throws unless the caller may hand `role` to a member, an invite or an API key: only owners grant
 * the owner role, and no one grants capabilities they lack.
 */
export function assertMayGrant(access: Access, role: Pick<RoleRow, 'key' | 'permissions'>): void {
  if (role.key === 'owner' && access.roleKey !== 'owner') {
    throw new MosaicError('MOSAIC_ERR_FORBIDDEN', 'Only owners can grant or take away the owner role.');
  }
  assertHoldsCapabilities(access, role.permissions.workspace);
}
