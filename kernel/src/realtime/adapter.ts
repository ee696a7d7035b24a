import { createAdapter as postgresAdapter } from '@socket.io/postgres-adapter';
import { createAdapter as redisAdapter } from '@socket.io/redis-adapter';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import { createClient } from 'redis';
import type { ServerOptions } from 'socket.io';
import type { KernelConfig } from '../config/index.js';

/**
 * How this process's broadcasts reach sockets held by other kernel processes (`REALTIME_ADAPTER`).
 * Both socket.io adapters publish fire-and-forget and swallow their errors, so each is wrapped to
 * track its publishes: {@link RealtimeAdapter.flush} lets the deliverer wait until an event has left
 * the process (which also keeps events in order: the postgres adapter publishes on whichever pool
 * connection is free) and fail, to be retried, when the adapter could not send it.
 */
export interface RealtimeAdapter {
  readonly kind: KernelConfig['realtimeAdapter'];
  /** The socket.io adapter; undefined keeps socket.io's in-memory one (a single process). */
  readonly adapter: ServerOptions['adapter'] | undefined;
  /** Resolves once this process receives other processes' broadcasts (its LISTEN or SUBSCRIBE is in place). */
  ready(): Promise<void>;
  /** Throws when the adapter cannot publish right now (Redis disconnected), before anything is emitted. */
  assertUp(): void;
  /** Waits for every publish started so far; rejects with the first failure since the previous flush. */
  flush(): Promise<void>;
  /** Closes the adapter's own connections (after socket.io has closed the adapter). */
  close(): Promise<void>;
}

/** Promises of publishes in flight, and the first failure among them. */
class PublishTracker {
  readonly #inflight = new Set<Promise<unknown>>();
  #failure: unknown;

  track<T>(promise: Promise<T>): Promise<T> {
    this.#inflight.add(promise);
    // Handling the rejection here also keeps a failed publish from being an unhandled rejection.
    promise.then(
      () => this.#inflight.delete(promise),
      (err: unknown) => {
        this.#inflight.delete(promise);
        this.#failure ??= err;
      },
    );
    return promise;
  }

  async flush(): Promise<void> {
    // Loop: a large postgres payload is an INSERT followed by a NOTIFY started when the INSERT is done.
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
    const failure = this.#failure;
    this.#failure = undefined;
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error(String(failure));
  }
}

/** Logs a failing connection at most every 10 s: reconnect loops would otherwise log several lines a second. */
function throttledWarn(log: FastifyBaseLogger, message: string): (err: unknown) => void {
  let last = 0;
  return (err) => {
    if (Date.now() - last < 10_000) return;
    last = Date.now();
    log.warn({ err }, message);
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

const READY_TIMEOUT_MS = 10_000;

type Callable = (...args: unknown[]) => unknown;

/** Replaces `target[name]` with a wrapper that sees each call's arguments and result. */
function wrap(target: object, name: string, spy: (result: unknown, args: unknown[]) => void): void {
  const holder = target as Record<string, Callable>;
  const original = holder[name]!.bind(target);
  holder[name] = (...args: unknown[]) => {
    const result = original(...args);
    spy(result, args);
    return result;
  };
}

/**
 * `@socket.io/postgres-adapter` on a pool of its own (a LISTEN connection plus publishers), so realtime
 * traffic never waits behind record queries. Payloads over 8,000 bytes go through the
 * `socket_io_attachments` table (created by a kernel migration).
 */
function postgres(url: string, log: FastifyBaseLogger): RealtimeAdapter {
  const tracker = new PublishTracker();
  const warn = throttledWarn(log, 'realtime postgres adapter connection failed');
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  pool.on('error', warn);
  pool.on('connect', (client) => {
    // pg-pool removes its error listener while a client is checked out, and the adapter keeps its LISTEN
    // client checked out for good: without this, a dropped connection would crash the process.
    client.on('error', warn);
    wrap(client, 'query', (result, args) => {
      if (typeof args[0] === 'string' && args[0].startsWith('LISTEN') && result instanceof Promise) result.then(() => listening(), () => undefined);
    });
  });
  wrap(pool, 'query', (result) => {
    if (result instanceof Promise) tracker.track(result);
  });
  return {
    kind: 'postgres',
    adapter: postgresAdapter(pool, { errorHandler: warn }),
    ready: () => withTimeout(ready, READY_TIMEOUT_MS, 'REALTIME_ADAPTER=postgres: the realtime LISTEN connection did not open within 10 s.'),
    assertUp: () => undefined,
    flush: () => tracker.flush(),
    close: () => withTimeout(pool.end(), 5000, 'the realtime postgres pool did not close').catch((err) => log.warn({ err }, 'realtime postgres pool did not close cleanly')),
  };
}

/** `@socket.io/redis-adapter` on two `redis` clients (a subscriber connection cannot publish). */
async function redis(url: string, log: FastifyBaseLogger): Promise<RealtimeAdapter> {
  const tracker = new PublishTracker();
  const warn = throttledWarn(log, 'realtime redis connection failed');
  const pub = createClient({ url });
  const sub = pub.duplicate();
  pub.on('error', warn);
  sub.on('error', warn);
  const subscribed: Promise<unknown>[] = [];
  const shown = new URL(url);
  shown.password = '';
  try {
    await withTimeout(Promise.all([pub.connect(), sub.connect()]), READY_TIMEOUT_MS, `REALTIME_ADAPTER=redis: could not connect to Redis at ${shown.host} within 10 s.`);
  } catch (err) {
    await Promise.allSettled([pub.disconnect(), sub.disconnect()]);
    throw err;
  }
  wrap(pub, 'publish', (result) => void tracker.track(result as Promise<unknown>));
  for (const name of ['subscribe', 'pSubscribe']) wrap(sub, name, (result) => void subscribed.push(result as Promise<unknown>));
  return {
    kind: 'redis',
    // Prefixed so another socket.io application on the same Redis never shares channels with us.
    adapter: redisAdapter(pub, sub, { key: 'mosaic' }),
    ready: () => withTimeout(Promise.all(subscribed).then(() => undefined), READY_TIMEOUT_MS, 'REALTIME_ADAPTER=redis: subscribing on Redis took longer than 10 s.'),
    assertUp: () => {
      // Commands sent while disconnected would wait in node-redis's offline queue and go out late and out of order.
      if (!pub.isReady || !sub.isReady) throw new Error('Redis for realtime is not connected.');
    },
    flush: () => tracker.flush(),
    close: async () => {
      await Promise.allSettled([pub.quit(), sub.quit()]);
    },
  };
}

/** Creates the adapter `REALTIME_ADAPTER` names. */
export async function createRealtimeAdapter(config: KernelConfig, databaseUrl: string, log: FastifyBaseLogger): Promise<RealtimeAdapter> {
  if (config.realtimeAdapter === 'postgres') return postgres(databaseUrl, log);
  if (config.realtimeAdapter === 'redis') return redis(config.redisUrl, log);
  return { kind: 'none', adapter: undefined, ready: async () => undefined, assertUp: () => undefined, flush: async () => undefined, close: async () => undefined };
}
