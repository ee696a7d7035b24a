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
/** Least time between two scans of the subscriber table for due subscribers. */
const SCAN_EVERY_MS = 20;
/** How often a busy subscriber writes its position. */
const PERSIST_EVERY_MS = 50;

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
  /** The running delivery loop of each subscriber this process is serving. */
  readonly #loops = new Map<string, Promise<void>>();
  /** Subscribers woken while their loop was busy: they get another round. */
  readonly #dirty = new Set<string>();
  #scan: Promise<void> | undefined;
  #head = 0;
  #lastScan = -Infinity;
  #rescan = false;
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

  /**
   * Looks for due subscribers and serves each in its own loop. Subscribers never wait for one another:
   * a slow one keeps its own loop busy while the others go on. Resolves when the serving it started or
   * joined is done (tests and benchmarks await that; the kernel does not).
   */
  wake(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#scan) {
      this.#rescan = true;
      return this.#scan;
    }
    // Under a stream of writes, running loops are nudged directly; scanning the subscriber table for idle
    // ones more often than every SCAN_EVERY_MS would only add queries.
    const wait = this.#lastScan + SCAN_EVERY_MS - performance.now();
    const run = async () => {
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      this.#lastScan = performance.now();
      await this.#scanDue();
    };
    this.#scan = run()
      .catch((err) => this.#log.error({ err }, 'event dispatch scan failed'))
      .finally(() => {
        this.#scan = undefined;
        if (this.#rescan) {
          this.#rescan = false;
          void this.wake();
        }
      });
    return this.#scan;
  }

  async #scanDue(): Promise<void> {
    const upTo = await head(this.#knex);
    this.noteHead(upTo);
    const due = await dueSubscribers(this.#knex, [...this.#kinds.keys()], [...this.#handlers.keys()], upTo);
    // Loops already running are not "due" (they hold the lease) but must see the new head.
    for (const id of this.#loops.keys()) this.#dirty.add(id);
    await Promise.all(due.map((id) => this.#loop(id)));
  }

  /** Serves one subscriber until it has nothing due; a wake-up during service triggers another round. */
  #loop(id: string): Promise<void> {
    const running = this.#loops.get(id);
    if (running) {
      this.#dirty.add(id);
      return running;
    }
    const loop = this.#serve(id)
      .catch(async (err) => {
        this.#log.error({ err, subscriber: id }, 'event delivery failed unexpectedly');
        await this.#knex('event_subscriber').where({ id, leased_by: this.owner }).update({ leased_by: null, lease_until: null }).catch(() => undefined);
      })
      .finally(() => {
        this.#loops.delete(id);
        // Woken after its last round had begun: go again rather than wait for the next poll.
        if (this.#dirty.delete(id) && !this.#closed) void this.#loop(id);
      });
    this.#loops.set(id, loop);
    return loop;
  }

  /**
   * New events up to `position` exist (this process just sequenced them): running delivery loops take
   * another round at once, without waiting for a scan of the subscriber table.
   */
  nudge(position: number): void {
    this.noteHead(position);
    for (const id of this.#loops.keys()) this.#dirty.add(id);
  }

  /** The highest position known to exist, from the sequencer or the last look at the head. */
  noteHead(position: number): void {
    if (position > this.#head) this.#head = position;
  }

  /**
   * Delivers everything due to one subscriber under its lease, round after round while wake-ups keep
   * coming. The lease is kept between rounds (renewed at half its life) and progress is written at most
   * every {@link PERSIST_EVERY_MS} — a crash then redelivers at most that much, which at-least-once
   * delivery allows — so a busy subscriber costs one query per round rather than four.
   */
  async #serve(id: string): Promise<void> {
    let claimedAt = performance.now();
    const subscriber = await claim(this.#knex, id, this.owner, this.#config.eventLeaseMs);
    if (!subscriber) return;
    const deliver = this.delivererFor(subscriber);
    let position = Number(subscriber.position);
    let attempts = subscriber.attempts;
    let delivered = 0;
    let persistedAt = performance.now();
    this.noteHead(await head(this.#knex));
    do {
      this.#dirty.delete(id);
      const upTo = this.#head;
      while (deliver && position < upTo && !this.#closed) {
        const rows = await nextEvents(this.#knex, subscriber, position, upTo, BATCH);
        for (const row of rows) {
          if (this.#closed) break;
          const event = await formatEvent(this.#metadata, row);
          if (filterMatches(subscriber.filter, event)) {
            const error = await this.#attempt(deliver, event);
            if (error) {
              attempts++;
              if (attempts < this.#config.eventMaxAttempts) {
                await advance(this.#knex, id, this.owner, position, delivered, false);
                await retryLater(this.#knex, id, this.owner, position, attempts, this.#backoff(attempts), error);
                return;
              }
              await deadLetter(this.#knex, subscriber, event, attempts, error);
              this.#log.warn({ subscriber: id, event: event.id, attempts }, 'event moved to the dead letters');
            } else {
              delivered++;
            }
            attempts = 0;
          }
          position = event.position;
        }
        if (rows.length < BATCH && !this.#closed) position = upTo;
      }
      if (!deliver) position = upTo;
      if (performance.now() - persistedAt > PERSIST_EVERY_MS) {
        await advance(this.#knex, id, this.owner, position, delivered, false);
        delivered = 0;
        persistedAt = performance.now();
      }
      if (performance.now() - claimedAt > this.#config.eventLeaseMs / 2) {
        if (!(await claim(this.#knex, id, this.owner, this.#config.eventLeaseMs))) return;
        claimedAt = performance.now();
      }
    } while (this.#dirty.has(id) && !this.#closed);
    await advance(this.#knex, id, this.owner, position, delivered, true);
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

  /** Stops starting new deliveries and waits for those under way. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#scan;
    await Promise.all(this.#loops.values());
  }
}
