import type { Knex } from '@mikro-orm/postgresql';
import type { Invalidation } from '../invalidation/index.js';

/** A presence row lives this long unless refreshed; a killed process's rows expire by themselves. */
const TTL_MS = 90_000;
const REFRESH_EVERY_MS = 30_000;
/** How long "nobody watches" is believed; a new watcher also announces itself at once. */
const ABSENT_FOR_MS = 2_000;
const PRESENT_FOR_MS = 10_000;

/**
 * Which workspaces have live sockets somewhere in the cluster. Each process records the workspaces it
 * holds sockets for (a row per workspace and process, refreshed while in use, expiring if the process
 * dies); the realtime deliverer asks {@link anyone} and skips publishing for workspaces nobody watches.
 * A process that gains its first socket of a workspace announces it (invalidation topic `presence`), so
 * no process keeps believing the workspace is unwatched, and it does so before acknowledging the
 * socket's first subscription.
 */
export class Presence {
  readonly #knex: Knex;
  readonly #owner: string;
  readonly #invalidation: Invalidation;
  readonly #local = new Set<string>();
  readonly #known = new Map<string, { present: boolean; until: number }>();
  readonly #timer: NodeJS.Timeout;

  constructor(knex: Knex, owner: string, invalidation: Invalidation) {
    this.#knex = knex;
    this.#owner = owner;
    this.#invalidation = invalidation;
    invalidation.on('presence', (workspaceId) => (workspaceId === '*' ? this.#known.clear() : this.#known.delete(workspaceId)));
    this.#timer = setInterval(() => void this.#refresh(), REFRESH_EVERY_MS);
    this.#timer.unref();
  }

  /** This process now holds sockets of the workspace. */
  async join(workspaceId: string): Promise<void> {
    this.#local.add(workspaceId);
    await this.#knex('realtime_presence')
      .insert({ workspace_id: workspaceId, owner: this.#owner, expires_at: new Date(Date.now() + TTL_MS) })
      .onConflict(['workspace_id', 'owner'])
      .merge(['expires_at']);
    await this.#invalidation.publish(this.#knex, 'presence', workspaceId);
  }

  /** This process no longer holds sockets of the workspace. */
  async leave(workspaceId: string): Promise<void> {
    this.#local.delete(workspaceId);
    await this.#knex('realtime_presence').where({ workspace_id: workspaceId, owner: this.#owner }).delete();
  }

  /** Whether any process holds live sockets of the workspace (cached briefly). */
  async anyone(workspaceId: string): Promise<boolean> {
    if (this.#local.has(workspaceId)) return true;
    const known = this.#known.get(workspaceId);
    if (known && known.until > Date.now()) return known.present;
    const row = await this.#knex('realtime_presence').where('workspace_id', workspaceId).where('expires_at', '>', new Date()).first('owner');
    const present = row !== undefined;
    this.#known.set(workspaceId, { present, until: Date.now() + (present ? PRESENT_FOR_MS : ABSENT_FOR_MS) });
    return present;
  }

  /** An upsert, not an update: it also brings back a row a racing `leave` removed. */
  async #refresh(): Promise<void> {
    if (this.#local.size === 0) return;
    const expires_at = new Date(Date.now() + TTL_MS);
    await this.#knex('realtime_presence')
      .insert([...this.#local].map((workspace_id) => ({ workspace_id, owner: this.#owner, expires_at })))
      .onConflict(['workspace_id', 'owner'])
      .merge(['expires_at'])
      .catch(() => undefined);
  }

  /** Removes this process's rows. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#knex('realtime_presence').where('owner', this.#owner).delete().catch(() => undefined);
  }
}
