import type { KernelServices } from '../app/services.js';
import type { DelivererFactory } from '../events/dispatcher.js';
import type { BusEvent } from '../events/types.js';
import type { LookupFunction } from './address-guard.js';
import { sendWebhook, type DeliveryResult } from './send.js';
import { loadWebhook, recordDelivery, webhookIdOf, type WebhookRow } from './store.js';

/** Options of {@link WebhookDeliverer}. */
export interface WebhookDelivererOptions {
  /** The resolver behind the delivery-time address guard (tests pass a fake). */
  readonly lookup?: LookupFunction;
  /** Overrides the 10 s delivery deadline (tests). */
  readonly timeoutMs?: number;
}

/**
 * Delivers bus events to webhooks. The bus serves every `webhook:<id>` subscriber through
 * {@link WebhookDeliverer.factory}; each delivery loads the webhook from a per-process cache that every
 * kernel process evicts when a webhook changes (invalidation topic `webhooks`), so a new URL, secret or
 * enabled flag applies to the next delivery everywhere.
 */
export class WebhookDeliverer {
  readonly #services: KernelServices;
  readonly #options: WebhookDelivererOptions;
  /** Promises, stored before they settle: an eviction during a load then drops the stale result too. */
  readonly #cache = new Map<string, Promise<WebhookRow | undefined>>();

  constructor(services: KernelServices, options: WebhookDelivererOptions = {}) {
    this.#services = services;
    this.#options = options;
    services.invalidation.on('webhooks', (key) => {
      if (key === '*') this.#cache.clear();
      else this.#cache.delete(key);
    });
  }

  /** The deliverer factory for `bus.registerKind('webhook', …)`. */
  readonly factory: DelivererFactory = (subscriber) => {
    const id = webhookIdOf(subscriber.id);
    // Undefined makes the dispatcher skip a malformed subscriber instead of failing on it forever.
    return id === undefined ? undefined : (event) => this.deliver(id, event);
  };

  /** The webhook, from the cache or the database; undefined once it is deleted. */
  webhook(id: string): Promise<WebhookRow | undefined> {
    let entry = this.#cache.get(id);
    if (!entry) {
      entry = loadWebhook(this.#services.db.knex, id);
      this.#cache.set(id, entry);
      // A failed load must not stay cached as a rejection.
      entry.catch(() => this.#cache.get(id) === entry && this.#cache.delete(id));
    }
    return entry;
  }

  /**
   * Delivers one bus event; throws when the receiver did not take it, which makes the bus retry with
   * backoff and finally dead-letter the event.
   */
  async deliver(id: string, event: BusEvent): Promise<void> {
    const webhook = await this.webhook(id);
    // Deleted: its subscriber is being dropped; nothing is owed to a webhook that no longer exists.
    if (!webhook) return;
    // Disabled but still served means the subscriber has not caught up with the change yet. Failing
    // (rather than skipping) keeps the event, in case the webhook is switched back on.
    if (!webhook.enabled) throw new Error('the webhook is disabled');
    if (inPauseWindow(webhook, event)) return;
    const result = await this.send(webhook, event);
    if (!result.ok) throw new Error(result.error ?? `HTTP ${result.statusCode}`);
  }

  /** Sends one event now and records the attempt in the delivery history; never throws for the receiver's faults. */
  async send(webhook: WebhookRow, event: BusEvent): Promise<DeliveryResult> {
    const result = await sendWebhook({ ...webhook, secret: this.#services.secretBox.open(webhook.secret) }, event, {
      allowPrivate: this.#services.config.webhookAllowPrivate,
      lookup: this.#options.lookup,
      timeoutMs: this.#options.timeoutMs,
    });
    try {
      await recordDelivery(this.#services.db.knex, webhook.id, event, result);
    } catch (err) {
      // The attempt happened; losing its history row must not turn a delivered event into a retry.
      this.#services.log.error({ err, webhook: webhook.id, event: event.id }, 'could not record a webhook delivery');
    }
    if (!result.ok) this.#services.log.info({ webhook: webhook.id, event: event.id, status: result.statusCode }, 'webhook delivery failed');
    return result;
  }
}

/** Whether an event was positioned while the webhook was last switched off. */
function inPauseWindow(webhook: WebhookRow, event: BusEvent): boolean {
  if (webhook.paused_after_pos === null || webhook.resumed_at_pos === null) return false;
  const from = Number(webhook.paused_after_pos);
  const to = Number(webhook.resumed_at_pos);
  return event.position > from && event.position <= to;
}
