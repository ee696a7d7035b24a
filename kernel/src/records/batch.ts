import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import { MosaicError, type ErrorDetail } from '../errors/index.js';
import { fieldType, type ColumnValues } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import type { RecordCaller } from './caller.js';
import { assertWritable, readableFields, toColumns, toRecord, type RecordData } from './mapper.js';
import { memberProblems } from './members.js';
import { validateBody } from './validation.js';
import { bulkInsertStatement, bulkUpdateStatement, rowsDocument } from './bulk-sql.js';
import { ident } from './execute.js';
import { run, type Statement } from './write-sql.js';

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

/** The column an upsert matches on, and its SQL type: `id` or a unique single-column field. */
function upsertKey(object: ObjectDef, key: string): { column: string; sqlType: string } {
  if (key === 'id') return { column: 'id', sqlType: 'uuid' };
  const field = object.fieldsByKey.get(key);
  if (!field || !field.isUnique || fieldType(field).leaves(field).length !== 1) {
    throw new MosaicError('MOSAIC_ERR_REQUEST_INVALID', `upsert_on must be "id" or a unique single-value field of ${object.name}; "${key}" is not.`, [{ path: 'upsert_on', message: 'not a unique field' }]);
  }
  const [leaf] = fieldType(field).leaves(field);
  return { column: leaf.column, sqlType: leaf.sqlType };
}

/** Options for callers inside the kernel (the CSV import): bigger batches, and no rows back. */
export interface BatchOptions {
  /** Most records per call; defaults to {@link MAX_BATCH}, the public API's limit. */
  readonly limit?: number;
  /** False: return counts only (`data` is empty), sparing PostgreSQL the rows and this process their mapping. */
  readonly returning?: boolean;
}

/** The create half of a record, checked ahead of the write: its columns, or why it cannot be created. */
type PreparedCreate = { readonly values: ColumnValues } | { readonly problems: readonly ErrorDetail[] };

/**
 * A batch checked in this process and ready to write ({@link prepareBatch}): everything about it that
 * needs no database. An import prepares the next batch while PostgreSQL writes the one before.
 */
export interface PreparedBatch {
  readonly object: ObjectDef;
  readonly caller: RecordCaller;
  readonly records: readonly unknown[];
  readonly key: string | undefined;
  readonly match: { column: string; sqlType: string } | undefined;
  readonly returning: boolean;
  /** Per record: its columns as a new record, or its problems as one. */
  readonly creates: readonly PreparedCreate[];
  /** Every record that can be created, filled and serialized for the insert; used when all of them are. */
  readonly document: { readonly columns: string[]; readonly rows: ColumnValues[]; readonly json: string } | undefined;
}

/** Prefixes a record's problems with its place in the batch (`records[3].email`). */
function problemsOf(error: unknown, index: number): ErrorDetail[] {
  if (!(error instanceof MosaicError)) throw error;
  const details = error.details.length > 0 ? error.details : [{ message: error.message }];
  return details.map((d) => ({ path: `records[${index}]${d.path ? `.${d.path}` : ''}`, message: d.message }));
}

/**
 * Checks a batch without the database: size, the caller's access, the upsert key, duplicate keys, and
 * every record as a new record (schema, field permissions, columns). Throws for what is wrong with the
 * batch as a whole; a record's own problems are kept and reported by {@link writeBatch} with the others.
 */
