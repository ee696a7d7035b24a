import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SdkError } from '../sdk-error.js';

/** The server a test kernel's database is created on when neither `env` nor the process names one. */
export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database made for one test kernel; `drop` removes it, whoever still holds connections to it. */
export interface ThrowawayDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

/** Connects to the server database and runs one statement, within a few seconds or not at all. */
async function adminQuery(baseUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database next to the one `baseUrl` names, so test files can run in parallel without
 * sharing state. Its name is random and only `[a-z0-9_]`, so it is safe to inline into DDL.
 *
 * @throws SdkError `MOSAIC_ERR_TESTING_DATABASE` when the server is unreachable or refuses.
 */
export async function createThrowawayDatabase(baseUrl: string): Promise<ThrowawayDatabase> {
  const name = `mosaic_plugin_t_${randomBytes(6).toString('hex')}`;
  let url: URL;
  try {
    url = new URL(baseUrl);
    await adminQuery(baseUrl, `create database ${name}`);
  } catch (error) {
    // The URL may hold a password: name the host only.
    const where = URL.canParse(baseUrl) ? new URL(baseUrl).host : 'the DATABASE_URL given';
    throw new SdkError('MOSAIC_ERR_TESTING_DATABASE', `Could not create a test database on ${where}: ${(error as Error).message}`, [], { cause: error });
  }
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(baseUrl, `drop database if exists ${name} with (force)`),
  };
}
