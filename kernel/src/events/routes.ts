import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import { MosaicError } from '../errors/index.js';
import type { DeadLetterRow } from './dead-letter-store.js';
import type { SubscriberRow } from './subscriber-store.js';

const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;

function serialize(row: DeadLetterRow, withEvent: boolean): Record<string, unknown> {
  return {
    id: row.id,
    subscriber_id: row.subscriber_id,
    event_id: row.event_id,
    event_type: row.event.type,
    object: row.event.object,
    record_id: row.event.record_id,
    attempts: row.attempts,
    last_error: row.last_error,
    created_at: new Date(row.created_at).toISOString(),
    replayed_at: row.replayed_at ? new Date(row.replayed_at).toISOString() : null,
    replay_attempts: row.replay_attempts,
    ...(withEvent ? { event: row.event } : {}),
  };
}

/**
 * `/api/events`: the subscribers that receive this workspace's events (with their lag), and the dead
 * letters — deliveries that failed every attempt — to list, inspect, replay or discard.
 */
export async function eventRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const { knex } = services.db;
  const admin = (request: Parameters<typeof requireAuth>[0]) => {
    const auth = requireAuth(request);
    auth.access.assertCan('events');
    return auth;
  };
  const find = async (workspaceId: string, id: string): Promise<DeadLetterRow> => {
    const row = (await knex('dead_letter').where({ id, workspace_id: workspaceId }).first()) as DeadLetterRow | undefined;
    if (!row) throw new MosaicError('MOSAIC_ERR_DEAD_LETTER_NOT_FOUND', `No dead letter with id ${id} in this workspace.`);
    return row;
  };

  app.get('/api/events/subscribers', async (request) => {
    const auth = admin(request);
    const headPos = await services.bus.head();
    const rows = (await knex('event_subscriber')
      .where((q) => q.where('workspace_id', auth.workspaceId).orWhereNull('workspace_id'))
      .orderBy('id')) as (SubscriberRow & { delivered_count: string; last_delivered_at: string | null; next_attempt_at: string | null })[];
    return {
      data: rows.map((r) => ({
        id: r.id,
        kind: r.kind,
        scope: r.workspace_id ? 'workspace' : 'kernel',
        filter: r.filter,
        enabled: r.enabled,
        position: Number(r.position),
        lag: Math.max(0, headPos - Number(r.position)),
        attempts: r.attempts,
        last_error: r.workspace_id ? r.last_error : null,
        next_attempt_at: r.next_attempt_at ? new Date(r.next_attempt_at).toISOString() : null,
      })),
    };
  });

  app.get<{ Querystring: { subscriber_id?: string; limit: number } }>(
    '/api/events/dead-letters',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { subscriber_id: { type: 'string', maxLength: 300 }, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } } } } },
    async (request) => {
      const auth = admin(request);
      const qb = knex('dead_letter').where({ workspace_id: auth.workspaceId }).orderBy('created_at', 'desc').limit(request.query.limit);
      if (request.query.subscriber_id) qb.where('subscriber_id', request.query.subscriber_id);
      return { data: ((await qb) as DeadLetterRow[]).map((r) => serialize(r, false)) };
    },
  );

  app.get<{ Params: { id: string } }>('/api/events/dead-letters/:id', { schema: { params: idParams } }, async (request) => {
    const auth = admin(request);
    return { data: serialize(await find(auth.workspaceId, request.params.id), true) };
  });

  app.post<{ Params: { id: string } }>('/api/events/dead-letters/:id/replay', { schema: { params: idParams } }, async (request) => {
    const auth = admin(request);
    const row = await find(auth.workspaceId, request.params.id);
    const subscriber = (await knex('event_subscriber').where({ id: row.subscriber_id }).first()) as SubscriberRow | undefined;
    const deliver = subscriber && services.bus.dispatcher.delivererFor(subscriber);
    if (!deliver) throw new MosaicError('MOSAIC_ERR_SUBSCRIBER_UNAVAILABLE', `The subscriber ${row.subscriber_id} is not running in this kernel process.`);
    try {
      await deliver(row.event);
    } catch (err) {
      await knex('dead_letter').where({ id: row.id }).update({ replay_attempts: row.replay_attempts + 1, last_error: String((err as Error).message ?? err).slice(0, 2000) });
      throw new MosaicError('MOSAIC_ERR_EVENT_REPLAY_FAILED', `The subscriber failed again: ${String((err as Error).message ?? err).slice(0, 300)}`);
    }
    await knex('dead_letter').where({ id: row.id }).update({ replayed_at: knex.fn.now(), replay_attempts: row.replay_attempts + 1 });
    return { data: serialize(await find(auth.workspaceId, row.id), false) };
  });

  app.delete<{ Params: { id: string } }>('/api/events/dead-letters/:id', { schema: { params: idParams } }, async (request, reply) => {
    const auth = admin(request);
    await find(auth.workspaceId, request.params.id);
    await knex('dead_letter').where({ id: request.params.id }).delete();
    return reply.status(204).send();
  });
}
