import type { Knex } from '@mikro-orm/postgresql';
import type { KernelServices } from '../app/services.js';
import { MosaicError, isMosaicError } from '../errors/index.js';
import { fieldType } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import { prepareBatch, writeBatch, type PreparedBatch } from '../records/batch.js';
import type { RecordCaller } from '../records/caller.js';
import { CsvParser } from './csv-parser.js';
import { MAX_REPORTED_ERRORS, updateJob, type ImportJob, type ImportSettings, type RowError } from './store.js';
import { coerceOptions, compileMapping, importTargets } from './targets.js';

/** A checked import, ready to run: the object, how rows become bodies, and the upsert key. */
export interface ImportPlan {
  readonly job: ImportJob;
  readonly object: ObjectDef;
  readonly caller: RecordCaller;
  readonly settings: ImportSettings;
  readonly convert: ReturnType<typeof compileMapping>;
}

/**
 * Checks an import's settings against the object and the caller's role before anything runs, so a bad
 * mapping or upsert key is an ordinary 400 on start and never a failed background job.
 */
export async function planImport(services: KernelServices, job: ImportJob, caller: RecordCaller, settings: ImportSettings): Promise<ImportPlan> {
  caller.access.assertObject(job.object, 'create');
  if (settings.upsert_on) caller.access.assertObject(job.object, 'update');
  const object = await services.metadata.object(caller.workspaceId, job.object);
  const targets = importTargets(object, caller.access);
  const convert = compileMapping(job.headers, settings.mapping, targets, await coerceOptions(services.db.knex, object, caller.workspaceId, settings.date_order));
  const mapped = settings.mapping.filter((k): k is string => Boolean(k)).map((k) => targets.find((t) => t.key === k)!);
  if (settings.upsert_on) {
    const field = object.fieldsByKey.get(settings.upsert_on) ?? object.fieldsByName.get(settings.upsert_on);
    const unique = field && (field.name === 'id' || (field.isUnique && fieldType(field).leaves(field).length === 1));
    if (!field || !unique) {
      throw new MosaicError('MOSAIC_ERR_IMPORT_MAPPING_INVALID', `upsert_on must be "id" or a unique single-value field of ${object.name}; "${settings.upsert_on}" is not.`, [{ path: 'upsert_on', message: 'not a unique field' }]);
    }
    if (!mapped.some((t) => t.field === field)) {
      throw new MosaicError('MOSAIC_ERR_IMPORT_MAPPING_INVALID', `Map a column to ${settings.upsert_on}: rows are matched to records by it.`, [{ path: 'upsert_on', message: 'not mapped' }]);
    }
  }
  return { job, object, caller, settings, convert };
}

/** Stops the all-or-nothing transaction once the file turned out to have problems. */
class Rollback extends Error {}

/**
 * Rows per write. The records layer writes a batch set-based (one statement for all its rows, events and
 * history), so bigger batches mean fewer round trips; 5,000 rows of a wide object stay a few MB of JSON.
 */
const IMPORT_BATCH = 5000;

/** Characters of the file parsed between two turns of the event loop (see `readRows`). */
const PARSE_SLICE = 64 * 1024;

/** Progress is written at most this often, so a fast import is not slowed by its own progress bar. */
const PROGRESS_EVERY_MS = 250;

/**
 * Runs a planned import to its end and records the outcome on the job; never throws.
 *
 * - `on_error: 'abort'` (the default) is all or nothing: every batch is written inside one transaction,
 *   and if any row has a problem the transaction is rolled back — nothing is imported and the report
 *   lists the rows. Rows after the first problem are still read and checked, so one run reports them all.
 * - `on_error: 'skip'` imports every row that can be imported, batch by batch, and reports the others:
 *   a batch the database refuses is retried without the rows it named, then row by row.
 *
 * Rows are written through the records layer's batch write (validation, field permissions of the
 * caller's role, `record.created`/`record.updated` events and history) in set-based batches of 5,000.
 */
