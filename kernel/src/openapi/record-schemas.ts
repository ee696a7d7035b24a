import { fieldType, selectValues, type FieldDef, type JsonSchema, type Leaf, type LeafKind, type RelationOptions } from '../metadata/field-types/index.js';
import type { ObjectDef, WorkspaceMetadata } from '../metadata/model.js';
import type { Access } from '../roles/index.js';
import { object, orNull, ref, type Json } from './common.js';
import type { ObjectNames } from './naming.js';

/** The JSON type a stored column of each kind reads back as (see metadata/field-types/convert.ts). */
const READ_BY_KIND: Readonly<Record<LeafKind, Json>> = {
  text: { type: 'string' },
  integer: { type: 'integer' },
  decimal: { type: 'number' },
  boolean: { type: 'boolean' },
  date: { type: 'string', format: 'date' },
  datetime: { type: 'string', format: 'date-time' },
  uuid: { type: 'string', format: 'uuid' },
  text_array: { type: 'array', items: { type: 'string' } },
  json: {},
};

/** Adds `null` to a simple schema: to its `type` list and, when it has one, to its `enum`. */
function withNull(schema: Json): Json {
  if (Object.keys(schema).length === 0) return schema; // `{}` (JSON) already allows null
  if (typeof schema.type !== 'string') return orNull(schema);
  return { ...schema, type: [schema.type, 'null'], ...(Array.isArray(schema.enum) ? { enum: [...schema.enum, null] } : {}) };
}

/** What a field is, for people: its label and description, and for relations the target. */
function describe(field: FieldDef): Json {
  const parts = [
    field.description,
    field.type === 'relation' ? `Id of the related ${(field.options as unknown as RelationOptions).target} record.` : null,
    field.type === 'member' ? 'Id of a member of this workspace (GET /api/workspace/directory lists them; filter with @me for the caller).' : null,
  ];
  const text = parts.filter(Boolean).join(' ');
  return { title: field.label, ...(text ? { description: text } : {}) };
}

/** A single-column value as read: by column kind, with the exact type where metadata knows more. */
function scalarRead(field: FieldDef, leaf: Leaf): Json {
  if (field.type === 'number' && field.options.precision === 'integer') return { type: 'integer' };
  // Removing a select option rewrites the records that held it (field-update.ts), so the enum holds on read.
  if (field.type === 'select') return { type: 'string', enum: selectValues(field) };
  if (field.type === 'multi_select') return { type: 'array', items: { type: 'string', enum: selectValues(field) } };
  return READ_BY_KIND[leaf.kind];
}

/**
 * A composite as read: an object of every sub-field (arrays read as `[]` when empty, other sub-fields
 * as null), or null when all are empty. Enums of the write schema (e.g. `created_by.type`) carry over.
 */
function compositeRead(field: FieldDef, leaves: readonly Leaf[]): Json {
  const write = (fieldType(field).writeSchema(field).properties ?? {}) as Record<string, { anyOf?: JsonSchema[] }>;
  const properties: Record<string, Json> = {};
  for (const leaf of leaves) {
    const sub = leaf.sub!;
    const values = write[sub]?.anyOf?.[0]?.enum;
    const base = { ...READ_BY_KIND[leaf.kind], ...(Array.isArray(values) ? { enum: values } : {}) };
    properties[sub] = leaf.kind === 'text_array' ? base : withNull(base);
  }
  return orNull(object(properties));
}

/** The schema of one stored field's value in a record. */
export function fieldReadSchema(field: FieldDef): Json {
  const leaves = fieldType(field).leaves(field);
  if (leaves.length === 1 && leaves[0].sub === null) {
    const schema = scalarRead(field, leaves[0]);
    return { ...describe(field), ...(field.isNullable ? withNull(schema) : schema) };
  }
  return { ...describe(field), ...compositeRead(field, leaves) };
}

