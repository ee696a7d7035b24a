/**
 * `npm run bench:plugin-route`: one records query served three ways in one run, on the same seeded
 * `company` table — a plain fastify + pg route (the floor), the kernel's records list route, and a plugin
 * route whose handler makes one `ctx.host.records.find` with the same query. See docs/benchmarks.md,
 * "Plugin routes and memory", for how to read it.
 *
 * Knobs: BENCH_ROWS=20000  BENCH_DURATION=8  BENCH_WARMUP=2  BENCH_TARGETS=plain,native,plugin
 *        BENCH_CPU_PROFILE=<dir>  writes <dir>/plugin-route.cpuprofile of the measured phase
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createKernel, loadConfig, type Kernel } from '../../kernel/src/index.js';
import { survivePromiseRejections } from '../lib/background-errors.js';
import { BASE_DATABASE_URL, createScratchDatabase, redactUrl, type ScratchDatabase } from '../lib/database.js';
import { compare, type LoadResult, type LoadSpec } from '../lib/load.js';
import { machineFacts, machineMarkdown } from '../lib/machine.js';
import { INDUSTRIES, seedCompanies } from '../records/setup.js';
import { call, signUpWithApiKey } from './lib-http.js';
import { startPlainListServer, type PlainListServer } from './lib-plain.js';

const env = process.env;
const ROWS = Number(env.BENCH_ROWS || 20_000);
const CONNECTIONS = 10;
const SLICES = 2;
const LIMIT = 20;
const durationSeconds = Number(env.BENCH_DURATION || 8);
const warmupSeconds = Number(env.BENCH_WARMUP ?? 2);
const TARGETS = ['plain', 'native', 'plugin'] as const;
type Target = (typeof TARGETS)[number];
const targets = env.BENCH_TARGETS ? TARGETS.filter((t) => env.BENCH_TARGETS!.split(',').includes(t)) : [...TARGETS];

const PLUGIN_ID = 'benchlist';
const FILTER = 'city[eq]:"Berlin"';
const ORDER_BY = 'employees[DescNullsLast]';
const QUERY = new URLSearchParams({ filter: FILTER, order_by: ORDER_BY, limit: String(LIMIT) }).toString();

/** The plugin under test: one route, one host call with the query it was given, the page returned as is. */
const BUNDLE = `
globalThis.__mosaicPlugin = {
  routes: {
    list(ctx, input) {
      const q = input.query;
      return ctx.host.records.find('company', { filter: q.filter, order_by: q.order_by, limit: Number(q.limit) });
    },
  },
};
`;
const MANIFEST = {
  id: PLUGIN_ID,
  name: 'Bench list',
  version: '1.0.0',
  kernel: '^1.0.0',
  server: 'dist/server.js',
  permissions: { records: { company: ['read'] } },
  routes: [{ method: 'GET', path: '/companies', handler: 'list' }],
};

const log = (line: string) => process.stderr.write(`${line}\n`);

interface Setup {
  readonly kernel: Kernel;
  readonly baseUrl: string;
  readonly authorization: string;
  readonly schema: string;
}

/** The kernel in this process, with PLUGIN_DIRS at `pluginDir`, a workspace, an API key, `company` and the plugin. */
async function startKernel(databaseUrl: string, pluginDir: string): Promise<Setup> {
  const config = loadConfig({ LOG_LEVEL: 'silent', PLUGIN_DIRS: pluginDir, PLUGINS_CONFIG: 'off' });
  const kernel = await createKernel({ config, databaseUrl, logger: false });
  try {
    await kernel.app.listen({ port: 0, host: '127.0.0.1' });
    const baseUrl = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
    const { workspaceId, authorization } = await signUpWithApiKey(baseUrl, 'plugin-route-bench');
    const auth = { authorization };
    await call(baseUrl, 'POST', '/api/metadata/objects', {
      name: 'company',
      label_singular: 'Company',
      label_plural: 'Companies',
      fields: [
        { name: 'name', type: 'text' },
        { name: 'domain', type: 'text' },
        { name: 'employees', type: 'number', options: { precision: 'integer' }, is_indexed: true },
        { name: 'city', type: 'text', is_indexed: true },
        { name: 'industry', type: 'select', options: { options: INDUSTRIES.map((value) => ({ value, label: value })) } },
      ],
    }, auth);
    const folder = join(pluginDir, PLUGIN_ID);
    await mkdir(join(folder, 'dist'), { recursive: true });
    await writeFile(join(folder, 'mosaic-plugin.json'), JSON.stringify(MANIFEST, null, 2));
    await writeFile(join(folder, 'dist', 'server.js'), BUNDLE);
    await call(baseUrl, 'POST', '/api/plugins', { path: folder, grant: 'requested' }, auth);
    const { rows } = (await kernel.services.db.knex.raw('select schema_name from workspace where id = ?', [workspaceId])) as { rows: { schema_name: string }[] };
    return { kernel, baseUrl, authorization, schema: rows[0].schema_name };
  } catch (err) {
    await kernel.close();
    throw err;
  }
}

function specs(setup: Setup, plain: PlainListServer): Record<Target, LoadSpec> {
  const headers = { authorization: setup.authorization };
  return {
    plain: { url: `${plain.baseUrl}/plain/companies?city=Berlin&limit=${LIMIT}`, connections: CONNECTIONS },
    native: { url: `${setup.baseUrl}/api/objects/company?${QUERY}`, headers, connections: CONNECTIONS },
    plugin: { url: `${setup.baseUrl}/api/plugins/${PLUGIN_ID}/companies?${QUERY}`, headers, connections: CONNECTIONS },
  };
}

