import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/require-auth.js';
import { emailSchema, uuidSchema } from '../auth/schemas.js';
import { MosaicError } from '../errors/index.js';
import { applyChange } from './change.js';
import { createInvite, type InviteBody } from './create-invite.js';
import { isoDates } from './timestamps.js';

/** `/api/workspace/invites`: list pending invites, invite, revoke. All need the `members` capability. */
export async function inviteRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const { knex } = services.db;

  app.get('/api/workspace/invites', async (request) => {
    const auth = requireAuth(request);
    auth.access.assertCan('members');
    const invites: Record<string, unknown>[] = await knex('invite as i')
      .join('role as r', 'r.id', 'i.role_id')
      .where('i.workspace_id', auth.workspaceId)
      .whereNull('i.accepted_at')
      .whereNull('i.revoked_at')
      .where('i.expires_at', '>', knex.fn.now())
      .orderBy('i.created_at', 'desc')
      .select('i.id', 'i.email', 'r.key as role', 'i.invited_by_member_id', 'i.created_at', 'i.expires_at');
    return { invites: isoDates(invites, 'created_at', 'expires_at') };
  });

  app.post<{ Body: InviteBody }>(
    '/api/workspace/invites',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['email', 'role'],
          properties: { email: emailSchema, role: { type: 'string', minLength: 1, maxLength: 48 } },
        },
      },
    },
    async (request, reply) => reply.status(201).send(await createInvite(services, requireAuth(request), request.body)),
  );

  app.delete<{ Params: { id: string } }>(
    '/api/workspace/invites/:id',
    { schema: { params: { type: 'object', required: ['id'], properties: { id: uuidSchema } } } },
    async (request, reply) => {
      const auth = requireAuth(request);
      auth.access.assertCan('members');
      const revoked = await applyChange(services, ({ trx }) =>
        trx('invite')
          .where({ id: request.params.id, workspace_id: auth.workspaceId })
          .whereNull('accepted_at')
          .whereNull('revoked_at')
          .update({ revoked_at: trx.fn.now() }),
      );
      if (revoked === 0) throw new MosaicError('MOSAIC_ERR_INVITE_NOT_FOUND', 'No pending invite with this id.');
      return reply.status(204).send();
    },
  );
}
