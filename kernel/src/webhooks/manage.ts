import { randomUUID } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import type { KernelServices } from '../app/services.js';
import type { AuthContext } from '../auth/context.js';
import type { SubscriptionFilter } from '../events/types.js';
import { newSecret } from './signature.js';
import { findWebhook, subscriberId, viewOf, type WebhookRow, type WebhookView } from './store.js';
import { checkWebhookUrl } from './url.js';

/** The fields an admin sets on a webhook (create and update). */
export interface WebhookInput {
  readonly url?: string;
  readonly description?: string | null;
  readonly event_types?: string[];
  readonly objects?: string[];
  readonly enabled?: boolean;
  /** Create only: the admin's own secret instead of a generated one. */
  readonly secret?: string;
  /** Update only: replace the secret with a new generated one. */
  readonly rotate_secret?: boolean;
}

/** A created or updated webhook; `secret` is set only when it was just generated or chosen. */
export interface WebhookChange {
  readonly webhook: WebhookView;
  readonly secret?: string;
}

/** The bus filter of a webhook: its workspace, type patterns and objects (empty lists mean all). */
export function filterOf(row: WebhookRow): SubscriptionFilter {
  return {
    workspaceId: row.workspace_id,
    ...(row.event_types.length > 0 ? { types: row.event_types } : {}),
    ...(row.objects.length > 0 ? { objects: row.objects } : {}),
  };
}

/**
 * What events say about a webhook: never the secret, and only the URL's origin, because webhook URLs
 * often carry a token in their path or query (chat-app incoming hooks, for one) and events reach other
 * subscribers.
 */
function summary(row: WebhookRow): Record<string, unknown> {
  return { webhook_id: row.id, target: new URL(row.url).origin, event_types: row.event_types, objects: row.objects, enabled: row.enabled };
}

/**
 * Runs a webhook change: its row, its event and its cache eviction commit together; then the bus
 * subscriber is brought in line (the bus writes it on its own connection, so it follows the commit)
 * and the bus is told new events wait.
 */
async function change(services: KernelServices, work: (trx: Knex.Transaction) => Promise<WebhookRow>, sync: (row: WebhookRow) => Promise<void>): Promise<WebhookRow> {
  const row = await services.db.knex.transaction(async (trx) => {
    const result = await work(trx);
    await services.invalidation.publish(trx, 'webhooks', result.id);
    return result;
  });
  // A delivery in this process may have re-cached the old row between the eviction and the commit.
  services.invalidation.local('webhooks', row.id);
  await sync(row);
  services.bus.written();
  return row;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function ensure(services: KernelServices, row: WebhookRow): Promise<void> {
  return services.bus.ensureSubscriber({ id: subscriberId(row.id), kind: 'webhook', workspaceId: row.workspace_id, filter: filterOf(row), enabled: row.enabled });
}

/** Creates a webhook and its subscriber, which starts at the next event. */
export async function createWebhook(services: KernelServices, auth: AuthContext, input: WebhookInput & { url: string }): Promise<WebhookChange> {
  const url = await checkWebhookUrl(input.url, { allowPrivate: services.config.webhookAllowPrivate });
  const secret = input.secret ?? newSecret();
  const enabled = input.enabled ?? true;
  // Created disabled counts as paused from now, so enabling it later skips what happened meanwhile.
  const pausedAfter = enabled ? null : await services.bus.head();
  const row = await change(
    services,
    async (trx) => {
      const [inserted] = (await trx('webhook').insert(
        {
          id: randomUUID(),
          workspace_id: auth.workspaceId,
          url,
          description: input.description ?? null,
          // Encrypted at rest; the deliverer decrypts it to sign each delivery.
          secret: services.secretBox.seal(secret),
          event_types: input.event_types ?? [],
          objects: input.objects ?? [],
          enabled,
          created_by: JSON.stringify(auth.actor),
          paused_after_pos: pausedAfter,
        },
        '*',
      )) as WebhookRow[];
      await services.bus.emit([{ workspaceId: auth.workspaceId, type: 'webhook.created', actor: auth.actor, payload: summary(inserted!) }], trx);
      return inserted!;
    },
    (created) => ensure(services, created),
  );
  return { webhook: viewOf(row), secret };
}

/** Updates a webhook; `rotate_secret` returns the new secret once. */
export async function updateWebhook(services: KernelServices, auth: AuthContext, id: string, input: WebhookInput): Promise<WebhookChange> {
  // Resolve the new URL before the transaction: a slow DNS answer must not hold the row lock.
  const url = input.url === undefined ? undefined : await checkWebhookUrl(input.url, { allowPrivate: services.config.webhookAllowPrivate });
  const secret = input.rotate_secret ? newSecret() : undefined;
  const head = input.enabled === undefined ? 0 : await services.bus.head();
  const row = await change(
    services,
    async (trx) => {
      const current = await findWebhook(trx, auth.workspaceId, id, true);
      const patch: Record<string, unknown> = {};
      if (url !== undefined && url !== current.url) patch.url = url;
      if (input.description !== undefined && input.description !== current.description) patch.description = input.description;
      if (input.event_types !== undefined && !sameList(input.event_types, current.event_types)) patch.event_types = input.event_types;
      if (input.objects !== undefined && !sameList(input.objects, current.objects)) patch.objects = input.objects;
      if (secret !== undefined) patch.secret = services.secretBox.seal(secret);
      if (input.enabled !== undefined && input.enabled !== current.enabled) {
        patch.enabled = input.enabled;
        // The pause window: events positioned in (paused_after, resumed_at] are skipped, so a webhook
        // switched back on receives new events only, not the backlog of its time off.
        patch[input.enabled ? 'resumed_at_pos' : 'paused_after_pos'] = head;
      }
      const changed = Object.keys(patch).filter((k) => !k.endsWith('_pos') && k !== 'secret');
      const [updated] = (await trx('webhook')
        .where({ id: current.id })
        .update({ ...patch, updated_at: trx.fn.now() }, '*')) as WebhookRow[];
      await services.bus.emit(
        [{ workspaceId: auth.workspaceId, type: 'webhook.updated', actor: auth.actor, payload: { ...summary(updated!), changed, secret_rotated: secret !== undefined } }],
        trx,
      );
      return updated!;
    },
    (updated) => ensure(services, updated),
  );
  return secret === undefined ? { webhook: viewOf(row) } : { webhook: viewOf(row), secret };
}

/** Deletes a webhook, its delivery history and its subscriber (with the subscriber's dead letters). */
export async function deleteWebhook(services: KernelServices, auth: AuthContext, id: string): Promise<void> {
  await change(
    services,
    async (trx) => {
      const current = await findWebhook(trx, auth.workspaceId, id, true);
      await trx('webhook').where({ id: current.id }).delete();
      await services.bus.emit([{ workspaceId: auth.workspaceId, type: 'webhook.deleted', actor: auth.actor, payload: { webhook_id: current.id, target: new URL(current.url).origin } }], trx);
      return current;
    },
    (deleted) => services.bus.dropSubscriber(subscriberId(deleted.id)),
  );
}
