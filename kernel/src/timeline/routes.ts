import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import { DEFAULT_TIMELINE_LIMIT, TimelineService } from './service.js';

const params = {
  type: 'object',
  required: ['object', 'id'],
  properties: { object: { type: 'string', maxLength: 64 }, id: { type: 'string', format: 'uuid' } },
} as const;

const query = {
  type: 'object',
  additionalProperties: false,
  properties: {
    // The range is checked by the service, which answers MOSAIC_ERR_QUERY_LIMIT as record listing does.
    limit: { type: 'integer', default: DEFAULT_TIMELINE_LIMIT },
    before: { type: 'string', maxLength: 200 },
  },
} as const;

/** `GET /api/objects/:object/:id/timeline`: what happened to a record, newest first. */
export async function timelineRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const timeline = new TimelineService(services);

  app.get<{ Params: { object: string; id: string }; Querystring: { limit: number; before?: string } }>(
    '/api/objects/:object/:id/timeline',
    { schema: { params, querystring: query } },
    async (request) => {
      const { limit, before } = request.query;
      return timeline.page(requireAuth(request), request.params.object, request.params.id, { limit, ...(before === undefined ? {} : { before }) });
    },
  );
}
