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

/**
 * Updates record events of one object, locking them in `seq` order first as the event sequencer locks
 * the events it positions, so the two never deadlock. Only timelines change this way; what an event says
 * (`record_id`, payload) never does.
 */
async function updateTimelineEvents(trx: Knex, set: string, where: string, bindings: readonly Knex.RawBinding[]): Promise<void> {
  await trx.raw(`update event set ${set} where seq in (select seq from event where ${where} order by seq for update)`, bindings as Knex.RawBinding[]);
}

/**
 * Moves the timelines of records merged into `into` to it (`merged_into`); their events keep naming the
 * records they are about, so those not yet delivered still say what they said. `from` are record ids.
 */
export async function moveTimelines(trx: Knex, workspaceId: string, objectId: string, from: readonly string[], into: string): Promise<void> {
  await updateTimelineEvents(trx, 'merged_into = ?', 'workspace_id = ? and object_id = ? and coalesce(merged_into, record_id) = any(?::uuid[])', [into, workspaceId, objectId, `{${from.join(',')}}`]);
}

/**
 * Takes a deleted object's events out of every timeline: they become ordinary outbox rows, still delivered
 * to subscribers that have not had them, then pruned.
 */
export async function detachTimelines(trx: Knex, workspaceId: string, objectId: string): Promise<void> {
  await updateTimelineEvents(trx, 'object_id = null, merged_into = null', 'workspace_id = ? and object_id = ?', [workspaceId, objectId]);
}
