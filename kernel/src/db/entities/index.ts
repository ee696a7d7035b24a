import { ApiKeySchema, InviteSchema, SessionSchema, UserSchema } from './auth.js';
import { FieldMetadataSchema, ObjectMetadataSchema } from './metadata.js';
import { MemberSchema, RoleSchema, WorkspaceSchema } from './workspace.js';

export * from './auth.js';
export * from './metadata.js';
export * from './workspace.js';

/** Every kernel entity, in the order MikroORM discovers them. */
export const KERNEL_ENTITIES = [
  WorkspaceSchema,
  UserSchema,
  RoleSchema,
  MemberSchema,
  SessionSchema,
  ApiKeySchema,
  InviteSchema,
  ObjectMetadataSchema,
  FieldMetadataSchema,
];
