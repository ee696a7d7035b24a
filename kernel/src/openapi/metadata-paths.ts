import { FIELD_TYPES, fieldType, type FieldType } from '../metadata/field-types/index.js';
import type { Access } from '../roles/index.js';
import { addOperation, object, pathParam, ref, type Json, type Paths } from './common.js';

/**
 * `/api/metadata`: the routes of metadata/routes.ts. Its body schemas are module-local there, so they
 * are restated here (same limits); `type` and `options` are tightened to what the service accepts.
 */

const name = { type: 'string', minLength: 1, maxLength: 64 };
const label = { type: 'string', minLength: 1, maxLength: 120 };
const nullableText = { type: ['string', 'null'], maxLength: 2000 };
const SYSTEM_TYPES = ['uuid', 'actor', 'position', 'one_to_many'];

const fieldProperties: Record<string, Json> = {
  name: { ...name, description: 'lower snake_case; a relation named `company` is stored and written as `company_id`.' },
  type: { type: 'string', enum: [...FIELD_TYPES] },
  label,
  description: nullableText,
  options: { type: 'object', description: 'Depends on `type`; see the conditions of this schema.' },
  is_nullable: { type: 'boolean', default: true, description: 'false makes the field required (single-value types only).' },
  is_unique: { type: 'boolean', default: false },
  is_indexed: { type: 'boolean', default: false },
  default_value: { description: "A value valid for the field's type (scalar types only)." },
  position: { type: 'integer' },
};

/** `options` per field type, as `if type is T then options match T's options schema`. */
const optionsByType: Json[] = FIELD_TYPES.map((type: FieldType) => ({
  if: { required: ['type'], properties: { type: { const: type } } },
  then: { properties: { options: fieldType({ type }).optionsSchema } },
}));

/** The component schemas the metadata routes use. */
export const METADATA_SCHEMAS: Record<string, Json> = {
  FieldMetadata: object({
    id: { type: 'string', description: 'A uuid, or `system:<name>` for system fields.' },
    name: { type: 'string' },
    key: { type: 'string', description: 'The key of the value in records (`company_id` for the relation `company`).' },
    label: { type: 'string' },
    description: { type: ['string', 'null'] },
    type: { type: 'string', enum: [...FIELD_TYPES, ...SYSTEM_TYPES] },
    options: { type: 'object' },
    is_system: { type: 'boolean' },
    is_nullable: { type: 'boolean' },
    is_unique: { type: 'boolean' },
    is_indexed: { type: 'boolean' },
    default_value: {},
    position: { type: 'number' },
    plugin_id: { type: ['string', 'null'] },
  }),
  ObjectMetadata: object({
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    label_singular: { type: 'string' },
    label_plural: { type: 'string' },
    description: { type: ['string', 'null'] },
    icon: { type: ['string', 'null'] },
    label_field: { type: ['string', 'null'] },
    plugin_id: { type: ['string', 'null'] },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
    fields: { type: 'array', items: ref('FieldMetadata'), description: 'System and declared fields your role can read, in display order.' },
  }),
  FieldInput: { ...object(fieldProperties, { optional: Object.keys(fieldProperties).filter((k) => k !== 'name' && k !== 'type') }), allOf: optionsByType },
  FieldPatch: {
    ...object(fieldProperties, { optional: Object.keys(fieldProperties) }),
    minProperties: 1,
    description: 'The type cannot change; relation targets and on_delete cannot change.',
  },
  ObjectInput: object(
    {
      name: { ...name, description: 'lower snake_case; names of API routes (`metadata`, `openapi`, …) are reserved.' },
      label_singular: label,
      label_plural: label,
      description: nullableText,
      icon: { type: ['string', 'null'], maxLength: 64 },
      label_field: { type: ['string', 'null'], maxLength: 64 },
      fields: { type: 'array', maxItems: 200, items: ref('FieldInput') },
    },
    { optional: ['label_singular', 'label_plural', 'description', 'icon', 'label_field', 'fields'] },
  ),
  ObjectPatch: {
    ...object(
      { name, label_singular: label, label_plural: label, description: nullableText, icon: { type: ['string', 'null'], maxLength: 64 }, label_field: { type: ['string', 'null'], maxLength: 64 } },
      { optional: ['name', 'label_singular', 'label_plural', 'description', 'icon', 'label_field'] },
    ),
    minProperties: 1,
  },
};

