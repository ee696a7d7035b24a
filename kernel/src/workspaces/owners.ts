import type { Knex } from '@mikro-orm/postgresql';
import type { RolePermissions } from '../db/entities/index.js';
import { MosaicError } from '../errors/index.js';

/**
 * Serialises membership changes of one workspace until the transaction ends, so two owners demoting
 * each other at once cannot both see "another owner remains". `for no key update` does not block the
 * key-share locks that foreign keys to the workspace take, so record and event writes keep flowing.
 */
export async function lockMembership(trx: Knex, workspaceId: string): Promise<void> {
  await trx.raw('select id from workspace where id = ? for no key update', [workspaceId]);
}

/** Throws `MOSAIC_ERR_LAST_OWNER` unless an owner other than `memberId` remains. Call after {@link lockMembership}. */
export async function assertAnotherOwner(trx: Knex, workspaceId: string, memberId: string): Promise<void> {
  const other = await trx('member as m')
    .join('role as r', 'r.id', 'm.role_id')
    .where({ 'm.workspace_id': workspaceId, 'r.key': 'owner' })
    .whereNot('m.id', memberId)
    .first('m.id');
  if (!other) {
    throw new MosaicError('MOSAIC_ERR_LAST_OWNER', 'This is the last owner of the workspace; make someone else owner first.');
  }
}

/** A member and their role, as the administration routes read it. */
export interface MemberRow {
  id: string;
  user_id: string;
  role_id: string;
  /** The role's key. */
  role: string;
  permissions: RolePermissions;
}

/** A member of the workspace with their role, or `MOSAIC_ERR_MEMBER_NOT_FOUND` (also for other workspaces' ids). */
export async function findMember(
  knex: Knex,
  workspaceId: string,
  memberId: string,
): Promise<MemberRow> {
  const member = (await knex('member as m')
    .join('role as r', 'r.id', 'm.role_id')
    .where({ 'm.id': memberId, 'm.workspace_id': workspaceId })
    .first('m.id', 'm.user_id', 'm.role_id', 'r.key as role', 'r.permissions')) as MemberRow | undefined;
  if (!member) throw new MosaicError('MOSAIC_ERR_MEMBER_NOT_FOUND');
  return member;
}
