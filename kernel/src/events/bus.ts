import type { Knex } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import type { KernelConfig } from '../config/index.js';
import type { Invalidation } from '../invalidation/index.js';
import type { MetadataStore } from '../metadata/store.js';
import { Dispatcher, type DelivererFactory } from './dispatcher.js';
import { insertEvents, type OutboxEvent } from './outbox.js';
import { pruneEvents } from './retention.js';
import { Sequencer } from './sequencer.js';
import { dropSubscriber, ensureSubscriber, head, type StartAt } from './subscriber-store.js';
import type { BusEvent, SubscriptionFilter } from './types.js';

/** A handler of events inside the kernel. Throwing means "retry later". */
export type EventHandler = (event: BusEvent) => Promise<void> | void;

/** Options of {@link EventBus.subscribe}. */
export interface SubscribeOptions {
  /**
   * The subscriber's durable name: its position survives restarts and is shared by every process that
   * registers the same name. Defaults to a name derived from the pattern, filter and handler name.
   */
  readonly name?: string;
  /** Where a new subscriber starts (default: at the next event). */
  readonly startAt?: StartAt;
}

/** Handle returned by {@link EventBus.subscribe}. */
export interface Subscription {
  readonly id: string;
  /** Stops this process delivering to the handler; the durable position stays. */
  unsubscribe(): void;
}

/** Dependencies of the bus. */
export interface EventBusDeps {
  readonly knex: Knex;
  readonly url: string;
  readonly metadata: MetadataStore;
  readonly invalidation: Invalidation;
  readonly config: KernelConfig;
  readonly log: FastifyBaseLogger;
}

const RETENTION_EVERY_MS = 60_000;
/** Cross-process wake-ups are sent at most this often; their payload is empty, so merging loses nothing. */
const NOTIFY_EVERY_MS = 20;
/**
 * Local wake-ups wait this long so that a burst of writes is sequenced in one statement instead of one
 * each — a few milliseconds of latency against a write amplification of one UPDATE per event.
 */
const SEQUENCE_DELAY_MS = 1;

/**
 * The kernel's event bus over the outbox: the sequencer orders committed events, the dispatcher delivers
 * them to subscribers. Wake-ups come from PostgreSQL `LISTEN/NOTIFY` (a trigger notifies on every outbox
 * insert); a poll timer covers lost notifications and retries.
 */
export class EventBus {
  readonly #deps: EventBusDeps;
  readonly #sequencer: Sequencer;
  readonly #dispatcher: Dispatcher;
  readonly #pending: Promise<void>[] = [];
  #timer: NodeJS.Timeout | undefined;
  #lastPrune = 0;
  #started = false;
  #closed = false;
  #kickScheduled = false;
  #notifyTimer: NodeJS.Timeout | undefined;
  #lastNotify = 0;

  constructor(deps: EventBusDeps) {
    this.#deps = deps;
    this.#sequencer = new Sequencer(deps.url, deps.log);
    this.#dispatcher = new Dispatcher(deps.knex, deps.metadata, deps.config, deps.log);
  }

  /** The process's identity in subscriber leases. */
  get owner(): string {
    return this.#dispatcher.owner;
  }

