import type { FieldDef } from '../../metadata/field-types/index.js';
import type { ObjectDef } from '../../metadata/model.js';
import { serializeField } from '../../metadata/serialize.js';
import type { Access } from '../../roles/index.js';

/** An object as `list_objects` shows it. */
export function objectSummary(object: ObjectDef): Record<string, unknown> {
  return {
    name: object.name,
    label_singular: object.labelSingular,
    label_plural: object.labelPlural,
    description: object.description,
    label_field: object.labelField,
    plugin_id: object.pluginId,
  };
}

/** A relation as `describe_object` shows it: where it points and through which key it is set. */
function relationOf(object: ObjectDef, field: FieldDef, serialized: Record<string, unknown>): Record<string, unknown> | undefined {
  if (field.type === 'relation') {
    const options = field.options as { target?: string; inverse_name?: string; on_delete?: string };
    return { field: field.name, key: serialized.key, kind: 'many_to_one', target: options.target, inverse_name: options.inverse_name ?? object.name, on_delete: options.on_delete ?? 'set_null' };
  }
  if (field.type === 'one_to_many') {
    const reverse = object.reverseRelations.find((r) => r.field.id === field.id);
    return { field: field.name, kind: 'one_to_many', source_object: reverse?.sourceObject, source_field: reverse?.sourceField.name };
  }
  return undefined;
}

/**
 * An object as `describe_object` shows it: the fields the caller may read (the same filter as
 * `GET /api/metadata/objects/:object`), its relations, and the dotted paths `filter` and `order_by` accept.
 */
export function describeObject(object: ObjectDef, access: Access): Record<string, unknown> {
  const readable = object.fields.filter((f) => access.fieldRead(object.name, f.name));
  const fields = readable.map((f) => serializeField(f));
  const relations = readable.flatMap((f, i) => relationOf(object, f, fields[i]) ?? []);
  const paths = [...object.leaves.entries()].filter(([, leaf]) => access.fieldRead(object.name, leaf.field.name)).map(([path]) => path);
  return {
    ...objectSummary(object),
    fields: fields.map(({ id: _id, plugin_id: _plugin, ...rest }) => rest),
    relations,
    filterable_paths: paths,
  };
}
