import { fieldType, type FieldDef } from './field-types/index.js';
import type { ObjectDef } from './model.js';

/** A field as the metadata API shows it. */
export function serializeField(field: FieldDef): Record<string, unknown> {
  return {
    id: field.id,
    name: field.name,
    key: field.type === 'one_to_many' ? field.name : fieldType(field).recordKey(field),
    label: field.label,
    description: field.description,
    type: field.type,
    options: field.options,
    is_system: field.system,
    is_nullable: field.isNullable,
    is_unique: field.isUnique,
    is_indexed: field.isIndexed,
    default_value: field.defaultValue,
    position: field.position,
    plugin_id: field.pluginId,
  };
}

/** An object as the metadata API shows it; `filter` hides fields the caller may not read. */
export function serializeObject(object: ObjectDef, filter: (field: FieldDef) => boolean = () => true): Record<string, unknown> {
  return {
    id: object.id,
    name: object.name,
    label_singular: object.labelSingular,
    label_plural: object.labelPlural,
    description: object.description,
    icon: object.icon,
    label_field: object.labelField,
    plugin_id: object.pluginId,
    created_at: object.createdAt.toISOString(),
    updated_at: object.updatedAt.toISOString(),
    fields: object.fields.filter(filter).map(serializeField),
  };
}
