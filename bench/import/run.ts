/**
 * `npm run bench:import`: a 100,000-row CSV file imported end to end through the Mosaic import API
 * (upload, mapping, background run through the records layer) against a plain PostgreSQL `COPY` of the
 * same file into an equivalent table, in the same run on the same server. Also times the CSV export of
 * the imported records. Writes bench/import/results.md (unless BENCH_ROWS is set).
 *
 *   BENCH_ROWS=20000   a smaller file, for profiling (does not overwrite results.md)
 *   BENCH_CPU_PROFILE=<file>   writes a CPU profile of the import run
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createKernel, loadConfig } from '../../kernel/src/index.js';
import { createScratchDatabase, redactUrl, BASE_DATABASE_URL } from '../lib/database.js';
import { machineFacts, machineMarkdown } from '../lib/machine.js';
import { profiled } from '../lib/profiler.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);
const HERE = fileURLToPath(new URL('.', import.meta.url));
const INDUSTRIES = ['software', 'finance', 'health', 'retail'];
const COLUMNS = ['name', 'domain', 'employees', 'amount', 'currency', 'founded', 'icp', 'industry', 'city', 'email'];

/** The file: one header row and ROWS rows of ten columns, in a form COPY reads as it is. */
function csvFile(): string {
  const lines = [COLUMNS.join(',')];
  for (let i = 1; i <= ROWS; i++) {
    const day = String((i % 28) + 1).padStart(2, '0');
    lines.push(`"Company ${i}, Ltd",c${i}.example.com,${i % 5000},${i}.25,EUR,2020-02-${day},${i % 2 === 0},${INDUSTRIES[i % 4]},City ${i % 100},info@c${i}.example.com`);
  }
  return `${lines.join('\n')}\n`;
}

async function json(res: Response): Promise<any> {
  const body = await res.json();
  if (res.status >= 300) throw new Error(`${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return body;
}

/** `\copy` through psql: the plain PostgreSQL way to load a CSV file, timed from start to exit. */
function psqlCopy(url: string, file: string): Promise<number> {
  const started = performance.now();
  return new Promise((done, fail) => {
    const child = spawn('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy copy_company (${COLUMNS.join(', ')}) from '${file}' with (format csv, header true)`], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('error', fail);
    child.once('exit', (code) => (code === 0 ? done(performance.now() - started) : fail(new Error(`psql exited ${code}: ${err}`))));
  });
}

