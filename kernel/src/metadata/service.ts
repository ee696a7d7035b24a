import { randomUUID } from 'node:crypto';
import type { KernelServices } from '../app/services.js';
import type { Actor } from '../auth/context.js';
import { FieldMetadataSchema, ObjectMetadataSchema, type FieldMetadata } from '../db/entities/index.js';
import { MosaicError } from '../errors/index.js';
import { detachTimelines, insertEvents } from '../events/outbox.js';
import * as ddl from './ddl.js';
import type { FieldDef, RelationOptions } from './field-types/index.js';
import { resolveFieldInput, resolveInverse, type FieldInput } from './field-input.js';
import { fieldChanges, type FieldPatch } from './field-update.js';
import { compileObject, type ObjectDef, type ObjectProps, type WorkspaceMetadata } from './model.js';
import { assertValidName, labelFromName } from './naming.js';
import { assertNotPluginOwned } from './ownership.js';
import { serializeField } from './serialize.js';
import { inMetadataTransaction, type MetadataTx } from './transaction.js';

/** An object as an admin or a plugin declares it. */
export interface ObjectInput {
  readonly name: string;
  readonly label_singular?: string;
  readonly label_plural?: string;
  readonly description?: string | null;
  readonly icon?: string | null;
  readonly label_field?: string | null;
  readonly fields?: readonly FieldInput[];
}

/** Changes to an object's own properties. */
export type ObjectPatch = Partial<Omit<ObjectInput, 'fields'>>;

/** Who asks for a metadata change: the workspace, the actor, and the plugin contributing it, if any. */
export interface MetadataCaller {
  readonly workspaceId: string;
  readonly actor: Actor;
  readonly pluginId?: string | null;
}

function requireObject(current: WorkspaceMetadata, name: string): ObjectDef {
  const object = current.objects.get(name);
  if (!object) throw new MosaicError('MOSAIC_ERR_OBJECT_NOT_FOUND', `No object named "${name}" in this workspace.`);
  return object;
}

function fieldRow(tx: MetadataTx, caller: MetadataCaller, objectId: string, def: FieldDef, relationFieldId: string | null = null): FieldMetadata {
  return tx.em.create(FieldMetadataSchema, {
    id: def.id,
    workspaceId: caller.workspaceId,
    objectId,
    name: def.name,
    label: def.label,
    description: def.description,
    type: def.type,
    options: def.options as Record<string, unknown>,
    isNullable: def.isNullable,
    isUnique: def.isUnique,
    isIndexed: def.isIndexed,
    defaultValue: def.defaultValue,
    position: def.position,
    pluginId: caller.pluginId ?? null,
    relationFieldId,
    createdAt: new Date(),
    updatedAt: new Date(),
  });
}

/**
 * Objects and fields: validation, runtime DDL and metadata rows, all in one transaction per change.
 * Used by the metadata HTTP API and by plugin installation.
 */
export class MetadataService {
  readonly #services: KernelServices;

  constructor(services: KernelServices) {
    this.#services = services;
  }