export async function runImport(services: KernelServices, plan: ImportPlan): Promise<void> {
  const knex = services.db.knex;
  const { job, settings } = plan;
  const state = { processed: 0, created: 0, updated: 0, failedRows: new Set<number>(), errors: [] as RowError[], lastProgress: 0, lastLine: 0 };
  const report = (error: RowError) => {
    state.failedRows.add(error.row);
    if (state.errors.length < MAX_REPORTED_ERRORS) state.errors.push(error);
  };
  const progress = async (force = false) => {
    const now = Date.now();
    if (!force && now - state.lastProgress < PROGRESS_EVERY_MS) return;
    state.lastProgress = now;
    await updateJob(knex, job.id, { processed: state.processed, created: state.created, updated: state.updated, failed: state.failedRows.size });
  };

  try {
    if (settings.on_error === 'abort') {
      try {
        await knex.transaction(async (trx) => {
          await readRows(knex, plan, state, report, progress, (batch) => writeAll(trx, plan, batch, state, report));
          if (state.failedRows.size > 0) throw new Rollback();
        });
        services.bus.written();
      } catch (error) {
        if (!(error instanceof Rollback)) throw error;
      }
    } else {
      await readRows(knex, plan, state, report, progress, (batch) => {
        const step = writeSkipping(knex, plan, batch, state, report);
        return async () => {
          await step();
          services.bus.written();
        };
      });
    }
    const failed = state.failedRows.size;
    const rolledBack = settings.on_error === 'abort' && failed > 0;
    const message = rolledBack
      ? `${failed.toLocaleString('en-US')} of ${state.processed.toLocaleString('en-US')} rows have problems, so nothing was imported (all or nothing). Fix them and import the file again, or import with on_error "skip" to import the other rows.`
      : `${state.created.toLocaleString('en-US')} created, ${state.updated.toLocaleString('en-US')} updated, ${failed.toLocaleString('en-US')} failed${failed > 0 ? ' (not imported; see the report)' : ''}.`;
    await updateJob(knex, job.id, {
      status: rolledBack ? 'failed' : 'completed',
      processed: state.processed,
      created: rolledBack ? 0 : state.created,
      updated: rolledBack ? 0 : state.updated,
      failed,
      errors: state.errors,
      message,
      finished_at: knex.fn.now(),
    });
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const kept = settings.on_error === 'skip' && state.created + state.updated > 0
      ? ` The rows before line ${state.lastLine} were imported (${state.created} created, ${state.updated} updated); the rest were not.`
      : ' Nothing was imported.';
    services.log.error({ err: error, importId: job.id }, 'import failed');
    await updateJob(knex, job.id, {
      status: 'failed',
      processed: state.processed,
      created: settings.on_error === 'skip' ? state.created : 0,
      updated: settings.on_error === 'skip' ? state.updated : 0,
      failed: state.failedRows.size,
      errors: state.errors,
      message: `The import stopped: ${why}.${kept}`,
      finished_at: knex.fn.now(),
    }).catch(() => undefined);
  } finally {
    await knex('import_chunk').where({ import_id: job.id }).delete().catch(() => undefined);
  }
}

type State = { processed: number; created: number; updated: number; failedRows: Set<number>; errors: RowError[]; lastLine: number };
type Batch = { line: number; body: Record<string, unknown> }[];
/** A batch's database work, returned by a writer that has already done the batch's checks in this process. */
type WriteStep = () => Promise<void>;

