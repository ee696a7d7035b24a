import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { MemberSchema, UserSchema } from '../db/entities/index.js';
import { MosaicError } from '../errors/index.js';
import { applyChange } from '../workspaces/change.js';
import { createWorkspace } from '../workspaces/create-workspace.js';
import { hashPassword } from './passwords.js';
import { emailSchema, nameSchema, normalizeEmail, passwordSchema } from './schemas.js';
import { startSession } from './sessions.js';
import { uniqueViolation } from './unique-violation.js';

interface SignUpBody {
  email: string;
  password: string;
  name: string;
  workspace_name: string;
}

/** `POST /api/auth/sign-up`: a new user, a new workspace they own, and a session. */
export async function signUpRoute(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  app.post<{ Body: SignUpBody }>(
    '/api/auth/sign-up',
    {
      config: { auth: 'optional', csrf: false, rateLimit: { max: services.config.signInRateLimit, timeWindow: '1 minute' } },
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['email', 'password', 'name', 'workspace_name'],
          properties: { email: emailSchema, password: passwordSchema, name: nameSchema, workspace_name: nameSchema },
        },
      },
    },
    async (request, reply) => {
      if (services.config.signup === 'closed') {
        throw new MosaicError('MOSAIC_ERR_FORBIDDEN', 'Sign-up is closed on this server; ask a workspace owner for an invite.');
      }
      const email = normalizeEmail(request.body.email);
      const name = request.body.name.trim();
      const taken = await services.db.knex('app_user').where({ email }).first('id');
      if (taken) throw new MosaicError('MOSAIC_ERR_AUTH_EMAIL_TAKEN');
      // Hash before the transaction opens, so it is not held open for the hashing time.
      const passwordHash = await hashPassword(request.body.password);

      try {
        const body = await applyChange(services, async ({ em, event }) => {
          const { workspace, roles } = await createWorkspace(em, request.body.workspace_name.trim());
          const user = em.create(UserSchema, { id: randomUUID(), email, name, passwordHash, createdAt: new Date() });
          // The entities declare no relations, so MikroORM cannot order inserts by foreign key: flush in order.
          await em.flush();
          const owner = roles.get('owner')!;
          const member = em.create(MemberSchema, { id: randomUUID(), workspaceId: workspace.id, userId: user.id, roleId: owner.id, createdAt: new Date() });
          await em.flush();
          event(workspace.id, 'member.added', { type: 'member', id: member.id, name }, { member_id: member.id, user_id: user.id, role: 'owner' });
          return { workspaceId: workspace.id, session: await startSession(services, em, request, reply, { userId: user.id, workspaceId: workspace.id }) };
        });
        // The plugins this instance assembles (plugins.config.json) are part of every new workspace. A
        // plugin that fails to install is reported in the log and the plugin list; the sign-up stands.
        const actions = await services.plugins.provision(body.workspaceId);
        for (const action of actions.filter((a) => a.action === 'failed' || a.action === 'pending_consent')) {
          request.log.warn({ plugin: action.plugin, detail: action.detail }, `new workspace: plugin ${action.action}`);
        }
        return reply.status(201).send(body.session);
      } catch (err) {
        // A concurrent sign-up with the same email passed the check above too.
        if (uniqueViolation(err) !== undefined) throw new MosaicError('MOSAIC_ERR_AUTH_EMAIL_TAKEN');
        throw err;
      }
    },
  );
}
