import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { FieldMetadataSchema, ObjectMetadataSchema, WorkspaceSchema } from '../db/entities/index.js';
import { MosaicError } from '../errors/index.js';
import type { KernelServices } from '../app/services.js';
import { buildWorkspaceMetadata, type WorkspaceMetadata } from './model.js';

/** What a metadata change works with inside its transaction. */
export interface MetadataTx {
  readonly em: EntityManager;
  readonly trx: Knex.Transaction;
  /** The workspace's metadata as committed, read under the workspace's metadata lock. */
  readonly current: WorkspaceMetadata;
}

/**
 * Runs one metadata change: a transaction that holds the workspace's metadata lock (so two admins never
 * interleave changes), fails fast when a table is busy rather than queueing behind long queries, and
 * announces the change to every kernel process when it commits.
 */
export async function inMetadataTransaction<T>(services: KernelServices, workspaceId: string, work: (tx: MetadataTx) => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await services.db.orm.em.fork().transactional(async (em) => {
      const trx = em.getTransactionContext<Knex.Transaction>()!;
      // A number from validated configuration; SET does not take bind parameters.
      await trx.raw(`set local lock_timeout = ${Math.trunc(services.config.ddlLockTimeoutMs)}`);
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`metadata:${workspaceId}`]);
      const workspace = await em.findOneOrFail(WorkspaceSchema, { id: workspaceId });
      const [objects, fields] = await Promise.all([
        em.find(ObjectMetadataSchema, { workspaceId }),
        em.find(FieldMetadataSchema, { workspaceId }),
      ]);
      const current = buildWorkspaceMetadata(workspaceId, workspace.schemaName, objects, fields);
      const value = await work({ em, trx, current });
      await em.flush();
      await services.invalidation.publish(trx, 'metadata', workspaceId);
      return value;
    });
  } catch (err) {
    if ((err as { code?: string }).code === '55P03') {
      throw new MosaicError('MOSAIC_ERR_METADATA_BUSY', 'The table is busy with other work; the schema change was not applied. Try again.', [], { cause: err });
    }
    throw err;
  }
  // A request in this process may have reloaded the cache between the in-transaction eviction and the
  // commit; evict once more so the next read sees the committed schema.
  services.invalidation.local('metadata', workspaceId);
  services.bus.written();
  return result;
}
