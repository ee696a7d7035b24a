import pg from 'pg';
import type { Knex } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';

/** What a cache entry is about: metadata of a workspace, roles of a workspace, a session, an API key. */
export type InvalidationTopic = 'metadata' | 'roles' | 'session' | 'api_key' | 'members' | 'webhooks' | 'presence' | 'plugins';

type Listener = (key: string) => void;

const CHANNEL = 'mosaic_invalidate';

/**
 * Cache invalidation across kernel processes. Caches (metadata, roles, sessions) live in each process;
 * a change is announced with PostgreSQL `NOTIFY` — inside the writing transaction, so it is delivered
 * only if the change commits — and every process drops its copy. The writing process also drops its
 * own copy at once, so it never serves stale data in the gap before its notification arrives.
 */
export class Invalidation {
  readonly #listeners = new Map<InvalidationTopic, Set<Listener>>();
  /** Other channels listened to on the same connection (the event bus's wake-ups). */
  readonly #channels = new Map<string, Set<() => void>>();
  readonly #url: string;
  readonly #log: FastifyBaseLogger;
  #client: pg.Client | undefined;
  #closed = false;
  #reconnectTimer: NodeJS.Timeout | undefined;

  constructor(url: string, log: FastifyBaseLogger) {
    this.#url = url;
    this.#log = log;
  }

  /** Opens the dedicated LISTEN connection; reconnects by itself if it drops. */
  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url });
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL) {
        for (const listener of this.#channels.get(msg.channel) ?? []) listener();
        return;
      }
      if (!msg.payload) return;
      const at = msg.payload.indexOf(':');
      this.#emit(msg.payload.slice(0, at) as InvalidationTopic, msg.payload.slice(at + 1));
    });
    client.on('error', (err) => {
      this.#log.warn({ err }, 'invalidation listener connection failed; reconnecting');
      this.#scheduleReconnect();
    });
    client.on('end', () => this.#scheduleReconnect());
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    for (const channel of this.#channels.keys()) await client.query(`LISTEN ${channel}`);
    this.#client = client;
  }

  /**
   * Calls `listener` whenever `channel` is notified (payloads are ignored: these are wake-ups). Channel
   * names are fixed identifiers chosen by the kernel, never user input.
   */
  async onChannel(channel: string, listener: () => void): Promise<void> {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
    let set = this.#channels.get(channel);
    if (!set) {
      this.#channels.set(channel, (set = new Set()));
      await this.#client?.query(`LISTEN ${channel}`);
    }
    set.add(listener);
  }

  #scheduleReconnect(): void {
    if (this.#closed || this.#reconnectTimer) return;
    this.#client = undefined;
    // While disconnected, notifications are lost: drop everything once reconnected.
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      this.start()
        .then(() => {
          for (const topic of this.#listeners.keys()) this.#emit(topic, '*');
          for (const set of this.#channels.values()) for (const listener of set) listener();
        })
        .catch(() => this.#scheduleReconnect());
    }, 1000);
  }

  /** Registers a cache's eviction callback. `key` is `*` when everything must go. */
  on(topic: InvalidationTopic, listener: Listener): () => void {
    let set = this.#listeners.get(topic);
    if (!set) this.#listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * Announces a change. Pass the transaction that makes the change so other processes hear of it only
   * when it commits; this process's caches are evicted at once as well.
   */
  async publish(trx: Knex, topic: InvalidationTopic, key: string): Promise<void> {
    await trx.raw('select pg_notify(?, ?)', [CHANNEL, `${topic}:${key}`]);
    this.#emit(topic, key);
  }

  /** Sends a wake-up on a channel from the listening connection (outside any write transaction). */
  async notify(channel: string): Promise<void> {
    await this.#client?.query('select pg_notify($1, $2)', [channel, '']);
  }

  /** Evicts this process's caches only (after a commit that already notified, or in tests). */
  local(topic: InvalidationTopic, key: string): void {
    this.#emit(topic, key);
  }

  #emit(topic: InvalidationTopic, key: string): void {
    for (const listener of this.#listeners.get(topic) ?? []) listener(key);
  }

  /** Closes the LISTEN connection. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    const client = this.#client;
    this.#client = undefined;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
    }
  }
}
