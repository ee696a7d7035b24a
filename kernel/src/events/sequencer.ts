import pg from 'pg';
import type { FastifyBaseLogger } from 'fastify';

/** Arbitrary, fixed advisory-lock key naming "the event sequencer" across every kernel process. */
const SEQUENCER_LOCK = 7_366_101;
/** Most events positioned per statement. */
const BATCH = 5000;

/**
 * Assigns commit-ordered positions to outbox events. Exactly one process holds the sequencer role at a
 * time (a session advisory lock on its own connection); if that process dies, its connection closes, the
 * lock is released and another process takes over within a poll interval.
 *
 * Why a sequencer: `seq` comes from a sequence at insert time, so a transaction that commits late can
 * show up *behind* a position a subscriber has already passed. The sequencer only sees committed rows
 * and numbers them in `seq` order within each batch — per record that is commit order, since a second
 * write to a record waits for the first to commit before it inserts its event.
 */
export class Sequencer {
  readonly #url: string;
  readonly #log: FastifyBaseLogger;
  #client: pg.Client | undefined;
  #leader = false;
  #running: Promise<number> | undefined;
  /** The run queued behind the current one, shared by every call made while the current one runs. */
  #next: Promise<number> | undefined;
  #closed = false;
  #last = 0;

  constructor(url: string, log: FastifyBaseLogger) {
    this.#url = url;
    this.#log = log;
  }

  /** The highest position this process has assigned. */
  get lastPosition(): number {
    return this.#last;
  }

  /** Whether this process currently holds the sequencer role. */
  get leader(): boolean {
    return this.#leader;
  }

  /** Tries to become the sequencer (cheap to call repeatedly). */
  async tryLead(): Promise<boolean> {
    if (this.#leader || this.#closed) return this.#leader;
    try {
      if (!this.#client) {
        const client = new pg.Client({ connectionString: this.#url });
        client.on('error', (err) => {
          this.#log.warn({ err }, 'event sequencer connection failed');
          this.#leader = false;
          this.#client = undefined;
        });
        await client.connect();
        this.#client = client;
      }
      const { rows } = await this.#query('select pg_try_advisory_lock($1) as ok', [SEQUENCER_LOCK]);
      this.#leader = rows[0].ok === true;
    } catch (err) {
      this.#log.warn({ err }, 'could not take the event sequencer role');
      this.#leader = false;
    }
    return this.#leader;
  }

  /**
   * Positions every event committed before this call. A call during a run waits for the run after it
   * (that run may have read the outbox before the caller's events committed), and every call made during
   * the same run shares that next run. Returns how many events the run this call waited for positioned.
   */
  run(): Promise<number> {
    if (this.#closed) return Promise.resolve(0);
    if (!this.#running) return this.#start();
    this.#next ??= this.#running.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      this.#next = undefined;
      if (this.#closed) return 0;
      // Another caller may have started a run in between; it began after this call, so it will do.
      return this.#running ?? this.#start();
    });
    return this.#next;
  }

  #start(): Promise<number> {
    const running = this.#drain().finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    this.#running = running;
    return running;
  }

  async #drain(): Promise<number> {
    if (!this.#leader || !this.#client) return 0;
    let total = 0;
    for (;;) {
      const { rows } = await this.#query(
        `with batch as (select seq from event where pos is null order by seq limit ${BATCH} for update),
              counted as (select count(*) as n from batch),
              bump as (update event_sequencer set last_pos = last_pos + (select n from counted) where (select n from counted) > 0 returning last_pos - (select n from counted) as base),
              numbered as (select seq, row_number() over (order by seq) as rn from batch)
         update event e set pos = bump.base + numbered.rn from numbered, bump where e.seq = numbered.seq
         returning e.pos`,
      );
      total += rows.length;
      for (const row of rows) if (Number(row.pos) > this.#last) this.#last = Number(row.pos);
      if (rows.length > 0) this.#announce();
      if (rows.length < BATCH) return total;
    }
  }

  #queue: Promise<unknown> = Promise.resolve();

  /**
   * Runs a statement on the sequencer's connection after the ones before it: the announce timer can fire
   * while a long positioning statement runs, and one connection takes one statement at a time.
   */
  #query(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> {
    const result = this.#queue.then(() => {
      if (!this.#client) throw new Error('the event sequencer connection is closed');
      return this.#client.query(text, values);
    });
    this.#queue = result.catch(() => undefined);
    return result;
  }

  #lastAnnounce = 0;
  #announceTimer: NodeJS.Timeout | undefined;

  /**
   * Tells other processes that events were positioned, at most every 20 ms (each NOTIFY takes a
   * cluster-wide lock at commit, so one per batch under heavy load would be wasteful).
   */
  #announce(): void {
    if (this.#announceTimer) return;
    const wait = Math.max(0, this.#lastAnnounce + 20 - Date.now());
    this.#announceTimer = setTimeout(() => {
      this.#announceTimer = undefined;
      this.#lastAnnounce = Date.now();
      this.#query(`select pg_notify('mosaic_events_positioned', '')`).catch(() => undefined);
    }, wait);
  }

  /** Releases the role and closes the connection. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#announceTimer);
    while (this.#running) await this.#running.catch(() => undefined);
    const client = this.#client;
    this.#client = undefined;
    this.#leader = false;
    await client?.end().catch(() => undefined);
  }
}
