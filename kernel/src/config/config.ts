import { isAbsolute, resolve } from 'node:path';
import { MosaicError } from '../errors/index.js';

/** Everything the kernel reads from its environment, validated once at boot. */
export interface KernelConfig {
  /** HTTP port (`PORT`, default 3000). */
  readonly port: number;
  /** Interface to bind (`HOST`, default 0.0.0.0). */
  readonly host: string;
  /** External PostgreSQL (`DATABASE_URL`); when absent the kernel starts an embedded server. */
  readonly databaseUrl: string | undefined;
  /** Embedded PostgreSQL data folder (`MOSAIC_DATA_DIR`, default `./.mosaic/pg`). */
  readonly dataDir: string;
  /** Embedded PostgreSQL port (`MOSAIC_PG_PORT`, default 54329). */
  readonly embeddedPgPort: number;
  /** pino level (`LOG_LEVEL`, default info). */
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Session lifetime in hours (`SESSION_TTL_HOURS`, default 336 = 14 days). */
  readonly sessionTtlHours: number;
  /** Sign-in attempts per minute per client address (`SIGNIN_RATE_LIMIT`, default 10). */
  readonly signInRateLimit: number;
  /** Trust `X-Forwarded-*` headers from a proxy (`TRUST_PROXY`, default false). */
  readonly trustProxy: boolean;
  /** Lifetime of OAuth access tokens in seconds (`OAUTH_ACCESS_TOKEN_TTL_SECONDS`, default 600). */
  readonly oauthAccessTokenTtlSeconds: number;
  /** Lifetime of OAuth refresh tokens in days (`OAUTH_REFRESH_TOKEN_TTL_DAYS`, default 30); each use rotates the token. */
  readonly oauthRefreshTokenTtlDays: number;
  /**
   * Fetch OAuth client metadata documents over http and from loopback addresses
   * (`OAUTH_ALLOW_LOOPBACK_CLIENT_METADATA`, default false): for tests and local development only.
   */
  readonly oauthAllowLoopbackClientMetadata: boolean;
  /** Whether anyone may sign up and create a workspace (`SIGNUP`, `open` or `closed`, default open). */
  readonly signup: 'open' | 'closed';
  /** Largest accepted request body in bytes (`BODY_LIMIT`, default 10 MiB, enough for a 1,000-record batch). */
  readonly bodyLimit: number;
  /** Largest CSV file an import takes, in bytes (`IMPORT_MAX_BYTES`, default 100 MB). */
  readonly importMaxBytes: number;
  /** Longest cell of an imported CSV file, in characters (`IMPORT_MAX_CELL`, default 1,000,000). */
  readonly importMaxCell: number;
  /** Database connection pool size per process (`DB_POOL_MAX`, default 10). */
  readonly dbPoolMax: number;
  /**
   * How long a schema change waits for a busy table before giving up (`DDL_LOCK_TIMEOUT_MS`, default
   * 5000). Failing fast keeps a waiting ALTER from queueing every other query on the table behind it.
   */
  readonly ddlLockTimeoutMs: number;
  /** How long a process owns a subscriber's queue before another may take over (`EVENT_LEASE_MS`, default 30000). */
  readonly eventLeaseMs: number;
  /** Delivery attempts before an event goes to the dead letters (`EVENT_MAX_ATTEMPTS`, default 8). */
  readonly eventMaxAttempts: number;
  /** First retry delay; it doubles per attempt, with jitter (`EVENT_RETRY_BASE_MS`, default 1000). */
  readonly eventRetryBaseMs: number;
  /** Polling interval behind LISTEN/NOTIFY wake-ups (`EVENT_POLL_MS`, default 1000). */
  readonly eventPollMs: number;
  /** Delivered events are pruned after this many hours (`EVENT_RETENTION_HOURS`, default 72). */
  readonly eventRetentionHours: number;
  /**
   * Events older than this many days are pruned even if a subscriber has not taken them, so a dead
   * subscriber cannot grow the outbox without bound (`EVENT_RETENTION_MAX_DAYS`, default 14).
   */
  readonly eventRetentionMaxDays: number;
  /** Allow webhooks to loopback and private addresses (`WEBHOOK_ALLOW_PRIVATE`, default false). */
  readonly webhookAllowPrivate: boolean;
  /**
   * Allow plugins' outbound HTTP (`ctx.host.http`) to loopback and private addresses
   * (`PLUGIN_HTTP_ALLOW_PRIVATE`, default false). Separate from webhooks: allowing an admin's webhook to
   * reach an internal service should not also open the internal network to third-party plugin code.
   */
  readonly pluginHttpAllowPrivate: boolean;
  /** How realtime reaches clients on other processes (`REALTIME_ADAPTER`: postgres, redis or none; default postgres). */
  readonly realtimeAdapter: 'postgres' | 'redis' | 'none';
  /** Redis for the redis realtime adapter (`REDIS_URL`, default redis://127.0.0.1:6379). */
  readonly redisUrl: string;
  /**
   * Directories plugins may be installed from (`PLUGIN_DIRS`, comma-separated absolute paths, default
   * `<cwd>/plugins`). An install path outside all of them is refused, so an admin cannot point the
   * kernel at arbitrary code on the server's disk.
   */
  readonly pluginDirs: readonly string[];
  /**
   * The file listing the plugins every workspace runs (`PLUGINS_CONFIG`, default
   * `<cwd>/plugins.config.json`; `off` for none). Read at boot and when a workspace is created.
   */
  readonly pluginsConfig: string | null;
  /**
   * Runs of a plugin's event handlers that plugins caused (handler chains) allowed per minute per
   * workspace before those deliveries are paused as an event storm (`PLUGIN_EVENT_STORM_LIMIT`, default 1000).
   */
  readonly pluginEventStormLimit: number;
  /**
   * The key that encrypts secrets at rest (`MOSAIC_SECRET_KEY`: 32 bytes, base64). Without it, a key is
   * generated once into `secret.key` beside the data folder; several kernel processes must share one
   * key, so set it for them.
   */
  readonly secretKey: Buffer | null;
  /**
   * Plugin marketplaces (`MARKETPLACES`, comma-separated): each a folder path or an http(s) URL of the
   * folder holding `index.json`. `plugins.config.json` may add more.
   */
  readonly marketplaces: readonly string[];
  /**
   * Publisher keys whose signatures the kernel trusts (`TRUSTED_PUBLISHER_KEYS`, comma-separated
   * `<key_id>:<base64 public key>`). `plugins.config.json` may add more.
   */
  readonly trustedPublisherKeys: readonly { readonly keyId: string; readonly publicKey: string }[];
  /** Install unsigned marketplace packages (`ALLOW_UNSIGNED_PLUGINS`, development only, default false). */
  readonly allowUnsignedPlugins: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Reads and validates the configuration. Every problem is collected so the operator sees all of them
 * at once, in one `MOSAIC_ERR_CONFIG_INVALID` error.
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): KernelConfig {
  const problems: { path: string; message: string }[] = [];

  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push({ path: name, message: `${name} must be a whole number from ${min} to ${max}, got "${raw}".` });
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, fallback: T, allowed: readonly T[]): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push({ path: name, message: `${name} must be one of ${allowed.join(', ')}, got "${raw}".` });
      return fallback;
    }
    return raw as T;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes'].includes(raw)) return true;
    if (['0', 'false', 'no'].includes(raw)) return false;
    problems.push({ path: name, message: `${name} must be true or false, got "${raw}".` });
    return fallback;
  };

  let databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined) {
    try {
      const url = new URL(databaseUrl);
      if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error('protocol');
    } catch {
      // The URL may hold a password: never echo it back.
      problems.push({ path: 'DATABASE_URL', message: 'DATABASE_URL must be a postgres:// or postgresql:// URL.' });
      databaseUrl = undefined;
    }
  }

  const config: KernelConfig = {
    port: int('PORT', 3000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    dataDir: resolve(cwd, env.MOSAIC_DATA_DIR || '.mosaic/pg'),
    embeddedPgPort: int('MOSAIC_PG_PORT', 54329, 1024, 65535),
    logLevel: oneOf('LOG_LEVEL', 'info', LOG_LEVELS),
    sessionTtlHours: int('SESSION_TTL_HOURS', 336, 1, 24 * 365),
    signInRateLimit: int('SIGNIN_RATE_LIMIT', 10, 1, 10_000),
    trustProxy: bool('TRUST_PROXY', false),
    oauthAccessTokenTtlSeconds: int('OAUTH_ACCESS_TOKEN_TTL_SECONDS', 600, 10, 86_400),
    oauthRefreshTokenTtlDays: int('OAUTH_REFRESH_TOKEN_TTL_DAYS', 30, 1, 365),
    oauthAllowLoopbackClientMetadata: bool('OAUTH_ALLOW_LOOPBACK_CLIENT_METADATA', false),
    signup: oneOf('SIGNUP', 'open', ['open', 'closed'] as const),
    bodyLimit: int('BODY_LIMIT', 10 * 1024 * 1024, 1024, 512 * 1024 * 1024),
    importMaxBytes: int('IMPORT_MAX_BYTES', 100 * 1024 * 1024, 1024, 4 * 1024 * 1024 * 1024),
    importMaxCell: int('IMPORT_MAX_CELL', 1_000_000, 1000, 100_000_000),
    dbPoolMax: int('DB_POOL_MAX', 10, 1, 200),
    ddlLockTimeoutMs: int('DDL_LOCK_TIMEOUT_MS', 5000, 50, 600_000),
    eventLeaseMs: int('EVENT_LEASE_MS', 30_000, 500, 3_600_000),
    eventMaxAttempts: int('EVENT_MAX_ATTEMPTS', 8, 1, 100),
    eventRetryBaseMs: int('EVENT_RETRY_BASE_MS', 1000, 1, 3_600_000),
    eventPollMs: int('EVENT_POLL_MS', 1000, 20, 600_000),
    eventRetentionHours: int('EVENT_RETENTION_HOURS', 72, 0, 24 * 365),
    eventRetentionMaxDays: int('EVENT_RETENTION_MAX_DAYS', 14, 1, 3650),
    webhookAllowPrivate: bool('WEBHOOK_ALLOW_PRIVATE', false),
    pluginHttpAllowPrivate: bool('PLUGIN_HTTP_ALLOW_PRIVATE', false),
    realtimeAdapter: oneOf('REALTIME_ADAPTER', 'postgres', ['postgres', 'redis', 'none'] as const),
    redisUrl: env.REDIS_URL || 'redis://127.0.0.1:6379',
    pluginDirs: pluginDirs(env.PLUGIN_DIRS, cwd, problems),
    secretKey: secretKey(env.MOSAIC_SECRET_KEY, problems),
    pluginEventStormLimit: int('PLUGIN_EVENT_STORM_LIMIT', 1000, 10, 1_000_000),
    marketplaces: (env.MARKETPLACES ?? '').split(',').map((m) => m.trim()).filter(Boolean),
    trustedPublisherKeys: publisherKeys(env.TRUSTED_PUBLISHER_KEYS, problems),
    allowUnsignedPlugins: bool('ALLOW_UNSIGNED_PLUGINS', false),
    pluginsConfig: env.PLUGINS_CONFIG === 'off' ? null : resolve(cwd, env.PLUGINS_CONFIG || 'plugins.config.json'),
  };

  if (problems.length > 0) {
    throw new MosaicError(
      'MOSAIC_ERR_CONFIG_INVALID',
      `The configuration is invalid: ${problems.map((p) => p.message).join(' ')}`,
      problems,
    );
  }
  return config;
}

