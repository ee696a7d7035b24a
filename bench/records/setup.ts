import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { createKernel, loadConfig, type Kernel } from '../../kernel/src/index.js';

/** Cities of the seed data; "Berlin" is the one the list scenario filters on (1 row in 16). */
export const CITIES = [
  'Berlin', 'Paris', 'London', 'Madrid', 'Rome', 'Vienna', 'Prague', 'Warsaw',
  'Lisbon', 'Dublin', 'Oslo', 'Helsinki', 'Athens', 'Zurich', 'Brussels', 'Amsterdam',
] as const;

/** The `industry` select's option values. */
export const INDUSTRIES = ['software', 'finance', 'health', 'retail', 'manufacturing', 'energy', 'media', 'education'] as const;

/** The kernel under test, listening, with a workspace, an admin API key and the `company` object. */
export interface BenchKernel {
  readonly kernel: Kernel;
  readonly baseUrl: string;
  /** `Authorization: Bearer …` of an admin API key. */
  readonly authorization: string;
  /** The workspace's PostgreSQL schema, where `company` lives. */
  readonly schema: string;
  readonly poolMax: number;
}

async function call(baseUrl: string, method: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res;
}

/**
 * Builds the kernel in-process on `databaseUrl` and prepares it through its HTTP API, as a client
 * would: sign-up, an admin API key, and the `company` object with two indexed fields.
 */
export async function startBenchKernel(databaseUrl: string): Promise<BenchKernel> {
  // No plugins.config.json: the core plugins would create their own company object.
  const config = loadConfig({ LOG_LEVEL: 'silent', PLUGINS_CONFIG: 'off' });
  const kernel = await createKernel({ config, databaseUrl, logger: false });
  try {
    await kernel.app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;

    const signUp = await call(baseUrl, 'POST', '/api/auth/sign-up', {
      email: 'bench@example.test',
      password: 'correct horse battery staple',
      name: 'Bench',
      workspace_name: 'Bench',
    });
    const session = (await signUp.json()) as { csrf_token: string; workspace: { id: string } };
    const cookie = signUp.headers.getSetCookie().find((c) => c.startsWith('mosaic_session='))?.split(';')[0];
    if (!cookie) throw new Error('sign-up set no session cookie');

    const keyRes = await call(baseUrl, 'POST', '/api/workspace/api-keys', { name: 'bench', role: 'admin' }, { cookie, 'x-csrf-token': session.csrf_token });
    const { key } = (await keyRes.json()) as { key: string };
    const authorization = `Bearer ${key}`;

    await call(baseUrl, 'POST', '/api/metadata/objects', {
      name: 'company',
      label_singular: 'Company',
      label_plural: 'Companies',
      fields: [
        { name: 'name', type: 'text' },
        { name: 'domain', type: 'text' },
        { name: 'employees', type: 'number', options: { precision: 'integer' }, is_indexed: true },
        { name: 'city', type: 'text', is_indexed: true },
        { name: 'industry', type: 'select', options: { options: INDUSTRIES.map((value) => ({ value, label: value[0].toUpperCase() + value.slice(1) })) } },
      ],
    }, { authorization });

    const { rows } = (await kernel.services.db.knex.raw('select schema_name from workspace where id = ?', [session.workspace.id])) as { rows: { schema_name: string }[] };
    return { kernel, baseUrl, authorization, schema: rows[0].schema_name, poolMax: config.dbPoolMax };
  } catch (err) {
    await kernel.close();
    throw err;
  }
}

/**
 * Fills `<schema>.company` with `count` rows in one statement, then ANALYZEs it. About 2% of rows have
 * no `employees`, so `nulls last` matters; `created_at` is spread over time like real data.
 */
export async function seedCompanies(client: pg.ClientBase, schema: string, count: number): Promise<void> {
  const table = `${pg.escapeIdentifier(schema)}.company`;
  await client.query(
    `insert into ${table} (name, domain, employees, city, industry, created_at, created_by__type, created_by__id, created_by__name)
     select 'Company ' || g,
            'company' || g || '.example',
            case when g % 50 = 0 then null else (g::bigint * 7919) % 20000 end,
            ($2::text[])[1 + g % array_length($2::text[], 1)],
            ($3::text[])[1 + (g * 31) % array_length($3::text[], 1)],
            now() - g * interval '1 minute',
            'system', 'bench', 'Bench seed'
       from generate_series(1, $1::int) g`,
    [count, CITIES, INDUSTRIES],
  );
  await client.query(`analyze ${table}`);
}

/** Up to `count` existing ids in random order, for the get-by-id scenario. */
export async function sampleIds(client: pg.ClientBase, schema: string, count: number): Promise<string[]> {
  const { rows } = await client.query<{ id: string }>(`select id from ${pg.escapeIdentifier(schema)}.company order by random() limit $1`, [count]);
  return rows.map((r) => r.id);
}
