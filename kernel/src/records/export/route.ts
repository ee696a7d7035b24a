import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { KernelServices } from '../../app/services.js';
import { requireAuth } from '../../auth/index.js';
import type { RecordService } from '../service.js';
import type { HeaderMode } from './columns.js';
import { exportCsv } from './stream.js';

interface ExportQueryString {
  format: 'csv';
  filter?: string;
  order_by?: string;
  fields?: string;
  header: HeaderMode;
}

/**
 * `GET /api/objects/:object/export?format=csv&filter=&order_by=&fields=&header=`: every record of a view
 * as a CSV download, streamed (see {@link exportCsv}). Registered by the records module.
 */
export function exportRoute(app: FastifyInstance, deps: { records: RecordService; services: KernelServices }): void {
  app.get<{ Params: { object: string }; Querystring: ExportQueryString }>(
    '/api/objects/:object/export',
    {
      schema: {
        params: { type: 'object', required: ['object'], properties: { object: { type: 'string', maxLength: 64 } } },
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            format: { type: 'string', enum: ['csv'], default: 'csv' },
            filter: { type: 'string', maxLength: 8000 },
            order_by: { type: 'string', maxLength: 1000 },
            fields: { type: 'string', maxLength: 4000, description: 'Comma-separated fields, in column order.' },
            header: { type: 'string', enum: ['label', 'key'], default: 'label' },
          },
        },
      },
    },
    async (request, reply) => {
      const q = request.query;
      const fields = q.fields ? q.fields.split(',').map((f) => f.trim()).filter(Boolean) : undefined;
      const csv = await exportCsv(deps, requireAuth(request), request.params.object, { filter: q.filter, orderBy: q.order_by, fields, header: q.header });
      // A client that goes away mid-download destroys the stream, which stops the generator: no page is
      // read for nobody.
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csv.filename}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(csv.body, { objectMode: false, highWaterMark: 64 * 1024 }));
    },
  );
}