/**
 * `<Object>`: a record as the API returns it, with the fields the caller's role can read. Without
 * `fields=`, every listed stored property is present; with it, only those asked for (and `id`). With
 * `depth=1`, relations embed their target under the field name and reverse sides list related records.
 */
export function readSchema(object_: ObjectDef, workspace: WorkspaceMetadata, access: Access, names: ReadonlyMap<string, ObjectNames>): Json {
  const properties: Record<string, Json> = {};
  for (const field of object_.fields) {
    if (field.type === 'one_to_many' || !access.fieldRead(object_.name, field.name)) continue;
    properties[fieldType(field).recordKey(field)] = fieldReadSchema(field);
    if (field.type !== 'relation') continue;
    const target = (field.options as unknown as RelationOptions).target;
    const targetNames = names.get(target);
    if (targetNames && workspace.objects.has(target) && access.object(target, 'read')) {
      properties[field.name] = { description: `The related ${target} record; only with depth=1.`, ...orNull(ref(targetNames.read)) };
    }
  }
  for (const reverse of object_.reverseRelations) {
    const sourceNames = names.get(reverse.sourceObject);
    if (!sourceNames || !access.fieldRead(object_.name, reverse.field.name) || !access.object(reverse.sourceObject, 'read')) continue;
    properties[reverse.field.name] = {
      type: 'array',
      items: ref(sourceNames.read),
      description: `${reverse.sourceObject} records whose ${reverse.sourceField.name} points here (newest 50); only with depth=1.`,
    };
  }
  return {
    type: 'object',
    description: object_.description ?? `A ${object_.labelSingular} record.`,
    required: ['id'],
    properties,
  };
}

/**
 * `<Object>Create` or `<Object>Update`: exactly the JSON Schema records/validation.ts validates bodies
 * with (each field type's `writeSchema`, null added for nullable fields, the same `required`), narrowed
 * to the fields the caller's role may set. A required field the role may not set stays required: such
 * a role cannot create records, and the schema says so by accepting no body.
 */
export function writeSchema(object_: ObjectDef, access: Access, mode: 'create' | 'update'): Json {
  const properties: Record<string, Json> = {};
  const required: string[] = [];
  for (const field of object_.fields) {
    if (field.type === 'one_to_many' || (field.system && field.name !== 'id' && field.name !== 'position')) continue;
    if (mode === 'update' && field.name === 'id') continue;
    const type = fieldType(field);
    const key = type.recordKey(field);
    if (mode === 'create' && !field.isNullable && !field.system && (field.defaultValue === null || field.defaultValue === undefined)) required.push(key);
    if (!access.fieldUpdate(object_.name, field.name) || !access.fieldRead(object_.name, field.name)) continue;
    const schema = type.writeSchema(field);
    properties[key] = { ...describe(field), ...(field.isNullable ? { anyOf: [schema, { type: 'null' }] } : schema) };
  }
  return {
    type: 'object',
    additionalProperties: false,
    properties,
    required,
    ...(mode === 'update' ? { minProperties: 1 } : {}),
  };
}

/** The schemas one object contributes to `components.schemas`, by name. */
export function objectSchemas(object_: ObjectDef, workspace: WorkspaceMetadata, access: Access, names: ReadonlyMap<string, ObjectNames>): Record<string, Json> {
  const own = names.get(object_.name)!;
  return {
    [own.read]: readSchema(object_, workspace, access, names),
    ...(access.object(object_.name, 'create') ? { [own.create]: writeSchema(object_, access, 'create') } : {}),
    ...(access.object(object_.name, 'update') || access.object(object_.name, 'create') ? { [own.update]: writeSchema(object_, access, 'update') } : {}),
    [own.list]: object(
      { data: { type: 'array', items: ref(own.read) }, page_info: ref('PageInfo'), total_count: { type: 'integer', minimum: 0, description: 'Only with count=true.' } },
      { optional: ['total_count'] },
    ),
  };
}
