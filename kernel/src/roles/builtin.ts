import { WORKSPACE_CAPABILITIES, type RolePermissions } from '../db/entities/index.js';

const all = { read: true, create: true, update: true, delete: true };

/** The roles every workspace starts with. Their permissions are fixed; custom roles are edited freely. */
export const BUILT_IN_ROLES: readonly { key: string; name: string; permissions: RolePermissions }[] = [
  { key: 'owner', name: 'Owner', permissions: { workspace: [...WORKSPACE_CAPABILITIES], objects: { '*': all }, fields: {} } },
  { key: 'admin', name: 'Admin', permissions: { workspace: [...WORKSPACE_CAPABILITIES], objects: { '*': all }, fields: {} } },
  { key: 'member', name: 'Member', permissions: { workspace: [], objects: { '*': all }, fields: {} } },
  {
    key: 'viewer',
    name: 'Viewer',
    permissions: { workspace: [], objects: { '*': { read: true, create: false, update: false, delete: false } }, fields: {} },
  },
];

/** Keys of the built-in roles. */
export const BUILT_IN_ROLE_KEYS = new Set(BUILT_IN_ROLES.map((r) => r.key));
