import { MosaicError } from '../../errors/index.js';
import { fieldType, type FieldDef } from '../../metadata/field-types/index.js';
import type { ObjectDef } from '../../metadata/model.js';
import type { Access } from '../../roles/index.js';
import { readableFields } from '../mapper.js';
import type { RecordData } from '../mapper.js';

/** How the header row names columns: the fields' labels (for people) or their API keys (for programs). */
export type HeaderMode = 'label' | 'key';

/** One CSV column: its header and how to read its value from a record as the API returns it. */
export interface ExportColumn {
  /** The API key: `name`, `company_id`, or `address.city` for a composite's sub-field. */
  readonly key: string;
  readonly label: string;
  readonly read: (record: RecordData) => unknown;
}

const words = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).replaceAll('_', ' ');

/** A field's columns: one for a scalar, one per sub-field for a composite (`address.city`). */
function columnsOfField(field: FieldDef, emails: ReadonlyMap<string, string> | undefined): ExportColumn[] {
  const type = fieldType(field);
  const key = type.recordKey(field);
  const leaves = type.leaves(field);
  // A member is written as their email, which people read and an import maps back; a former member
  // (no longer in the directory) keeps the id.
  if (field.type === 'member') {
    return [{ key, label: field.label || words(field.name), read: (r) => (typeof r[key] === 'string' ? (emails?.get(r[key] as string) ?? r[key]) : null) }];
  }
  if (leaves.length === 1 && leaves[0].sub === null) return [{ key, label: field.label || words(field.name), read: (r) => r[key] }];
  return leaves.map((leaf) => ({
    key: `${key}.${leaf.sub}`,
    label: `${field.label || words(field.name)}: ${words(leaf.sub ?? '')}`,
    read: (r) => (r[key] as Record<string, unknown> | null | undefined)?.[leaf.sub!] ?? null,
  }));
}

/**
 * The columns of an export, in the order asked for. With `fields`, exactly those fields (by name or
 * record key) in that order — the columns a view shows; without, every field the caller may read, `id`
 * first. Fields the caller's role may not read are never exported: asking for one is
 * `MOSAIC_ERR_FIELD_FORBIDDEN`, so an export never silently drops a column the member expected.
 * `emails` (member id → email) turns member fields into emails.
 */
export function exportColumns(
  object: ObjectDef, access: Access, fields: readonly string[] | undefined, emails?: ReadonlyMap<string, string>,
): { columns: ExportColumn[]; projection: string[] } {
  const readable = readableFields(object, access);
  if (!fields || fields.length === 0) {
    const ordered = [...readable.filter((f) => f.name === 'id'), ...readable.filter((f) => f.name !== 'id')];
    return { columns: ordered.flatMap((f) => columnsOfField(f, emails)), projection: ordered.map((f) => f.name) };
  }
  const picked: FieldDef[] = [];
  for (const name of fields) {
    const field = object.fieldsByName.get(name) ?? object.fieldsByKey.get(name);
    if (!field || field.type === 'one_to_many') {
      throw new MosaicError('MOSAIC_ERR_QUERY_UNKNOWN_FIELD', `fields names "${name}", which is not an exportable field of ${object.name}.`, [{ path: 'fields', message: `unknown field ${name}` }]);
    }
    if (!readable.includes(field)) {
      throw new MosaicError('MOSAIC_ERR_FIELD_FORBIDDEN', `Your role (${access.roleKey}) cannot read ${field.name} on ${object.name} records.`, [{ path: 'fields', message: `${field.name} is not readable for your role` }]);
    }
    if (!picked.includes(field)) picked.push(field);
  }
  return { columns: picked.flatMap((f) => columnsOfField(f, emails)), projection: picked.map((f) => f.name) };
}
