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
 * A record's timeline, read from `record_history` — written in the same statement as each record event,
 * so it is never behind, and kept when the bus prunes delivered events. Keyset pages on
 * (occurred_at, seq), newest first.
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

    const qb = knex('record_history')
      .where({ workspace_id: caller.workspaceId, object_id: object.id, record_id: recordId })
      .select('seq', 'event_id', 'type', 'actor', 'payload', 'occurred_at')
      .orderBy([{ column: 'occurred_at', order: 'desc' }, { column: 'seq', order: 'desc' }])
      .limit(limit + 1);
    if (cursor) qb.whereRaw('(occurred_at, seq) < (?::timestamptz, ?::bigint)', [cursor.occurredAt, cursor.seq]);
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
