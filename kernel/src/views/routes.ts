import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import { createBody, idParams, listQuery, updateBody } from './schemas.js';
import { ViewService, type ViewInput } from './service.js';
import type { ViewViewer } from './store.js';

/**
 * The caller as the views service sees them: the workspace, the member (none for API keys; a session or
 * an OAuth token speaks for one), the role.
 */
function viewer(request: FastifyRequest): ViewViewer {
  const auth = requireAuth(request);
  return { workspaceId: auth.workspaceId, access: auth.access, ...(auth.via !== 'api_key' && auth.memberId ? { memberId: auth.memberId } : {}) };
}

/** `/api/views`: saved table and board views of an object, private to a member or shared. */
export async function viewRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const views = new ViewService(services);

  app.get<{ Querystring: { object: string } }>('/api/views', { schema: { querystring: listQuery } }, async (request) => {
    return { data: await views.list(viewer(request), request.query.object) };
  });

  app.post<{ Body: ViewInput & { object: string; name: string } }>('/api/views', { schema: { body: createBody } }, async (request, reply) => {
    return reply.status(201).send({ data: await views.create(viewer(request), request.body) });
  });

  app.get<{ Params: { id: string } }>('/api/views/:id', { schema: { params: idParams } }, async (request) => {
    return { data: await views.get(viewer(request), request.params.id) };
  });

  app.patch<{ Params: { id: string }; Body: ViewInput }>('/api/views/:id', { schema: { params: idParams, body: updateBody } }, async (request) => {
    return { data: await views.update(viewer(request), request.params.id, request.body) };
  });

  app.delete<{ Params: { id: string } }>('/api/views/:id', { schema: { params: idParams } }, async (request, reply) => {
    await views.delete(viewer(request), request.params.id);
    return reply.status(204).send();
  });
}
