import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { KernelServices } from '../app/services.js';
import type { Actor } from '../auth/context.js';
import { insertEvents, type OutboxEvent } from '../events/outbox.js';
import type { InvalidationTopic } from '../invalidation/index.js';

/** Workspace lifecycle events this module writes to the `event` outbox. */
export type WorkspaceEventType =
  | 'member.added'
  | 'member.role_changed'
  | 'member.removed'
  | 'api_key.created'
  | 'api_key.revoked'
  | 'role.created'
  | 'role.updated'
  | 'role.deleted';

/** What a change can do inside its transaction. */
export interface Change {
  /** A transactional entity manager; pending entities are flushed before the transaction commits. */
  readonly em: EntityManager;
  /** The same transaction as knex, for conditional updates and locks. */
  readonly trx: Knex;
  /** Queues an event; it is written in the same transaction. Never put secrets in `payload`. */
  event(workspaceId: string, type: WorkspaceEventType, actor: Actor, payload: Record<string, unknown>): void;
  /** Queues a cache invalidation, announced in the same transaction so other processes hear of it only on commit. */
  invalidate(topic: InvalidationTopic, key: string): void;
}

/**
 * Runs a workspace administration change: its rows, its events and its cache invalidations commit
 * together or not at all.
 */
export async function applyChange<T>(services: KernelServices, fn: (change: Change) => Promise<T>): Promise<T> {
  const invalidations: [InvalidationTopic, string][] = [];
  const result = await services.db.orm.em.fork().transactional(async (em) => {
    const trx = em.getTransactionContext<Knex.Transaction>();
    if (!trx) throw new Error('applyChange: no transaction context');
    const events: OutboxEvent[] = [];
    const value = await fn({
      em,
      trx,
      event: (workspaceId, type, actor, payload) => events.push({ workspaceId, type, actor, payload }),
      invalidate: (topic, key) => invalidations.push([topic, key]),
    });
    await em.flush();
    await insertEvents(trx, events);
    for (const [topic, key] of invalidations) await services.invalidation.publish(trx, topic, key);
    return value;
  });
  // publish() already evicted this process's caches, but before the commit: a request in that gap may
  // have re-read the old rows. Evicting again now that the change is visible closes the gap.
  for (const [topic, key] of invalidations) services.invalidation.local(topic, key);
  return result;
}
