import { FieldMetadataSchema, ObjectMetadataSchema, RoleSchema, type FieldMetadata } from '../db/entities/index.js';
import { MosaicError } from '../errors/index.js';
import * as ddl from './ddl.js';
import { fieldType, selectValues, type FieldDef } from './field-types/index.js';
import { checkSchema, type FieldInput } from './field-input.js';
import { toFieldDef, type ObjectDef } from './model.js';
import { assertValidName } from './naming.js';
import type { MetadataTx } from './transaction.js';

/** Changes to a field: any part of a declaration. The type changes only text ↔ member (see `convertType`). */
export type FieldPatch = Partial<FieldInput>;

/** Runs a DDL step, turning the data-dependent failures into coded errors. */
async function guarded(step: () => Promise<void>, field: string): Promise<void> {
  try {
    await step();
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === '23505') {
      throw new MosaicError('MOSAIC_ERR_UNIQUE_VIOLATION_EXISTING', `Existing records share values in "${field}", so it cannot be made unique; remove the duplicates first.`, [], { cause: err });
    }
    if (code === '23502') {
      throw new MosaicError('MOSAIC_ERR_FIELD_OPTIONS_INVALID', `Some records have no value in "${field}", so it cannot be made required; fill them in first.`, [{ path: 'is_nullable', message: 'empty values exist' }], { cause: err });
    }
    throw err;
  }
}

/** Moves role permissions that name a field to its new name, so a rename never widens access. */
async function renameInRoles(tx: MetadataTx, workspaceId: string, object: string, from: string, to: string): Promise<void> {
  for (const role of await tx.em.find(RoleSchema, { workspaceId })) {
    const fields = role.permissions.fields[object];
    if (!fields || !(from in fields)) continue;
    const { [from]: moved, ...rest } = fields;
    role.permissions = { ...role.permissions, fields: { ...role.permissions.fields, [object]: { ...rest, [to]: moved } } };
  }
}

/** Applies a patch to one field: metadata row and DDL together, inside the metadata transaction. */
export async function fieldChanges(tx: MetadataTx, object: ObjectDef, row: FieldMetadata, patch: FieldPatch): Promise<FieldChangeReport> {
  const { schema } = tx.current;
  let report: FieldChangeReport = {};
  if (patch.type !== undefined && patch.type !== row.type) {
    report = await convertType(tx, object, row, patch.type);
  }
  const before = toFieldDef(row);
  const reverse = row.type === 'one_to_many';
  if (reverse && (patch.options !== undefined || patch.is_unique !== undefined || patch.is_indexed !== undefined || patch.default_value !== undefined || patch.is_nullable !== undefined)) {
    throw new MosaicError('MOSAIC_ERR_FIELD_IN_USE', `"${row.name}" is the reverse side of a relation; only its name, label, description and position can change here.`);
  }
  const behaviour = fieldType(before);

  if (patch.name !== undefined && patch.name !== row.name) {
    assertValidName(patch.name, 'field');
    const after: FieldDef = { ...before, name: patch.name };
    const taken = object.fields.some((f) => f.id !== row.id && (f.name === patch.name || fieldType(f).recordKey(f) === behaviour.recordKey(after)));
    if (taken) throw new MosaicError('MOSAIC_ERR_FIELD_EXISTS', `The object "${object.name}" already has a field named "${patch.name}".`, [{ path: 'name', message: 'already exists' }]);
    await ddl.renameFieldColumns(tx.trx, schema, object.name, before, after);
    if (row.type === 'relation') {
      const inverse = await tx.em.findOne(FieldMetadataSchema, { relationFieldId: row.id });
      if (inverse) inverse.options = { ...inverse.options, source_field: patch.name };
    }
    if (reverse && row.relationFieldId) {
      const source = await tx.em.findOne(FieldMetadataSchema, { id: row.relationFieldId });
      if (source) source.options = { ...source.options, inverse_name: patch.name };
    }
    if (object.labelField === row.name) (await tx.em.findOneOrFail(ObjectMetadataSchema, { id: object.id })).labelField = patch.name;
    await renameInRoles(tx, row.workspaceId, object.name, row.name, patch.name);
    row.name = patch.name;
  }
  const current = (): FieldDef => toFieldDef(row);

  if (patch.default_value !== undefined) {
    if (patch.default_value !== null) {
      if (!behaviour.allowsDefault) throw new MosaicError('MOSAIC_ERR_FIELD_OPTIONS_INVALID', `Fields of type ${row.type} cannot have a default value.`, [{ path: 'default_value', message: 'not allowed' }]);
      checkSchema(behaviour.writeSchema({ ...current(), options: patch.options ?? row.options }), patch.default_value, 'MOSAIC_ERR_FIELD_OPTIONS_INVALID', 'default value');
    }
    await ddl.setFieldDefault(tx.trx, schema, object.name, current(), patch.default_value);
    row.defaultValue = patch.default_value;
  }
  if (patch.options !== undefined) {
    const next = { ...patch.options };
    if (row.type === 'relation') {
      if (next.target !== undefined && next.target !== row.options.target) {
        throw new MosaicError('MOSAIC_ERR_FIELD_OPTIONS_INVALID', 'A relation cannot be pointed at another object; add a new relation field instead.', [{ path: 'options.target', message: 'immutable' }]);
      }
      if ((next.on_delete ?? row.options.on_delete) !== row.options.on_delete) {
        throw new MosaicError('MOSAIC_ERR_FIELD_OPTIONS_INVALID', 'on_delete cannot change after the relation is created.', [{ path: 'options.on_delete', message: 'immutable' }]);
      }
      Object.assign(next, { ...row.options, ...next });
    }
    checkSchema(behaviour.optionsSchema, next, 'MOSAIC_ERR_FIELD_OPTIONS_INVALID', 'field options');
    if (row.type === 'select' || row.type === 'multi_select') {
      const kept = new Set(selectValues({ ...before, options: next }));
      const removed = selectValues(before).filter((v) => !kept.has(v));
      if (row.defaultValue !== null && row.defaultValue !== undefined && removed.includes(String(row.defaultValue))) {
        throw new MosaicError('MOSAIC_ERR_FIELD_OPTIONS_INVALID', `The default value "${String(row.defaultValue)}" would no longer be an option; change default_value as well.`, [{ path: 'default_value', message: 'not an option any more' }]);
      }
      // Records holding a removed option fall back to the field's default (NULL when it has none), so
      // no record keeps a value its field no longer allows.
      for (const value of removed) {
        if (row.type === 'select') await tx.trx.raw('update ??.?? set ?? = default where ?? = ?', [schema, object.name, row.name, row.name, value]);
        else await tx.trx.raw('update ??.?? set ?? = array_remove(??, ?) where ? = any(??)', [schema, object.name, row.name, row.name, value, value, row.name]);
      }
    }
    row.options = next;
  }
  if (patch.is_nullable !== undefined && patch.is_nullable !== row.isNullable) {
    if (!patch.is_nullable && behaviour.leaves(before).length !== 1) {
      throw new MosaicError('MOSAIC_ERR_FIELD_OPTIONS_INVALID', `Only single-value fields can be required.`, [{ path: 'is_nullable', message: 'not allowed for this type' }]);
    }
    await guarded(() => ddl.setFieldNullable(tx.trx, schema, object.name, current(), patch.is_nullable!), row.name);
    row.isNullable = patch.is_nullable;
  }
  if (patch.is_unique !== undefined && patch.is_unique !== row.isUnique) {
    if (patch.is_unique && ['json', 'multi_select', 'boolean'].includes(row.type)) {
      throw new MosaicError('MOSAIC_ERR_FIELD_OPTIONS_INVALID', `Fields of type ${row.type} cannot be unique.`, [{ path: 'is_unique', message: 'not allowed for this type' }]);
    }
    await guarded(() => ddl.setFieldUnique(tx.trx, schema, object.name, current(), patch.is_unique!), row.name);
    row.isUnique = patch.is_unique;
  }
  if (patch.is_indexed !== undefined && patch.is_indexed !== row.isIndexed) {
    await ddl.setFieldIndexed(tx.trx, schema, object.name, current(), patch.is_indexed);
    row.isIndexed = patch.is_indexed;
  }
  if (patch.label !== undefined) row.label = patch.label;
  if (patch.description !== undefined) row.description = patch.description;
  if (patch.position !== undefined) row.position = patch.position;
  return report;
}

