import { EntitySchema } from '@mikro-orm/core';

/** A tenant. Its CRM records live in their own PostgreSQL schema, `schemaName`. */
export interface Workspace {
  id: string;
  name: string;
  schemaName: string;
  createdAt: Date;
}

/** What a role may do; see `roles/permissions.ts` for how it is evaluated. */
export interface RolePermissions {
  /** Workspace administration capabilities. */
  workspace: readonly WorkspaceCapability[];
  /** Record access per object name; `*` applies to objects not listed. */
  objects: Readonly<Record<string, ObjectAccess>>;
  /** Field restrictions per object, then per field name. A field not listed follows its object. */
  fields: Readonly<Record<string, Readonly<Record<string, FieldAccess>>>>;
}

/** Administration capabilities a role can hold. */
export const WORKSPACE_CAPABILITIES = ['metadata', 'members', 'roles', 'api_keys', 'webhooks', 'events', 'plugins'] as const;
/** One administration capability. */
export type WorkspaceCapability = (typeof WORKSPACE_CAPABILITIES)[number];

/** Record operations on one object. */
export interface ObjectAccess {
  readonly read: boolean;
  readonly create: boolean;
  readonly update: boolean;
  readonly delete: boolean;
}

/** Restrictions on one field. */
export interface FieldAccess {
  readonly read: boolean;
  readonly update: boolean;
}

/** A named set of permissions in a workspace: built-in (owner, admin, member, viewer) or custom. */
export interface Role {
  id: string;
  workspaceId: string;
  key: string;
  name: string;
  builtIn: boolean;
  permissions: RolePermissions;
  createdAt: Date;
}

/** A user's membership of a workspace, with a role. */
export interface Member {
  id: string;
  workspaceId: string;
  userId: string;
  roleId: string;
  createdAt: Date;
}

const createdAt = { type: 'datetime', length: 3, onCreate: () => new Date() } as const;

/** MikroORM schema of {@link Workspace}. */
export const WorkspaceSchema = new EntitySchema<Workspace>({
  name: 'Workspace',
  tableName: 'workspace',
  properties: {
    id: { type: 'uuid', primary: true },
    name: { type: 'text' },
    schemaName: { type: 'text', unique: true },
    createdAt,
  },
});

/** MikroORM schema of {@link Role}. */
export const RoleSchema = new EntitySchema<Role>({
  name: 'Role',
  tableName: 'role',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    key: { type: 'text' },
    name: { type: 'text' },
    builtIn: { type: 'boolean' },
    permissions: { type: 'json' },
    createdAt,
  },
});

/** MikroORM schema of {@link Member}. */
export const MemberSchema = new EntitySchema<Member>({
  name: 'Member',
  tableName: 'member',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    userId: { type: 'uuid' },
    roleId: { type: 'uuid' },
    createdAt,
  },
});
