import { uuidSchema } from '../auth/schemas.js';
import type { Access } from '../roles/index.js';
import { addOperation, object, pathParam, ref, type Json, type Paths } from './common.js';

/**
 * Connected apps (kernel/src/oauth/connected-apps-routes.ts): the OAuth applications members authorized.
 * The administrators' routes appear only for roles holding `members`.
 */

const dateTime = { type: 'string', format: 'date-time' };
const TAG = 'Connected apps';

/** The tag of these routes. */
export const CONNECTED_APP_TAGS = [{ name: TAG, description: 'OAuth applications (AI assistants, MCP clients) members authorized, and revoking them.' }];

/** The component schemas the routes below use. */
export const CONNECTED_APP_SCHEMAS: Record<string, Json> = {
  ConnectedApp: object(
    {
      id: { type: 'string', pattern: '^[0-9a-f]{32}$', description: 'The id in these paths: the first 128 bits of the SHA-256 of `client_id`, in hex.' },
      client_id: { type: 'string', description: 'A registered client id (`mc_…`) or the URL of a client metadata document.' },
      client_name: { type: 'string', description: "The client's self-declared name (for a document client that cannot be fetched now, its host)." },
      client_kind: { enum: ['registered', 'document'] },
      redirect_hosts: { type: 'array', items: { type: 'string' }, description: "Hosts of the client's redirect URIs." },
      scopes: { type: 'array', items: { type: 'string' }, description: 'Every scope granted over its live authorizations.' },
      authorizations: { type: 'integer', minimum: 1, description: 'How many live authorizations (consents) it holds.' },
      first_authorized_at: dateTime,
      last_used_at: { ...dateTime, description: 'When it last obtained tokens (a code exchange or a refresh).' },
      member: object({ id: uuidSchema, name: { type: 'string' }, email: { type: 'string' } }, { description: "Only in the administrators' list." }),
    },
    { optional: ['member'] },
  ),
  IdleOAuthClient: object({
    id: { type: 'string', pattern: '^[0-9a-f]{32}$' },
    client_id: { type: 'string' },
    client_name: { type: 'string' },
    last_revoked_at: { type: ['string', 'null'], format: 'date-time' },
  }),
};

const idParam = pathParam('id', { type: 'string', maxLength: 64 }, 'The connected app id (`id` in the list).');
const revoked = 'Revokes every authorization of the app: its refresh tokens are refused, and its unexpired access tokens too, at once (resources check the authorization on every request).';

/** `/api/connected-apps` for everyone signed in; `/api/workspace/connected-apps` and `/api/workspace/oauth-clients` with `members`. */
export function connectedAppPaths(access: Access): Paths {
  const paths: Paths = {};
  addOperation(paths, '/api/connected-apps', 'get', {
    id: 'connectedApps.listMine',
    summary: 'The applications you authorized in this workspace',
    tag: TAG,
    ok: { status: 200, description: 'Most recently used first.', schema: object({ data: { type: 'array', items: ref('ConnectedApp') } }) },
    errors: [403],
    security: 'session',
  });
  addOperation(paths, '/api/connected-apps/{id}', 'delete', {
    id: 'connectedApps.revokeMine',
    summary: 'Revoke an application you authorized',
    description: revoked,
    tag: TAG,
    parameters: [idParam],
    ok: { status: 204, description: 'Revoked.' },
    errors: [400, 403, 404],
    security: 'session',
  });
  if (!access.can('members')) return paths;
  addOperation(paths, '/api/workspace/connected-apps', 'get', {
    id: 'connectedApps.listAll',
    summary: "Every member's connected applications",
    description: '`idle_clients`: registered clients authorized here before, with no live authorization here now; they can be deleted.',
    tag: TAG,
    ok: {
      status: 200,
      description: 'The apps, each with its member.',
      schema: object({ data: { type: 'array', items: ref('ConnectedApp') }, idle_clients: { type: 'array', items: ref('IdleOAuthClient') } }),
    },
    errors: [403],
  });
  addOperation(paths, '/api/workspace/connected-apps/{member_id}/{id}', 'delete', {
    id: 'connectedApps.revoke',
    summary: "Revoke a member's connected application",
    description: revoked,
    tag: TAG,
    parameters: [pathParam('member_id', uuidSchema, 'The member.'), idParam],
    ok: { status: 204, description: 'Revoked.' },
    errors: [400, 403, 404],
  });
  addOperation(paths, '/api/workspace/oauth-clients/{id}', 'delete', {
    id: 'connectedApps.deleteClient',
    summary: 'Delete a registered client no one here uses',
    description:
      'Registered clients are instance-wide: this forgets its revoked authorizations in this workspace, and deletes the registration itself only when no workspace has an authorization or a pending code for it. 409 `MOSAIC_ERR_OAUTH_CLIENT_IN_USE` while a member here still has it connected; 400 `MOSAIC_ERR_OAUTH_CLIENT_NOT_REGISTERED` for a metadata-document client.',
    tag: TAG,
    parameters: [idParam],
    ok: { status: 204, description: 'Deleted.' },
    errors: [400, 403, 404, 409],
  });
  return paths;
}
