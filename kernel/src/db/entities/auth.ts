import { EntitySchema } from '@mikro-orm/core';

/** A person who can sign in. One user may be a member of several workspaces. */
export interface User {
  id: string;
  /** Stored lower-cased so sign-in is case-insensitive. */
  email: string;
  name: string;
  passwordHash: string;
  createdAt: Date;
}

/** A signed-in browser session. Only a hash of the cookie token is stored. */
export interface Session {
  id: string;
  tokenHash: string;
  userId: string;
  workspaceId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt?: Date | null;
  userAgent?: string | null;
}

/** A workspace API key. The secret is shown once; only its hash is stored. */
export interface ApiKey {
  id: string;
  workspaceId: string;
  name: string;
  /** The first characters of the key, shown in lists so admins can tell keys apart. */
  prefix: string;
  tokenHash: string;
  roleId: string;
  createdByMemberId?: string | null;
  createdAt: Date;
  lastUsedAt?: Date | null;
  expiresAt?: Date | null;
  revokedAt?: Date | null;
}

/** An invitation to join a workspace with a role, redeemed with its token. */
export interface Invite {
  id: string;
  workspaceId: string;
  email: string;
  roleId: string;
  tokenHash: string;
  invitedByMemberId?: string | null;
  createdAt: Date;
  expiresAt: Date;
  acceptedAt?: Date | null;
  revokedAt?: Date | null;
}

const createdAt = { type: 'datetime', length: 3, onCreate: () => new Date() } as const;

/** MikroORM schema of {@link User}. */
export const UserSchema = new EntitySchema<User>({
  name: 'User',
  tableName: 'app_user',
  properties: {
    id: { type: 'uuid', primary: true },
    email: { type: 'text', unique: true },
    name: { type: 'text' },
    passwordHash: { type: 'text', lazy: true },
    createdAt,
  },
});

/** MikroORM schema of {@link Session}. */
export const SessionSchema = new EntitySchema<Session>({
  name: 'Session',
  tableName: 'session',
  properties: {
    id: { type: 'uuid', primary: true },
    tokenHash: { type: 'text', unique: true },
    userId: { type: 'uuid' },
    workspaceId: { type: 'uuid' },
    csrfToken: { type: 'text' },
    createdAt,
    expiresAt: { type: 'datetime', length: 3 },
    revokedAt: { type: 'datetime', length: 3, nullable: true },
    userAgent: { type: 'text', nullable: true },
  },
});

/** MikroORM schema of {@link ApiKey}. */
export const ApiKeySchema = new EntitySchema<ApiKey>({
  name: 'ApiKey',
  tableName: 'api_key',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    name: { type: 'text' },
    prefix: { type: 'text' },
    tokenHash: { type: 'text', unique: true },
    roleId: { type: 'uuid' },
    createdByMemberId: { type: 'uuid', nullable: true },
    createdAt,
    lastUsedAt: { type: 'datetime', length: 3, nullable: true },
    expiresAt: { type: 'datetime', length: 3, nullable: true },
    revokedAt: { type: 'datetime', length: 3, nullable: true },
  },
});

/** MikroORM schema of {@link Invite}. */
export const InviteSchema = new EntitySchema<Invite>({
  name: 'Invite',
  tableName: 'invite',
  properties: {
    id: { type: 'uuid', primary: true },
    workspaceId: { type: 'uuid' },
    email: { type: 'text' },
    roleId: { type: 'uuid' },
    tokenHash: { type: 'text', unique: true },
    invitedByMemberId: { type: 'uuid', nullable: true },
    createdAt,
    expiresAt: { type: 'datetime', length: 3 },
    acceptedAt: { type: 'datetime', length: 3, nullable: true },
    revokedAt: { type: 'datetime', length: 3, nullable: true },
  },
});
