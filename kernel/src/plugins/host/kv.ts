import { MosaicError } from '../../errors/index.js';
import { kvStore, storableJson, unstorableText, type KvScope } from '../state/index.js';
import { bridgeError, optionsObject, permissionError, type HostCapability, type HostContext } from './common.js';

/** Longest key. */
export const KV_MAX_KEY = 256;
/** Largest value, as UTF-8 JSON. */
export const KV_MAX_VALUE_BYTES = 64 * 1024;
/** Longest time to live: a year. */
export const KV_MAX_TTL_SECONDS = 365 * 24 * 3600;
/** Most keys one `list` call returns. */
export const KV_MAX_PAGE = 1000;
const KV_DEFAULT_PAGE = 100;

// Control characters make keys unreadable in logs and admin screens and are never needed in a key.
const CONTROL = /[\u0000-\u001f\u007f]/;

function key(method: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > KV_MAX_KEY) throw bridgeError(`kv.${method}`, `the key must be a string of 1 to ${KV_MAX_KEY} characters`);
  if (CONTROL.test(value) || unstorableText(value)) throw bridgeError(`kv.${method}`, 'the key must not hold control characters or unpaired surrogates');
  return value;
}

function text(method: string, name: string, value: unknown, max: number): string {
  if (typeof value !== 'string' || value.length > max) throw bridgeError(`kv.${method}`, `${name} must be a string of at most ${max} characters`);
  return value;
}

/**
 * `ctx.host.kv`: the plugin's own key-value store in the workspace, in `plugin_kv`. Needs
 * `permissions.kv`. Values are any JSON but null (up to 64 KB); keys 1 to 256 characters; at most 10,000
 * keys per plugin and workspace. Keys with a time to live are invisible once expired.
 */
export function kvCapability(context: HostContext): HostCapability {
  const scope: KvScope = { workspaceId: context.workspaceId, pluginId: context.manifest.id };
  // Checked per call and services read per call: building the table must not fail or touch anything.
  const allowed = () => {
    if (context.manifest.permissions?.kv !== true) throw permissionError(context, 'use a key-value store', 'its manifest must ask for "kv": true in permissions');
    return context.services.db.knex;
  };
  return {
    async get(k) {
      const knex = allowed();
      const value = await kvStore.get(knex, scope, key('get', k));
      return value === undefined ? null : value;
    },
    async set(k, value, options) {
      const knex = allowed();
      const name = key('set', k);
      if (value === undefined || value === null) throw bridgeError('kv.set', 'the value must not be null; use kv.delete to remove a key');
      const { ttl_seconds: ttl } = optionsObject('kv.set', options, ['ttl_seconds']);
      if (ttl !== undefined && ttl !== null && (!Number.isInteger(ttl) || (ttl as number) < 1 || (ttl as number) > KV_MAX_TTL_SECONDS)) {
        throw bridgeError('kv.set', `ttl_seconds must be a whole number from 1 to ${KV_MAX_TTL_SECONDS}`);
      }
      const json = storableJson(value, KV_MAX_VALUE_BYTES);
      if (!json.ok) {
        if (json.reason === 'too-large') throw new MosaicError('MOSAIC_ERR_PLUGIN_VALUE_TOO_LARGE', `kv.set: ${json.message}; a value holds at most ${KV_MAX_VALUE_BYTES} bytes of JSON.`);
        throw bridgeError('kv.set', json.message);
      }
      await kvStore.set(knex, scope, name, json.text, (ttl as number | null | undefined) ?? null);
      return null;
    },
    async delete(k) {
      const knex = allowed();
      await kvStore.delete(knex, scope, key('delete', k));
      return null;
    },
    async list(options) {
      const knex = allowed();
      const { prefix, limit, cursor } = optionsObject('kv.list', options, ['prefix', 'limit', 'cursor']);
      if (limit !== undefined && limit !== null && (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > KV_MAX_PAGE)) {
        throw bridgeError('kv.list', `limit must be a whole number from 1 to ${KV_MAX_PAGE}`);
      }
      return kvStore.list(knex, scope, {
        prefix: prefix === undefined || prefix === null ? '' : text('list', 'prefix', prefix, KV_MAX_KEY),
        limit: (limit as number | null | undefined) ?? KV_DEFAULT_PAGE,
        cursor: cursor === undefined || cursor === null ? null : text('list', 'cursor', cursor, KV_MAX_KEY),
      });
    },
    async increment(k, by) {
      const knex = allowed();
      const name = key('increment', k);
      if (by !== undefined && by !== null && (typeof by !== 'number' || !Number.isFinite(by))) throw bridgeError('kv.increment', 'by must be a finite number');
      return kvStore.increment(knex, scope, name, (by as number | null | undefined) ?? 1);
    },
  };
}
