import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import { cachedDocument } from './document.js';

/** Whether an `If-None-Match` header names `etag` (a list, `*`, and weak `W/` tags count, as RFC 9110 says for GET). */
function matches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || t === `W/${etag}`;
  });
}

/**
 * `GET /api/openapi.json`: the OpenAPI 3.1 document of the caller's workspace, for the caller's role.
 * Built once per metadata version and role; later requests send the cached bytes, or 304 when the
 * client's `If-None-Match` already names them.
 */
export async function openapiRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const { knex } = services.db;

  app.get('/api/openapi.json', async (request, reply) => {
    const auth = requireAuth(request);
    const [metadata, workspace] = await Promise.all([
      services.metadata.get(auth.workspaceId),
      knex('workspace').where({ id: auth.workspaceId }).first('name') as Promise<{ name: string } | undefined>,
    ]);
    const cached = cachedDocument(metadata, auth.access, workspace?.name ?? auth.workspaceId);
    // The document depends on who asks, so shared caches must not keep it and clients must revalidate.
    reply.header('etag', cached.etag).header('cache-control', 'private, no-cache').header('vary', 'cookie, authorization');
    if (matches(request.headers['if-none-match'], cached.etag)) return reply.status(304).send();
    return reply.type('application/json; charset=utf-8').send(cached.json);
  });
}
