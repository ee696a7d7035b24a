import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import { SearchService } from './service.js';

/** Longest search text accepted. */
export const MAX_SEARCH_LENGTH = 200;
/** Most hits one search returns. */
export const MAX_SEARCH_LIMIT = 50;

const searchQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['q'],
  properties: {
    q: { type: 'string', minLength: 1, maxLength: MAX_SEARCH_LENGTH },
    limit: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, default: 20 },
    objects: { type: 'string', minLength: 1, maxLength: 4000, description: 'Comma-separated object names; all readable objects when absent.' },
  },
} as const;

/** `GET /api/search`: records of every object the caller can read whose text-like fields contain `q`. */
export async function searchRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const search = new SearchService(services);

  app.get<{ Querystring: { q: string; limit: number; objects?: string } }>('/api/search', { schema: { querystring: searchQuery } }, async (request) => {
    const { q, limit, objects } = request.query;
    const names = objects?.split(',').map((o) => o.trim()).filter(Boolean);
    return { data: await search.search(requireAuth(request), { q, limit, ...(names ? { objects: names } : {}) }) };
  });
}
