/**
 * `npm run bench:records`: the Mosaic records API against a plain fastify + pg route running the same
 * SQL, on the same 100k-row table, in one run. See docs/benchmarks.md for how to read the results.
 *
 * Knobs for profiling runs (a run with any of them set does not overwrite results.md):
 *   BENCH_SCENARIOS=list,get,create   BENCH_TARGETS=api,plain   BENCH_DURATION=8   BENCH_WARMUP=2
 *   BENCH_CPU_PROFILE=<dir>   writes <dir>/<scenario>-<targets>.cpuprofile of each measured phase
 */
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { survivePromiseRejections } from '../lib/background-errors.js';
import { BASE_DATABASE_URL, createScratchDatabase, redactUrl, type ScratchDatabase } from '../lib/database.js';
import { compare, type LoadSpec } from '../lib/load.js';
import { machineFacts } from '../lib/machine.js';
import { startPlainServer, type PlainServer } from './plain.js';
import { resultsMarkdown, type ScenarioResult } from './report.js';
import { sampleIds, seedCompanies, startBenchKernel, type BenchKernel } from './setup.js';

const ROWS = 100_000;
const CONNECTIONS = 10;
const ID_SAMPLE = 10_000;
/** Measured time is cut into this many slices, alternating the servers A-B-B-A. */
const SLICES = 2;
const SCENARIOS = ['list', 'get', 'create'] as const;
const TARGETS = ['plain', 'api'] as const;
type ScenarioName = (typeof SCENARIOS)[number];
type Target = (typeof TARGETS)[number];

const env = process.env;
const KNOBS = ['BENCH_SCENARIOS', 'BENCH_TARGETS', 'BENCH_DURATION', 'BENCH_WARMUP', 'BENCH_CPU_PROFILE'];
const custom = KNOBS.some((k) => env[k]);
const durationSeconds = Number(env.BENCH_DURATION || 8);
const warmupSeconds = Number(env.BENCH_WARMUP ?? 2);
const pick = <T extends string>(raw: string | undefined, all: readonly T[]): T[] => (raw ? all.filter((x) => raw.split(',').includes(x)) : [...all]);
const scenarios = pick(env.BENCH_SCENARIOS, SCENARIOS);
const targets = pick(env.BENCH_TARGETS, TARGETS);

const CREATE_BODY = JSON.stringify({ name: 'Bench Co', domain: 'bench.example', employees: 42, city: 'Benchville', industry: 'software' });
const LIST_QUERY = new URLSearchParams({ filter: 'city[eq]:"Berlin"', order_by: 'employees[DescNullsLast]', limit: '50' }).toString();

const log = (line: string) => process.stderr.write(`${line}\n`);

/** The request of one scenario against one server. */
function spec(name: ScenarioName, target: Target, kernel: BenchKernel, plain: PlainServer, ids: readonly string[]): LoadSpec {
  const base = target === 'api' ? kernel.baseUrl : plain.baseUrl;
  const headers: Record<string, string> = target === 'api' ? { authorization: kernel.authorization } : {};
  const common = { connections: CONNECTIONS };
  if (name === 'list') {
    return { ...common, url: target === 'api' ? `${base}/api/objects/company?${LIST_QUERY}` : `${base}/plain/companies?city=Berlin`, headers };
  }
  if (name === 'get') {
    const prefix = target === 'api' ? '/api/objects/company/' : '/plain/companies/';
    let i = 0;
    return { ...common, url: `${base}${prefix}${ids[0]}`, headers, nextPath: () => `${prefix}${ids[i++ % ids.length]}` };
  }
  return {
    ...common,
    url: target === 'api' ? `${base}/api/objects/company` : `${base}/plain/companies`,
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: CREATE_BODY,
  };
}

/** One request per endpoint before any load: both servers must answer, and the list pages must match. */
async function checkEquivalence(kernel: BenchKernel, plain: PlainServer, id: string): Promise<void> {
  const auth = { authorization: kernel.authorization };
  const json = async (url: string, init?: RequestInit) => {
    const res = await fetch(url, init);
    if (res.status >= 300) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { data: { id: string }[] | { id: string } };
  };
  const apiList = (await json(`${kernel.baseUrl}/api/objects/company?${LIST_QUERY}`, { headers: auth })).data as { id: string }[];
  const plainList = (await json(`${plain.baseUrl}/plain/companies?city=Berlin`)).data as { id: string }[];
  if (apiList.length !== 50 || apiList.map((r) => r.id).join() !== plainList.map((r) => r.id).join()) {
    throw new Error('The API and the plain route return different list pages; the comparison would be meaningless.');
  }
  await json(`${kernel.baseUrl}/api/objects/company/${id}`, { headers: auth });
  await json(`${plain.baseUrl}/plain/companies/${id}`);
}

