import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { pendingMigrations } from '../db/orm.js';
import { MosaicError } from '../errors/index.js';

/** `GET /healthz` (the process is alive) and `GET /readyz` (database reachable, migrations applied). */
export async function healthRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  app.get('/healthz', { logLevel: 'warn' }, async () => ({ status: 'ok' }));

  app.get('/readyz', { logLevel: 'warn' }, async (request) => {
    let pending: string[];
    try {
      await services.db.knex.raw('select 1');
      pending = await pendingMigrations(services.db);
    } catch (err) {
      request.log.warn({ err }, 'readiness check failed');
      throw new MosaicError('MOSAIC_ERR_NOT_READY', 'The database is not reachable.');
    }
    if (pending.length > 0) {
      throw new MosaicError('MOSAIC_ERR_NOT_READY', `Migrations are not applied: ${pending.join(', ')}.`);
    }
    return { status: 'ready' };
  });
}
