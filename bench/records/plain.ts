import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';

/** The columns the kernel selects for `company` (every readable stored field), in the same order. */
const COLUMNS = [
  'id', 'created_at', 'updated_at', 'deleted_at', 'created_by__type', 'created_by__id', 'created_by__name', 'position',
  'name', 'domain', 'employees', 'city', 'industry',
];

/** The baseline server: its app, its own pool, and where it listens. */
export interface PlainServer {
  readonly app: FastifyInstance;
  readonly pool: pg.Pool;
  readonly baseUrl: string;
  close(): Promise<void>;
}

/**
 * A plain fastify + pg app serving the same queries the records API runs, with none of its layers
 * (no auth, metadata, validation, query compiler, record mapping or outbox). It is the floor the
 * records API is measured against.
 */
export async function startPlainServer(databaseUrl: string, schema: string, poolMax: number): Promise<PlainServer> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolMax });
  const table = `${pg.escapeIdentifier(schema)}.company`;
  const select = COLUMNS.map((c) => pg.escapeIdentifier(c)).join(', ');
  const listSql = `select ${select} from ${table} where deleted_at is null and city = $1 order by employees desc nulls last, id desc limit 51`;
  const getSql = `select ${select} from ${table} where id = $1 and deleted_at is null limit 1`;
  const insertSql =
    `insert into ${table} (name, domain, employees, city, industry, created_by__type, created_by__id, created_by__name) ` +
    `values ($1, $2, $3, $4, $5, $6, $7, $8) returning *`;

  const app = Fastify({ logger: false });

  app.get<{ Querystring: { city: string } }>('/plain/companies', async (request) => {
    const { rows } = await pool.query(listSql, [request.query.city]);
    // The query asks for 51 rows, as the kernel does to learn whether there is a next page.
    return { data: rows.slice(0, 50) };
  });

  app.get<{ Params: { id: string } }>('/plain/companies/:id', async (request, reply) => {
    const { rows } = await pool.query(getSql, [request.params.id]);
    if (rows.length === 0) return reply.status(404).send({ error: 'not found' });
    return { data: rows[0] };
  });

  app.post<{ Body: { name?: string; domain?: string; employees?: number; city?: string; industry?: string } }>('/plain/companies', async (request, reply) => {
    const b = request.body;
    const { rows } = await pool.query(insertSql, [b.name, b.domain, b.employees, b.city, b.industry, 'api_key', 'plain', 'plain']);
    return reply.status(201).send({ data: rows[0] });
  });

  try {
    await app.listen({ port: 0, host: '127.0.0.1' });
  } catch (err) {
    await pool.end();
    throw err;
  }
  return {
    app,
    pool,
    baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
    async close() {
      await app.close();
      await pool.end();
    },
  };
}
