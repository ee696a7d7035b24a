import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import type { KernelConfig } from '../config/index.js';
import type { MetadataStore } from '../metadata/store.js';
import { deadLetter } from './dead-letter-store.js';
import { formatEvent } from './format.js';
import { advance, claim, dueSubscribers, head, nextEvents, retryLater, type SubscriberRow } from './subscriber-store.js';
import { filterMatches, type BusEvent, type Deliver } from './types.js';

/** Builds the deliverer of a stored subscriber of some kind (webhooks, realtime, plugin handlers). */
export type DelivererFactory = (subscriber: SubscriberRow) => Deliver | undefined;

const BATCH = 200;
/** Subscribers served in parallel by one process. */
const PARALLEL = 8;

/**
 * Delivers positioned events to subscribers. Each subscriber has its own durable position and is served
 * by one process at a time (a lease taken with `FOR UPDATE SKIP LOCKED`); a failing subscriber retries
 * with exponential backoff and jitter on its own schedule, so it never holds back another. After the
 * last attempt the event goes to the dead letters and the subscriber moves on.
 */
export class Dispatcher {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly #knex: Knex;
  readonly #metadata: MetadataStore;
  readonly #config: KernelConfig;
  readonly #log: FastifyBaseLogger;
  readonly #kinds = new Map<string, DelivererFactory>();
  readonly #handlers = new Map<string, Deliver>();
  readonly #serving = new Set<string>();
  #pass: Promise<void> | undefined;
  #again = false;
  #closed = false;

  constructor(knex: Knex, metadata: MetadataStore, config: KernelConfig, log: FastifyBaseLogger) {
    this.#knex = knex;
    this.#metadata = metadata;
    this.#config = config;
    this.#log = log;
  }

  /** Serves every stored subscriber of `kind` with deliverers made by `factory`. */
  registerKind(kind: string, factory: DelivererFactory): void {
    this.#kinds.set(kind, factory);
  }

  /** Serves one subscriber with an in-process handler. */
  registerHandler(id: string, deliver: Deliver): void {
    this.#handlers.set(id, deliver);
  }

  /** Stops serving an in-process handler. */
  unregisterHandler(id: string): void {
    this.#handlers.delete(id);
  }

  /** The deliverer this process has for a subscriber, if any. */
  delivererFor(subscriber: SubscriberRow): Deliver | undefined {
    return this.#handlers.get(subscriber.id) ?? this.#kinds.get(subscriber.kind)?.(subscriber);
  }

  /** Runs one pass over due subscribers; concurrent wake-ups coalesce into one more pass. */
  wake(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#pass) {
      this.#again = true;
      return this.#pass;
    }
    this.#pass = this.#runPass()
      .catch((err) => this.#log.error({ err }, 'event dispatch pass failed'))
      .finally(() => {
        this.#pass = undefined;
        if (this.#again) {
          this.#again = false;
          void this.wake();
        }
      });
    return this.#pass;
  }

  async #runPass(): Promise<void> {
    const upTo = await head(this.#knex);
    const due = (await dueSubscribers(this.#knex, [...this.#kinds.keys()], [...this.#handlers.keys()], upTo)).filter((id) => !this.#serving.has(id));
    const queue = [...due];
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined && !this.#closed; id = queue.shift()) await this.#serve(id, upTo);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, queue.length) }, worker));
  }

  /** Delivers everything due to one subscriber, under its lease. */
  async #serve(id: string, upTo: number): Promise<void> {
    this.#serving.add(id);
    try {
      const subscriber = await claim(this.#knex, id, this.owner, this.#config.eventLeaseMs);
      if (!subscriber) return;
      const deliver = this.delivererFor(subscriber);
      if (!deliver) {
        await advance(this.#knex, id, this.owner, Number(subscriber.position), 0, true);
        return;
      }
      await this.#drain(subscriber, deliver, upTo);
    } catch (err) {
      this.#log.error({ err, subscriber: id }, 'event delivery failed unexpectedly');
      await this.#knex('event_subscriber').where({ id, leased_by: this.owner }).update({ leased_by: null, lease_until: null }).catch(() => undefined);
    } finally {
      this.#serving.delete(id);
    }
  }

  async #drain(subscriber: SubscriberRow, deliver: Deliver, upTo: number): Promise<void> {
    let position = Number(subscriber.position);
    let attempts = subscriber.attempts;
    let delivered = 0;
    for (;;) {
      const rows = await nextEvents(this.#knex, subscriber, position, upTo, BATCH);
      for (const row of rows) {
        if (this.#closed) break;
        const event = await formatEvent(this.#metadata, row);
        if (filterMatches(subscriber.filter, event)) {
          const error = await this.#attempt(deliver, event);
          if (error) {
            attempts++;
            if (attempts < this.#config.eventMaxAttempts) {
              await retryLater(this.#knex, subscriber.id, this.owner, position, attempts, this.#backoff(attempts), error);
              return;
            }
            await deadLetter(this.#knex, subscriber, event, attempts, error);
            this.#log.warn({ subscriber: subscriber.id, event: event.id, attempts }, 'event moved to the dead letters');
          } else {
            delivered++;
          }
          attempts = 0;
        }
        position = event.position;
      }
      if (this.#closed) break;
      if (rows.length < BATCH) {
        position = Math.max(position, upTo);
        break;
      }
      // Persist progress between batches, renewing the lease, so a crash redelivers little.
      await advance(this.#knex, subscriber.id, this.owner, position, delivered, false);
      await claim(this.#knex, subscriber.id, this.owner, this.#config.eventLeaseMs);
      delivered = 0;
    }
    await advance(this.#knex, subscriber.id, this.owner, position, delivered, true);
  }

  /** One delivery attempt with a time limit; returns the error message, or undefined on success. */
  async #attempt(deliver: Deliver, event: BusEvent): Promise<string | undefined> {
    const limit = Math.max(100, Math.floor(this.#config.eventLeaseMs / 2));
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        deliver(event),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`delivery took longer than ${limit} ms`)), limit);
        }),
      ]);
      return undefined;
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Exponential backoff with full jitter, capped at ten minutes. */
  #backoff(attempts: number): number {
    const ceiling = Math.min(600_000, this.#config.eventRetryBaseMs * 2 ** (attempts - 1));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  /** Stops starting new deliveries and waits for the current pass. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#pass;
  }
}
