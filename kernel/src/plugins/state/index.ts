/**
 * What a plugin keeps per workspace besides its records: settings (validated against the manifest's
 * schema), secrets, and its key-value store. The admin API reads and writes settings and secrets here;
 * the host API (`ctx.host.settings`, `secrets`, `kv`) reads them for the plugin.
 */
export { readSettings, writeSettings, MAX_SETTINGS_BYTES } from './settings.js';
export { setSecret, deleteSecret, listSecretNames, readSecret, MAX_SECRET_CHARS, type SecretInfo } from './secrets.js';
export { kvStore, KV_MAX_KEYS, type KvScope } from './kv.js';
export { purgePluginState, type PurgedState } from './purge.js';
export { storableJson, unstorableText, type StorableJson } from './json.js';
