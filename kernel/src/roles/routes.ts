import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/require-auth.js';
import type { RolePermissions } from '../db/entities/index.js';
import { MosaicError } from '../errors/index.js';
import { applyChange } from '../workspaces/change.js';
import { toIso } from '../workspaces/timestamps.js';
import { assertHoldsCapabilities, findRole, type RoleRow } from './grant.js';
import { roleKeySchema, rolePermissionsSchema } from './permissions-schema.js';

const COLUMNS = ['key', 'name', 'built_in', 'permissions', 'created_at'] as const;
const roleName = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' } as const;
const keyParams = { type: 'object', required: ['key'], properties: { key: { type: 'string', maxLength: 48 } } } as const;

/** A role as the API shows it. */
function view(role: RoleRow): Omit<RoleRow, 'id' | 'created_at'> & { created_at: string | null } {
  return { key: role.key, name: role.name, built_in: role.built_in, permissions: role.permissions, created_at: toIso(role.created_at) };
}

/** Refuses changes to owner/admin/member/viewer: their meaning is fixed so docs and plugins can rely on it. */
function assertCustom(role: RoleRow): void {
  if (role.built_in) throw new MosaicError('MOSAIC_ERR_ROLE_BUILT_IN', `The built-in role "${role.key}" cannot be changed or deleted.`);
}

/**
 * `/api/workspace/roles`: list (any caller of the workspace), create, update and delete custom roles
 * (the `roles` capability). Edits reach every process's credential cache at once.
 */
export async function roleRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const { knex } = services.db;

  app.get('/api/workspace/roles', async (request) => {
    const auth = requireAuth(request);
    const roles = (await knex('role').where({ workspace_id: auth.workspaceId }).orderBy([{ column: 'built_in', order: 'desc' }, 'created_at']).select(COLUMNS)) as RoleRow[];
    return { roles: roles.map(view) };
  });

  app.post<{ Body: { key: string; name: string; permissions: RolePermissions } }>(
    '/api/workspace/roles',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['key', 'name', 'permissions'],
          properties: { key: roleKeySchema, name: roleName, permissions: rolePermissionsSchema },
        },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      auth.access.assertCan('roles');
      const { key, name, permissions } = request.body;
      assertHoldsCapabilities(auth.access, permissions.workspace);
      const role = await applyChange(services, async ({ trx, event, invalidate }) => {
        const [row] = (await trx('role')
          .insert({ id: randomUUID(), workspace_id: auth.workspaceId, key, name: name.trim(), built_in: false, permissions: JSON.stringify(permissions) }, ['id', ...COLUMNS])
          .onConflict(['workspace_id', 'key'])
          .ignore()) as RoleRow[];
        if (!row) throw new MosaicError('MOSAIC_ERR_ROLE_EXISTS', `A role with the key "${key}" already exists.`);
        event(auth.workspaceId, 'role.created', auth.actor, { key, name: row.name, permissions });
        // Caches of the workspace's roles (auth, realtime rooms) must learn of the new key as well.
        invalidate('roles', auth.workspaceId);
        return row;
      });
      return reply.status(201).send(view(role));
    },
  );

  app.patch<{ Params: { key: string }; Body: { name?: string; permissions?: RolePermissions } }>(
    '/api/workspace/roles/:key',
    {
      schema: {
        params: keyParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: { name: roleName, permissions: rolePermissionsSchema } },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      auth.access.assertCan('roles');
      const { name, permissions } = request.body;
      if (permissions) assertHoldsCapabilities(auth.access, permissions.workspace);
      return applyChange(services, async ({ trx, event, invalidate }) => {
        const role = await findRole(trx, auth.workspaceId, request.params.key, true);
        assertCustom(role);
        // Narrowing a role you cannot fully see would be granting in reverse; hold what it holds.
        assertHoldsCapabilities(auth.access, role.permissions.workspace);
        const patch = { ...(name !== undefined && { name: name.trim() }), ...(permissions && { permissions: JSON.stringify(permissions) }) };
        const [row] = (await trx('role').where({ id: role.id }).update(patch, ['id', ...COLUMNS])) as RoleRow[];
        event(auth.workspaceId, 'role.updated', auth.actor, { key: role.key, name: row!.name, permissions: row!.permissions });
        invalidate('roles', auth.workspaceId);
        return view(row!);
      });
    },
  );

  app.delete<{ Params: { key: string } }>('/api/workspace/roles/:key', { schema: { params: keyParams } }, async (request, reply) => {
    const auth = requireAuth(request);
    auth.access.assertCan('roles');
    await applyChange(services, async ({ trx, event, invalidate }) => {
      const role = await findRole(trx, auth.workspaceId, request.params.key, true);
      assertCustom(role);
      assertHoldsCapabilities(auth.access, role.permissions.workspace);
      await assertUnused(trx, role.id);
      // Revoked keys and spent invites still point at the role; they are dead rows, and the events keep their history.
      await trx('api_key').where({ role_id: role.id }).delete();
      await trx('invite').where({ role_id: role.id }).delete();
      await trx('role').where({ id: role.id }).delete();
      event(auth.workspaceId, 'role.deleted', auth.actor, { key: role.key, name: role.name });
      invalidate('roles', auth.workspaceId);
    });
    return reply.status(204).send();
  });
}

/** `MOSAIC_ERR_ROLE_IN_USE` while a member, a pending invite or a live API key holds the role. */
async function assertUnused(trx: Knex, roleId: string): Promise<void> {
  const [usage] = (await trx.raw(
    `select
       (select count(*) from member where role_id = :roleId)::int as members,
       (select count(*) from invite where role_id = :roleId and accepted_at is null and revoked_at is null and expires_at > now())::int as invites,
       (select count(*) from api_key where role_id = :roleId and revoked_at is null and (expires_at is null or expires_at > now()))::int as api_keys`,
    { roleId },
  )).rows as { members: number; invites: number; api_keys: number }[];
  const { members, invites, api_keys } = usage!;
  if (members + invites + api_keys > 0) {
    throw new MosaicError(
      'MOSAIC_ERR_ROLE_IN_USE',
      `The role is still assigned to ${members} member(s), ${invites} pending invite(s) and ${api_keys} API key(s); reassign or revoke them first.`,
    );
  }
}
