/**
 * `node --no-node-snapshot --import tsx bench/records/layers.ts`: where the records API's time goes,
 * layer by layer, without the load generator. Each read or write runs through ever more of the kernel,
 * with the HTTP benchmark's concurrency (10), on the same seeded 100k-row table:
 *
 *   pg.Pool (the baseline's driver) → the kernel's knex with the same raw SQL → the kernel function
 *   (getRecord / findRecords / createRecord) → RecordService → app.inject (fastify, auth hook, schema),
 *   next to app.inject of the plain baseline for scale
 *
 * then the CPU-only steps are timed alone. A profiling aid for run.ts; it prints and writes nothing.
 */
import pg from 'pg';
import type { Knex } from '@mikro-orm/postgresql';
import { hashToken } from '../../kernel/src/auth/tokens.js';
import { loadApiKey } from '../../kernel/src/auth/load-credential.js';
import { findRecords, getRecord } from '../../kernel/src/records/find.js';
import { readableFields, toRecord } from '../../kernel/src/records/mapper.js';
import { RecordService } from '../../kernel/src/records/service.js';
import { createRecord } from '../../kernel/src/records/write.js';
import { survivePromiseRejections } from '../lib/background-errors.js';
import { createScratchDatabase } from '../lib/database.js';
import { startPlainServer } from './plain.js';
import { sampleIds, seedCompanies, startBenchKernel } from './setup.js';

const CONCURRENCY = 10;
const SECONDS = Number(process.env.BENCH_DURATION || 3);
const BODY = { name: 'Bench Co', domain: 'bench.example', employees: 42, city: 'Benchville', industry: 'software' };
const FILTER = 'city[eq]:"Berlin"';
const ORDER = 'employees[DescNullsLast]';

/**
 * Runs `op` from CONCURRENCY loops for SECONDS after a short warm-up. Returns operations per second and
 * this process's CPU time (user + system) per operation, which a busy machine disturbs far less.
 */
async function throughput(op: (i: number) => Promise<unknown>): Promise<{ ops: number; cpuUs: number }> {
  let n = 0;
  const loops = async (until: number) => {
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < until) await op(n++);
    }));
  };
  await loops(Date.now() + 700);
  n = 0;
  const start = Date.now();
  const cpuStart = process.cpuUsage();
  await loops(start + SECONDS * 1000);
  const used = process.cpuUsage(cpuStart);
  return { ops: n / ((Date.now() - start) / 1000), cpuUs: (used.user + used.system) / n };
}

/** Mean µs of a synchronous step. */
function cpu(step: (i: number) => unknown, runs = 20_000): number {
  for (let i = 0; i < 2_000; i++) step(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) step(i);
  return Number(process.hrtime.bigint() - t) / 1000 / runs;
}

const out = (label: string, value: number | { ops: number; cpuUs: number }, unit: string) => {
  const text = typeof value === 'number'
    ? `${value.toFixed(1).padStart(8)} ${unit}`
    : `${value.ops.toFixed(0).padStart(8)} ${unit}  ${value.cpuUs.toFixed(0).padStart(5)} µs CPU/op`;
  process.stdout.write(`${label.padEnd(58)} ${text}\n`);
};

