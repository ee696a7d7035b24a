import type { Knex } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/require-auth.js';

/** One workspace member as every member may see them: who they are, not what they may do. */
export interface DirectoryEntry {
  /** The member id: the value of `member` fields. */
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

/** The members of a workspace by name (then email), for showing and picking `member` field values. */
export async function memberDirectory(knex: Knex, workspaceId: string): Promise<DirectoryEntry[]> {
  const rows: { id: string; name: string | null; email: string }[] = await knex('member as m')
    .join('app_user as u', 'u.id', 'm.user_id')
    .where('m.workspace_id', workspaceId)
    .orderByRaw('lower(u.name), lower(u.email), m.id')
    .select('m.id', 'u.name', 'u.email');
  return rows.map((r) => ({ id: r.id, name: r.name || r.email, email: r.email }));
}

/**
 * `GET /api/workspace/directory`: names and emails of the workspace's members, for any caller of the
 * workspace (no roles or dates — those stay with `/api/workspace/members`). Member fields hold member
 * ids; the UI reads this to show names and offer members to pick.
 */
export async function directoryRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  app.get('/api/workspace/directory', async (request) => {
    const auth = requireAuth(request);
    return { data: await memberDirectory(services.db.knex, auth.workspaceId) };
  });
}
