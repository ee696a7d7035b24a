import type { Knex } from '@mikro-orm/postgresql';
import type { RolePermissions } from '../db/entities/index.js';
import { Access } from '../roles/index.js';
import { toMillis } from '../workspaces/timestamps.js';
import type { Credential } from './credential-cache.js';

/**
 * Resolves a session by token hash in one round trip: the session, its user, the user's membership of
 * the session's workspace and that member's role. Undefined when the session is unknown, revoked,
 * expired, or the user is no longer a member of the workspace.
 */
export async function loadSession(knex: Knex, tokenHash: string): Promise<Credential | undefined> {
  const row = (await knex('session as s')
    .join('app_user as u', 'u.id', 's.user_id')
    .join('member as m', function () {
      this.on('m.workspace_id', 's.workspace_id').andOn('m.user_id', 's.user_id');
    })
    .join('role as r', 'r.id', 'm.role_id')
    .where('s.token_hash', tokenHash)
    .whereNull('s.revoked_at')
    .where('s.expires_at', '>', knex.fn.now())
    .first(
      's.id',
      's.user_id',
      's.workspace_id',
      's.csrf_token',
      's.expires_at',
      'u.name as user_name',
      'm.id as member_id',
      'r.key as role_key',
      'r.permissions',
    )) as
    | { id: string; user_id: string; workspace_id: string; csrf_token: string; expires_at: string; user_name: string; member_id: string; role_key: string; permissions: RolePermissions }
    | undefined;
  if (!row) return undefined;
  return {
    kind: 'session',
    id: row.id,
    workspaceId: row.workspace_id,
    expiresAt: toMillis(row.expires_at),
    csrfToken: row.csrf_token,
    auth: Object.freeze({
      workspaceId: row.workspace_id,
      actor: Object.freeze({ type: 'member', id: row.member_id, name: row.user_name }),
      access: new Access(row.role_key, row.permissions),
      via: 'session',
      userId: row.user_id,
      memberId: row.member_id,
      sessionId: row.id,
    }),
  };
}

/** Resolves an API key by token hash, with its role. Undefined when unknown, revoked or expired. */
export async function loadApiKey(knex: Knex, tokenHash: string): Promise<Credential | undefined> {
  const row = (await knex('api_key as k')
    .join('role as r', 'r.id', 'k.role_id')
    .where('k.token_hash', tokenHash)
    .whereNull('k.revoked_at')
    .where((q) => q.whereNull('k.expires_at').orWhere('k.expires_at', '>', knex.fn.now()))
    .first('k.id', 'k.name', 'k.workspace_id', 'k.expires_at', 'k.last_used_at', 'r.key as role_key', 'r.permissions')) as
    | { id: string; name: string; workspace_id: string; expires_at: string | null; last_used_at: string | null; role_key: string; permissions: RolePermissions }
    | undefined;
  if (!row) return undefined;
  return {
    kind: 'api_key',
    id: row.id,
    workspaceId: row.workspace_id,
    expiresAt: row.expires_at ? toMillis(row.expires_at) : null,
    lastUsedAt: row.last_used_at ? toMillis(row.last_used_at) : 0,
    auth: Object.freeze({
      workspaceId: row.workspace_id,
      actor: Object.freeze({ type: 'api_key', id: row.id, name: row.name }),
      access: new Access(row.role_key, row.permissions),
      via: 'api_key',
      apiKeyId: row.id,
    }),
  };
}
