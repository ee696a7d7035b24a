import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import { verifyPassword } from './passwords.js';
import { emailSchema, normalizeEmail, uuidSchema } from './schemas.js';
import { startSession } from './sessions.js';

interface SignInBody {
  email: string;
  password: string;
  workspace_id?: string;
}

/**
 * `POST /api/auth/sign-in`: email + password, into `workspace_id` or the user's first workspace.
 * Unknown email and wrong password give the same answer, in about the same time.
 */
export async function signInRoute(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  app.post<{ Body: SignInBody }>(
    '/api/auth/sign-in',
    {
      config: { auth: 'optional', csrf: false, rateLimit: { max: services.config.signInRateLimit, timeWindow: '1 minute' } },
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['email', 'password'],
          // No length rule on the password here: a rule would tell a guesser which guesses are pointless.
          properties: { email: emailSchema, password: { type: 'string', maxLength: 512 }, workspace_id: uuidSchema },
        },
      },
    },
    async (request, reply) => {
      const { knex } = services.db;
      const user = (await knex('app_user').where({ email: normalizeEmail(request.body.email) }).first('id', 'password_hash')) as
        | { id: string; password_hash: string }
        | undefined;
      if (!(await verifyPassword(user?.password_hash, request.body.password)) || !user) {
        throw new MosaicError('MOSAIC_ERR_AUTH_INVALID_CREDENTIALS');
      }

      const membership = knex('member').where({ user_id: user.id });
      if (request.body.workspace_id) membership.where({ workspace_id: request.body.workspace_id });
      const member = (await membership.orderBy('created_at').first('workspace_id')) as { workspace_id: string } | undefined;
      if (!member) {
        throw new MosaicError(
          'MOSAIC_ERR_AUTH_NOT_A_MEMBER',
          request.body.workspace_id ? undefined : 'You are not a member of any workspace; ask an owner for an invite.',
        );
      }
      return startSession(services, services.db.orm.em.fork(), request, reply, { userId: user.id, workspaceId: member.workspace_id });
    },
  );
}
