import type { KernelServices } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import type { RecordCaller } from '../records/caller.js';
import { decodeTimelineCursor, encodeTimelineCursor } from './cursor.js';
import { timelineEntry, type HistoryRow, type TimelineEntry } from './format.js';

/** Default and largest page of a timeline. */
export const DEFAULT_TIMELINE_LIMIT = 50;
export const MAX_TIMELINE_LIMIT = 500;

/** One page of a record's timeline, newest first. */
export interface TimelinePage {
  readonly data: TimelineEntry[];
  readonly page_info: { readonly has_next_page: boolean; readonly end_cursor: string | null };
}

/**
 * A record's timeline: its events, read from the outbox, where a record event is written in the statement
 * of its change (so the timeline is never behind) and kept for good (pruning takes only events without
 * an object). Events of records merged into this one count as its own. Keyset pages on
 * (occurred_at, seq), newest first, through `event_timeline_idx`.
 */
export class TimelineService {
  readonly #services: KernelServices;

  constructor(services: KernelServices) {
    this.#services = services;
  }

  async page(caller: RecordCaller, objectName: string, recordId: string, options: { limit?: number; before?: string }): Promise<TimelinePage> {
    caller.access.assertObject(objectName, 'read');
    const limit = options.limit ?? DEFAULT_TIMELINE_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TIMELINE_LIMIT) {
      throw new MosaicError('MOSAIC_ERR_QUERY_LIMIT', `limit must be a whole number from 1 to ${MAX_TIMELINE_LIMIT}.`);
    }
    const cursor = options.before === undefined ? undefined : decodeTimelineCursor(options.before);
    const object = await this.#services.metadata.object(caller.workspaceId, objectName);
    const knex = this.#services.db.knex;

    const qb = knex('event')
      .where({ workspace_id: caller.workspaceId, object_id: object.id })
      .whereRaw('coalesce(merged_into, record_id) = ?', [recordId])
      .select('seq', { event_id: 'id' }, 'type', 'actor', 'payload', { occurred_at: 'created_at' })
      .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'seq', order: 'desc' }])
      .limit(limit + 1);
    if (cursor) qb.whereRaw('(created_at, seq) < (?::timestamptz, ?::bigint)', [cursor.occurredAt, cursor.seq]);
    const rows = (await qb) as HistoryRow[];

    // No history at all: tell a record that never existed here (or is another object's) from a quiet one.
    if (rows.length === 0 && !cursor) {
      const [exists] = (await knex.withSchema(object.schema).from(object.name).where({ id: recordId }).select('id').limit(1)) as unknown[];
      if (!exists) throw new MosaicError('MOSAIC_ERR_RECORD_NOT_FOUND', `No ${object.name} record with id ${recordId}.`);
    }
    const more = rows.length > limit;
    if (more) rows.pop();
    const last = rows.at(-1);
    return {
      data: rows.map((row) => timelineEntry(object, caller.access, row)),
      page_info: {
        has_next_page: more,
        end_cursor: last ? encodeTimelineCursor({ occurredAt: new Date(last.occurred_at).toISOString(), seq: String(last.seq) }) : null,
      },
    };
  }
}
