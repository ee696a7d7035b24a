import type { FastifyInstance } from 'fastify';
import type { KernelServices } from '../app/services.js';
import { requireAuth, requireSession } from '../auth/require-auth.js';
import { uuidSchema } from '../auth/schemas.js';
import { clientIdOf, deleteClient, listConnectedApps, listIdleClients, revokeConnectedApp } from './connected-apps.js';

const appIdSchema = { type: 'string', minLength: 1, maxLength: 64 };
const params = (properties: Record<string, unknown>) => ({ type: 'object', required: Object.keys(properties), properties });

/**
 * Connected apps: the OAuth applications members authorized in the workspace.
 *
 * - `/api/connected-apps`: a member's own (a signed-in person: an API key has none), and revoking one.
 * - `/api/workspace/connected-apps`: every member's, for callers holding the `members` capability (whoever
 *   may remove a member may cut off what they delegated), plus the registered clients no one here uses
 *   any more; revoking anyone's, and deleting such a client (`/api/workspace/oauth-clients/:id`).
 *
 * These are ordinary API routes (session or API key, CSRF for sessions), unlike the `/oauth/*` endpoints.
 */
export async function connectedAppRoutes(app: FastifyInstance, services: KernelServices): Promise<void> {
  app.get('/api/connected-apps', async (request) => {
    const auth = requireSession(request);
    return { data: await listConnectedApps(services, auth.workspaceId, { memberId: auth.memberId }) };
  });

  app.delete<{ Params: { id: string } }>('/api/connected-apps/:id', { schema: { params: params({ id: appIdSchema }) } }, async (request, reply) => {
    const auth = requireSession(request);
    const clientId = await clientIdOf(services, auth.workspaceId, request.params.id, auth.memberId);
    await revokeConnectedApp(services, { workspaceId: auth.workspaceId, memberId: auth.memberId, clientId, actor: auth.actor });
    return reply.status(204).send();
  });

  app.get('/api/workspace/connected-apps', async (request) => {
    const auth = requireAuth(request);
    auth.access.assertCan('members');
    const [data, idle] = await Promise.all([listConnectedApps(services, auth.workspaceId, { withMember: true }), listIdleClients(services, auth.workspaceId)]);
    return { data, idle_clients: idle };
  });

  app.delete<{ Params: { member_id: string; id: string } }>(
    '/api/workspace/connected-apps/:member_id/:id',
    { schema: { params: params({ member_id: uuidSchema, id: appIdSchema }) } },
    async (request, reply) => {
      const auth = requireAuth(request);
      auth.access.assertCan('members');
      const clientId = await clientIdOf(services, auth.workspaceId, request.params.id, request.params.member_id);
      await revokeConnectedApp(services, { workspaceId: auth.workspaceId, memberId: request.params.member_id, clientId, actor: auth.actor });
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: { id: string } }>('/api/workspace/oauth-clients/:id', { schema: { params: params({ id: appIdSchema }) } }, async (request, reply) => {
    const auth = requireAuth(request);
    auth.access.assertCan('members');
    const clientId = await clientIdOf(services, auth.workspaceId, request.params.id);
    await deleteClient(services, { workspaceId: auth.workspaceId, clientId, actor: auth.actor });
    return reply.status(204).send();
  });
}