  /** Creates an object with its table and initial fields. */
  async createObject(caller: MetadataCaller, input: ObjectInput): Promise<ObjectDef> {
    assertValidName(input.name, 'object');
    await inMetadataTransaction(this.#services, caller.workspaceId, async (tx) => {
      if (tx.current.objects.has(input.name)) {
        throw new MosaicError('MOSAIC_ERR_OBJECT_EXISTS', `An object named "${input.name}" already exists.`, [{ path: 'name', message: 'already exists' }]);
      }
      const labelSingular = input.label_singular?.trim() || labelFromName(input.name);
      const props: ObjectProps = {
        id: randomUUID(),
        name: input.name,
        labelSingular,
        labelPlural: input.label_plural?.trim() || `${labelSingular}s`,
        description: input.description ?? null,
        icon: input.icon ?? null,
        labelField: null,
        pluginId: caller.pluginId ?? null,
        createdAt: new Date(),
        updatedAt: new Date(),
      };
      // Each field is checked against the ones declared before it, so names cannot clash among themselves.
      const fields: FieldDef[] = [];
      for (const [i, fieldInput] of (input.fields ?? []).entries()) {
        const draft = compileObject(props, fields, tx.current.schema);
        fields.push(resolveFieldInput(fieldInput, draft, tx.current, randomUUID(), i));
      }
      props.labelField = input.label_field ?? fields.find((f) => f.type === 'text' || f.type === 'full_name')?.name ?? null;
      if (props.labelField && !fields.some((f) => f.name === props.labelField)) {
        throw new MosaicError('MOSAIC_ERR_FIELD_NOT_FOUND', `label_field "${props.labelField}" is not one of the object's fields.`, [{ path: 'label_field', message: 'no such field' }]);
      }
      tx.em.create(ObjectMetadataSchema, { ...props, workspaceId: caller.workspaceId });
      // Flushed first: field rows reference it, and the unit of work does not order unrelated schemas.
      await tx.em.flush();
      const relations = fields.filter((f) => f.type === 'relation');
      await ddl.createObjectTable(tx.trx, tx.current.schema, input.name, fields.filter((f) => f.type !== 'relation'));
      for (const field of fields) if (field.type !== 'relation') fieldRow(tx, caller, props.id, field);
      for (const field of relations) await this.#addRelation(tx, caller, props, field);
      await insertEvents(tx.trx, [{ workspaceId: caller.workspaceId, type: 'object.created', object: input.name, actor: caller.actor, payload: { name: input.name } }]);
    });
    return this.#services.metadata.object(caller.workspaceId, input.name);
  }

  /** Stores a relation field, creates its foreign key column and the reverse field on its target. */
  async #addRelation(tx: MetadataTx, caller: MetadataCaller, source: ObjectProps, field: FieldDef): Promise<void> {
    const relation = field.options as unknown as RelationOptions;
    const selfRelation = relation.target === source.name;
    const target = tx.current.objects.get(relation.target);
    const inverse = resolveInverse(field, source, selfRelation ? undefined : target);
    if (selfRelation && (inverse.name === field.name || tx.current.objects.get(source.name)?.fieldsByName.has(inverse.name))) {
      throw new MosaicError('MOSAIC_ERR_FIELD_EXISTS', `The reverse side of "${field.name}" needs another name; pass options.inverse_name.`, [{ path: 'options.inverse_name', message: 'clash' }]);
    }
    const stored: FieldDef = { ...field, options: { ...relation, inverse_name: inverse.name, inverse_label: inverse.label, on_delete: relation.on_delete ?? 'set_null' } };
    fieldRow(tx, caller, source.id, stored);
    const reverse: FieldDef = {
      ...field,
      id: randomUUID(),
      name: inverse.name,
      label: inverse.label,
      type: 'one_to_many',
      options: { source: source.name, source_field: field.name },
      isUnique: false,
      isIndexed: false,
      isNullable: true,
      defaultValue: null,
      position: 1000 + field.position,
    };
    fieldRow(tx, caller, target?.id ?? source.id, reverse, field.id);
    await tx.em.flush();
    await ddl.addFieldColumns(tx.trx, tx.current.schema, source.name, stored);
  }

  /** Changes an object's name, labels, description, icon or label field. */
  async updateObject(caller: MetadataCaller, name: string, patch: ObjectPatch): Promise<ObjectDef> {
    let finalName = name;
    await inMetadataTransaction(this.#services, caller.workspaceId, async (tx) => {
      const object = requireObject(tx.current, name);
      await assertNotPluginOwned(tx, caller, object.pluginId, { kind: 'object', name }, Object.keys(patch));
      const row = await tx.em.findOneOrFail(ObjectMetadataSchema, { id: object.id });
      if (patch.name !== undefined && patch.name !== name) {
        assertValidName(patch.name, 'object');
        if (tx.current.objects.has(patch.name)) {
          throw new MosaicError('MOSAIC_ERR_OBJECT_EXISTS', `An object named "${patch.name}" already exists.`, [{ path: 'name', message: 'already exists' }]);
        }
        await ddl.renameObjectTable(tx.trx, tx.current.schema, name, patch.name);
        // Relations name their target object: follow the rename.
        for (const field of await tx.em.find(FieldMetadataSchema, { workspaceId: caller.workspaceId, type: 'relation' })) {
          if (field.options.target === name) field.options = { ...field.options, target: patch.name };
          if (field.options.source === name) field.options = { ...field.options, source: patch.name };
        }
        row.name = finalName = patch.name;
      }
      if (patch.label_field !== undefined && patch.label_field !== null && !object.fieldsByName.has(patch.label_field)) {
        throw new MosaicError('MOSAIC_ERR_FIELD_NOT_FOUND', `label_field "${patch.label_field}" is not a field of "${name}".`, [{ path: 'label_field', message: 'no such field' }]);
      }
      if (patch.label_singular !== undefined) row.labelSingular = patch.label_singular;
      if (patch.label_plural !== undefined) row.labelPlural = patch.label_plural;
      if (patch.description !== undefined) row.description = patch.description;
      if (patch.icon !== undefined) row.icon = patch.icon;
      if (patch.label_field !== undefined) row.labelField = patch.label_field;
      await insertEvents(tx.trx, [{ workspaceId: caller.workspaceId, type: 'object.updated', object: finalName, actor: caller.actor, payload: { name: finalName, previous_name: name, changes: patch } }]);
    });
    return this.#services.metadata.object(caller.workspaceId, finalName);
  }

  /** Deletes an object and its table, refused while other objects relate to it. */
  async deleteObject(caller: MetadataCaller, name: string): Promise<void> {
    await inMetadataTransaction(this.#services, caller.workspaceId, async (tx) => {
      const object = requireObject(tx.current, name);
      await assertNotPluginOwned(tx, caller, object.pluginId, { kind: 'object', name });
      // A plugin's field on this object (its manifest's `fields`) would go with the table.
      for (const field of object.fields) await assertNotPluginOwned(tx, caller, field.pluginId, { kind: 'field', name: field.name });
      const incoming = object.reverseRelations.filter((r) => r.sourceObject !== name);
      if (incoming.length > 0) {
        throw new MosaicError('MOSAIC_ERR_OBJECT_IN_USE', `Other objects relate to "${name}": ${incoming.map((r) => `${r.sourceObject}.${r.sourceField.name}`).join(', ')}. Delete those fields first.`, incoming.map((r) => ({ path: `${r.sourceObject}.${r.sourceField.name}`, message: 'relates to this object' })));
      }
      await ddl.dropObjectTable(tx.trx, tx.current.schema, name);
      // Field rows go with the object (foreign key cascade), and so do reverse fields of its relations.
      await tx.em.nativeDelete(ObjectMetadataSchema, { id: object.id });
      // The records' history goes with them.
      await detachTimelines(tx.trx, caller.workspaceId, object.id);
      await insertEvents(tx.trx, [{ workspaceId: caller.workspaceId, type: 'object.deleted', object: name, actor: caller.actor, payload: { name } }]);
    });
  }

  /** Adds a field (and its columns) to an object while the table keeps serving. */
  async addField(caller: MetadataCaller, objectName: string, input: FieldInput): Promise<ObjectDef> {
    await inMetadataTransaction(this.#services, caller.workspaceId, async (tx) => {
      const object = requireObject(tx.current, objectName);
      const position = Math.max(0, ...object.fields.map((f) => f.position + 1));
      const field = resolveFieldInput(input, object, tx.current, randomUUID(), position);
      if (!field.isNullable && field.defaultValue === null) {
        const { rows } = (await tx.trx.raw('select exists (select 1 from ??.??) as has_rows', [tx.current.schema, objectName])) as { rows: { has_rows: boolean }[] };
        if (rows[0].has_rows) {
          throw new MosaicError('MOSAIC_ERR_FIELD_OPTIONS_INVALID', `"${objectName}" already has records, so a required field needs a default_value.`, [{ path: 'default_value', message: 'required for a required field on a non-empty object' }]);
        }
      }
      if (field.type === 'relation') {
        await this.#addRelation(tx, caller, object, field);
      } else {
        fieldRow(tx, caller, object.id, field);
        await ddl.addFieldColumns(tx.trx, tx.current.schema, objectName, field);
      }
      await insertEvents(tx.trx, [{ workspaceId: caller.workspaceId, type: 'field.added', object: objectName, actor: caller.actor, payload: { field: serializeField(field) } }]);
    });
    return this.#services.metadata.object(caller.workspaceId, objectName);
  }

  /** Renames or reconfigures a field; its type never changes. */
  async updateField(caller: MetadataCaller, objectName: string, fieldName: string, patch: FieldPatch): Promise<ObjectDef> {
    await inMetadataTransaction(this.#services, caller.workspaceId, async (tx) => {
      const object = requireObject(tx.current, objectName);
      const row = await this.#fieldRow(tx, object, fieldName);
      await assertNotPluginOwned(tx, caller, row.pluginId ?? null, { kind: 'field', name: fieldName }, Object.keys(patch));
      const report = await fieldChanges(tx, object, row, patch);
      if (report.cleared) this.#services.log.warn({ workspaceId: caller.workspaceId, object: objectName, field: fieldName, cleared: report.cleared }, 'type change cleared values that could not be converted');
      await insertEvents(tx.trx, [{ workspaceId: caller.workspaceId, type: 'field.updated', object: objectName, actor: caller.actor, payload: { field: fieldName, changes: patch, ...report } }]);
    });
    return this.#services.metadata.object(caller.workspaceId, objectName);
  }

  /** Deletes a field and its columns. The reverse side of a relation is deleted with its owning field. */
  async deleteField(caller: MetadataCaller, objectName: string, fieldName: string): Promise<ObjectDef> {
    await inMetadataTransaction(this.#services, caller.workspaceId, async (tx) => {
      const object = requireObject(tx.current, objectName);
      const row = await this.#fieldRow(tx, object, fieldName);
      await assertNotPluginOwned(tx, caller, row.pluginId ?? null, { kind: 'field', name: fieldName });
      if (row.relationFieldId) {
        const reverse = object.reverseRelations.find((r) => r.field.id === row.id);
        throw new MosaicError('MOSAIC_ERR_FIELD_IN_USE', `"${fieldName}" is the reverse side of ${reverse ? `${reverse.sourceObject}.${reverse.sourceField.name}` : 'a relation'}; delete that field instead.`, [{ path: fieldName, message: 'reverse side of a relation' }]);
      }
      const def = object.fieldsByName.get(fieldName)!;
      await ddl.dropFieldColumns(tx.trx, tx.current.schema, objectName, def);
      await tx.em.nativeDelete(FieldMetadataSchema, { id: row.id });
      if (object.labelField === fieldName) {
        const objectRow = await tx.em.findOneOrFail(ObjectMetadataSchema, { id: object.id });
        objectRow.labelField = null;
      }
      await insertEvents(tx.trx, [{ workspaceId: caller.workspaceId, type: 'field.removed', object: objectName, actor: caller.actor, payload: { field: fieldName } }]);
    });
    return this.#services.metadata.object(caller.workspaceId, objectName);
  }

  async #fieldRow(tx: MetadataTx, object: ObjectDef, fieldName: string): Promise<FieldMetadata> {
    const def = object.fieldsByName.get(fieldName);
    if (def?.system) throw new MosaicError('MOSAIC_ERR_FIELD_SYSTEM', `"${fieldName}" is a system field and cannot be changed or deleted.`);
    const row = def && (await tx.em.findOne(FieldMetadataSchema, { id: def.id }));
    if (!row) throw new MosaicError('MOSAIC_ERR_FIELD_NOT_FOUND', `The object "${object.name}" has no field named "${fieldName}".`);
    return row;
  }
}

