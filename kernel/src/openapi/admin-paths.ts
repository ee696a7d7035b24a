import { emailSchema, nameSchema, passwordSchema, uuidSchema } from '../auth/schemas.js';
import { WORKSPACE_CAPABILITIES } from '../db/entities/index.js';
import { roleKeySchema, rolePermissionsSchema } from '../roles/permissions-schema.js';
import type { Access } from '../roles/index.js';
import { addOperation, object, pathParam, ref, type Json, type Paths } from './common.js';

/**
 * Sign-in and workspace administration: the routes of auth/, workspaces/ and roles/, restated from
 * their route schemas (shared schema pieces are imported, so limits cannot drift). Administration
 * routes appear only for roles holding the capability they need.
 */

const dateTime = { type: 'string', format: 'date-time' };
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' };
const nullableUuid = { type: ['string', 'null'], format: 'uuid' };
const roleRef = { type: 'string', minLength: 1, maxLength: 48, description: 'A role key: owner, admin, member, viewer or a custom role.' };

/** The component schemas the routes below use. */
export const ADMIN_SCHEMAS: Record<string, Json> = {
  Session: object({
    user: object({ id: uuidSchema, email: { type: 'string' }, name: { type: 'string' } }),
    workspace: object({ id: uuidSchema, name: { type: 'string' } }),
    member: object({ id: uuidSchema, role: { type: 'string' } }),
    csrf_token: { type: 'string', description: 'Send it as the `x-csrf-token` header on every POST, PATCH and DELETE made with the session cookie.' },
  }),
  Member: object({ id: uuidSchema, user_id: uuidSchema, name: { type: 'string' }, email: { type: 'string' }, role: { type: 'string' }, created_at: nullableDateTime }),
  Invite: object(
    {
      id: uuidSchema,
      email: { type: 'string' },
      role: { type: 'string' },
      invited_by_member_id: nullableUuid,
      created_at: nullableDateTime,
      expires_at: nullableDateTime,
      token: { type: 'string', description: 'Only in the answer that created the invite.' },
      accept_path: { type: 'string', description: 'Only in the answer that created the invite.' },
    },
    { optional: ['invited_by_member_id', 'token', 'accept_path'] },
  ),
  ApiKey: object(
    {
      id: uuidSchema,
      name: { type: 'string' },
      prefix: { type: 'string', description: 'The first characters of the key, to recognise it.' },
      role: { type: 'string' },
      created_by_member_id: nullableUuid,
      created_at: nullableDateTime,
      expires_at: nullableDateTime,
      last_used_at: nullableDateTime,
      key: { type: 'string', description: 'The secret (`mk_…`); only in the answer that created the key.' },
    },
    { optional: ['key'] },
  ),
  RolePermissions: rolePermissionsSchema as unknown as Json,
  Role: object({ key: { type: 'string' }, name: { type: 'string' }, built_in: { type: 'boolean' }, permissions: ref('RolePermissions'), created_at: nullableDateTime }),
};

const roleName = { type: 'string', minLength: 1, maxLength: 100, pattern: '\\S' };
const idParam = pathParam('id', uuidSchema, 'The id.');
const keyParam = pathParam('key', { type: 'string', maxLength: 48 }, 'The role key.');
const list = (key: string, item: string) => object({ [key]: { type: 'array', items: ref(item) } });
const rateLimited = 'Rate-limited per client address.';

