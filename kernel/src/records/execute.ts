import type { Knex } from '@mikro-orm/postgresql';

/** A pg connection as knex's PostgreSQL client hands it out. */
interface PgConnection {
  query(text: string, values: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
}

interface PoolClient {
  acquireConnection(): Promise<PgConnection>;
  releaseConnection(connection: PgConnection): Promise<void>;
}

/**
 * Runs one statement on a pooled connection, bypassing knex's query runner (events, query context,
 * response processing), which measured about a third of the cost of a primary-key read. Only for
 * single, self-contained statements: transactions keep using knex.
 */
export async function execute(knex: Knex, text: string, values: readonly unknown[]): Promise<Record<string, unknown>[]> {
  const client = knex.client as unknown as PoolClient;
  const connection = await client.acquireConnection();
  try {
    return (await connection.query(text, values as unknown[])).rows;
  } finally {
    await client.releaseConnection(connection);
  }
}

/** Quotes an identifier that metadata has already validated (lower snake_case), for cached SQL text. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
