import type { FieldMetadata, ObjectMetadata } from '../db/entities/index.js';
import { fieldType, type FieldDef, type FieldType, type Leaf, type SystemFieldType } from './field-types/index.js';
import { SYSTEM_FIELDS } from './system-fields.js';

/** A stored column reachable from a filter or sort, with the field it belongs to. */
export interface LeafRef extends Leaf {
  readonly field: FieldDef;
}

/** The reverse (one-to-many) side of a relation, resolved to its source. */
export interface ReverseRelation {
  readonly field: FieldDef;
  /** The object holding the foreign key. */
  readonly sourceObject: string;
  /** The many-to-one field holding the foreign key. */
  readonly sourceField: FieldDef;
}

/** One object of a workspace, compiled from metadata rows for fast use on every request. */
export interface ObjectDef {
  readonly id: string;
  readonly name: string;
  readonly labelSingular: string;
  readonly labelPlural: string;
  readonly description: string | null;
  readonly icon: string | null;
  readonly labelField: string | null;
  readonly pluginId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  /** The PostgreSQL schema of the workspace. */
  readonly schema: string;
  /** System and declared fields, in display order. */
  readonly fields: readonly FieldDef[];
  readonly fieldsByName: ReadonlyMap<string, FieldDef>;
  /** Fields by the key their value has in a record (`company_id` for relation `company`). */
  readonly fieldsByKey: ReadonlyMap<string, FieldDef>;
  /** Columns by dotted path: `name`, `name.first_name`; composites also answer to the bare name. */
  readonly leaves: ReadonlyMap<string, LeafRef>;
  /** Every stored column name. */
  readonly columns: readonly string[];
  readonly reverseRelations: readonly ReverseRelation[];
}

/** All objects of one workspace. */
export interface WorkspaceMetadata {
  readonly workspaceId: string;
  readonly schema: string;
  readonly objects: ReadonlyMap<string, ObjectDef>;
}

/** Converts a stored field row into the definition type code works from. */
export function toFieldDef(row: FieldMetadata): FieldDef {
  return {
    id: row.id,
    name: row.name,
    label: row.label,
    description: row.description ?? null,
    type: row.type as FieldType | SystemFieldType,
    options: row.options ?? {},
    isNullable: row.isNullable,
    isUnique: row.isUnique,
    isIndexed: row.isIndexed,
    defaultValue: row.defaultValue ?? null,
    position: row.position,
    pluginId: row.pluginId ?? null,
    system: false,
    relationFieldId: row.relationFieldId ?? null,
  };
}

/** The properties of an object row that a compiled object keeps. */
export type ObjectProps = Pick<ObjectMetadata, 'id' | 'name' | 'labelSingular' | 'labelPlural' | 'description' | 'icon' | 'labelField' | 'pluginId' | 'createdAt' | 'updatedAt'>;

/** Compiles one object from its properties and declared fields. */
export function compileObject(row: ObjectProps, declared: readonly FieldDef[], schema: string, reverseRelations: readonly ReverseRelation[] = []): ObjectDef {
  const fields = [...SYSTEM_FIELDS, ...[...declared].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name))];
  const leaves = new Map<string, LeafRef>();
  const columns: string[] = [];
  for (const field of fields) {
    const type = fieldType(field);
    for (const leaf of type.leaves(field)) {
      columns.push(leaf.column);
      const ref = { ...leaf, field };
      if (leaf.sub === null) {
        leaves.set(type.recordKey(field), ref);
      } else {
        leaves.set(`${field.name}.${leaf.sub}`, ref);
        if (leaf.sub === type.defaultSub) leaves.set(field.name, ref);
      }
    }
  }
  return {
    id: row.id,
    name: row.name,
    labelSingular: row.labelSingular,
    labelPlural: row.labelPlural,
    description: row.description ?? null,
    icon: row.icon ?? null,
    labelField: row.labelField ?? null,
    pluginId: row.pluginId ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    schema,
    fields,
    fieldsByName: new Map(fields.map((f) => [f.name, f])),
    fieldsByKey: new Map(fields.filter((f) => f.type !== 'one_to_many').map((f) => [fieldType(f).recordKey(f), f])),
    leaves,
    columns,
    reverseRelations,
  };
}

/** Builds the compiled view of a workspace's metadata from its rows. */
export function buildWorkspaceMetadata(
  workspaceId: string,
  schema: string,
  objectRows: readonly ObjectMetadata[],
  fieldRows: readonly FieldMetadata[],
): WorkspaceMetadata {
  const fieldsById = new Map(fieldRows.map((f) => [f.id, f]));
  const objectsById = new Map(objectRows.map((o) => [o.id, o]));
  const objects = new Map<string, ObjectDef>();
  for (const row of objectRows) {
    const declared = fieldRows.filter((f) => f.objectId === row.id).map(toFieldDef);
    const reverseRelations: ReverseRelation[] = [];
    for (const field of declared) {
      if (field.type !== 'one_to_many' || !field.relationFieldId) continue;
      const source = fieldsById.get(field.relationFieldId);
      const sourceObject = source && objectsById.get(source.objectId);
      if (source && sourceObject) reverseRelations.push({ field, sourceObject: sourceObject.name, sourceField: toFieldDef(source) });
    }
    objects.set(row.name, compileObject(row, declared, schema, reverseRelations));
  }
  return { workspaceId, schema, objects };
}
