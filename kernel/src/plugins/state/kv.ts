import type { Knex } from '@mikro-orm/postgresql';
import { MosaicError } from '../../errors/index.js';

/** Most keys one plugin keeps in one workspace; expired keys do not count. */
export const KV_MAX_KEYS = 10_000;

/** Whose store: one plugin in one workspace. */
export interface KvScope {
  readonly workspaceId: string;
  readonly pluginId: string;
}

/** A row that has not expired. */
const LIVE = '(expires_at is null or expires_at > now())';

const scoped = (knex: Knex, scope: KvScope) => knex('plugin_kv').where({ workspace_id: scope.workspaceId, plugin_id: scope.pluginId });

const expiry = (knex: Knex, ttlSeconds: number | null) => (ttlSeconds === null ? null : knex.raw('now() + make_interval(secs => ?)', [ttlSeconds]));

/**
 * The key-value store behind `ctx.host.kv`. Callers have checked keys and values already. Expired keys
 * are invisible; they are deleted lazily, when read or when the store is full, rather than by a sweeper.
 */
export const kvStore = {
  /** The value, or undefined when the key is absent or expired. */
  async get(knex: Knex, scope: KvScope, key: string): Promise<unknown> {
    const row = (await scoped(knex, scope).where({ key }).first('value', knex.raw(`not ${LIVE} as expired`))) as { value: unknown; expired: boolean } | undefined;
    if (!row) return undefined;
    if (row.expired) {
      await scoped(knex, scope).where({ key }).whereRaw(`not ${LIVE}`).delete();
      return undefined;
    }
    return row.value;
  },

  /** Stores `json` (JSON text) under `key`, expiring after `ttlSeconds` when given. */
  async set(knex: Knex, scope: KvScope, key: string, json: string, ttlSeconds: number | null): Promise<void> {
    // Overwriting a live key cannot grow the store, so it needs neither the quota nor the lock.
    const updated = await scoped(knex, scope).where({ key }).whereRaw(LIVE).update({ value: json, expires_at: expiry(knex, ttlSeconds), updated_at: knex.fn.now() });
    if (Number(updated) > 0) return;
    await withRoom(knex, scope, key, async (trx) => {
      await trx('plugin_kv')
        .insert({ workspace_id: scope.workspaceId, plugin_id: scope.pluginId, key, value: json, expires_at: expiry(trx, ttlSeconds) })
        .onConflict(['workspace_id', 'plugin_id', 'key'])
        .merge({ value: json, expires_at: expiry(trx, ttlSeconds), updated_at: trx.fn.now() });
    });
  },

  /** Removes a key; an absent key is fine. */
  async delete(knex: Knex, scope: KvScope, key: string): Promise<void> {
    await scoped(knex, scope).where({ key }).delete();
  },

  /**
   * Live keys in byte order (`collate "C"`, the same on every database), after `cursor` (the last key of
   * the previous page) and starting with `prefix`. `cursor` in the answer is null on the last page.
   */
  async list(knex: Knex, scope: KvScope, options: { prefix: string; limit: number; cursor: string | null }): Promise<{ keys: string[]; cursor: string | null }> {
    const query = scoped(knex, scope).whereRaw(LIVE);
    if (options.prefix !== '') query.whereRaw('starts_with(key, ?)', [options.prefix]);
    if (options.cursor !== null) query.whereRaw('key collate "C" > ?', [options.cursor]);
    const rows = (await query.orderByRaw('key collate "C"').limit(options.limit + 1).select('key')) as { key: string }[];
    const keys = rows.slice(0, options.limit).map((r) => r.key);
    return { keys, cursor: rows.length > options.limit ? keys[keys.length - 1]! : null };
  },

  /**
   * Adds `by` to a numeric value in one statement, so concurrent increments never lose an update. An
   * absent or expired key starts from 0 (and no longer expires); a live key keeps its expiry.
   */
  async increment(knex: Knex, scope: KvScope, key: string, by: number): Promise<number> {
    const notNumber = () => new MosaicError('MOSAIC_ERR_PLUGIN_KV_NOT_NUMBER', `kv.increment: the value of "${key.slice(0, 100)}" is not a number.`);
    const [row] = (await scoped(knex, scope)
      .where({ key })
      .whereRaw(LIVE)
      .update({ value: knex.raw('to_jsonb(value::numeric + ?::numeric)', [by]), updated_at: knex.fn.now() })
      .whereRaw("jsonb_typeof(value) = 'number'")
      .returning('value')) as { value: number }[];
    if (row) return Number(row.value);
    const live = await scoped(knex, scope).where({ key }).whereRaw(LIVE).first('key');
    if (live) throw notNumber();
    const created = await withRoom(knex, scope, key, async (trx) => {
      const rows = (await trx.raw(
        `insert into plugin_kv (workspace_id, plugin_id, key, value) values (?, ?, ?, to_jsonb(?::numeric))
         on conflict (workspace_id, plugin_id, key) do update set
           value = case when plugin_kv.expires_at <= now() then excluded.value else to_jsonb(plugin_kv.value::numeric + ?::numeric) end,
           expires_at = case when plugin_kv.expires_at <= now() then null else plugin_kv.expires_at end,
           updated_at = now()
         where jsonb_typeof(plugin_kv.value) = 'number' or plugin_kv.expires_at <= now()
         returning value`,
        [scope.workspaceId, scope.pluginId, key, by, by],
      )) as { rows: { value: number }[] };
      return rows.rows[0];
    });
    if (!created) throw notNumber();
    return Number(created.value);
  },
};

/**
 * Runs a write that may add a key, holding a per-plugin-and-workspace lock so that two writers cannot
 * both take the last free place. The count includes expired rows until the store looks full; only then
 * are expired rows deleted and counted again.
 */
async function withRoom<T>(knex: Knex, scope: KvScope, key: string, write: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`plugin_kv:${scope.workspaceId}:${scope.pluginId}`]);
    // Another writer may have added this very key since the caller looked; then nothing grows.
    if (await scoped(trx, scope).where({ key }).whereRaw(LIVE).first('key')) return write(trx);
    const count = async () => Number(((await scoped(trx, scope).count({ n: '*' })) as { n: string | number }[])[0]!.n);
    if ((await count()) >= KV_MAX_KEYS) {
      await scoped(trx, scope).whereRaw(`not ${LIVE}`).delete();
      if ((await count()) >= KV_MAX_KEYS) {
        throw new MosaicError('MOSAIC_ERR_PLUGIN_KV_QUOTA', `The plugin "${scope.pluginId}" already stores ${KV_MAX_KEYS} keys in this workspace; delete some before adding more.`);
      }
    }
    return write(trx);
  });
}
