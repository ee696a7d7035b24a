import { WORKSPACE_CAPABILITIES } from '../db/entities/index.js';

/** An object or field name as metadata spells them (lower snake_case). */
const NAME = '^[a-z][a-z0-9_]{0,47}$';

const objectAccess = {
  type: 'object',
  additionalProperties: false,
  required: ['read', 'create', 'update', 'delete'],
  properties: { read: { type: 'boolean' }, create: { type: 'boolean' }, update: { type: 'boolean' }, delete: { type: 'boolean' } },
} as const;

const fieldAccess = {
  type: 'object',
  additionalProperties: false,
  required: ['read', 'update'],
  properties: { read: { type: 'boolean' }, update: { type: 'boolean' } },
} as const;

/**
 * JSON schema of `RolePermissions`: workspace capabilities, record access per object (`*` for objects
 * not listed), and field restrictions per object and field. Objects need not exist yet: a role may be
 * written before the plugin that contributes an object is installed.
 */
export const rolePermissionsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['workspace', 'objects', 'fields'],
  properties: {
    workspace: { type: 'array', uniqueItems: true, maxItems: WORKSPACE_CAPABILITIES.length, items: { type: 'string', enum: [...WORKSPACE_CAPABILITIES] } },
    objects: {
      type: 'object',
      maxProperties: 1000,
      propertyNames: { anyOf: [{ const: '*' }, { pattern: NAME }] },
      additionalProperties: objectAccess,
    },
    fields: {
      type: 'object',
      maxProperties: 1000,
      propertyNames: { pattern: NAME },
      additionalProperties: { type: 'object', maxProperties: 1000, propertyNames: { pattern: NAME }, additionalProperties: fieldAccess },
    },
  },
} as const;

/** A custom role's key: lower snake_case like every other name in the kernel. */
export const roleKeySchema = { type: 'string', pattern: NAME } as const;