function command(): string {
  const db = env.DATABASE_URL ? `DATABASE_URL=${redactUrl(env.DATABASE_URL)} ` : '';
  const knobs = KNOBS.filter((k) => env[k]).map((k) => `${k}=${env[k]} `).join('');
  if (env.npm_lifecycle_event === 'bench:records') return `${db}${knobs}npm run bench:records`;
  return `${db}${knobs}node ${process.execArgv.join(' ')} bench/records/run.ts`;
}

async function main(): Promise<void> {
  survivePromiseRejections();
  const started = Date.now();
  log(`records benchmark on ${redactUrl(BASE_DATABASE_URL)}`);
  let database: ScratchDatabase | undefined;
  let kernel: BenchKernel | undefined;
  let plain: PlainServer | undefined;
  try {
    database = await createScratchDatabase('mosaic_bench');
    log(`database ${database.name}; starting the kernel`);
    kernel = await startBenchKernel(database.url);

    const seeder = new pg.Client({ connectionString: database.url });
    await seeder.connect();
    let ids: string[];
    let postgres: string;
    try {
      const t = Date.now();
      await seedCompanies(seeder, kernel.schema, ROWS);
      log(`seeded ${ROWS.toLocaleString('en-US')} rows in ${Date.now() - t} ms`);
      ids = await sampleIds(seeder, kernel.schema, ID_SAMPLE);
      postgres = (await seeder.query<{ version: string }>('select version()')).rows[0].version;
    } finally {
      await seeder.end();
    }

    plain = await startPlainServer(database.url, kernel.schema, kernel.poolMax);
    await checkEquivalence(kernel, plain, ids[0]);

    const results: ScenarioResult[] = [];
    const loadBefore = os.loadavg()[0];
    for (const name of scenarios) {
      log(`${name}: ${warmupSeconds} s warm-up each, then ${durationSeconds} s each in ${SLICES} interleaved slices (${targets.join(', ')})`);
      const specs = Object.fromEntries(targets.map((t) => [t, spec(name, t, kernel!, plain!, ids)])) as Record<Target, LoadSpec>;
      const cpuProfile = env.BENCH_CPU_PROFILE ? join(env.BENCH_CPU_PROFILE, `${name}-${targets.join('-')}.cpuprofile`) : undefined;
      const measured = await compare(specs, { warmupSeconds, durationSeconds, slices: SLICES, cpuProfile });
      for (const t of targets) log(`  ${t}: ${Math.round(measured[t].rps)} req/s, ${measured[t].requests} requests${cpuProfile ? ` (profile ${cpuProfile})` : ''}`);
      results.push({
        label: { list: 'List 50, one filter, sorted', get: 'Get by id', create: 'Create one' }[name],
        goal: name === 'create' ? 0.5 : 0.6,
        ...measured,
      });
    }

    const markdown = resultsMarkdown(results, {
      date: new Date(),
      rows: ROWS,
      connections: CONNECTIONS,
      warmupSeconds,
      durationSeconds,
      poolMax: kernel.poolMax,
      slices: SLICES,
      loadAverage: [loadBefore, os.loadavg()[0]],
      command: command(),
      machine: machineFacts(postgres),
    });
    process.stdout.write(`\n${markdown}\n`);
    if (custom) {
      log('custom BENCH_* settings: bench/records/results.md left as it was');
    } else {
      await writeFile(fileURLToPath(new URL('./results.md', import.meta.url)), markdown);
      log('wrote bench/records/results.md');
    }
    if (results.some((r) => (r.api?.failures ?? 0) + (r.plain?.failures ?? 0) > 0)) {
      log('some requests failed; the table marks the invalid cells');
      process.exitCode = 1;
    }
  } finally {
    await plain?.close();
    await kernel?.kernel.close();
    await database?.drop();
    log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
