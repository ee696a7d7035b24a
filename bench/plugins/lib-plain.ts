import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import pg from 'pg';

/** The columns the kernel selects for `company` (every readable stored field), in the same order. */
const COLUMNS = [
  'id', 'created_at', 'updated_at', 'deleted_at', 'created_by__type', 'created_by__id', 'created_by__name', 'position',
  'name', 'domain', 'employees', 'city', 'industry',
];

/** The baseline server: where it listens and how to stop it. */
export interface PlainListServer {
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * A plain fastify + pg app with one route, `GET /plain/companies?city=…&limit=…`, running by hand the SQL
 * the records API runs for `filter=city[eq]:"…"&order_by=employees[DescNullsLast]&limit=…`: no auth,
 * metadata, query compiler, record mapping or sandbox. It is the floor both Mosaic routes are measured
 * against. It asks for one row more than the page, as the kernel does to learn whether there is a next page.
 */
export async function startPlainListServer(databaseUrl: string, schema: string, poolMax: number): Promise<PlainListServer> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolMax });
  const table = `${pg.escapeIdentifier(schema)}.company`;
  const select = COLUMNS.map((c) => pg.escapeIdentifier(c)).join(', ');
  const sql = `select ${select} from ${table} where deleted_at is null and city = $1 order by employees desc nulls last, id desc limit $2`;

  const app = Fastify({ logger: false });
  app.get<{ Querystring: { city: string; limit: string } }>('/plain/companies', async (request) => {
    const limit = Number(request.query.limit);
    const { rows } = await pool.query(sql, [request.query.city, limit + 1]);
    return { data: rows.slice(0, limit), has_next_page: rows.length > limit };
  });
  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await pool.end();
    throw err;
  }
  return {
    baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    async close() {
      await app.close();
      await pool.end();
    },
  };
}
