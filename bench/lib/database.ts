import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server benchmarks create their scratch databases on. */
export const BASE_DATABASE_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** A scratch database and the way to remove it. */
export interface ScratchDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

async function onBase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: BASE_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates `<prefix>_<random>` on the base server; `drop()` removes it even with connections open. */
export async function createScratchDatabase(prefix: string): Promise<ScratchDatabase> {
  // The name is ours (prefix is a constant of the caller plus hex), so interpolating it is safe.
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  await onBase((c) => c.query(`create database ${name}`));
  const url = new URL(BASE_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: () => onBase((c) => c.query(`drop database if exists ${name} with (force)`)).then(() => undefined),
  };
}

/** The URL without its password, for printing. */
export function redactUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
