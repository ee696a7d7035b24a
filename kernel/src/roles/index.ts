export { Access, type RecordOperation } from './access.js';
export { BUILT_IN_ROLES, BUILT_IN_ROLE_KEYS } from './builtin.js';
