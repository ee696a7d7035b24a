import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import { aggregateJson } from './aggregate-json.js';
import { MAX_BATCH } from './batch.js';
import { MAX_MERGE, type MergeInput } from './merge.js';
import { exportRoute } from './export/route.js';
import type { DeletedMode } from './find.js';
import { pageJson } from './page.js';
import { RecordService } from './service.js';

/** Route params of `/api/objects/:object` (also used by the plugin view records API). */
export const objectParams = { type: 'object', required: ['object'], properties: { object: { type: 'string', maxLength: 64 } } } as const;
/** Route params of `/api/objects/:object/:id`. */
export const recordParams = {
  type: 'object',
  required: ['object', 'id'],
  properties: { object: { type: 'string', maxLength: 64 }, id: { type: 'string', format: 'uuid' } },
} as const;

/** The `fields` query parameter. */
export const fieldsParam = { type: 'string', maxLength: 4000, description: 'Comma-separated fields to return (id is always returned).' } as const;
/** The `depth` query parameter. */
export const depthParam = { type: 'integer', enum: [0, 1], default: 0, description: '1 embeds related records.' } as const;
/** The `deleted` query parameter. */
export const deletedParam = { type: 'string', enum: ['exclude', 'include', 'only'], default: 'exclude' } as const;

/** The query string of a record listing. */
export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    filter: { type: 'string', maxLength: 8000 },
    order_by: { type: 'string', maxLength: 1000 },
    // The range is checked by the records layer, which answers MOSAIC_ERR_QUERY_LIMIT.
    limit: { type: 'integer', default: 50 },
    starting_after: { type: 'string', maxLength: 4096 },
    ending_before: { type: 'string', maxLength: 4096 },
    fields: fieldsParam,
    depth: depthParam,
    count: { type: 'boolean', default: false },
    deleted: deletedParam,
  },
} as const;

/** The query string of `GET /api/objects/:object/aggregate`. */
const aggregateQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    group_by: { type: 'string', maxLength: 1000 },
    metrics: { type: 'string', maxLength: 2000 },
    filter: { type: 'string', maxLength: 8000 },
    deleted: deletedParam,
  },
} as const;

/** A parsed {@link listQuery}. */
export interface ListQuery {
  filter?: string;
  order_by?: string;
  limit: number;
  starting_after?: string;
  ending_before?: string;
  fields?: string;
  depth: number;
  count: boolean;
  deleted: DeletedMode;
}

/** `a,b` → `['a', 'b']`. */
export const splitFields = (fields: string | undefined) => (fields ? fields.split(',').map((f) => f.trim()).filter(Boolean) : undefined);

/** `/api/objects/:object`: list, read, create, update, delete, restore, batch-write and merge records. */
export async function recordRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const records = new RecordService(services);
  exportRoute(app, { records, services });

  app.get<{ Params: { object: string }; Querystring: ListQuery }>('/api/objects/:object', { schema: { params: objectParams, querystring: listQuery } }, async (request) => {
    const q = request.query;
    const result = await records.find(requireAuth(request), request.params.object, {
      filter: q.filter,
      orderBy: q.order_by,
      limit: q.limit,
      startingAfter: q.starting_after,
      endingBefore: q.ending_before,
      fields: splitFields(q.fields),
      depth: q.depth,
      count: q.count,
      deleted: q.deleted,
    });
    return pageJson(result);
  });

  app.get<{ Params: { object: string }; Querystring: { group_by?: string; metrics?: string; filter?: string; deleted: DeletedMode } }>(
    '/api/objects/:object/aggregate',
    { schema: { params: objectParams, querystring: aggregateQuery } },
    async (request) => {
      const q = request.query;
      const result = await records.aggregate(requireAuth(request), request.params.object, {
        groupBy: splitFields(q.group_by),
        metrics: splitFields(q.metrics),
        filter: q.filter,
        deleted: q.deleted,
      });
      return aggregateJson(result);
    },
  );

  app.post<{ Params: { object: string } }>('/api/objects/:object', { schema: { params: objectParams } }, async (request, reply) => {
    const data = await records.create(requireAuth(request), request.params.object, request.body ?? {});
    return reply.status(201).send({ data });
  });

  app.post<{ Params: { object: string }; Body: { records: unknown[]; upsert_on?: string } }>(
    '/api/objects/:object/batch',
    {
      schema: {
        params: objectParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['records'],
          properties: { records: { type: 'array', minItems: 1, maxItems: MAX_BATCH * 10 }, upsert_on: { type: 'string', maxLength: 64 } },
        },
      },
    },
    async (request) => {
      const result = await records.batch(requireAuth(request), request.params.object, request.body);
      return { data: result.data, created: result.created, updated: result.updated };
    },
  );

  // Shape only; the records layer answers the rules (ids, limits, same record twice) with MOSAIC_ERR_MERGE_*.
  app.post<{ Params: { object: string }; Body: MergeInput }>(
    '/api/objects/:object/merge',
    {
      schema: {
        params: objectParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['into', 'from'],
          properties: { into: { type: 'string', maxLength: 64 }, from: { type: 'array', maxItems: MAX_MERGE * 10, items: { type: 'string', maxLength: 64 } }, values: { type: 'object' } },
        },
      },
    },
    async (request) => records.merge(requireAuth(request), request.params.object, request.body),
  );

  app.get<{ Params: { object: string; id: string }; Querystring: { fields?: string; depth: number; deleted: DeletedMode } }>(
    '/api/objects/:object/:id',
    { schema: { params: recordParams, querystring: { type: 'object', additionalProperties: false, properties: { fields: fieldsParam, depth: depthParam, deleted: deletedParam } } } },
    async (request) => {
      const { fields, depth, deleted } = request.query;
      const data = await records.get(requireAuth(request), request.params.object, request.params.id, { fields: splitFields(fields), depth, deleted });
      return { data };
    },
  );

  app.patch<{ Params: { object: string; id: string } }>('/api/objects/:object/:id', { schema: { params: recordParams } }, async (request) => {
    const data = await records.update(requireAuth(request), request.params.object, request.params.id, request.body ?? {});
    return { data };
  });

  app.delete<{ Params: { object: string; id: string }; Querystring: { destroy: boolean } }>(
    '/api/objects/:object/:id',
    { schema: { params: recordParams, querystring: { type: 'object', additionalProperties: false, properties: { destroy: { type: 'boolean', default: false } } } } },
    async (request) => {
      const data = await records.delete(requireAuth(request), request.params.object, request.params.id, request.query.destroy);
      return { data };
    },
  );

  app.post<{ Params: { object: string; id: string } }>('/api/objects/:object/:id/restore', { schema: { params: recordParams } }, async (request) => {
    const data = await records.restore(requireAuth(request), request.params.object, request.params.id);
    return { data };
  });
}