/** The metadata paths; changes only for roles with the `metadata` capability. */
export function metadataPaths(access: Access): Paths {
  const paths: Paths = {};
  const tag = 'Metadata';
  const objectParam = pathParam('object', name, 'The object name.');
  const fieldParam = pathParam('field', name, 'The field name.');
  const objectBody = (status: 200 | 201, description: string) => ({ status, description, schema: object({ data: ref('ObjectMetadata') }) });

  addOperation(paths, '/api/metadata/field-types', 'get', {
    id: 'metadata.listFieldTypes',
    summary: 'List the field types',
    tag,
    ok: { status: 200, description: 'The declarable field types.', schema: object({ data: { type: 'array', items: { type: 'string', enum: [...FIELD_TYPES] } } }) },
    errors: [],
    security: 'public',
  });
  addOperation(paths, '/api/metadata/objects', 'get', {
    id: 'metadata.listObjects',
    summary: 'List objects and their fields',
    description: 'Only the objects and fields your role can read.',
    tag,
    ok: { status: 200, description: 'The objects.', schema: object({ data: { type: 'array', items: ref('ObjectMetadata') } }) },
    errors: [],
  });
  addOperation(paths, '/api/metadata/objects/{object}', 'get', {
    id: 'metadata.getObject',
    summary: 'Get an object and its fields',
    tag,
    parameters: [objectParam],
    ok: objectBody(200, 'The object.'),
    errors: [400, 404],
  });
  if (!access.can('metadata')) return paths;

  const changes = [400, 403, 404, 409] as const;
  addOperation(paths, '/api/metadata/objects', 'post', {
    id: 'metadata.createObject',
    summary: 'Create an object (a table) with fields',
    tag,
    body: ref('ObjectInput'),
    ok: objectBody(201, 'The created object.'),
    errors: changes,
  });
  addOperation(paths, '/api/metadata/objects/{object}', 'patch', {
    id: 'metadata.updateObject',
    summary: 'Rename or relabel an object',
    tag,
    parameters: [objectParam],
    body: ref('ObjectPatch'),
    ok: objectBody(200, 'The updated object.'),
    errors: changes,
  });
  addOperation(paths, '/api/metadata/objects/{object}', 'delete', {
    id: 'metadata.deleteObject',
    summary: 'Delete an object and all its records',
    tag,
    parameters: [objectParam],
    ok: { status: 204, description: 'Deleted.' },
    errors: changes,
  });
  addOperation(paths, '/api/metadata/objects/{object}/fields', 'post', {
    id: 'metadata.addField',
    summary: 'Add a field',
    tag,
    parameters: [objectParam],
    body: ref('FieldInput'),
    ok: objectBody(201, 'The object with the new field.'),
    errors: changes,
  });
  addOperation(paths, '/api/metadata/objects/{object}/fields/{field}', 'patch', {
    id: 'metadata.updateField',
    summary: 'Change a field',
    tag,
    parameters: [objectParam, fieldParam],
    body: ref('FieldPatch'),
    ok: objectBody(200, 'The object with the changed field.'),
    errors: changes,
  });
  addOperation(paths, '/api/metadata/objects/{object}/fields/{field}', 'delete', {
    id: 'metadata.deleteField',
    summary: 'Delete a field and its data',
    tag,
    parameters: [objectParam, fieldParam],
    ok: objectBody(200, 'The object without the field.'),
    errors: changes,
  });
  return paths;
}
