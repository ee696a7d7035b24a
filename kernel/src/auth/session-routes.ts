import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import { applyChange } from '../workspaces/change.js';
import { clearSessionCookie } from './cookie.js';
import { requireAuth, requireSession } from './require-auth.js';
import { uuidSchema } from './schemas.js';
import { sessionBody } from './sessions.js';

/** `POST /api/auth/sign-out`, `GET /api/auth/session`, `POST /api/auth/switch-workspace`. */
export async function sessionRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const { knex } = services.db;

  // Optional auth: signing out with a session that already ended must still clear the cookie.
  app.post('/api/auth/sign-out', { config: { auth: 'optional' } }, async (request, reply) => {
    const sessionId = request.auth?.via === 'session' ? request.auth.sessionId : undefined;
    if (sessionId) {
      await applyChange(services, async ({ trx, invalidate }) => {
        await trx('session').where({ id: sessionId }).whereNull('revoked_at').update({ revoked_at: trx.fn.now() });
        invalidate('session', sessionId);
      });
    }
    clearSessionCookie(request, reply);
    return reply.status(204).send();
  });

  app.get('/api/auth/session', async (request) => {
    const auth = requireAuth(request);
    const role = (await knex('role').where({ workspace_id: auth.workspaceId, key: auth.access.roleKey }).first('key', 'name', 'permissions')) as {
      key: string;
      name: string;
      permissions: unknown;
    };
    if (auth.via === 'api_key') {
      const workspace = await knex('workspace').where({ id: auth.workspaceId }).first('id', 'name');
      return { via: 'api_key', workspace, role, api_key: { id: auth.actor.id, name: auth.actor.name } };
    }
    // OAuth tokens are accepted only by protected resources (`/mcp`), never by this API; should one ever
    // reach here it has no session to describe.
    if (auth.via !== 'session') throw new MosaicError('MOSAIC_ERR_FORBIDDEN', 'Only a browser session or an API key can describe itself here.');
    const session = (await knex('session').where({ id: auth.sessionId }).first('csrf_token')) as { csrf_token: string };
    const body = await sessionBody(knex, { userId: auth.userId!, workspaceId: auth.workspaceId, csrfToken: session.csrf_token });
    const workspaces = await knex('member as m')
      .join('workspace as w', 'w.id', 'm.workspace_id')
      .join('role as r', 'r.id', 'm.role_id')
      .where('m.user_id', auth.userId!)
      .orderBy('m.created_at')
      .select('w.id', 'w.name', 'r.key as role');
    return { ...body, role, workspaces, via: 'session' };
  });

  app.post<{ Body: { workspace_id: string } }>(
    '/api/auth/switch-workspace',
    {
      schema: {
        body: { type: 'object', additionalProperties: false, required: ['workspace_id'], properties: { workspace_id: uuidSchema } },
      },
    },
    async (request) => {
      const auth = requireSession(request);
      const workspaceId = request.body.workspace_id;
      const csrfToken = await applyChange(services, async ({ trx, invalidate }) => {
        const member = await trx('member').where({ user_id: auth.userId, workspace_id: workspaceId }).first('id');
        if (!member) throw new MosaicError('MOSAIC_ERR_AUTH_NOT_A_MEMBER');
        const [row] = (await trx('session').where({ id: auth.sessionId }).update({ workspace_id: workspaceId }, ['csrf_token'])) as { csrf_token: string }[];
        invalidate('session', auth.sessionId);
        return row!.csrf_token;
      });
      return sessionBody(knex, { userId: auth.userId, workspaceId, csrfToken });
    },
  );
}