/** What a field change did to the data beyond the declaration: values a type conversion cleared. */
export interface FieldChangeReport {
  /** Records whose value was set to NULL because it could not be converted. */
  readonly cleared?: number;
}

/** The only type changes there are: a text field holding member ids becomes a member field, and back. */
const CONVERSIONS: Readonly<Record<string, string>> = { text: 'member', member: 'text' };

/**
 * Changes a field's type where the data can follow: text → member (values that are not the id of a
 * member of this workspace become NULL, counted in the report) and member → text (the ids as text).
 * Every other change is `MOSAIC_ERR_FIELD_TYPE_IMMUTABLE`.
 */
async function convertType(tx: MetadataTx, object: ObjectDef, row: FieldMetadata, to: string): Promise<FieldChangeReport> {
  if (CONVERSIONS[row.type] !== to) {
    throw new MosaicError('MOSAIC_ERR_FIELD_TYPE_IMMUTABLE', `"${row.name}" is a ${row.type} field; its type cannot change${row.type === 'text' ? ' (except to member)' : ''}. Add a new field instead.`, [{ path: 'type', message: 'immutable' }]);
  }
  if (row.defaultValue !== null && row.defaultValue !== undefined) {
    throw new MosaicError('MOSAIC_ERR_FIELD_OPTIONS_INVALID', `"${row.name}" has a default value; remove it before changing the type to ${to}.`, [{ path: 'default_value', message: 'not allowed for the new type' }]);
  }
  const { schema } = tx.current;
  let cleared = 0;
  if (to === 'member') {
    // CASE keeps the cast from running on text that is not a uuid. ALTER ... USING cannot hold a
    // subquery, so the values that are not members are cleared first, then the column is cast.
    const result = (await tx.trx.raw(
      `update ??.?? set ?? = null where ?? is not null and case when ?? ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' then ??::uuid not in (select id from public.member where workspace_id = ?) else true end`,
      [schema, object.name, row.name, row.name, row.name, row.name, row.workspaceId],
    )) as { rowCount: number };
    cleared = result.rowCount;
    await tx.trx.raw('alter table ??.?? alter column ?? type uuid using ??::uuid', [schema, object.name, row.name, row.name]);
  } else {
    await tx.trx.raw('alter table ??.?? alter column ?? type text using ??::text', [schema, object.name, row.name, row.name]);
  }
  row.type = to as FieldMetadata['type'];
  row.options = {};
  return { cleared };
}