export function prepareBatch(object: ObjectDef, caller: RecordCaller, input: BatchInput, options: BatchOptions = {}): PreparedBatch {
  const { records } = input;
  const limit = options.limit ?? MAX_BATCH;
  if (records.length > limit) throw new MosaicError('MOSAIC_ERR_BATCH_TOO_LARGE', `A batch holds at most ${limit} records; this one has ${records.length}.`);
  caller.access.assertObject(object.name, 'create');
  const key = input.upsert_on;
  const match = key ? upsertKey(object, key) : undefined;
  if (key) {
    caller.access.assertObject(object.name, 'update');
    const seen = new Set<string>();
    const duplicates = keyValues(records, key).filter((v) => (seen.has(String(v)) ? true : (seen.add(String(v)), false)));
    if (duplicates.length > 0) {
      throw new MosaicError('MOSAIC_ERR_RECORD_INVALID', `The batch has the same ${key} more than once: ${[...new Set(duplicates)].slice(0, 10).join(', ')}.`, [{ path: `records.${key}`, message: 'duplicate in batch' }]);
    }
  }
  const creates = records.map((body, i): PreparedCreate => {
    try {
      validateBody(object, body, 'create');
      assertWritable(object, caller.access, body);
      return { values: toColumns(object, body, false) };
    } catch (err) {
      return { problems: problemsOf(err, i) };
    }
  });
  const valid = creates.filter((c): c is { values: ColumnValues } => 'values' in c);
  let document: PreparedBatch['document'];
  if (valid.length > 0) {
    const { columns, rows } = createRows(object, valid.map((c) => c.values));
    document = { columns, rows, json: rowsDocument(object, rows) };
  }
  return { object, caller, records, key, match, returning: options.returning ?? true, creates, document };
}

/** The non-empty upsert key values of the records. */
function keyValues(records: readonly unknown[], key: string): (string | number)[] {
  return records.map((r) => (r as Record<string, unknown> | null)?.[key]).filter((v): v is string | number => v !== undefined && v !== null);
}

/**
 * Creates or upserts up to 1,000 records in one transaction: every record is validated first and all
 * problems are reported together (`records[3].email …`); either every record is written or none is.
 *
 * The writes are set-based: one statement inserts every new record with its event (also its history),
 * and one statement per set of changed columns updates the existing ones (see `bulk-sql.ts`), so a
 * batch costs a handful of round trips whatever its size.
 */
export async function batchRecords(knex: Knex, object: ObjectDef, caller: RecordCaller, input: BatchInput, options: BatchOptions = {}): Promise<BatchResult> {
  return writeBatch(knex, prepareBatch(object, caller, input, options));
}

/**
 * Writes a prepared batch in one transaction: looks up the records an upsert matches (locking them),
 * checks those as updates, reports every problem of the batch together, then writes.
 */
