import { EntitySchema } from '@mikro-orm/core';

/** A CRM object type (company, person, …): one table in the workspace's schema. */
export interface ObjectMetadata {
  id: string;
  workspaceId: string;
  name: string;
  labelSingular: string;
  labelPlural: string;
  description?: string | null;
  icon?: string | null;
  /** The field shown as the record's title (e.g. `name`). */
  labelField?: string | null;
  /** The plugin that contributed the object; null for objects an admin created. */
  pluginId?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A field of an object: one or more typed columns, or the virtual reverse side of a relation. */
export interface FieldMetadata {
  id: string;
  workspaceId: string;
  objectId: string;
  name: string;
  label: string;
  description?: string | null;
  type: string;
  options: Record<string, unknown>;
  isNullable: boolean;
  isUnique: boolean;
  isIndexed: boolean;
  defaultValue?: unknown;
  position: number;
  pluginId?: string | null;
  /** For the reverse (one-to-many) side of a relation: the many-to-one field that owns the column. */
  relationFieldId?: string | null;
  createdAt: Date;
  updatedAt: Date;
}

const createdAt = { type: 'datetime', length: 3, onCreate: () => new Date() } as const;
const updatedAt = { type: 'datetime', length: 3, onCreate: () => new Date(), onUpdate: () => new Date() } as const;

/** MikroORM schema of {@link ObjectMetadata}. */
export const ObjectMetadataSchema = new EntitySchema<ObjectMetadata>({
  name: 'ObjectMetadata',
  tableName: 'object_metadata',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    name: { type: 'text' },
    labelSingular: { type: 'text' },
    labelPlural: { type: 'text' },
    description: { type: 'text', nullable: true },
    icon: { type: 'text', nullable: true },
    labelField: { type: 'text', nullable: true },
    pluginId: { type: 'text', nullable: true },
    createdAt,
    updatedAt,
  },
});

/** MikroORM schema of {@link FieldMetadata}. */
export const FieldMetadataSchema = new EntitySchema<FieldMetadata>({
  name: 'FieldMetadata',
  tableName: 'field_metadata',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    objectId: { type: 'uuid' },
    name: { type: 'text' },
    label: { type: 'text' },
    description: { type: 'text', nullable: true },
    type: { type: 'text' },
    options: { type: 'json' },
    isNullable: { type: 'boolean' },
    isUnique: { type: 'boolean' },
    isIndexed: { type: 'boolean' },
    defaultValue: { type: 'json', nullable: true },
    position: { type: 'integer' },
    pluginId: { type: 'text', nullable: true },
    relationFieldId: { type: 'uuid', nullable: true },
    createdAt,
    updatedAt,
  },
});