  /**
   * Subscribes an in-kernel handler: `bus.subscribe('record.created', { objects: ['company'] }, handler)`.
   * Patterns may be exact types, `record.*` or `*`.
   */
  subscribe(patterns: string | readonly string[], filter: Omit<SubscriptionFilter, 'types'>, handler: EventHandler, options: SubscribeOptions = {}): Subscription {
    const types = typeof patterns === 'string' ? [patterns] : [...patterns];
    const id = options.name ?? `handler:${types.join(',')}:${JSON.stringify(filter)}:${handler.name || 'anonymous'}`;
    this.#dispatcher.registerHandler(id, async (event) => {
      await handler(event);
    });
    const ready = ensureSubscriber(this.#deps.knex, { id, kind: 'handler', workspaceId: filter.workspaceId ?? null, filter: { ...filter, types }, startAt: options.startAt });
    this.#pending.push(ready.catch((err) => this.#deps.log.error({ err, subscriber: id }, 'could not register subscriber')));
    if (this.#started) void ready.then(() => this.wake());
    return { id, unsubscribe: () => this.#dispatcher.unregisterHandler(id) };
  }

  /** Serves stored subscribers of a kind (webhooks, realtime, plugin handlers) with a deliverer factory. */
  registerKind(kind: string, factory: DelivererFactory): void {
    this.#dispatcher.registerKind(kind, factory);
  }

  /** Creates or updates a stored subscriber. */
  ensureSubscriber(spec: { id: string; kind: string; workspaceId: string | null; filter: SubscriptionFilter; startAt?: StartAt; enabled?: boolean }): Promise<void> {
    return ensureSubscriber(this.#deps.knex, spec);
  }

  /** Removes a stored subscriber. */
  dropSubscriber(id: string): Promise<void> {
    return dropSubscriber(this.#deps.knex, id);
  }

  /** Appends events to the outbox, inside the caller's transaction when one is given. */
  emit(events: readonly OutboxEvent[], trx: Knex = this.#deps.knex): Promise<void> {
    return insertEvents(trx, events);
  }

  /** The dispatcher, for replaying dead letters through the same deliverers. */
  get dispatcher(): Dispatcher {
    return this.#dispatcher;
  }

  /**
   * Tells the bus that events were committed. The writer's own process sequences and delivers at once;
   * other processes hear of it through one debounced NOTIFY, sent from outside the write transaction.
   * Writes that do not call this are still picked up by polling.
   */
  written(): void {
    if (this.#closed) return;
    if (!this.#kickScheduled) {
      this.#kickScheduled = true;
      setTimeout(() => {
        this.#kickScheduled = false;
        void this.#sequence();
      }, SEQUENCE_DELAY_MS);
    }
    if (this.#notifyTimer) return;
    const wait = Math.max(0, this.#lastNotify + NOTIFY_EVERY_MS - Date.now());
    this.#notifyTimer = setTimeout(() => {
      this.#notifyTimer = undefined;
      this.#lastNotify = Date.now();
      this.#deps.invalidation.notify('mosaic_events').catch((err) => this.#deps.log.warn({ err }, 'could not announce new events'));
    }, wait);
  }

  /** Starts listening and polling. */
  async start(): Promise<void> {
    await Promise.all(this.#pending);
    const { invalidation, config } = this.#deps;
    await invalidation.onChannel('mosaic_events', () => void this.#sequence());
    await invalidation.onChannel('mosaic_events_positioned', () => void this.#dispatcher.wake());
    this.#started = true;
    this.#timer = setInterval(() => void this.#tick(), config.eventPollMs);
    this.#timer.unref();
    await this.#tick();
  }

  async #sequence(): Promise<void> {
    if (this.#closed) return;
    try {
      if ((await this.#sequencer.tryLead()) && (await this.#sequencer.run()) > 0) {
        this.#dispatcher.nudge(this.#sequencer.lastPosition);
        await this.#dispatcher.wake();
      }
    } catch (err) {
      this.#deps.log.error({ err }, 'event sequencing failed');
    }
  }

  async #tick(): Promise<void> {
    if (this.#closed) return;
    await this.#sequence();
    await this.#dispatcher.wake();
    if (this.#sequencer.leader && Date.now() - this.#lastPrune > RETENTION_EVERY_MS) {
      this.#lastPrune = Date.now();
      const { eventRetentionHours, eventRetentionMaxDays } = this.#deps.config;
      await pruneEvents(this.#deps.knex, eventRetentionHours, eventRetentionMaxDays).catch((err) => this.#deps.log.error({ err }, 'event pruning failed'));
    }
  }

  /** Sequences and delivers now (tests and benchmarks use it instead of waiting for a wake-up). */
  async wake(): Promise<void> {
    await this.#sequence();
    await this.#dispatcher.wake();
  }

  /** The highest event position assigned so far. */
  head(): Promise<number> {
    return head(this.#deps.knex);
  }

  /** Stops delivering and releases the sequencer role. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    clearTimeout(this.#notifyTimer);
    await this.#dispatcher.close();
    await this.#sequencer.close();
  }
}