/** Reads the stored file chunk by chunk, turns rows into bodies and hands them over in batches. */
async function readRows(knex: Knex, plan: ImportPlan, state: State, report: (e: RowError) => void, progress: () => Promise<void>, write: (batch: Batch) => WriteStep): Promise<void> {
  const { job, convert, settings } = plan;
  const width = job.headers.length;
  const size = IMPORT_BATCH;
  const key = settings.upsert_on;
  let batch: Batch = [];
  let keys = new Set<string>();
  let rows: { cells: string[]; line: number }[] = [];
  let header = true;
  const parser = new CsvParser({ maxCell: Number.MAX_SAFE_INTEGER }, (cells, line) => {
    if (header) header = false;
    else rows.push({ cells, line });
  });
  // One batch is written while the next is parsed and coerced: the database and this process work at
  // the same time instead of taking turns. Writes stay in file order (each waits for the one before).
  let inFlight: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    keys = new Set();
    // The batch is checked and serialized now, while PostgreSQL is still writing the one before.
    const step = write(current);
    await inFlight;
    inFlight = step().then(async () => {
      state.processed += current.length;
      state.lastLine = current[current.length - 1].line;
      await progress();
    });
    // A failed write must not go unobserved until the next flush; it is awaited there or at the end.
    inFlight.catch(() => undefined);
  };

  // Rows of the file, in order: reported when they cannot be records, batched when they can.
  const take = async (ready: readonly { cells: string[]; line: number }[]) => {
    for (const { cells, line } of ready) {
      if (cells.length !== width) {
        report({ row: line, column: null, field: null, reason: `The row has ${cells.length} cells; the header has ${width}.` });
        state.processed++;
        continue;
      }
      const result = convert(cells, line);
      if ('problems' in result) {
        for (const problem of result.problems) report(problem);
        state.processed++;
        continue;
      }
      if (key) {
        const value = result.body[key];
        // The batch write refuses the same key twice in one batch; the later row goes in the next batch
        // and updates what the earlier one wrote, as reading the file top to bottom would.
        if (value !== undefined && value !== null && keys.has(String(value))) await flush();
        if (value !== undefined && value !== null) keys.add(String(value));
      }
      batch.push({ line, body: result.body });
      if (batch.length >= size) await flush();
    }
  };

  for (let seq = 0; ; seq++) {
    const chunk = (await knex('import_chunk').where({ import_id: job.id, seq }).first('text')) as { text: string } | undefined;
    if (!chunk) break;
    // A stored chunk is about 1 MB. It is parsed a slice at a time, giving way between slices, so the
    // replies of the batch being written are read as they come rather than after the whole chunk.
    for (let at = 0; at < chunk.text.length; at += PARSE_SLICE) {
      parser.write(chunk.text.slice(at, at + PARSE_SLICE));
      const ready = rows;
      rows = [];
      await take(ready);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  parser.end();
  // The last row of a file without a final line break.
  await take(rows);
  await flush();
  await inFlight;
}

/** The rows a batch error names (`records[3].email`), with field and reason, or undefined when it names none. */
function rowProblems(error: MosaicError, batch: Batch): RowError[] | undefined {
  const problems: RowError[] = [];
  for (const detail of error.details) {
    const match = /^records\[(\d+)\](?:\.(.+))?$/.exec(detail.path ?? '');
    if (!match) return undefined;
    problems.push({ row: batch[Number(match[1])].line, column: null, field: match[2] ?? null, reason: detail.message });
  }
  return problems.length > 0 ? problems : undefined;
}

/** Checks the batch now, or keeps why it cannot be written as a whole, for the write step to report. */
function prepare(plan: ImportPlan, batch: Batch): { prepared: PreparedBatch } | { refused: unknown } {
  try {
    return { prepared: prepareBatch(plan.object, plan.caller, { records: batch.map((b) => b.body), upsert_on: plan.settings.upsert_on ?? undefined }, WRITE_OPTIONS) };
  } catch (refused) {
    return { refused };
  }
}

/** All or nothing: write the batch in the import's transaction; after the first problem, only check. */
function writeAll(trx: Knex, plan: ImportPlan, batch: Batch, state: State, report: (e: RowError) => void): WriteStep {
  // Doomed: the rest is read for the report only.
  const checked = state.failedRows.size > 0 ? undefined : prepare(plan, batch);
  return async () => {
    if (!checked || state.failedRows.size > 0) return;
    try {
      if ('refused' in checked) throw checked.refused;
      const result = await writeBatch(trx, checked.prepared);
      state.created += result.created;
      state.updated += result.updated;
    } catch (caught) {
      const error = asRowError(caught, plan.object, batch);
      const named = rowProblems(error, batch);
      if (named) for (const p of named) report(p);
      else report({ row: batch[0].line, column: null, field: null, reason: `${error.message} (a row from line ${batch[0].line} to ${batch[batch.length - 1].line})` });
    }
  };
}

/** Per row: write what can be written, report the rest. */
function writeSkipping(knex: Knex, plan: ImportPlan, batch: Batch, state: State, report: (e: RowError) => void): WriteStep {
  // The whole batch is checked now; a retry with fewer rows checks those again.
  let first: ReturnType<typeof prepare> | undefined = prepare(plan, batch);
  const attempt = async (rows: Batch) => {
    const checked = first ?? prepare(plan, rows);
    first = undefined;
    if ('refused' in checked) throw checked.refused;
    const result = await writeBatch(knex, checked.prepared);
    state.created += result.created;
    state.updated += result.updated;
  };
  // Each refusal that names its rows takes them out and the rest is tried again; a refusal that names
  // none splits the rows in two, so k bad rows among n cost about k·log(n) statements, not n.
  const write = async (rows: Batch): Promise<void> => {
    for (;;) {
      try {
        return await attempt(rows);
      } catch (caught) {
        const error = asRowError(caught, plan.object, rows);
        const named = rowProblems(error, rows);
        if (named) {
          for (const p of named) report(p);
          const bad = new Set(named.map((p) => p.row));
          rows = rows.filter((b) => !bad.has(b.line));
          if (rows.length === 0) return;
          continue;
        }
        if (rows.length === 1) return report({ row: rows[0].line, column: null, field: null, reason: error.message });
        const half = Math.ceil(rows.length / 2);
        await write(rows.slice(0, half));
        return write(rows.slice(half));
      }
    }
  };
  return () => write(batch);
}

/** Imports ask the records layer for bigger batches than the API allows, and for counts instead of rows. */
const WRITE_OPTIONS = { limit: IMPORT_BATCH, returning: false } as const;

/**
 * The error of a refused batch as a MosaicError naming rows where it can: a unique value already taken
 * (PostgreSQL 23505, whose detail names the column and value) becomes the problem of the row holding
 * that value. Errors that are neither rethrow: they stop the import.
 */
function asRowError(error: unknown, object: ObjectDef, batch: Batch): MosaicError {
  if (isMosaicError(error)) return error;
  const { code, detail } = error as { code?: string; detail?: string };
  const match = code === '23505' ? /^Key \((.+)\)=\((.*)\) already exists\.$/.exec(detail ?? '') : null;
  if (!match) throw error;
  const [, column, value] = match;
  const field = object.fields.find((f) => fieldType(f).leaves(f).some((l) => l.column === column));
  const key = field ? fieldType(field).recordKey(field) : column;
  const index = batch.findIndex((b) => b.body[key] !== undefined && String(b.body[key]) === value);
  const message = `${key} "${value.slice(0, 200)}" is already used by another ${object.name}`;
  return new MosaicError('MOSAIC_ERR_RECORD_UNIQUE', message, index >= 0 ? [{ path: `records[${index}].${key}`, message }] : []);
}
