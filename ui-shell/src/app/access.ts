import type { FieldMeta, ObjectAccess, RolePermissions } from '../api/types.js';

/**
 * The member's permissions, read the way the kernel reads them (`kernel/src/roles/access.ts`), so the
 * shell hides controls the API would refuse. The API stays the judge; this only avoids dead buttons.
 */
export class Permissions {
  readonly #p: RolePermissions;

  constructor(permissions: RolePermissions) {
    this.#p = permissions;
  }

  /** Whether the role holds a workspace capability (`metadata`, `members`, …). */
  can(capability: string): boolean {
    return this.#p.workspace.includes(capability);
  }

  object(object: string, operation: keyof ObjectAccess): boolean {
    const access = this.#p.objects[object] ?? this.#p.objects['*'];
    return access?.[operation] === true;
  }

  /** Whether a field can be set when the record can be created or updated. */
  fieldWritable(object: string, field: FieldMeta): boolean {
    if (field.is_system) return false;
    const rule = this.#p.fields[object]?.[field.name];
    return rule?.update !== false && rule?.read !== false;
  }
}
