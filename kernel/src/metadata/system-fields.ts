import type { FieldDef } from './field-types/index.js';

/** Names every object has; they cannot be declared, renamed or deleted. */
export const SYSTEM_FIELD_NAMES = ['id', 'created_at', 'updated_at', 'deleted_at', 'created_by', 'position'] as const;

const system = (name: string, label: string, type: FieldDef['type'], position: number, isNullable = false): FieldDef => ({
  id: `system:${name}`,
  name,
  label,
  description: null,
  type,
  options: {},
  isNullable,
  isUnique: name === 'id',
  isIndexed: false,
  defaultValue: null,
  position,
  pluginId: null,
  system: true,
  relationFieldId: null,
});

/** The system fields, in the order they appear in metadata. */
export const SYSTEM_FIELDS: readonly FieldDef[] = [
  system('id', 'Id', 'uuid', -6),
  system('created_at', 'Created', 'datetime', -5),
  system('updated_at', 'Last updated', 'datetime', -4),
  system('deleted_at', 'Deleted', 'datetime', -3, true),
  system('created_by', 'Created by', 'actor', -2, true),
  system('position', 'Position', 'position', -1),
];

/**
 * Field and record-key names that would collide with system columns, query parameters or the columns of
 * composites. Checked when an admin names a field.
 */
export const RESERVED_FIELD_NAMES = new Set<string>([
  ...SYSTEM_FIELD_NAMES,
  'object', 'workspace', 'workspace_id', 'depth', 'fields', 'filter', 'order_by', 'limit', 'cursor', 'count',
  'oid', 'tableoid', 'xmin', 'xmax', 'cmin', 'cmax', 'ctid',
]);

/** Object names that would collide with API routes or PostgreSQL catalogs. */
export const RESERVED_OBJECT_NAMES = new Set<string>([
  'metadata', 'object', 'objects', 'field', 'fields', 'batch', 'search', 'openapi', 'event', 'events', 'webhook',
  'webhooks', 'workspace', 'workspaces', 'member', 'members', 'role', 'roles', 'api_key', 'api_keys', 'user', 'users',
  'plugin', 'plugins', 'view', 'views', 'pg_catalog', 'information_schema', 'public',
]);
