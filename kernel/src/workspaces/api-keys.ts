import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/require-auth.js';
import { nameSchema, uuidSchema } from '../auth/schemas.js';
import { API_KEY_DISPLAY_LENGTH, hashToken, newApiKey } from '../auth/tokens.js';
import { MosaicError } from '../errors/index.js';
import { assertMayGrant, findRole } from '../roles/grant.js';
import { applyChange } from './change.js';
import { isoDates } from './timestamps.js';

interface CreateBody {
  name: string;
  role: string;
  expires_at?: string;
}

const COLUMNS = ['k.id', 'k.name', 'k.prefix', 'r.key as role', 'k.created_by_member_id', 'k.created_at', 'k.expires_at', 'k.last_used_at'];

/**
 * `/api/workspace/api-keys`: list, create (the secret is in that answer only), revoke. All need the
 * `api_keys` capability, and a key's role must be one the caller could grant.
 */
export async function apiKeyRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const { knex } = services.db;

  app.get('/api/workspace/api-keys', async (request) => {
    const auth = requireAuth(request);
    auth.access.assertCan('api_keys');
    const keys: Record<string, unknown>[] = await knex('api_key as k')
      .join('role as r', 'r.id', 'k.role_id')
      .where('k.workspace_id', auth.workspaceId)
      .whereNull('k.revoked_at')
      .orderBy('k.created_at')
      .select(COLUMNS);
    return { api_keys: isoDates(keys, 'created_at', 'expires_at', 'last_used_at') };
  });

  app.post<{ Body: CreateBody }>(
    '/api/workspace/api-keys',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'role'],
          properties: { name: nameSchema, role: { type: 'string', minLength: 1, maxLength: 48 }, expires_at: { type: 'string', format: 'date-time' } },
        },
      },
    },
    async (request, reply) => {
      const auth = requireAuth(request);
      auth.access.assertCan('api_keys');
      const expiresAt = request.body.expires_at === undefined ? null : new Date(request.body.expires_at);
      if (expiresAt && expiresAt.getTime() <= Date.now()) {
        throw new MosaicError('MOSAIC_ERR_REQUEST_INVALID', 'expires_at must be in the future.', [{ path: '/expires_at', message: 'must be in the future' }]);
      }
      const key = newApiKey();
      const created = await applyChange(services, async ({ trx, event }) => {
        const role = await findRole(trx, auth.workspaceId, request.body.role);
        assertMayGrant(auth.access, role);
        const [row] = (await trx('api_key').insert(
          {
            id: randomUUID(),
            workspace_id: auth.workspaceId,
            name: request.body.name.trim(),
            prefix: key.slice(0, API_KEY_DISPLAY_LENGTH),
            token_hash: hashToken(key),
            role_id: role.id,
            created_by_member_id: auth.memberId ?? null,
            expires_at: expiresAt,
          },
          ['id', 'name', 'prefix', 'created_by_member_id', 'created_at', 'expires_at', 'last_used_at'],
        )) as { id: string; name: string; created_at: string; expires_at: string | null; last_used_at: string | null }[];
        event(auth.workspaceId, 'api_key.created', auth.actor, { api_key_id: row!.id, name: row!.name, role: role.key });
        return { ...isoDates([row!], 'created_at', 'expires_at', 'last_used_at')[0]!, role: role.key };
      });
      return reply.status(201).send({ ...created, key });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/api/workspace/api-keys/:id',
    { schema: { params: { type: 'object', required: ['id'], properties: { id: uuidSchema } } } },
    async (request, reply) => {
      const auth = requireAuth(request);
      auth.access.assertCan('api_keys');
      await applyChange(services, async ({ trx, event, invalidate }) => {
        const [row] = (await trx('api_key')
          .where({ id: request.params.id, workspace_id: auth.workspaceId })
          .whereNull('revoked_at')
          .update({ revoked_at: trx.fn.now() }, ['id', 'name'])) as { id: string; name: string }[];
        if (!row) throw new MosaicError('MOSAIC_ERR_API_KEY_NOT_FOUND');
        event(auth.workspaceId, 'api_key.revoked', auth.actor, { api_key_id: row.id, name: row.name });
        invalidate('api_key', row.id);
      });
      return reply.status(204).send();
    },
  );
}
