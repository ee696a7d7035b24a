import { MosaicError } from '../errors/index.js';
import { fieldType, type ColumnValues, type FieldDef } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import type { Access } from '../roles/index.js';

/** A record as the API returns it. */
export type RecordData = Record<string, unknown>;

/**
 * Readable fields per compiled object and per `Access`. Both are immutable and replaced on change (a
 * metadata change builds new object definitions; a role change builds new `Access` objects), so weak
 * maps keyed by identity never serve stale answers and need no invalidation.
 */
const readableCache = new WeakMap<ObjectDef, WeakMap<Access, FieldDef[]>>();

/** The stored fields of an object a caller may read, optionally narrowed by a `fields=` projection. */
export function readableFields(object: ObjectDef, access: Access, projection?: readonly string[]): FieldDef[] {
  let perAccess = readableCache.get(object);
  if (!perAccess) readableCache.set(object, (perAccess = new WeakMap()));
  let readable = perAccess.get(access);
  if (!readable) {
    readable = object.fields.filter((f) => f.type !== 'one_to_many' && access.fieldRead(object.name, f.name));
    perAccess.set(access, readable);
  }
  if (!projection) return readable;
  const wanted = new Set(projection);
  const picked = readable.filter((f) => f.name === 'id' || wanted.has(f.name) || wanted.has(fieldType(f).recordKey(f)));
  for (const name of wanted) {
    if (!object.fieldsByName.has(name) && !object.fieldsByKey.has(name)) {
      throw new MosaicError('MOSAIC_ERR_QUERY_UNKNOWN_FIELD', `fields names "${name}", which is not a field of ${object.name}.`, [{ path: 'fields', message: `unknown field ${name}` }]);
    }
  }
  return picked;
}

const columnsCache = new WeakMap<readonly FieldDef[], string[]>();

/** The columns to select for a set of fields. */
export function columnsOf(fields: readonly FieldDef[]): string[] {
  let columns = columnsCache.get(fields);
  if (!columns) {
    columns = fields.flatMap((f) => fieldType(f).leaves(f).map((l) => l.column));
    columnsCache.set(fields, columns);
  }
  return columns;
}

type Reader = readonly [key: string, read: (row: Readonly<Record<string, unknown>>) => unknown];
const readersCache = new WeakMap<readonly FieldDef[], readonly Reader[]>();

/** Per field list, the record key and reader of each field, worked out once rather than per row. */
function readers(fields: readonly FieldDef[]): readonly Reader[] {
  let list = readersCache.get(fields);
  if (!list) {
    list = fields.map((field) => {
      const type = fieldType(field);
      return [type.recordKey(field), (row) => type.fromRow(field, row)] as const;
    });
    readersCache.set(fields, list);
  }
  return list;
}

/** Reads a record from a row, keeping only the given fields. */
export function toRecord(fields: readonly FieldDef[], row: Readonly<Record<string, unknown>>): RecordData {
  const record: RecordData = {};
  for (const [key, read] of readers(fields)) record[key] = read(row);
  return record;
}

/**
 * Converts a validated body into column values. JSON values are serialised here because the driver
 * would otherwise turn a JS array into a PostgreSQL array rather than a JSON array.
 */
export function toColumns(object: ObjectDef, body: Readonly<Record<string, unknown>>, partial: boolean): ColumnValues {
  const out: ColumnValues = {};
  for (const [key, value] of Object.entries(body)) {
    const field = object.fieldsByKey.get(key)!;
    fieldType(field).toColumns(field, value, out, partial);
    if (field.type === 'json') out[field.name] = value === null ? null : JSON.stringify(value);
  }
  return out;
}

/** Refuses a write that sets fields the caller's role may not update. */
export function assertWritable(object: ObjectDef, access: Access, body: Readonly<Record<string, unknown>>): void {
  const denied = Object.keys(body).filter((key) => {
    const field = object.fieldsByKey.get(key);
    return field && !access.fieldUpdate(object.name, field.name);
  });
  if (denied.length > 0) {
    throw new MosaicError('MOSAIC_ERR_FIELD_FORBIDDEN', `Your role (${access.roleKey}) cannot set ${denied.join(', ')} on ${object.name} records.`, denied.map((path) => ({ path, message: 'not writable for your role' })));
  }
}
