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
 */
export async function insertEvents(trx: Knex, events: readonly OutboxEvent[]): Promise<void> {
  if (events.length === 0) return;
  const insert = trx('event').insert(
    events.map((e) => ({
      workspace_id: e.workspaceId,
      type: e.type,
      object: e.object ?? null,
      record_id: e.recordId ?? null,
      actor: e.actor ? JSON.stringify(e.actor) : null,
      payload: JSON.stringify(e.payload),
    })),
  );
  if (!events.some((e) => e.object && e.recordId)) {
    await insert;
    return;
  }
  // Events naming a record (a plugin's, say) also go to the record's durable history, in the same
  // statement, as record writes do (records/write-sql.ts), so the record's timeline shows them.
  const { sql, bindings } = insert.returning(['id', 'workspace_id', 'type', 'object', 'record_id', 'actor', 'payload', 'created_at']).toSQL();
  await trx.raw(
    `with e as (${sql})
     insert into record_history (event_id, workspace_id, object_id, object, record_id, type, actor, payload, occurred_at)
     select e.id, e.workspace_id, o.id, e.object, e.record_id, e.type, e.actor, e.payload, e.created_at
       from e join object_metadata o on o.workspace_id = e.workspace_id and o.name = e.object
      where e.record_id is not null`,
    bindings as Knex.RawBinding[],
  );
}