/** One request each before any load: all three must answer with the same page of ids. */
async function checkEquivalence(all: Record<Target, LoadSpec>): Promise<void> {
  const pages: string[] = [];
  for (const target of TARGETS) {
    const { url, headers } = all[target];
    const res = await fetch(url, { headers });
    if (res.status !== 200) throw new Error(`${target} answered ${res.status}: ${await res.text()}`);
    const body = (await res.json()) as { data: { id: string }[] };
    if (body.data.length !== LIMIT) throw new Error(`${target} returned ${body.data.length} records, not ${LIMIT}`);
    pages.push(body.data.map((r) => r.id).join());
  }
  if (new Set(pages).size !== 1) throw new Error('The three routes return different pages; the comparison would be meaningless.');
}

const num = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(1) : Math.round(n).toString());
const ratio = (a?: LoadResult, b?: LoadResult) => (a && b && a.failures + b.failures === 0 ? `${(a.rps / b.rps).toFixed(2)}×` : '–');

function report(results: Partial<Record<Target, LoadResult>>, facts: { postgres: string; load: [number, number] }): string {
  const label: Record<Target, string> = {
    plain: 'Plain fastify + pg (baseline)',
    native: `Kernel records route \`GET /api/objects/company?…\``,
    plugin: `Plugin route \`GET /api/plugins/${PLUGIN_ID}/companies?…\``,
  };
  const lines = ['| Server | req/s | p50 / p99 ms | CPU µs/req |', '|---|--:|--:|--:|'];
  for (const t of targets) {
    const r = results[t]!;
    lines.push(`| ${label[t]} | ${num(r.rps)}${r.failures ? ` ⚠ ${r.failures} failed` : ''} | ${ms(r.p50)} / ${ms(r.p99)} | ${Math.round(r.cpuUsPerRequest)} |`);
  }
  const pluginNative = results.plugin && results.native && results.plugin.failures + results.native.failures === 0 ? results.plugin.rps / results.native.rps : undefined;
  return [
    `# Plugin route benchmark — ${new Date().toISOString()}`,
    '',
    lines.join('\n'),
    '',
    `plugin / native: **${ratio(results.plugin, results.native)}** (goal ≥ 0.5×: ${pluginNative === undefined ? '–' : pluginNative >= 0.5 ? 'meets' : '**misses**'}) · ` +
      `plugin / plain: ${ratio(results.plugin, results.plain)} · native / plain: ${ratio(results.native, results.plain)}`,
    '',
    `Query: \`${FILTER}\`, order \`${ORDER_BY}\`, limit ${LIMIT}, on ${num(ROWS)} rows (1 in 16 in Berlin). autocannon ${CONNECTIONS} connections, ` +
      `${warmupSeconds} s warm-up each, ${durationSeconds} s measured each in ${SLICES} slices (A B C C B A). Kernel pool ${CONNECTIONS}, plain pool ${CONNECTIONS}. ` +
      `Load generator, kernel, plain app in one Node process. 1-minute load average ${facts.load[0].toFixed(2)} → ${facts.load[1].toFixed(2)}.`,
    '',
    machineMarkdown(machineFacts(facts.postgres)),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  survivePromiseRejections();
  const started = Date.now();
  log(`plugin route benchmark on ${redactUrl(BASE_DATABASE_URL)}`);
  let database: ScratchDatabase | undefined;
  let setup: Setup | undefined;
  let plain: PlainListServer | undefined;
  // PLUGIN_DIRS of the kernel under test: the plugin folder is written here, and the admin API installs from it.
  const root = await mkdtemp(join(os.tmpdir(), 'mosaic-bench-plugins-'));
  try {
    database = await createScratchDatabase('mosaic_bench');
    setup = await startKernel(database.url, root);
    const seeder = new pg.Client({ connectionString: database.url });
    await seeder.connect();
    let postgres: string;
    try {
      const t = Date.now();
      await seedCompanies(seeder, setup.schema, ROWS);
      log(`seeded ${num(ROWS)} rows in ${Date.now() - t} ms`);
      postgres = (await seeder.query<{ version: string }>('select version()')).rows[0].version;
    } finally {
      await seeder.end();
    }
    plain = await startPlainListServer(database.url, setup.schema, CONNECTIONS);
    const all = specs(setup, plain);
    await checkEquivalence(all);
    const chosen = Object.fromEntries(targets.map((t) => [t, all[t]])) as Record<Target, LoadSpec>;
    log(`${warmupSeconds} s warm-up each, then ${durationSeconds} s each in ${SLICES} interleaved slices (${targets.join(', ')})`);
    const loadBefore = os.loadavg()[0];
    const cpuProfile = env.BENCH_CPU_PROFILE ? join(env.BENCH_CPU_PROFILE, `plugin-route-${targets.join('-')}.cpuprofile`) : undefined;
    const results = await compare(chosen, { warmupSeconds, durationSeconds, slices: SLICES, cpuProfile });
    process.stdout.write(`\n${report(results, { postgres, load: [loadBefore, os.loadavg()[0]] })}\n`);
    if (targets.some((t) => results[t].failures > 0)) {
      log('some requests failed; the ratios are not valid');
      process.exitCode = 1;
    }
  } finally {
    await plain?.close();
    await setup?.kernel.close();
    await database?.drop();
    await rm(root, { recursive: true, force: true });
    log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