/** Parses `MOSAIC_SECRET_KEY`: 32 bytes in base64 (`openssl rand -base64 32`). */
function secretKey(raw: string | undefined, problems: { path: string; message: string }[]): Buffer | null {
  if (raw === undefined || raw.trim() === '') return null;
  const key = Buffer.from(raw.trim(), 'base64');
  if (key.length !== 32 || key.toString('base64') !== raw.trim()) {
    problems.push({ path: 'MOSAIC_SECRET_KEY', message: 'MOSAIC_SECRET_KEY must be 32 bytes in base64 (make one with `openssl rand -base64 32`).' });
    return null;
  }
  return key;
}

/** Parses `TRUSTED_PUBLISHER_KEYS`: comma-separated `<key_id>:<base64 of a raw 32-byte ed25519 public key>`. */
function publisherKeys(raw: string | undefined, problems: { path: string; message: string }[]): { keyId: string; publicKey: string }[] {
  const keys: { keyId: string; publicKey: string }[] = [];
  for (const entry of (raw ?? '').split(',').map((k) => k.trim()).filter(Boolean)) {
    const at = entry.indexOf(':');
    const keyId = entry.slice(0, at);
    const publicKey = entry.slice(at + 1);
    if (at < 0 || !/^[0-9a-f]{16}$/.test(keyId) || Buffer.from(publicKey, 'base64').length !== 32) {
      problems.push({ path: 'TRUSTED_PUBLISHER_KEYS', message: `TRUSTED_PUBLISHER_KEYS entries must be <16 hex key id>:<base64 32-byte public key>, got "${entry.slice(0, 80)}".` });
      continue;
    }
    keys.push({ keyId, publicKey });
  }
  return keys;
}

/** Parses `PLUGIN_DIRS`: comma-separated absolute paths; empty entries are ignored. */
function pluginDirs(raw: string | undefined, cwd: string, problems: { path: string; message: string }[]): readonly string[] {
  if (raw === undefined || raw.trim() === '') return [resolve(cwd, 'plugins')];
  const dirs = raw.split(',').map((d) => d.trim()).filter(Boolean);
  const relative = dirs.filter((d) => !isAbsolute(d));
  if (relative.length > 0) problems.push({ path: 'PLUGIN_DIRS', message: `PLUGIN_DIRS must list absolute paths, got "${relative.join('", "')}".` });
  return dirs.filter((d) => isAbsolute(d)).map((d) => resolve(d));
}
