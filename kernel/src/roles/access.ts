import type { ObjectAccess, RolePermissions, WorkspaceCapability } from '../db/entities/index.js';
import { MosaicError } from '../errors/index.js';

/** A record operation on an object. */
export type RecordOperation = keyof ObjectAccess;

const NONE: ObjectAccess = { read: false, create: false, update: false, delete: false };

/**
 * What one caller may do, evaluated from a role's permissions. Every records call — HTTP, realtime,
 * plugin host API — asks this object, so there is one place where permissions are decided.
 */
export class Access {
  readonly roleKey: string;
  readonly #permissions: RolePermissions;
  readonly #capabilities: ReadonlySet<WorkspaceCapability>;

  constructor(roleKey: string, permissions: RolePermissions) {
    this.roleKey = roleKey;
    this.#permissions = permissions;
    this.#capabilities = new Set(permissions.workspace);
  }

  /** The role's permission document. */
  get permissions(): RolePermissions {
    return this.#permissions;
  }

  /** Whether the role holds a workspace administration capability. */
  can(capability: WorkspaceCapability): boolean {
    return this.#capabilities.has(capability);
  }

  /** Throws `MOSAIC_ERR_FORBIDDEN` unless the role holds the capability. */
  assertCan(capability: WorkspaceCapability): void {
    if (!this.can(capability)) {
      throw new MosaicError('MOSAIC_ERR_FORBIDDEN', `Your role (${this.roleKey}) cannot manage ${capability.replace('_', ' ')}.`);
    }
  }

  /** Whether the role may perform a record operation on an object. */
  object(object: string, operation: RecordOperation): boolean {
    const access = this.#permissions.objects[object] ?? this.#permissions.objects['*'] ?? NONE;
    return access[operation] === true;
  }

  /**
   * Throws unless the operation is allowed. A caller who cannot even read the object is told the object
   * does not exist, so object names do not leak to roles that should not see them.
   */
  assertObject(object: string, operation: RecordOperation): void {
    if (this.object(object, operation)) return;
    if (operation !== 'read' && this.object(object, 'read')) {
      throw new MosaicError('MOSAIC_ERR_FORBIDDEN', `Your role (${this.roleKey}) cannot ${operation} ${object} records.`);
    }
    throw new MosaicError('MOSAIC_ERR_OBJECT_NOT_FOUND', `No object named "${object}" in this workspace.`);
  }

  /** Whether the role may read a field (the object must be readable too). */
  fieldRead(object: string, field: string): boolean {
    return this.#permissions.fields[object]?.[field]?.read !== false && this.object(object, 'read');
  }

  /** Whether the role may set a field on create or update. */
  fieldUpdate(object: string, field: string): boolean {
    return this.#permissions.fields[object]?.[field]?.update !== false && this.#permissions.fields[object]?.[field]?.read !== false;
  }
}