async function main(): Promise<void> {
  const db = await createScratchDatabase('bench_import');
  const kernel = await createKernel({ config: loadConfig({ LOG_LEVEL: 'silent', PLUGINS_CONFIG: 'off' }), databaseUrl: db.url, logger: false });
  const file = join(os.tmpdir(), `mosaic-bench-import-${process.pid}.csv`);
  try {
    await kernel.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
    const signUp = await fetch(`${base}/api/auth/sign-up`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@example.test', password: 'correct horse battery staple', name: 'Bench', workspace_name: 'Bench' }),
    });
    const session = await json(signUp.clone());
    const cookie = signUp.headers.getSetCookie().find((c) => c.startsWith('mosaic_session='))!.split(';')[0];
    const key = (await json(await fetch(`${base}/api/workspace/api-keys`, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': session.csrf_token }, body: JSON.stringify({ name: 'bench', role: 'admin' }) }))).key;
    const auth = { authorization: `Bearer ${key}` };
    await json(await fetch(`${base}/api/metadata/objects`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'company',
        fields: [
          { name: 'name', type: 'text', is_nullable: false },
          { name: 'domain', type: 'text', is_unique: true },
          { name: 'employees', type: 'number', options: { precision: 'integer' } },
          { name: 'revenue', type: 'currency' },
          { name: 'founded', type: 'date' },
          { name: 'icp', type: 'boolean' },
          { name: 'industry', type: 'select', options: { options: INDUSTRIES.map((value) => ({ value, label: value })) } },
          { name: 'address', type: 'address' },
          { name: 'email', type: 'email' },
        ],
      }),
    }));

    const text = csvFile();
    await writeFile(file, text);
    const bytes = Buffer.byteLength(text);

    // Plain COPY into an equivalent table: the same typed columns, the unique domain, an id and timestamps.
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    const version = ((await pool.query('select version() as v')).rows[0] as { v: string }).v;
    await pool.query(`create table copy_company (
      id uuid primary key default gen_random_uuid(), name text not null, domain text unique, employees bigint, amount numeric(20,4), currency text,
      founded date, icp boolean, industry text, city text, email text, created_at timestamptz not null default now(), updated_at timestamptz not null default now())`);
    const copyMs = await psqlCopy(db.url, file);
    const copied = Number(((await pool.query('select count(*)::int as n from copy_company')).rows[0] as { n: number }).n);
    if (copied !== ROWS) throw new Error(`COPY loaded ${copied} rows`);

    // The import, end to end: upload, start with the mapping, poll until it has ended.
    const started = performance.now();
    let uploadedMs = 0;
    const job: any = await profiled(process.env.BENCH_CPU_PROFILE, async () => {
      const up = await json(await fetch(`${base}/api/objects/company/imports?file_name=bench.csv`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: text }));
      uploadedMs = performance.now() - started;
      const mapping = ['name', 'domain', 'employees', 'revenue.amount', 'revenue.currency', 'founded', 'icp', 'industry', 'address.city', 'email'];
      await json(await fetch(`${base}/api/imports/${up.data.id}/start`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ mapping, upsert_on: 'domain' }) }));
      for (;;) {
        const current = (await json(await fetch(`${base}/api/imports/${up.data.id}`, { headers: auth }))).data;
        if (current.status !== 'running') return current;
        // Polled as a page would; every poll is a request the kernel serves while it imports.
        await new Promise((done) => setTimeout(done, 250));
      }
    });
    const importMs = performance.now() - started;
    if (job.status !== 'completed' || job.created !== ROWS) throw new Error(`the import ended ${job.status}: ${job.message}`);

    // The export of what was imported, read to the end.
    const exportStart = performance.now();
    const res = await fetch(`${base}/api/objects/company/export?fields=name,domain,employees,revenue,founded,icp,industry,address,email`, { headers: auth });
    let exportBytes = 0;
    let exportRows = -1;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      exportBytes += chunk.byteLength;
      for (const b of chunk) if (b === 10) exportRows++;
    }
    const exportMs = performance.now() - exportStart;
    await pool.end();

    const rate = (ms: number) => Math.round(ROWS / (ms / 1000));
    const lines = [
      `# bench:import results`,
      '',
      `${new Date().toISOString()}, ${ROWS.toLocaleString('en-US')} rows, ${(bytes / 1048576).toFixed(1)} MiB CSV, 10 columns. Database: ${redactUrl(BASE_DATABASE_URL)}.`,
      '',
      machineMarkdown(machineFacts(version)),
      `- Load average at the end (1/5/15 min): ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} — other work on the machine slows both sides.`,
      '',
      '| | Time | Rows/s |',
      '|---|---:|---:|',
      `| PostgreSQL \`\\copy\` (psql) into an equivalent table | ${(copyMs / 1000).toFixed(2)} s | ${rate(copyMs).toLocaleString('en-US')} |`,
      `| Mosaic import, end to end (upload ${(uploadedMs / 1000).toFixed(2)} s + run) | ${(importMs / 1000).toFixed(2)} s | ${rate(importMs).toLocaleString('en-US')} |`,
      `| Mosaic CSV export of the ${exportRows.toLocaleString('en-US')} records (${(exportBytes / 1048576).toFixed(1)} MiB) | ${(exportMs / 1000).toFixed(2)} s | ${rate(exportMs).toLocaleString('en-US')} |`,
      '',
      `Import / COPY: ${(importMs / copyMs).toFixed(1)}× the time. Goal: ≥ 20,000 rows/s — ${rate(importMs) >= 20_000 ? 'met' : 'not met'}.`,
      '',
    ];
    const report = lines.join('\n');
    process.stdout.write(report);
    if (!process.env.BENCH_ROWS) await writeFile(join(HERE, 'results.md'), report);
  } finally {
    await kernel.close();
    await db.drop();
    await import('node:fs/promises').then((fs) => fs.rm(file, { force: true }));
  }
}

await main();