async function main(): Promise<void> {
  survivePromiseRejections();
  const database = await createScratchDatabase('mosaic_bench');
  const bench = await startBenchKernel(database.url).catch(async (err: unknown) => {
    await database.drop();
    throw err;
  });
  const pool = new pg.Pool({ connectionString: database.url, max: bench.poolMax });
  let closePlain = async () => {};
  try {
    const seeder = await pool.connect();
    await seedCompanies(seeder, bench.schema, 100_000);
    const ids = await sampleIds(seeder, bench.schema, 10_000);
    seeder.release();

    const { services, app } = bench.kernel;
    const knex: Knex = services.db.knex;
    const credential = await loadApiKey(knex, hashToken(bench.authorization.slice('Bearer '.length)));
    if (!credential) throw new Error('the API key did not load');
    const caller = credential.auth;
    const object = await services.metadata.object(caller.workspaceId, 'company');
    const records = new RecordService(services);
    const table = `${pg.escapeIdentifier(bench.schema)}.company`;
    const cols = 'id, created_at, updated_at, deleted_at, created_by__type, created_by__id, created_by__name, position, name, domain, employees, city, industry';
    const id = (i: number) => ids[i % ids.length];
    const headers = { authorization: bench.authorization };
    // Runs SQL on a connection of the kernel's own pool, skipping knex's runner and formatter.
    const direct = async (text: string, values: unknown[]) => {
      const conn = (await knex.client.acquireConnection()) as pg.PoolClient;
      try {
        return await conn.query(text, values);
      } finally {
        await knex.client.releaseConnection(conn);
      }
    };
    const plain = await startPlainServer(database.url, bench.schema, bench.poolMax);
    closePlain = () => plain.close();

    process.stdout.write(`\nget by id, ${CONCURRENCY} concurrent, ${SECONDS} s each\n`);
    const getSql = `select ${cols} from ${table} where id = $1 and deleted_at is null limit 1`;
    out('pg.Pool, raw SQL (the baseline driver)', await throughput((i) => pool.query(getSql, [id(i)])), 'ops/s');
    out('kernel knex.raw, same SQL', await throughput((i) => knex.raw(getSql.replace('$1', '?'), [id(i)])), 'ops/s');
    out('kernel pool without knex\'s runner (acquire + conn.query)', await throughput((i) => direct(getSql, [id(i)])), 'ops/s');
    out('getRecord() (builder + run + toRecord)', await throughput((i) => getRecord(knex, object, caller, id(i))), 'ops/s');
    out('RecordService.get() (+ metadata lookups)', await throughput((i) => records.get(caller, 'company', id(i))), 'ops/s');
    out('app.inject GET /api/objects/company/:id (+ fastify, auth)', await throughput((i) => app.inject({ url: `/api/objects/company/${id(i)}`, headers })), 'ops/s');
    out('  for scale: plain app.inject GET /plain/companies/:id', await throughput((i) => plain.app.inject({ url: `/plain/companies/${id(i)}` })), 'ops/s');

    process.stdout.write(`\nlist 50, filter city = Berlin, order employees desc nulls last\n`);
    const listSql = `select ${cols} from ${table} where deleted_at is null and city = $1 order by employees desc nulls last, id desc limit 51`;
    out('pg.Pool, raw SQL', await throughput(() => pool.query(listSql, ['Berlin'])), 'ops/s');
    out('kernel knex.raw, same SQL', await throughput(() => knex.raw(listSql.replace('$1', '?'), ['Berlin'])), 'ops/s');
    out('findRecords()', await throughput(() => findRecords(knex, object, caller, { filter: FILTER, orderBy: ORDER, limit: 50 })), 'ops/s');

    process.stdout.write(`\ncreate one\n`);
    const insertSql = `insert into ${table} (name, domain, employees, city, industry, created_by__type, created_by__id, created_by__name) values ($1, $2, $3, $4, $5, $6, $7, $8) returning *`;
    const insertValues = [BODY.name, BODY.domain, BODY.employees, BODY.city, BODY.industry, 'api_key', 'x', 'x'];
    out('pg.Pool, plain insert', await throughput(() => pool.query(insertSql, insertValues)), 'ops/s');
    out('kernel knex.raw, plain insert', await throughput(() => knex.raw(insertSql.replace(/\$\d/g, '?'), insertValues)), 'ops/s');
    out('createRecord() (insert + outbox CTE, validation)', await throughput(() => createRecord(knex, object, caller, { ...BODY })), 'ops/s');
    // The outbox trigger NOTIFYs per statement; NOTIFY takes one cluster-wide lock at commit, held
    // through the WAL flush. Disabling it here (scratch database only) shows what that serialisation costs.
    await knex.raw('alter table event disable trigger event_notify').catch((err: unknown) => process.stdout.write(`(could not disable event_notify: ${String(err)})\n`));
    out('createRecord(), outbox NOTIFY trigger disabled', await throughput(() => createRecord(knex, object, caller, { ...BODY })), 'ops/s');
    await knex.raw('alter table event enable trigger event_notify').catch(() => undefined);

    process.stdout.write(`\nCPU-only steps, mean per call\n`);
    const row = (await knex.raw(getSql.replace('$1', '?'), [ids[0]])).rows[0] as Record<string, unknown>;
    const fields = readableFields(object, caller.access);
    const getBuilder = (i: number) => knex.withSchema(object.schema).from(object.name).select(cols.split(', ')).where('id', id(i)).whereNull('deleted_at').first().toSQL().toNative();
    out('knex: build + compile the get-by-id query', cpu(getBuilder), 'µs');
    out('knex: compile a raw statement (knex.raw(...).toSQL)', cpu((i) => knex.raw(getSql.replace('$1', '?'), [id(i)]).toSQL().toNative()), 'µs');
    out('readableFields() + toRecord() of one row', cpu(() => toRecord(readableFields(object, caller.access), row)), 'µs');
    out('toRecord() of one row', cpu(() => toRecord(fields, row)), 'µs');
    out('JSON.stringify of one record', cpu(() => JSON.stringify({ data: toRecord(fields, row) })), 'µs');
    out('hashToken (sha256 of the API key, every request)', cpu(() => hashToken(bench.authorization)), 'µs');
  } finally {
    await closePlain();
    await pool.end();
    await bench.kernel.close();
    await database.drop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
