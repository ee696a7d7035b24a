import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import { MosaicError } from '../errors/index.js';
import { importService, type StartInput } from './service.js';

const id = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;

/**
 * `/api/objects/:object/imports` and `/api/imports/:id`: upload a CSV file, map its columns, run the
 * import in the background and read its progress and per-row report. Everything runs on the caller's
 * role: creating (and for upserts updating) records of the object, and writing the mapped fields.
 */
export async function importRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const imports = importService(services);
  // The file is the raw body, handed over as a stream: it is checked and stored as it arrives, never
  // buffered whole, so the kernel's BODY_LIMIT does not apply; IMPORT_MAX_BYTES does.
  app.addContentTypeParser(['text/csv', 'application/csv', 'application/octet-stream'], (_request, payload, done) => done(null, payload));

  app.post<{ Params: { object: string }; Querystring: { file_name?: string } }>(
    '/api/objects/:object/imports',
    {
      schema: {
        params: { type: 'object', required: ['object'], properties: { object: { type: 'string', maxLength: 64 } } },
        querystring: { type: 'object', additionalProperties: false, properties: { file_name: { type: 'string', maxLength: 255 } } },
      },
    },
    async (request, reply) => {
      const caller = requireAuth(request);
      const body = request.body as AsyncIterable<Uint8Array> | undefined;
      if (!body || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
        throw new MosaicError('MOSAIC_ERR_IMPORT_CONTENT_TYPE', `Send the CSV file as the request body with Content-Type text/csv, not ${request.headers['content-type'] ?? 'nothing'}.`);
      }
      const data = await imports.upload(caller, request.params.object, body, request.query.file_name ?? null);
      return reply.status(201).send({ data });
    },
  );

  // The upload URL of a prepared import: the one-time token in it is the authorisation, so the route
  // takes no session and no CSRF token (a browser still sends its cookie; it is not what lets this in).
  app.put<{ Params: { id: string }; Querystring: { token: string } }>(
    '/api/imports/:id/file',
    {
      config: { auth: 'optional', csrf: false },
      schema: { params: id, querystring: { type: 'object', additionalProperties: false, required: ['token'], properties: { token: { type: 'string', minLength: 20, maxLength: 100 } } } },
    },
    async (request, reply) => {
      const body = request.body as AsyncIterable<Uint8Array> | undefined;
      if (!body || typeof (body as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] !== 'function') {
        throw new MosaicError('MOSAIC_ERR_IMPORT_CONTENT_TYPE', `Send the CSV file as the request body with Content-Type text/csv, not ${request.headers['content-type'] ?? 'nothing'}.`);
      }
      return reply.status(201).send({ data: await imports.uploadPrepared(request.params.id, request.query.token, body) });
    },
  );

  app.get<{ Querystring: { object?: string; limit: number } }>(
    '/api/imports',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { object: { type: 'string', maxLength: 64 }, limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 } } } } },
    async (request) => ({ data: await imports.list(requireAuth(request), request.query.object, request.query.limit) }),
  );

  app.get<{ Params: { id: string } }>('/api/imports/:id', { schema: { params: id } }, async (request) => ({ data: await imports.get(requireAuth(request), request.params.id) }));

  app.post<{ Params: { id: string }; Body: StartInput }>(
    '/api/imports/:id/start',
    {
      schema: {
        params: id,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['mapping'],
          properties: {
            mapping: { type: 'array', maxItems: 1000, items: { anyOf: [{ type: 'string', maxLength: 200 }, { type: 'null' }] } },
            upsert_on: { anyOf: [{ type: 'string', maxLength: 64 }, { type: 'null' }] },
            on_error: { type: 'string', enum: ['abort', 'skip'] },
            date_order: { type: 'string', enum: ['dmy', 'mdy'] },
          },
        },
      },
    },
    async (request, reply) => reply.status(202).send({ data: await imports.start(requireAuth(request), request.params.id, request.body) }),
  );
}
