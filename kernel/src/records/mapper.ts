import { MosaicError } from '../errors/index.js';
import { fieldType, type ColumnValues, type FieldDef } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import type { Access } from '../roles/index.js';

/** A record as the API returns it. */
export type RecordData = Record<string, unknown>;

/** The stored fields of an object a caller may read, optionally narrowed by a `fields=` projection. */
export function readableFields(object: ObjectDef, access: Access, projection?: readonly string[]): FieldDef[] {
  const readable = object.fields.filter((f) => f.type !== 'one_to_many' && access.fieldRead(object.name, f.name));
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

/** The columns to select for a set of fields. */
export function columnsOf(fields: readonly FieldDef[]): string[] {
  return fields.flatMap((f) => fieldType(f).leaves(f).map((l) => l.column));
}

/** Reads a record from a row, keeping only the given fields. */
export function toRecord(fields: readonly FieldDef[], row: Readonly<Record<string, unknown>>): RecordData {
  const record: RecordData = {};
  for (const field of fields) {
    const type = fieldType(field);
    record[type.recordKey(field)] = type.fromRow(field, row);
  }
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
