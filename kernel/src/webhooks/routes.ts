import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import type { BusEvent } from '../events/types.js';
import { WebhookDeliverer } from './deliverer.js';
import { createWebhook, deleteWebhook, updateWebhook, type WebhookInput } from './manage.js';
import { createBody, deliveriesQuery, idParams, updateBody } from './schemas.js';
import { findWebhook, listDeliveries, listWebhooks, viewOf } from './store.js';

/**
 * The webhooks module: `/api/webhooks` to manage a workspace's webhooks (capability `webhooks`), and the
 * bus kind `webhook` that delivers events to them. Each webhook is the bus subscriber `webhook:<id>`
 * with its own queue position, type and object filter, retries and dead letters.
 */
export async function webhookRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const { knex } = services.db;
  const deliverer = new WebhookDeliverer(services);
  services.bus.registerKind('webhook', deliverer.factory);

  const admin = (request: FastifyRequest) => {
    const auth = requireAuth(request);
    auth.access.assertCan('webhooks');
    return auth;
  };

  app.get('/api/webhooks', async (request) => {
    const auth = admin(request);
    return { data: (await listWebhooks(knex, auth.workspaceId)).map(viewOf) };
  });

  app.post<{ Body: WebhookInput & { url: string } }>('/api/webhooks', { schema: { body: createBody } }, async (request, reply) => {
    const auth = admin(request);
    const { webhook, secret } = await createWebhook(services, auth, request.body);
    return reply.status(201).send({ data: { ...webhook, secret } });
  });

  app.get<{ Params: { id: string } }>('/api/webhooks/:id', { schema: { params: idParams } }, async (request) => {
    const auth = admin(request);
    return { data: viewOf(await findWebhook(knex, auth.workspaceId, request.params.id)) };
  });

  app.patch<{ Params: { id: string }; Body: WebhookInput }>('/api/webhooks/:id', { schema: { params: idParams, body: updateBody } }, async (request) => {
    const auth = admin(request);
    const { webhook, secret } = await updateWebhook(services, auth, request.params.id, request.body);
    return { data: secret === undefined ? webhook : { ...webhook, secret } };
  });

  app.delete<{ Params: { id: string } }>('/api/webhooks/:id', { schema: { params: idParams } }, async (request, reply) => {
    const auth = admin(request);
    await deleteWebhook(services, auth, request.params.id);
    return reply.status(204).send();
  });

  app.get<{ Params: { id: string }; Querystring: { limit: number } }>(
    '/api/webhooks/:id/deliveries',
    { schema: { params: idParams, querystring: deliveriesQuery } },
    async (request) => {
      const auth = admin(request);
      const webhook = await findWebhook(knex, auth.workspaceId, request.params.id);
      return { data: await listDeliveries(knex, webhook.id, request.query.limit) };
    },
  );

  /**
   * Sends a `webhook.test` ping now, whatever the webhook's filters and even when it is disabled, so an
   * admin can check the receiver and its signature check before switching it on. It does not go through
   * the bus: it is answered here and never retried, but it is recorded in the history like any attempt.
   */
  app.post<{ Params: { id: string } }>('/api/webhooks/:id/test', { schema: { params: idParams } }, async (request) => {
    const auth = admin(request);
    const webhook = await findWebhook(knex, auth.workspaceId, request.params.id);
    const event: BusEvent = {
      id: randomUUID(),
      position: 0,
      workspace_id: auth.workspaceId,
      type: 'webhook.test',
      object: null,
      record_id: null,
      actor: auth.actor,
      occurred_at: new Date().toISOString(),
      payload: { webhook_id: webhook.id, message: 'A test event from Mosaic CRM; if you can read this, the webhook works.' },
    };
    const result = await deliverer.send(webhook, event);
    return { data: { event_id: event.id, delivered: result.ok, status_code: result.statusCode, latency_ms: result.latencyMs, error: result.error } };
  });
}
