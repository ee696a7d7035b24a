import type { KernelServices } from '../app/services.js';
import type { AuthContext } from '../auth/index.js';
import type { RolePermissions } from '../db/entities/index.js';
import { MosaicError } from '../errors/index.js';
import { Access } from '../roles/index.js';
import type { OAuthPrincipal } from './access-token.js';
import { narrowAccess } from './scopes.js';

/**
 * The caller an access token speaks for, as every permission check in the kernel expects it: the member
 * with their role as it is now (a demoted member's token shrinks at once, a removed member's stops
 * working), narrowed to the token's scopes. Writes are attributed to the member; `via` is `oauth`, a
 * bearer credential, so nothing session-only (CSRF, sign-out) applies to it.
 */
export async function authContextFor(services: KernelServices, principal: OAuthPrincipal): Promise<AuthContext> {
  const { knex } = services.db;
  const row = (await knex('member as m')
    .join('app_user as u', 'u.id', 'm.user_id')
    .join('role as r', 'r.id', 'm.role_id')
    .where({ 'm.workspace_id': principal.workspaceId, 'm.user_id': principal.userId })
    .first('m.id as member_id', 'u.name as user_name', 'r.key as role_key', 'r.permissions')) as
    | { member_id: string; user_name: string; role_key: string; permissions: RolePermissions }
    | undefined;
  if (!row || (principal.memberId !== undefined && row.member_id !== principal.memberId)) {
    throw new MosaicError('MOSAIC_ERR_OAUTH_TOKEN_INVALID', 'The access token is not valid here: its member is no longer part of the workspace.');
  }
  return Object.freeze({
    workspaceId: principal.workspaceId,
    actor: Object.freeze({ type: 'member' as const, id: row.member_id, name: row.user_name }),
    access: narrowAccess(new Access(row.role_key, row.permissions), principal.scopes),
    via: 'oauth' as const,
    userId: principal.userId,
    memberId: row.member_id,
  });
}
