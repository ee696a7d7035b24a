import type { Knex } from '@mikro-orm/postgresql';
import { MosaicError, type ErrorDetail } from '../errors/index.js';
import { fieldType } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import type { RecordCaller } from './caller.js';
import { assertWritable, readableFields, toColumns, toRecord, type RecordData } from './mapper.js';
import { validateBody } from './validation.js';
import { actorColumns, insertStatement, run, updateStatement } from './write-sql.js';

/** Most records one batch call takes. */
export const MAX_BATCH = 1000;

/** A batch: records to create, or to upsert by `id` or a unique field. */
export interface BatchInput {
  readonly records: readonly unknown[];
  readonly upsert_on?: string;
}

/** What a batch did, in input order. */
export interface BatchResult {
  readonly data: RecordData[];
  readonly created: number;
  readonly updated: number;
}

/** The column an upsert matches on: `id` or a unique single-column field. */
function upsertKey(object: ObjectDef, key: string): string {
  if (key === 'id') return 'id';
  const field = object.fieldsByKey.get(key);
  if (!field || !field.isUnique || fieldType(field).leaves(field).length !== 1) {
    throw new MosaicError('MOSAIC_ERR_REQUEST_INVALID', `upsert_on must be "id" or a unique single-value field of ${object.name}; "${key}" is not.`, [{ path: 'upsert_on', message: 'not a unique field' }]);
  }
  return fieldType(field).leaves(field)[0].column;
}

/**
 * Creates or upserts up to 1,000 records in one transaction: every record is validated first and all
 * problems are reported together (`records[3].email …`); either every record is written or none is.
 */
export async function batchRecords(knex: Knex, object: ObjectDef, caller: RecordCaller, input: BatchInput): Promise<BatchResult> {
  const { records } = input;
  if (records.length > MAX_BATCH) throw new MosaicError('MOSAIC_ERR_BATCH_TOO_LARGE', `A batch holds at most ${MAX_BATCH} records; this one has ${records.length}.`);
  caller.access.assertObject(object.name, 'create');
  const key = input.upsert_on;
  const column = key ? upsertKey(object, key) : undefined;
  if (key) caller.access.assertObject(object.name, 'update');

  return knex.transaction(async (trx) => {
    const existing = new Map<string, string>();
    if (key && column) {
      const values = records.map((r) => (r as Record<string, unknown> | null)?.[key]).filter((v): v is string | number => v !== undefined && v !== null);
      const seen = new Set<string>();
      const duplicates = values.filter((v) => (seen.has(String(v)) ? true : (seen.add(String(v)), false)));
      if (duplicates.length > 0) {
        throw new MosaicError('MOSAIC_ERR_RECORD_INVALID', `The batch has the same ${key} more than once: ${[...new Set(duplicates)].slice(0, 10).join(', ')}.`, [{ path: `records.${key}`, message: 'duplicate in batch' }]);
      }
      if (values.length > 0) {
        const rows = (await trx.withSchema(object.schema).from(object.name).select('id', column).whereIn(column, values as Knex.Value[]).whereNull('deleted_at').forUpdate()) as Record<string, unknown>[];
        for (const row of rows) existing.set(String(row[column]), String(row.id));
      }
    }

    const problems: ErrorDetail[] = [];
    const plan = records.map((body, i) => {
      const keyValue = key ? (body as Record<string, unknown> | null)?.[key] : undefined;
      const id = keyValue === undefined || keyValue === null ? undefined : existing.get(String(keyValue));
      try {
        if (id) {
          const { [key!]: _key, ...rest } = body as Record<string, unknown>;
          const patch = key === 'id' ? rest : (body as Record<string, unknown>);
          if (Object.keys(patch).length > 0) validateBody(object, patch, 'update');
          assertWritable(object, caller.access, patch);
          return { index: i, id, values: toColumns(object, patch, true) };
        }
        validateBody(object, body, 'create');
        assertWritable(object, caller.access, body);
        return { index: i, id: undefined, values: { ...toColumns(object, body, false), ...actorColumns(caller.actor) } };
      } catch (err) {
        if (!(err instanceof MosaicError)) throw err;
        const details = err.details.length > 0 ? err.details : [{ message: err.message }];
        for (const d of details) problems.push({ path: `records[${i}]${d.path ? `.${d.path}` : ''}`, message: d.message });
        return undefined;
      }
    });
    if (problems.length > 0) {
      throw new MosaicError('MOSAIC_ERR_RECORD_INVALID', `${new Set(problems.map((p) => p.path?.split('.')[0])).size} of ${records.length} records are invalid; nothing was written.`, problems);
    }

    const data: RecordData[] = new Array(records.length);
    const fields = readableFields(object, caller.access);
    const creates = plan.filter((p) => p && !p.id) as { index: number; values: Record<string, unknown> }[];
    if (creates.length > 0) {
      const rows = await run(trx, insertStatement(object, caller.workspaceId, caller.actor, creates.map((c) => c.values)));
      // INSERT … RETURNING returns rows in VALUES order.
      rows.forEach((row, i) => (data[creates[i].index] = toRecord(fields, row)));
    }
    let updated = 0;
    for (const step of plan) {
      if (!step?.id) continue;
      const [row] = await run(trx, updateStatement(object, caller.workspaceId, caller.actor, step.id, step.values));
      data[step.index] = toRecord(fields, row);
      updated++;
    }
    return { data, created: creates.length, updated };
  });
}
