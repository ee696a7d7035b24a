import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/require-auth.js';
import { emailSchema, uuidSchema } from '../auth/schemas.js';
import { assertMayGrant, findRole } from '../roles/grant.js';
import { applyChange } from './change.js';
import { createInvite, type InviteBody } from './create-invite.js';
import { isoDates } from './timestamps.js';
import { assertAnotherOwner, findMember, lockMembership } from './owners.js';

const idParams = { type: 'object', required: ['id'], properties: { id: uuidSchema } } as const;
const roleKeySchema = { type: 'string', minLength: 1, maxLength: 48 } as const;

/**
 * `/api/workspace/members`: list (any caller of the workspace), invite (`POST`, same as creating an
 * invite), change role, remove. Members may always remove themselves (leave).
 */
export async function memberRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const { knex } = services.db;

  app.get('/api/workspace/members', async (request) => {
    const auth = requireAuth(request);
    const members: Record<string, unknown>[] = await knex('member as m')
      .join('app_user as u', 'u.id', 'm.user_id')
      .join('role as r', 'r.id', 'm.role_id')
      .where('m.workspace_id', auth.workspaceId)
      .orderBy('m.created_at')
      .select('m.id', 'm.user_id', 'u.name', 'u.email', 'r.key as role', 'm.created_at');
    return { members: isoDates(members, 'created_at') };
  });

  app.post<{ Body: InviteBody }>(
    '/api/workspace/members',
    {
      schema: {
        body: { type: 'object', additionalProperties: false, required: ['email', 'role'], properties: { email: emailSchema, role: roleKeySchema } },
      },
    },
    async (request, reply) => reply.status(201).send(await createInvite(services, requireAuth(request), request.body)),
  );

  app.patch<{ Params: { id: string }; Body: { role: string } }>(
    '/api/workspace/members/:id',
    {
      schema: {
        params: idParams,
        body: { type: 'object', additionalProperties: false, required: ['role'], properties: { role: roleKeySchema } },
      },
    },
    async (request) => {
      const auth = requireAuth(request);
      auth.access.assertCan('members');
      return applyChange(services, async ({ trx, event, invalidate }) => {
        await lockMembership(trx, auth.workspaceId);
        const member = await findMember(trx, auth.workspaceId, request.params.id);
        const role = await findRole(trx, auth.workspaceId, request.body.role);
        if (role.key === member.role) return { id: member.id, user_id: member.user_id, role: role.key };
        // You manage only members whose role you could have granted: an admin cannot demote an owner,
        // a custom role with `members` cannot demote an admin.
        assertMayGrant(auth.access, { key: member.role, permissions: member.permissions });
        assertMayGrant(auth.access, role);
        if (member.role === 'owner') await assertAnotherOwner(trx, auth.workspaceId, member.id);
        await trx('member').where({ id: member.id }).update({ role_id: role.id });
        event(auth.workspaceId, 'member.role_changed', auth.actor, { member_id: member.id, user_id: member.user_id, from: member.role, to: role.key });
        invalidate('members', auth.workspaceId);
        return { id: member.id, user_id: member.user_id, role: role.key };
      });
    },
  );

  app.delete<{ Params: { id: string } }>('/api/workspace/members/:id', { schema: { params: idParams } }, async (request, reply) => {
    const auth = requireAuth(request);
    const leaving = auth.memberId === request.params.id;
    if (!leaving) auth.access.assertCan('members');
    await applyChange(services, async ({ trx, event, invalidate }) => {
      await lockMembership(trx, auth.workspaceId);
      const member = await findMember(trx, auth.workspaceId, request.params.id);
      if (!leaving) assertMayGrant(auth.access, { key: member.role, permissions: member.permissions });
      if (member.role === 'owner') await assertAnotherOwner(trx, auth.workspaceId, member.id);
      await trx('member').where({ id: member.id }).delete();
      // The sessions would fail to resolve anyway (no membership); revoking them says so in the data.
      await trx('session').where({ user_id: member.user_id, workspace_id: auth.workspaceId }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
      event(auth.workspaceId, 'member.removed', auth.actor, { member_id: member.id, user_id: member.user_id, role: member.role, left: leaving });
      invalidate('members', auth.workspaceId);
    });
    return reply.status(204).send();
  });
}
