import { randomUUID } from 'node:crypto';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KernelServices } from '../app/services.js';
import { SessionSchema } from '../db/entities/index.js';
import { setSessionCookie } from './cookie.js';
import { hashToken, randomToken } from './tokens.js';

/** The body every route that starts or changes a session answers with. */
export interface SessionBody {
  user: { id: string; email: string; name: string };
  workspace: { id: string; name: string };
  member: { id: string; role: string };
  csrf_token: string;
}

/**
 * Starts a session for a member: stores the hashed token, sets the cookie, and returns the body to send.
 * Pass the transaction's entity manager when the session is part of a larger change.
 */
export async function startSession(
  services: KernelServices,
  em: EntityManager,
  request: FastifyRequest,
  reply: FastifyReply,
  who: { userId: string; workspaceId: string },
): Promise<SessionBody> {
  const token = randomToken();
  const csrfToken = randomToken();
  const ttlHours = services.config.sessionTtlHours;
  const userAgent = request.headers['user-agent'];
  em.create(SessionSchema, {
    id: randomUUID(),
    tokenHash: hashToken(token),
    userId: who.userId,
    workspaceId: who.workspaceId,
    csrfToken,
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + ttlHours * 3_600_000),
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
  });
  await em.flush();
  setSessionCookie(request, reply, token, ttlHours);
  return sessionBody(em.getTransactionContext<Knex.Transaction>() ?? em.getKnex(), { ...who, csrfToken });
}

/** The user, workspace and membership a session speaks for, in one query. */
export async function sessionBody(knex: Knex, who: { userId: string; workspaceId: string; csrfToken: string }): Promise<SessionBody> {
  const row = (await knex('member as m')
    .join('app_user as u', 'u.id', 'm.user_id')
    .join('workspace as w', 'w.id', 'm.workspace_id')
    .join('role as r', 'r.id', 'm.role_id')
    .where({ 'm.user_id': who.userId, 'm.workspace_id': who.workspaceId })
    .first('u.id as user_id', 'u.email', 'u.name as user_name', 'w.id as workspace_id', 'w.name as workspace_name', 'm.id as member_id', 'r.key as role')) as
    | { user_id: string; email: string; user_name: string; workspace_id: string; workspace_name: string; member_id: string; role: string }
    | undefined;
  if (!row) throw new Error('sessionBody: the member does not exist');
  return {
    user: { id: row.user_id, email: row.email, name: row.user_name },
    workspace: { id: row.workspace_id, name: row.workspace_name },
    member: { id: row.member_id, role: row.role },
    csrf_token: who.csrfToken,
  };
}