/** `/api/auth`: sign-up, sign-in, sign-out, the current session, switching workspace, accepting invites. */
function authPaths(paths: Paths): void {
  const tag = 'Auth';
  const session = { status: 200 as const, description: 'Signed in: the `mosaic_session` cookie is set.', schema: ref('Session') };
  addOperation(paths, '/api/auth/sign-up', 'post', {
    id: 'auth.signUp',
    summary: 'Create an account and a workspace you own',
    description: rateLimited,
    tag,
    body: object({ email: emailSchema, password: passwordSchema, name: nameSchema, workspace_name: nameSchema }),
    ok: { ...session, status: 201 },
    errors: [400, 403, 409, 429],
    security: 'public',
  });
  addOperation(paths, '/api/auth/sign-in', 'post', {
    id: 'auth.signIn',
    summary: 'Sign in with email and password',
    description: `Into \`workspace_id\`, or your first workspace. ${rateLimited}`,
    tag,
    body: object({ email: emailSchema, password: { type: 'string', maxLength: 512 }, workspace_id: uuidSchema }, { optional: ['workspace_id'] }),
    ok: session,
    errors: [400, 401, 403, 429],
    security: 'public',
  });
  addOperation(paths, '/api/auth/invites/accept', 'post', {
    id: 'auth.acceptInvite',
    summary: 'Accept an invite',
    description: `A new person sets a name and password; an existing account proves itself with its password. ${rateLimited}`,
    tag,
    body: object({ token: { type: 'string', minLength: 1, maxLength: 200 }, name: nameSchema, password: passwordSchema }, { optional: ['name'] }),
    ok: session,
    errors: [400, 401, 409, 429],
    security: 'public',
  });
  addOperation(paths, '/api/auth/sign-out', 'post', {
    id: 'auth.signOut',
    summary: 'Sign out',
    description: 'Ends the session and clears the cookie; works with an already expired session too.',
    tag,
    ok: { status: 204, description: 'Signed out.' },
    errors: [],
    security: 'optional',
  });
  addOperation(paths, '/api/auth/session', 'get', {
    id: 'auth.getSession',
    summary: 'Who is calling: user or API key, workspace and role',
    tag,
    ok: {
      status: 200,
      description: 'With a session: the `Session` fields plus `role`, `workspaces` and `via: session`; with an API key: `via`, `workspace`, `role` and `api_key`.',
      schema: { type: 'object', required: ['via', 'workspace', 'role'], properties: { via: { enum: ['session', 'api_key'] }, workspace: { type: 'object' }, role: { type: 'object' } } },
    },
    errors: [],
  });
  addOperation(paths, '/api/auth/switch-workspace', 'post', {
    id: 'auth.switchWorkspace',
    summary: 'Move the session to another workspace you belong to',
    tag,
    body: object({ workspace_id: uuidSchema }),
    ok: { ...session, description: 'The session now speaks for the other workspace.' },
    errors: [400, 403],
    security: 'session',
  });
}

