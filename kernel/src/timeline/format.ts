import type { Actor } from '../auth/context.js';
import { fieldType } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import { changedFields } from '../events/format.js';
import { readableFields, toRecord, type RecordData } from '../records/mapper.js';
import type { Access } from '../roles/index.js';

/** A record event as the timeline reads it. */
export interface HistoryRow {
  readonly seq: string;
  readonly event_id: string;
  readonly type: string;
  readonly actor: Actor | null;
  readonly payload: Record<string, unknown>;
  readonly occurred_at: string | Date;
}

/** One timeline entry as the API returns it. */
export interface TimelineEntry {
  readonly id: string;
  readonly type: string;
  readonly occurred_at: string;
  readonly actor: { type: string; id: string; name: string } | null;
  readonly changed_fields?: string[];
  readonly before?: RecordData;
  readonly after?: RecordData;
}

type Row = Record<string, unknown>;

const isRow = (value: unknown): value is Row => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Shapes a history row for a caller with the object's current metadata, keeping only the fields the
 * caller's role may read — in `changed_fields`, `before` and `after` alike. A field deleted since simply
 * no longer appears. Events other than the record's own (a plugin's, naming the record) carry no record
 * data: their payload is the plugin's and cannot be checked against field permissions.
 */
export function timelineEntry(object: ObjectDef, access: Access, row: HistoryRow): TimelineEntry {
  const entry: TimelineEntry = {
    id: row.event_id,
    type: row.type,
    occurred_at: new Date(row.occurred_at).toISOString(),
    actor: row.actor ? { type: row.actor.type, id: row.actor.id, name: row.actor.name } : null,
  };
  if (!row.type.startsWith('record.')) return entry;
  const fields = readableFields(object, access);
  const before = isRow(row.payload.before) ? row.payload.before : undefined;
  const after = isRow(row.payload.after) ? row.payload.after : undefined;
  if (row.type === 'record.updated') {
    const changed = changedFields(fields, before ?? {}, after ?? {});
    return { ...entry, changed_fields: changed.map((f) => fieldType(f).recordKey(f)), before: toRecord(changed, before ?? {}), after: toRecord(changed, after ?? {}) };
  }
  return { ...entry, ...(before ? { before: toRecord(fields, before) } : {}), ...(after ? { after: toRecord(fields, after) } : {}) };
}
