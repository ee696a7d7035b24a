import type { Actor } from '../auth/context.js';
import type { MetadataStore } from '../metadata/store.js';
import { fieldType, type FieldDef } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import { toRecord } from '../records/mapper.js';
import type { BusEvent } from './types.js';

/** An outbox row as stored. Record events keep raw table rows (`to_json`) in the payload. */
export interface OutboxRow {
  readonly id: string;
  readonly pos: string | number;
  readonly workspace_id: string;
  readonly type: string;
  readonly object: string | null;
  readonly record_id: string | null;
  readonly actor: Actor | null;
  readonly payload: Record<string, unknown>;
  readonly created_at: string | Date;
}

type Row = Record<string, unknown>;

/**
 * The fields whose columns differ between an update's raw rows before and after; `updated_at` is no change
 * of its own. A column neither row holds is no change either: history from before the outbox became the
 * history keeps only the changed fields' columns. The bus and the timeline both use it.
 */
export function changedFields(fields: readonly FieldDef[], before: Row, after: Row): FieldDef[] {
  return fields.filter((f) => f.name !== 'updated_at' && fieldType(f).leaves(f).some((leaf) => JSON.stringify(before[leaf.column] ?? null) !== JSON.stringify(after[leaf.column] ?? null)));
}

/**
 * Shapes a record event's raw rows into API records using the workspace's current metadata. Doing it at
 * delivery (rather than at write time) keeps the write path to one statement; a field deleted in between
 * simply no longer appears.
 */
function recordPayload(object: ObjectDef | undefined, type: string, payload: Row): Row {
  if (!object) return payload;
  const fields = object.fields.filter((f) => f.type !== 'one_to_many');
  const before = payload.before as Row | undefined;
  const after = payload.after as Row | undefined;
  if (type === 'record.updated' && before && after) {
    const changed = changedFields(fields, before, after);
    const pick = (row: Row) => toRecord(changed, row);
    return { record: toRecord(fields, after), changed_fields: changed.map((f) => f.name), before: pick(before), after: pick(after) };
  }
  // Anything else the writer put in (a merge's `merged_ids`, `values`, `merged_into`) is passed on as is.
  const { before: _before, after: _after, ...extra } = payload;
  return { ...extra, record: toRecord(fields, (after ?? before ?? {}) as Row) };
}

/** Turns an outbox row into the event subscribers receive. */
export async function formatEvent(metadata: MetadataStore, row: OutboxRow): Promise<BusEvent> {
  let payload = row.payload ?? {};
  if (row.type.startsWith('record.') && row.object) {
    const workspace = await metadata.get(row.workspace_id).catch(() => undefined);
    payload = recordPayload(workspace?.objects.get(row.object), row.type, payload);
  }
  return {
    id: row.id,
    position: Number(row.pos),
    workspace_id: row.workspace_id,
    type: row.type,
    object: row.object,
    record_id: row.record_id,
    actor: row.actor,
    occurred_at: new Date(row.created_at).toISOString(),
    payload,
  };
}
