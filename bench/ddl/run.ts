/**
 * Measures runtime schema changes on a 1,000,000-row record table through the metadata API, and checks
 * with the table's relfilenode that adding a field never rewrites the table.
 *
 *   npm run bench:ddl            (DATABASE_URL or the local PostgreSQL at 127.0.0.1:5432)
 */
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import pg from 'pg';
import { createKernel, loadConfig } from '../../kernel/src/index.js';

const BASE = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const ROWS = Number(process.env.ROWS || 1_000_000);

async function main(): Promise<void> {
  const dbName = `mosaic_bench_ddl_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = new URL(BASE);
  url.pathname = `/${dbName}`;
  const kernel = await createKernel({ config: loadConfig({ LOG_LEVEL: 'silent', PLUGINS_CONFIG: 'off', DDL_LOCK_TIMEOUT_MS: '60000' }), databaseUrl: url.toString(), logger: false });
  const results: { step: string; ms: number; rewritten: boolean | null }[] = [];
  try {
    const app = kernel.app;
    const signUp = await app.inject({ method: 'POST', url: '/api/auth/sign-up', payload: { email: `bench-${dbName}@example.test`, password: 'benchmark-password', name: 'Bench', workspace_name: 'Bench' } });
    const body = signUp.json() as { csrf_token: string; workspace: { id: string } };
    const cookie = String(signUp.headers['set-cookie']).split(';')[0];
    const headers = { cookie, 'x-csrf-token': body.csrf_token };
    const call = async (method: 'POST' | 'PATCH', path: string, payload: Record<string, unknown>) => {
      const started = performance.now();
      const res = await app.inject({ method, url: path, headers, payload });
      if (res.statusCode >= 300) throw new Error(`${path}: ${res.statusCode} ${res.body}`);
      return performance.now() - started;
    };
    await call('POST', '/api/metadata/objects', { name: 'company', label_plural: 'Companies', fields: [{ name: 'name', type: 'text' }, { name: 'employees', type: 'number' }] });
    await call('POST', '/api/metadata/objects', { name: 'owner', fields: [{ name: 'name', type: 'text' }] });
    const schema = (await kernel.services.metadata.get(body.workspace.id)).schema;
    const db = kernel.services.db.knex;
    const t0 = performance.now();
    await db.raw(`insert into ??.company (name, employees) select 'Company ' || g, g % 5000 from generate_series(1, ${ROWS}) g`, [schema]);
    await db.raw('vacuum analyze ??.company', [schema]);
    const seedMs = performance.now() - t0;
    const filenode = async () => ((await db.raw('select pg_relation_filenode(?::regclass) as f', [`"${schema}".company`])) as { rows: { f: string }[] }).rows[0].f;

    const step = async (name: string, method: 'POST' | 'PATCH', path: string, payload: Record<string, unknown>, checkRewrite = true) => {
      const before = await filenode();
      const ms = await call(method, path, payload);
      results.push({ step: name, ms, rewritten: checkRewrite ? before !== (await filenode()) : null });
    };
    await step('add nullable text field', 'POST', '/api/metadata/objects/company/fields', { name: 'city', type: 'text' });
    await step('add required number field with a constant default', 'POST', '/api/metadata/objects/company/fields', { name: 'score', type: 'number', default_value: 0, is_nullable: false });
    await step('add select field with a default', 'POST', '/api/metadata/objects/company/fields', { name: 'stage', type: 'select', options: { options: [{ value: 'lead', label: 'Lead' }, { value: 'won', label: 'Won' }] }, default_value: 'lead' });
    await step('add composite field (address, 5 columns)', 'POST', '/api/metadata/objects/company/fields', { name: 'address', type: 'address' });
    await step('add relation (foreign key NOT VALID + index build)', 'POST', '/api/metadata/objects/company/fields', { name: 'owner', type: 'relation', options: { target: 'owner' } });
    await step('rename a field', 'PATCH', '/api/metadata/objects/company/fields/city', { name: 'town' });
    await step('make a field indexed (index build)', 'PATCH', '/api/metadata/objects/company/fields/employees', { is_indexed: true });

    const lines = [
      `## Runtime schema changes on a ${ROWS.toLocaleString('en-US')}-row table`,
      '',
      `Command: \`npm run bench:ddl\` · ${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpus()[0]?.model} · Node ${process.version} · ${((await admin.query('select version()')).rows[0].version as string).split(',')[0]}`,
      '',
      `Seeding ${ROWS.toLocaleString('en-US')} rows took ${(seedMs / 1000).toFixed(1)} s. Each step is one metadata API call (validation, DDL and metadata rows in one transaction); "rewritten" compares the table's relfilenode before and after.`,
      '',
      '| Change | Time | Table rewritten |',
      '|---|---:|---|',
      ...results.map((r) => `| ${r.step} | ${r.ms.toFixed(0)} ms | ${r.rewritten === null ? '—' : r.rewritten ? '**yes**' : 'no'} |`),
      '',
    ];
    console.log(lines.join('\n'));
    writeFileSync(new URL('./results.md', import.meta.url), lines.join('\n'));
    if (results.some((r) => r.rewritten)) process.exitCode = 1;
  } finally {
    await kernel.close();
    await admin.query(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  }
}

await main();