/** `/api/workspace`: members, invites, API keys and roles. */
function workspacePaths(paths: Paths, access: Access): void {
  const tag = 'Workspace';
  const invite = object({ email: emailSchema, role: roleRef });
  addOperation(paths, '/api/workspace/directory', 'get', {
    id: 'workspace.directory',
    summary: "The workspace's members by name and email",
    description: 'Readable by any caller of the workspace (no roles): what member fields show and pick from.',
    tag,
    ok: { status: 200, description: 'The members, sorted by name.', schema: object({ data: { type: 'array', items: object({ id: uuidSchema, name: { type: 'string' }, email: { type: 'string' } }) } }) },
    errors: [],
  });
  addOperation(paths, '/api/workspace/members', 'get', { id: 'workspace.listMembers', summary: 'List members', tag, ok: { status: 200, description: 'The members.', schema: list('members', 'Member') }, errors: [] });
  addOperation(paths, '/api/workspace/members/{id}', 'delete', {
    id: 'workspace.removeMember',
    summary: 'Remove a member (or leave, with your own member id)',
    description: 'Removing someone else needs the `members` capability.',
    tag,
    parameters: [idParam],
    ok: { status: 204, description: 'Removed.' },
    errors: [400, 403, 404, 409],
  });
  if (access.can('members')) {
    const created = { status: 201 as const, description: 'The invite, with its token (shown once).', schema: ref('Invite') };
    addOperation(paths, '/api/workspace/members', 'post', { id: 'workspace.inviteMember', summary: 'Invite a person (same as creating an invite)', tag, body: invite, ok: created, errors: [400, 403, 404, 409] });
    addOperation(paths, '/api/workspace/members/{id}', 'patch', {
      id: 'workspace.changeMemberRole',
      summary: "Change a member's role",
      tag,
      parameters: [idParam],
      body: object({ role: roleRef }),
      ok: { status: 200, description: 'The member and role.', schema: object({ id: uuidSchema, user_id: uuidSchema, role: { type: 'string' } }) },
      errors: [400, 403, 404, 409],
    });
    addOperation(paths, '/api/workspace/invites', 'get', { id: 'workspace.listInvites', summary: 'List pending invites', tag, ok: { status: 200, description: 'Pending invites.', schema: list('invites', 'Invite') }, errors: [403] });
    addOperation(paths, '/api/workspace/invites', 'post', { id: 'workspace.createInvite', summary: 'Invite a person', tag, body: invite, ok: created, errors: [400, 403, 404, 409] });
    addOperation(paths, '/api/workspace/invites/{id}', 'delete', { id: 'workspace.revokeInvite', summary: 'Revoke an invite', tag, parameters: [idParam], ok: { status: 204, description: 'Revoked.' }, errors: [400, 403, 404] });
  }
  if (access.can('api_keys')) {
    addOperation(paths, '/api/workspace/api-keys', 'get', { id: 'workspace.listApiKeys', summary: 'List live API keys', tag, ok: { status: 200, description: 'The keys (without secrets).', schema: list('api_keys', 'ApiKey') }, errors: [403] });
    addOperation(paths, '/api/workspace/api-keys', 'post', {
      id: 'workspace.createApiKey',
      summary: 'Create an API key',
      description: 'The secret `key` is in this answer only. The role must be one you could grant.',
      tag,
      body: object({ name: nameSchema, role: roleRef, expires_at: { ...dateTime, description: 'In the future; no expiry when left out.' } }, { optional: ['expires_at'] }),
      ok: { status: 201, description: 'The key, with its secret.', schema: ref('ApiKey') },
      errors: [400, 403, 404],
    });
    addOperation(paths, '/api/workspace/api-keys/{id}', 'delete', { id: 'workspace.revokeApiKey', summary: 'Revoke an API key', tag, parameters: [idParam], ok: { status: 204, description: 'Revoked.' }, errors: [400, 403, 404] });
  }

  const roles = 'Roles';
  addOperation(paths, '/api/workspace/roles', 'get', { id: 'roles.list', summary: 'List roles', tag: roles, ok: { status: 200, description: 'Built-in roles first.', schema: list('roles', 'Role') }, errors: [] });
  if (!access.can('roles')) return;
  const capabilities = `Workspace capabilities: ${WORKSPACE_CAPABILITIES.join(', ')}; you can only grant those you hold.`;
  addOperation(paths, '/api/workspace/roles', 'post', {
    id: 'roles.create',
    summary: 'Create a custom role',
    description: capabilities,
    tag: roles,
    body: object({ key: roleKeySchema as unknown as Json, name: roleName, permissions: ref('RolePermissions') }),
    ok: { status: 201, description: 'The role.', schema: ref('Role') },
    errors: [400, 403, 409],
  });
  addOperation(paths, '/api/workspace/roles/{key}', 'patch', {
    id: 'roles.update',
    summary: 'Rename a custom role or change its permissions',
    description: capabilities,
    tag: roles,
    parameters: [keyParam],
    body: { ...object({ name: roleName, permissions: ref('RolePermissions') }, { optional: ['name', 'permissions'] }), minProperties: 1 },
    ok: { status: 200, description: 'The role.', schema: ref('Role') },
    errors: [400, 403, 404, 409],
  });
  addOperation(paths, '/api/workspace/roles/{key}', 'delete', {
    id: 'roles.delete',
    summary: 'Delete a custom role no one holds',
    tag: roles,
    parameters: [keyParam],
    ok: { status: 204, description: 'Deleted.' },
    errors: [403, 404, 409],
  });
}

/** Health checks and this document. */
function servicePaths(paths: Paths): void {
  const status = (value: string) => object({ status: { const: value } });
  addOperation(paths, '/healthz', 'get', { id: 'health.live', summary: 'The process is alive', tag: 'Health', ok: { status: 200, description: 'Alive.', schema: status('ok') }, errors: [], security: 'public' });
  addOperation(paths, '/readyz', 'get', { id: 'health.ready', summary: 'The database is reachable and migrated', tag: 'Health', ok: { status: 200, description: 'Ready.', schema: status('ready') }, errors: [503], security: 'public' });
  addOperation(paths, '/api/openapi.json', 'get', {
    id: 'openapi.get',
    summary: 'This document',
    description: "Generated for the caller's workspace and role; it changes when metadata or the role changes. Supports `If-None-Match`.",
    tag: 'Meta',
    ok: { status: 200, description: 'An OpenAPI 3.1 document.', schema: { type: 'object' } },
    errors: [],
  });
}

/** Every path outside the records API. */
export function adminPaths(access: Access): Paths {
  const paths: Paths = {};
  authPaths(paths);
  workspacePaths(paths, access);
  servicePaths(paths);
  return paths;
}
