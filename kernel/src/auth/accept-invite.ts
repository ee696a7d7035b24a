import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import { applyChange } from '../workspaces/change.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { nameSchema, passwordSchema } from './schemas.js';
import { startSession } from './sessions.js';
import { hashToken } from './tokens.js';
import { uniqueViolation } from './unique-violation.js';

interface AcceptBody {
  token: string;
  name?: string;
  password: string;
}

interface PendingInvite {
  id: string;
  workspace_id: string;
  email: string;
  role_id: string;
  role: string;
}

/**
 * `POST /api/auth/invites/accept`: redeems an invite token. A new person sets a name and password; a
 * person who already has an account proves it with their password. Either way they end up signed in
 * to the inviting workspace.
 */
export async function acceptInviteRoute(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const { knex } = services.db;

  app.post<{ Body: AcceptBody }>(
    '/api/auth/invites/accept',
    {
      config: { auth: 'optional', csrf: false, rateLimit: { max: services.config.signInRateLimit, timeWindow: '1 minute' } },
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['token', 'password'],
          properties: { token: { type: 'string', minLength: 1, maxLength: 200 }, name: nameSchema, password: passwordSchema },
        },
      },
    },
    async (request, reply) => {
      const tokenHash = hashToken(request.body.token);
      const pending = (await knex('invite as i')
        .join('role as r', 'r.id', 'i.role_id')
        .where('i.token_hash', tokenHash)
        .whereNull('i.accepted_at')
        .whereNull('i.revoked_at')
        .where('i.expires_at', '>', knex.fn.now())
        .first('i.id', 'i.workspace_id', 'i.email', 'i.role_id', 'r.key as role')) as PendingInvite | undefined;
      if (!pending) throw new MosaicError('MOSAIC_ERR_INVITE_INVALID');

      const user = (await knex('app_user').where({ email: pending.email }).first('id', 'name', 'password_hash')) as
        | { id: string; name: string; password_hash: string }
        | undefined;
      let passwordHash: string | undefined;
      if (user) {
        if (!(await verifyPassword(user.password_hash, request.body.password))) throw new MosaicError('MOSAIC_ERR_AUTH_INVALID_CREDENTIALS');
      } else {
        if (!request.body.name) {
          throw new MosaicError('MOSAIC_ERR_REQUEST_INVALID', 'A name is needed to create your account.', [{ path: '/name', message: 'required for a new account' }]);
        }
        passwordHash = await hashPassword(request.body.password);
      }

      const body = await applyChange(services, async ({ em, trx, event, invalidate }) => {
        // Claim the invite atomically: of two concurrent redemptions, exactly one wins.
        const claimed = await trx('invite')
          .where({ id: pending.id })
          .whereNull('accepted_at')
          .whereNull('revoked_at')
          .where('expires_at', '>', trx.fn.now())
          .update({ accepted_at: trx.fn.now() });
        if (claimed === 0) throw new MosaicError('MOSAIC_ERR_INVITE_INVALID');

        const userId = user?.id ?? randomUUID();
        const name = user?.name ?? request.body.name!.trim();
        if (!user) await trx('app_user').insert({ id: userId, email: pending.email, name, password_hash: passwordHash });
        const already = await trx('member').where({ workspace_id: pending.workspace_id, user_id: userId }).first('id');
        if (already) throw new MosaicError('MOSAIC_ERR_MEMBER_EXISTS');
        const memberId = randomUUID();
        await trx('member').insert({ id: memberId, workspace_id: pending.workspace_id, user_id: userId, role_id: pending.role_id });
        event(pending.workspace_id, 'member.added', { type: 'member', id: memberId, name }, { member_id: memberId, user_id: userId, role: pending.role, invite_id: pending.id });
        invalidate('members', pending.workspace_id);
        return startSession(services, em, request, reply, { userId, workspaceId: pending.workspace_id });
      }).catch((err: unknown) => {
        // Lost a race: someone signed up with this email, or joined through another invite, meanwhile.
        const constraint = uniqueViolation(err);
        if (constraint === undefined) throw err;
        throw new MosaicError(constraint.startsWith('member_') ? 'MOSAIC_ERR_MEMBER_EXISTS' : 'MOSAIC_ERR_AUTH_EMAIL_TAKEN');
      });
      return reply.status(200).send(body);
    },
  );
}