export async function writeBatch(knex: Knex, batch: PreparedBatch): Promise<BatchResult> {
  const { object, caller, records, key, match, returning } = batch;
  return knex.transaction(async (trx) => {
    const existing = new Map<string, string>();
    if (key && match) {
      const values = keyValues(records, key);
      if (values.length > 0) {
        for (const row of await run(trx, existingStatement(object, match, values))) existing.set(String(row.key), String(row.id));
      }
    }

    const problems: ErrorDetail[] = [];
    const plan = records.map((body, i) => {
      const keyValue = key ? (body as Record<string, unknown> | null)?.[key] : undefined;
      const id = keyValue === undefined || keyValue === null ? undefined : existing.get(String(keyValue));
      if (!id) {
        const create = batch.creates[i];
        if ('problems' in create) return void problems.push(...create.problems);
        return { index: i, id: undefined, values: create.values };
      }
      try {
        const { [key!]: _key, ...rest } = body as Record<string, unknown>;
        const patch = key === 'id' ? rest : (body as Record<string, unknown>);
        if (Object.keys(patch).length > 0) validateBody(object, patch, 'update');
        assertWritable(object, caller.access, patch);
        return { index: i, id, values: toColumns(object, patch, true) };
      } catch (err) {
        return void problems.push(...problemsOf(err, i));
      }
    });
    for (const [i, list] of await memberProblems(trx, object, caller.workspaceId, records)) {
      for (const d of list) problems.push({ path: `records[${i}].${d.path}`, message: d.message });
    }
    if (problems.length > 0) {
      throw new MosaicError('MOSAIC_ERR_RECORD_INVALID', `${new Set(problems.map((p) => p.path?.split('.')[0])).size} of ${records.length} records are invalid; nothing was written.`, problems);
    }

    const data: RecordData[] = returning ? new Array(records.length) : [];
    const fields = readableFields(object, caller.access);
    const steps = plan as { index: number; id: string | undefined; values: ColumnValues }[];
    const creates = steps.filter((p) => !p.id);
    let created = 0;
    if (creates.length > 0) {
      // The prepared document holds every record that could be created; when some turned out to be
      // updates, the others are filled and serialized again.
      const { columns, rows, json } = creates.length === batch.document?.rows.length
        ? batch.document
        : ((filled) => ({ ...filled, json: rowsDocument(object, filled.rows) }))(createRows(object, creates.map((c) => c.values)));
      const written = await run(trx, bulkInsertStatement(object, caller.workspaceId, caller.actor, columns, json, returning));
      if (returning) {
        const byId = new Map(written.map((row) => [String(row.id), row]));
        creates.forEach((c, i) => (data[c.index] = toRecord(fields, byId.get(String(rows[i].id))!)));
        created = written.length;
      } else created = Number(written[0].count);
    }
    let updated = 0;
    // Rows that set the same columns share one statement.
    const shapes = new Map<string, { index: number; values: ColumnValues }[]>();
    for (const step of steps) {
      if (!step.id) continue;
      const values = { ...step.values, id: step.id };
      const shape = Object.keys(values).sort().join(',');
      shapes.set(shape, [...(shapes.get(shape) ?? []), { index: step.index, values }]);
    }
    for (const [shape, group] of shapes) {
      const written = await run(trx, bulkUpdateStatement(object, caller.workspaceId, caller.actor, shape.split(','), group.map((g) => g.values), returning));
      if (returning) {
        const byId = new Map(written.map((row) => [String(row.id), row]));
        for (const g of group) {
          const row = byId.get(String(g.values.id));
          if (row) data[g.index] = toRecord(fields, row);
        }
        updated += written.length;
      } else updated += Number(written[0].count);
    }
    return { data, created, updated };
  });
}

/** The live records whose `column` holds one of `values`, as `{ id, key }`: one indexed `= any(array)` lookup, locked. */
function existingStatement(object: ObjectDef, { column, sqlType }: { column: string; sqlType: string }, values: readonly (string | number)[]): Statement {
  return {
    text: `select id, ${ident(column)}::text as key from ${ident(object.schema)}.${ident(object.name)} where ${ident(column)} = any(array(select jsonb_array_elements_text($1::jsonb))::${sqlType}[]) and deleted_at is null for update`,
    values: [JSON.stringify(values)],
  };
}

/**
 * The column list and rows of a set-based insert. Every row gets every column: an id made here (so
 * the written rows are matched back to their input by id, never by position), and the field's default
 * where a row leaves a defaulted field out — in one statement a missing value would be NULL, not DEFAULT.
 */
function createRows(object: ObjectDef, values: readonly ColumnValues[]): { columns: string[]; rows: ColumnValues[] } {
  const columns = new Set<string>(['id']);
  for (const row of values) for (const c of Object.keys(row)) columns.add(c);
  const defaults: ColumnValues = {};
  for (const field of object.fields) {
    if (field.defaultValue === null || field.defaultValue === undefined || field.system) continue;
    const leaves = fieldType(field).leaves(field);
    if (leaves.length === 1 && columns.has(leaves[0].column)) defaults[leaves[0].column] = field.type === 'json' ? JSON.stringify(field.defaultValue) : field.defaultValue;
  }
  const rows = values.map((row) => {
    const full: ColumnValues = { id: row.id ?? randomUUID() };
    for (const c of columns) if (c !== 'id') full[c] = c in row ? row[c] : (defaults[c] ?? null);
    return full;
  });
  return { columns: [...columns], rows };
}
