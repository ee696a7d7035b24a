import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { isMosaicError, MosaicError } from '../errors/index.js';

/** Maps a PostgreSQL error that user input can cause to a coded error; undefined for real faults. */
function fromPostgres(err: { code?: string; constraint?: string; detail?: string }): MosaicError | undefined {
  switch (err.code) {
    case '23505':
      return new MosaicError('MOSAIC_ERR_RECORD_UNIQUE', 'Another record already has this value in a unique field.');
    case '23503':
      return err.detail?.includes('is still referenced')
        ? new MosaicError('MOSAIC_ERR_RECORD_REFERENCED')
        : new MosaicError('MOSAIC_ERR_RECORD_RELATION_MISSING');
    case '55P03':
      return new MosaicError('MOSAIC_ERR_METADATA_BUSY');
    default:
      return undefined;
  }
}

/**
 * One error shape for every route: `{ error: { code, message, details? }, request_id }`. Unexpected
 * errors are logged with their stack and answered with a generic message, so internals never leak.
 */
export const errorHandler = fp(
  async (app: FastifyInstance) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      let error: MosaicError | undefined;
      if (isMosaicError(err)) error = err;
      else if (err.validation) {
        error = new MosaicError(
          'MOSAIC_ERR_REQUEST_INVALID',
          `The request ${err.validationContext ?? 'body'} is invalid: ${err.message}`,
          err.validation.map((v) => ({ path: v.instancePath || String(v.params?.missingProperty ?? ''), message: v.message ?? 'invalid' })),
        );
      } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') error = new MosaicError('MOSAIC_ERR_BODY_TOO_LARGE');
      else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || err.statusCode === 400) {
        error = new MosaicError('MOSAIC_ERR_REQUEST_INVALID', `The request is invalid: ${err.message}`);
      } else if (err.statusCode === 429) error = new MosaicError('MOSAIC_ERR_RATE_LIMITED', err.message);
      else error = fromPostgres(err as { code?: string });

      if (!error) {
        request.log.error({ err }, 'unhandled error');
        error = new MosaicError('MOSAIC_ERR_INTERNAL');
      } else if (error.statusCode >= 500) {
        request.log.error({ err }, error.code);
      }
      reply.status(error.statusCode).send({ error: error.toJSON(), request_id: request.id });
    });

    app.setNotFoundHandler((request, reply) => {
      const error = new MosaicError('MOSAIC_ERR_ROUTE_NOT_FOUND', `No route ${request.method} ${request.url.split('?')[0]}.`);
      reply.status(404).send({ error: error.toJSON(), request_id: request.id });
    });
  },
  { name: 'mosaic-error-handler' },
);
