import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { MosaicError } from '../errors/index.js';
import { FIELD_TYPES, fieldType, type FieldDef, type FieldType, type RelationOptions } from './field-types/index.js';
import type { ObjectDef, WorkspaceMetadata } from './model.js';
import { assertValidName, labelFromName, nameFromLabel } from './naming.js';

/** A field as an admin or a plugin declares it. */
export interface FieldInput {
  readonly name: string;
  readonly type: string;
  readonly label?: string;
  readonly description?: string | null;
  readonly options?: Record<string, unknown>;
  readonly is_nullable?: boolean;
  readonly is_unique?: boolean;
  readonly is_indexed?: boolean;
  readonly default_value?: unknown;
  readonly position?: number;
}

const ajv = new Ajv({ allErrors: true, strict: false });
(addFormats as unknown as (a: Ajv) => void)(ajv);

/** Validates a value against a schema, turning ajv errors into coded details. */
export function checkSchema(schema: Record<string, unknown>, value: unknown, code: 'MOSAIC_ERR_FIELD_OPTIONS_INVALID', what: string): void {
  const validate = ajv.compile(schema);
  if (!validate(value)) {
    const details = (validate.errors ?? []).map((e) => ({ path: `${what}${e.instancePath}`, message: e.message ?? 'invalid' }));
    throw new MosaicError(code, `The ${what} are invalid: ${details.map((d) => `${d.path} ${d.message}`).join('; ')}.`, details);
  }
}

/** The record keys an object already uses (field names and relation `_id` keys). */
function usedKeys(object: ObjectDef): Set<string> {
  const keys = new Set<string>();
  for (const f of object.fields) {
    keys.add(f.name);
    keys.add(fieldType(f).recordKey(f));
  }
  return keys;
}

/**
 * Validates a declared field against its object and the workspace, and returns the definition to store.
 * Throws a coded 4xx error describing the first problem; nothing has been changed at that point.
 */
export function resolveFieldInput(input: FieldInput, object: ObjectDef | undefined, workspace: WorkspaceMetadata, id: string, position: number): FieldDef {
  assertValidName(input.name, 'field');
  if (!(FIELD_TYPES as readonly string[]).includes(input.type)) {
    throw new MosaicError('MOSAIC_ERR_FIELD_TYPE_UNKNOWN', `Unknown field type "${String(input.type)}"; use one of ${FIELD_TYPES.join(', ')}.`, [
      { path: 'type', message: 'unknown type' },
    ]);
  }
  const type = input.type as FieldType;
  const options = input.options ?? {};
  const def: FieldDef = {
    id,
    name: input.name,
    label: input.label?.trim() || labelFromName(input.name),
    description: input.description ?? null,
    type,
    options,
    isNullable: input.is_nullable ?? true,
    isUnique: input.is_unique ?? false,
    isIndexed: input.is_indexed ?? false,
    defaultValue: input.default_value ?? null,
    position: input.position ?? position,
    pluginId: null,
    system: false,
    relationFieldId: null,
  };
  const behaviour = fieldType(def);
  checkSchema(behaviour.optionsSchema, options, 'MOSAIC_ERR_FIELD_OPTIONS_INVALID', 'field options');
  if (type === 'select' || type === 'multi_select') {
    const values = (options.options as { value: string }[]).map((o) => o.value);
    const dup = values.find((v, i) => values.indexOf(v) !== i);
    if (dup) throw new MosaicError('MOSAIC_ERR_FIELD_OPTIONS_INVALID', `The select option "${dup}" appears twice.`, [{ path: 'options.options', message: 'duplicate value' }]);
  }
  if (def.defaultValue !== null) {
    if (!behaviour.allowsDefault) {
      throw new MosaicError('MOSAIC_ERR_FIELD_OPTIONS_INVALID', `Fields of type ${type} cannot have a default value.`, [{ path: 'default_value', message: 'not allowed' }]);
    }
    checkSchema(behaviour.writeSchema(def), def.defaultValue, 'MOSAIC_ERR_FIELD_OPTIONS_INVALID', 'default value');
  }
  if (!def.isNullable && behaviour.leaves(def).length !== 1) {
    throw new MosaicError('MOSAIC_ERR_FIELD_OPTIONS_INVALID', `Only single-value fields can be required; ${type} fields are always optional.`, [
      { path: 'is_nullable', message: 'not allowed for this type' },
    ]);
  }
  if (def.isUnique && (type === 'json' || type === 'multi_select' || type === 'boolean')) {
    throw new MosaicError('MOSAIC_ERR_FIELD_OPTIONS_INVALID', `Fields of type ${type} cannot be unique.`, [{ path: 'is_unique', message: 'not allowed for this type' }]);
  }
  if (object) {
    const keys = usedKeys(object);
    const key = behaviour.recordKey(def);
    if (keys.has(def.name) || keys.has(key)) {
      throw new MosaicError('MOSAIC_ERR_FIELD_EXISTS', `The object "${object.name}" already has a field named "${keys.has(def.name) ? def.name : key}".`, [
        { path: 'name', message: 'already exists' },
      ]);
    }
  }
  if (type === 'relation') {
    const relation = options as unknown as RelationOptions;
    if (!workspace.objects.has(relation.target) && relation.target !== object?.name) {
      throw new MosaicError('MOSAIC_ERR_RELATION_TARGET_MISSING', `The relation "${def.name}" points to "${relation.target}", which is not an object of this workspace.`, [
        { path: 'options.target', message: 'no such object' },
      ]);
    }
  }
  return def;
}

/** The name and label of the reverse side of a relation, checked against the target object. */
export function resolveInverse(field: FieldDef, source: { name: string; labelPlural: string }, target: ObjectDef | undefined): { name: string; label: string } {
  const relation = field.options as unknown as RelationOptions;
  const name = relation.inverse_name ?? nameFromLabel(source.labelPlural);
  assertValidName(name, 'field');
  const label = relation.inverse_label ?? source.labelPlural;
  if (target && usedKeys(target).has(name)) {
    throw new MosaicError('MOSAIC_ERR_FIELD_EXISTS', `The target object "${target.name}" already has a field named "${name}"; pass options.inverse_name.`, [
      { path: 'options.inverse_name', message: 'already exists on the target' },
    ]);
  }
  return { name, label };
}
