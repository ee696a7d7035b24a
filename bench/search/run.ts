/**
 * `npm run bench:search`: `GET /api/search` on a 100,000-row `company` table, one request at a time,
 * first on the plain table (sequential scans), then with pg_trgm GIN indexes on the searched columns.
 * Prints medians and 95th percentiles; see docs/benchmarks.md.
 */
import { tmpdir } from 'node:os';
import pg from 'pg';
import { createScratchDatabase, redactUrl, BASE_DATABASE_URL } from '../lib/database.js';
import { seedCompanies, startBenchKernel } from '../records/setup.js';

const ROWS = Number(process.env.BENCH_ROWS || 100_000);
const RUNS = Number(process.env.BENCH_RUNS || 20);
const QUERIES = { rare: 'company12345.', common: 'berlin', prefix: 'Company 9999' } as const;

const log = (line: string) => process.stderr.write(`${line}\n`);

function stats(ms: number[]): { median: number; p95: number } {
  const sorted = [...ms].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], p95: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] };
}

async function measure(baseUrl: string, authorization: string): Promise<Record<string, { median: number; p95: number; hits: number }>> {
  const out: Record<string, { median: number; p95: number; hits: number }> = {};
  for (const [name, q] of Object.entries(QUERIES)) {
    const times: number[] = [];
    let hits = 0;
    for (let i = 0; i < RUNS + 2; i++) {
      const start = performance.now();
      const res = await fetch(`${baseUrl}/api/search?q=${encodeURIComponent(q)}&limit=20`, { headers: { authorization } });
      const body = (await res.json()) as { data: unknown[] };
      if (res.status !== 200) throw new Error(`search answered ${res.status}: ${JSON.stringify(body)}`);
      if (i >= 2) times.push(performance.now() - start); // two warm-up requests
      hits = body.data.length;
    }
    out[name] = { ...stats(times), hits };
  }
  return out;
}

// The shared bench kernel reads plugins.config.json from the working directory, whose plugins bring their
// own `company` object; this benchmark wants only its own, so it runs from a directory without one.
process.chdir(tmpdir());
const db = await createScratchDatabase('mosaic_bench_search');
log(`database ${redactUrl(BASE_DATABASE_URL)} / ${db.name}, ${ROWS} rows, ${RUNS} runs per query`);
const bench = await startBenchKernel(db.url);
const client = new pg.Client({ connectionString: db.url });
await client.connect();
try {
  await seedCompanies(client, bench.schema, ROWS);
  const plain = await measure(bench.baseUrl, bench.authorization);
  const table = `${pg.escapeIdentifier(bench.schema)}.company`;
  await client.query('create extension if not exists pg_trgm');
  for (const column of ['name', 'domain', 'city']) await client.query(`create index on ${table} using gin (${column} gin_trgm_ops)`);
  await client.query(`analyze ${table}`);
  const trigram = await measure(bench.baseUrl, bench.authorization);
  const rows = Object.keys(QUERIES).map((k) => `| ${k} (\`${QUERIES[k as keyof typeof QUERIES]}\`) | ${plain[k].hits} | ${plain[k].median.toFixed(1)} / ${plain[k].p95.toFixed(1)} | ${trigram[k].median.toFixed(1)} / ${trigram[k].p95.toFixed(1)} |`);
  process.stdout.write(['| Query | Hits | No index: median / p95 ms | pg_trgm GIN: median / p95 ms |', '|---|---|---|---|', ...rows].join('\n') + '\n');
} finally {
  await client.end();
  await bench.kernel.close();
  await db.drop();
}
