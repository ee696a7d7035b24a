/**
 * `npm run oauth:rotate-key`: replaces the OAuth signing key, on the server, as its operator.
 *
 * The signing keys are instance-wide (they sign every workspace's access tokens) and the kernel has no
 * instance-administrator role — workspace owners and admins administer one workspace each — so rotation
 * is not an HTTP route: it takes access to the server, its configuration and its secret key. It reads
 * the same environment as `npm start` (DATABASE_URL, or the embedded server's data folder, and
 * MOSAIC_SECRET_KEY or the `secret.key` file) and works whether the kernel is running or not. Tokens of
 * the old key stay valid until they expire; running kernel processes switch to the new key within a
 * minute. Exit codes: 0 rotated, 1 refused or failed (one sentence on stderr).
 */
import { access } from 'node:fs/promises';
import pg from 'pg';
import { loadConfig, type KernelConfig } from '../config/index.js';
import { SecretBox } from '../crypto/index.js';
import { embeddedDatabaseUrl, startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded.js';
import { openDatabase, pendingMigrations, type Database } from '../db/orm.js';
import { isMosaicError } from '../errors/index.js';
import { rotateSigningKey } from './keys.js';

/** Thrown for a refusal the operator can act on: printed as it is, without a stack. */
class Refused extends Error {}

/** The secret box `npm start` uses; never a new key, which would seal the new key where the kernel cannot open it. */
async function secretBox(config: KernelConfig): Promise<SecretBox> {
  if (!config.secretKey) {
    const file = SecretBox.keyFile(config);
    try {
      await access(file);
    } catch {
      throw new Refused(`No secret key: MOSAIC_SECRET_KEY is not set and ${file} does not exist. Run this where the kernel runs, with its environment (MOSAIC_SECRET_KEY or MOSAIC_DATA_DIR).`);
    }
  }
  return SecretBox.load(config);
}

/** The database URL: DATABASE_URL, the running embedded server, or an embedded server started for the command. */
async function database(config: KernelConfig): Promise<{ url: string; embedded?: EmbeddedPostgres }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  let url: string;
  try {
    url = await embeddedDatabaseUrl(config.dataDir, config.embeddedPgPort);
  } catch {
    throw new Refused(`No database: DATABASE_URL is not set and ${config.dataDir} holds no embedded PostgreSQL data folder. Start the kernel once, or set DATABASE_URL.`);
  }
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    await probe.end();
    return { url };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw err;
  }
  // The kernel is not running: start its embedded server for the moment of the rotation.
  const embedded = await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort });
  return { url: embedded.url, embedded };
}

/** Rotates; returns the lines to print. */
async function rotate(config: KernelConfig, db: Database, box: SecretBox): Promise<string[]> {
  const pending = await pendingMigrations(db);
  if (pending.length > 0) throw new Refused(`The database is not migrated (${pending.length} migrations pending); start the kernel once first.`);
  const active = (await db.knex('oauth_signing_key').whereNull('retired_at').first('kid', 'private_jwk')) as { kid: string; private_jwk: string } | undefined;
  if (active) {
    try {
      box.open(active.private_jwk);
    } catch {
      throw new Refused(`The current signing key ${active.kid} cannot be opened with this secret key, so the kernel would not open a new one either; run this with the kernel's MOSAIC_SECRET_KEY (or from its folder). Nothing was changed.`);
    }
  }
  const rotation = await rotateSigningKey({ config, db, secretBox: box });
  return [
    `New OAuth signing key ${rotation.kid} is active; running kernel processes sign with it within a minute.`,
    ...rotation.retired.map((r) => `The previous key ${r.kid} stays published, and its tokens valid, until ${r.expiresAt.toISOString()}.`),
  ];
}

async function main(): Promise<number> {
  let db: Database | undefined;
  let embedded: EmbeddedPostgres | undefined;
  try {
    const config = loadConfig();
    const box = await secretBox(config);
    const target = await database(config);
    embedded = target.embedded;
    db = await openDatabase({ url: target.url, poolMax: 2 });
    for (const line of await rotate(config, db, box)) process.stdout.write(`${line}\n`);
    return 0;
  } catch (err) {
    const text = err instanceof Refused ? err.message : isMosaicError(err) ? `${err.code}: ${err.message}` : `Could not rotate the signing key: ${(err as Error).message}`;
    process.stderr.write(`${text}\n`);
    return 1;
  } finally {
    await db?.orm.close();
    await embedded?.stop();
  }
}

process.exitCode = await main();
