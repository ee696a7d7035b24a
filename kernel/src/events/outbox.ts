import type { Knex } from '@mikro-orm/postgresql';
import type { Actor } from '../auth/context.js';

/** An event to store in the outbox. */
export interface OutboxEvent {
  readonly workspaceId: string;
  /** e.g. `record.created`, `field.added`, `member.removed`. */
  readonly type: string;
  readonly object?: string | null;
  readonly recordId?: string | null;
  readonly actor: Actor | null;
  readonly payload: Record<string, unknown>;
}

/**
 * Appends events to the outbox. Pass the transaction of the change they describe: the event exists if
 * and only if the change committed, which is what at-least-once delivery builds on.
 *
 * An event naming a record of an existing object (a plugin's, say) gets that object's id, which puts it
 * in the record's timeline as record writes' own events are (records/write-sql.ts).
 */
export async function insertEvents(trx: Knex, events: readonly OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  await trx('event').insert(
    events.map((e) => ({
      workspace_id: e.workspaceId,
      type: e.type,
      object: e.object ?? null,
      object_id: e.object && e.recordId ? trx.raw('(select id from object_metadata where workspace_id = ? and name = ?)', [e.workspaceId, e.object]) : null,
      record_id: e.recordId ?? null,
      actor: e.actor ? JSON.stringify(e.actor) : null,
      payload: JSON.stringify(e.payload),
    })),
  );
}
