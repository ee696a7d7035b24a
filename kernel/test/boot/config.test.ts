import { readFile } from 'node:fs/promises';
import t from 'tap';
import { loadConfig, type KernelConfig } from '../../src/config/index.js';
import { isMosaicError } from '../../src/errors/index.js';

interface Variable {
  readonly name: string;
  readonly key: keyof KernelConfig;
  readonly fallback: unknown;
  readonly set: string;
  readonly expected: unknown;
  /** A value loadConfig must refuse; absent for free-form strings. */
  readonly bad?: string;
}

/** Every variable loadConfig reads; the last test fails when config.ts gains one that is not here. */
const VARIABLES: readonly Variable[] = [
  { name: 'PORT', key: 'port', fallback: 3000, set: '8080', expected: 8080, bad: 'abc' },
  { name: 'HOST', key: 'host', fallback: '0.0.0.0', set: '127.0.0.1', expected: '127.0.0.1' },
  { name: 'DATABASE_URL', key: 'databaseUrl', fallback: undefined, set: 'postgresql://u:p@db:5432/crm', expected: 'postgresql://u:p@db:5432/crm', bad: 'mysql://root:hunter2@db/crm' },
  { name: 'MOSAIC_DATA_DIR', key: 'dataDir', fallback: '/srv/app/.mosaic/pg', set: 'data/pg', expected: '/srv/app/data/pg' },
  { name: 'MOSAIC_PG_PORT', key: 'embeddedPgPort', fallback: 54329, set: '55000', expected: 55000, bad: '80' },
  { name: 'LOG_LEVEL', key: 'logLevel', fallback: 'info', set: 'debug', expected: 'debug', bad: 'loud' },
  { name: 'SESSION_TTL_HOURS', key: 'sessionTtlHours', fallback: 336, set: '24', expected: 24, bad: '0' },
  { name: 'SIGNIN_RATE_LIMIT', key: 'signInRateLimit', fallback: 10, set: '5', expected: 5, bad: '1.5' },
  { name: 'TRUST_PROXY', key: 'trustProxy', fallback: false, set: 'true', expected: true, bad: 'maybe' },
  { name: 'SIGNUP', key: 'signup', fallback: 'open', set: 'closed', expected: 'closed', bad: 'invite' },
  { name: 'BODY_LIMIT', key: 'bodyLimit', fallback: 10 * 1024 * 1024, set: '2048', expected: 2048, bad: '10' },
  { name: 'DB_POOL_MAX', key: 'dbPoolMax', fallback: 10, set: '20', expected: 20, bad: '1000' },
  { name: 'DDL_LOCK_TIMEOUT_MS', key: 'ddlLockTimeoutMs', fallback: 5000, set: '1000', expected: 1000, bad: '10' },
  { name: 'EVENT_LEASE_MS', key: 'eventLeaseMs', fallback: 30_000, set: '1000', expected: 1000, bad: '100' },
  { name: 'EVENT_MAX_ATTEMPTS', key: 'eventMaxAttempts', fallback: 8, set: '3', expected: 3, bad: '0' },
  { name: 'EVENT_RETRY_BASE_MS', key: 'eventRetryBaseMs', fallback: 1000, set: '50', expected: 50, bad: '-1' },
  { name: 'EVENT_POLL_MS', key: 'eventPollMs', fallback: 1000, set: '100', expected: 100, bad: '5' },
  { name: 'EVENT_RETENTION_HOURS', key: 'eventRetentionHours', fallback: 72, set: '0', expected: 0, bad: 'x' },
  { name: 'EVENT_RETENTION_MAX_DAYS', key: 'eventRetentionMaxDays', fallback: 14, set: '30', expected: 30, bad: '0' },
  { name: 'WEBHOOK_ALLOW_PRIVATE', key: 'webhookAllowPrivate', fallback: false, set: 'yes', expected: true, bad: 'sure' },
  { name: 'PLUGIN_HTTP_ALLOW_PRIVATE', key: 'pluginHttpAllowPrivate', fallback: false, set: 'true', expected: true, bad: 'perhaps' },
  { name: 'REALTIME_ADAPTER', key: 'realtimeAdapter', fallback: 'postgres', set: 'redis', expected: 'redis', bad: 'kafka' },
  { name: 'REDIS_URL', key: 'redisUrl', fallback: 'redis://127.0.0.1:6379', set: 'redis://cache:6379', expected: 'redis://cache:6379' },
  { name: 'PLUGIN_DIRS', key: 'pluginDirs', fallback: ['/srv/app/plugins'], set: '/opt/plugins, /srv/extra/', expected: ['/opt/plugins', '/srv/extra'], bad: 'relative/plugins' },
  { name: 'PLUGINS_CONFIG', key: 'pluginsConfig', fallback: '/srv/app/plugins.config.json', set: 'conf/plugins.json', expected: '/srv/app/conf/plugins.json' },
  { name: 'MOSAIC_SECRET_KEY', key: 'secretKey', fallback: null, set: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=', expected: Buffer.from('AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=', 'base64'), bad: 'abc' },
  { name: 'PLUGIN_EVENT_STORM_LIMIT', key: 'pluginEventStormLimit', fallback: 1000, set: '50', expected: 50, bad: '5' },
  { name: 'IMPORT_MAX_BYTES', key: 'importMaxBytes', fallback: 100 * 1024 * 1024, set: '2048', expected: 2048, bad: '10' },
  { name: 'IMPORT_MAX_CELL', key: 'importMaxCell', fallback: 1_000_000, set: '5000', expected: 5000, bad: '-1' },
  { name: 'MARKETPLACES', key: 'marketplaces', fallback: [], set: '/srv/market, https://plugins.example/m/', expected: ['/srv/market', 'https://plugins.example/m/'] },
  { name: 'TRUSTED_PUBLISHER_KEYS', key: 'trustedPublisherKeys', fallback: [], set: '0123456789abcdef:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=', expected: [{ keyId: '0123456789abcdef', publicKey: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=' }], bad: 'nokey' },
  { name: 'ALLOW_UNSIGNED_PLUGINS', key: 'allowUnsignedPlugins', fallback: false, set: 'true', expected: true, bad: 'dev' },
  { name: 'OAUTH_ACCESS_TOKEN_TTL_SECONDS', key: 'oauthAccessTokenTtlSeconds', fallback: 600, set: '300', expected: 300, bad: '5' },
  { name: 'OAUTH_REFRESH_TOKEN_TTL_DAYS', key: 'oauthRefreshTokenTtlDays', fallback: 30, set: '7', expected: 7, bad: '0' },
  { name: 'OAUTH_ALLOW_LOOPBACK_CLIENT_METADATA', key: 'oauthAllowLoopbackClientMetadata', fallback: false, set: 'true', expected: true, bad: 'local' },
];

const CWD = '/srv/app';

t.test('defaults', async (t) => {
  const config = loadConfig({}, CWD);
  for (const v of VARIABLES) t.same(config[v.key], v.fallback, `${v.name} defaults to ${String(v.fallback)}`);
  t.equal(loadConfig({ PORT: '' }, CWD).port, 3000, 'an empty variable means the default');
});

t.test('every variable is read', async (t) => {
  const config = loadConfig(Object.fromEntries(VARIABLES.map((v) => [v.name, v.set])), CWD);
  for (const v of VARIABLES) t.same(config[v.key], v.expected, `${v.name}=${v.set}`);
  t.equal(loadConfig({ MOSAIC_DATA_DIR: '/var/lib/mosaic' }, CWD).dataDir, '/var/lib/mosaic', 'absolute paths stay');
  t.equal(loadConfig({ TRUST_PROXY: '0' }).trustProxy, false);
  t.equal(loadConfig({ PLUGINS_CONFIG: 'off' }, CWD).pluginsConfig, null, 'off: no plugins file');
  t.equal(loadConfig({ DATABASE_URL: 'postgres://db/crm' }).databaseUrl, 'postgres://db/crm');
});

t.test('every problem is collected into one coded error', async (t) => {
  const bad = VARIABLES.filter((v) => v.bad !== undefined);
  let caught: unknown;
  try {
    loadConfig(Object.fromEntries(bad.map((v) => [v.name, v.bad])), CWD);
  } catch (err) {
    caught = err;
  }
  if (!isMosaicError(caught)) throw new Error('loadConfig did not throw a MosaicError');
  t.equal(caught.code, 'MOSAIC_ERR_CONFIG_INVALID');
  t.match(caught.message, /^The configuration is invalid: /);
  t.same(caught.details.map((d) => d.path).sort(), bad.map((v) => v.name).sort(), 'one detail per bad variable');
  for (const v of bad) t.match(caught.message, v.name, `the message names ${v.name}`);
  t.notMatch(caught.message, /hunter2|mysql/, 'DATABASE_URL is never echoed: it may hold a password');
  t.notMatch(JSON.stringify(caught.details), /hunter2/);
});

t.test('an unparsable DATABASE_URL is not echoed either', async (t) => {
  t.throws(() => loadConfig({ DATABASE_URL: 'not a url :pässword@' }), {
    code: 'MOSAIC_ERR_CONFIG_INVALID',
    message: 'The configuration is invalid: DATABASE_URL must be a postgres:// or postgresql:// URL.',
  });
});

t.test('this table covers every variable config.ts reads', async (t) => {
  const source = await readFile(new URL('../../src/config/config.ts', import.meta.url), 'utf8');
  const read = new Set<string>();
  for (const m of source.matchAll(/\b(?:int|oneOf|bool)\('([A-Z0-9_]+)'|\benv\.([A-Z0-9_]+)/g)) read.add(m[1] ?? m[2]!);
  t.same([...read].sort(), VARIABLES.map((v) => v.name).sort());
  t.same(Object.keys(loadConfig({})).sort(), VARIABLES.map((v) => v.key).sort(), 'and every KernelConfig field');
});
