import type { Knex } from '@mikro-orm/postgresql';
import { MosaicError } from '../errors/index.js';
import type { ObjectDef } from '../metadata/model.js';
import type { RecordCaller } from './caller.js';
import type { DeletedMode } from './find.js';
import { compileFilter, parseFilter, type LeafColumn, type LeafKind } from './query/index.js';
import { resolveMe } from './members.js';
import { leafResolver } from './resolve.js';

/** An aggregate function over a numeric (or, for min/max, date) field. */
export type MetricFunction = 'sum' | 'avg' | 'min' | 'max';

/** `GET /api/objects/:object/aggregate`, parsed. */
export interface AggregateQuery {
  /** Up to {@link MAX_GROUP_BY} field paths (`stage`, `amount.currency`); none = one group of everything. */
  readonly groupBy?: readonly string[];
  /** `sum:amount.amount`, `avg:probability`, … — `count` is always computed. */
  readonly metrics?: readonly string[];
  readonly filter?: string;
  readonly deleted?: DeletedMode;
}

/** One group: its key values by path, its record count and the requested metrics by `function:path`. */
export interface AggregateGroup {
  readonly group: Record<string, unknown>;
  readonly count: number;
  readonly metrics: Record<string, number | string | null>;
}

/** The groups, largest first; `has_more` when more than {@link MAX_GROUPS} groups exist. */
export interface AggregateResult {
  readonly data: AggregateGroup[];
  readonly hasMore: boolean;
}

export const MAX_GROUP_BY = 3;
export const MAX_METRICS = 10;
export const MAX_GROUPS = 1000;

const FUNCTIONS: ReadonlySet<string> = new Set(['sum', 'avg', 'min', 'max']);
const NUMERIC: ReadonlySet<LeafKind> = new Set(['integer', 'decimal']);
const ORDERED: ReadonlySet<LeafKind> = new Set(['integer', 'decimal', 'date', 'datetime']);
const GROUPABLE: ReadonlySet<LeafKind> = new Set(['text', 'integer', 'decimal', 'boolean', 'date', 'uuid']);

function invalid(message: string, path: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_QUERY_AGGREGATE', message, [{ path, message }]);
}

/** Numbers come back from PostgreSQL as text for bigint/numeric; a JSON number reads better and fits here. */
function numeric(value: unknown, kind: LeafKind): number | string | null {
  if (value === null || value === undefined) return null;
  if (kind === 'date' || kind === 'datetime') return value instanceof Date ? value.toISOString() : String(value);
  return Number(value);
}

function groupValue(value: unknown, kind: LeafKind): unknown {
  if (value === null || value === undefined) return null;
  if (kind === 'decimal' || kind === 'integer') return Number(value);
  if (kind === 'date') return value instanceof Date ? value.toISOString().slice(0, 10) : String(value);
  return value;
}

/**
 * Counts and totals records per group in the database (`GROUP BY`), so a plugin or client sums a whole
 * object without paging through it. Paths resolve like filter paths: metadata names only, and fields
 * the caller may not read can be neither grouped nor measured. The filter grammar is the listing's.
 */
export async function aggregateRecords(knex: Knex, object: ObjectDef, caller: RecordCaller, query: AggregateQuery): Promise<AggregateResult> {
  caller.access.assertObject(object.name, 'read');
  const resolve = leafResolver(object, caller.access);
  const groupBy = [...new Set(query.groupBy ?? [])];
  if (groupBy.length > MAX_GROUP_BY) throw invalid(`group_by takes at most ${MAX_GROUP_BY} fields.`, 'group_by');
  const metrics = [...new Set(query.metrics ?? [])];
  if (metrics.length > MAX_METRICS) throw invalid(`metrics takes at most ${MAX_METRICS} entries.`, 'metrics');

  const groups = groupBy.map((path) => {
    const leaf = resolve(path.split('.'));
    if (!GROUPABLE.has(leaf.kind)) throw invalid(`"${path}" cannot be grouped by (a ${leaf.kind} value).`, path);
    return { path, leaf };
  });
  const measures = metrics.map((entry) => {
    const [fn, path] = entry.split(':');
    if (!fn || !path || !FUNCTIONS.has(fn)) throw invalid(`"${entry}" is not a metric; write sum:field, avg:field, min:field or max:field.`, entry);
    const leaf: LeafColumn = resolve(path.split('.'));
    const fits = fn === 'min' || fn === 'max' ? ORDERED.has(leaf.kind) : NUMERIC.has(leaf.kind);
    if (!fits) throw invalid(`${fn} needs a ${fn === 'min' || fn === 'max' ? 'number or date' : 'number'} field; "${path}" is ${leaf.kind}.`, entry);
    return { key: `${fn}:${path}`, fn: fn as MetricFunction, leaf };
  });

  const filter = query.filter ? compileFilter(resolveMe(parseFilter(query.filter), object, caller.actor), resolve) : undefined;
  const qb = knex.withSchema(object.schema).from(object.name);
  const select: string[] = [];
  const bindings: unknown[] = [];
  groups.forEach((g, i) => {
    select.push(`?? as ??`);
    bindings.push(g.leaf.column, `g${i}`);
  });
  select.push('count(*)::bigint as "n"');
  measures.forEach((m, i) => {
    select.push(`${m.fn}(??) as ??`);
    bindings.push(m.leaf.column, `m${i}`);
  });
  qb.select(knex.raw(select.join(', '), bindings as Knex.RawBinding[]));
  const mode = query.deleted ?? 'exclude';
  if (mode === 'exclude') qb.whereNull('deleted_at');
  else if (mode === 'only') qb.whereNotNull('deleted_at');
  if (filter) qb.whereRaw(filter.sql, filter.bindings as Knex.RawBinding[]);
  if (groups.length > 0) {
    qb.groupByRaw(groups.map(() => '??').join(', '), groups.map((g) => g.leaf.column));
    // Largest groups first; ties in a stable order so repeated calls agree.
    qb.orderByRaw(['count(*) desc', ...groups.map(() => '?? asc nulls last')].join(', '), groups.map((g) => g.leaf.column));
    qb.limit(MAX_GROUPS + 1);
  }
  const rows = (await qb) as Record<string, unknown>[];
  const hasMore = rows.length > MAX_GROUPS;
  if (hasMore) rows.pop();
  return {
    hasMore,
    data: rows.map((row) => ({
      group: Object.fromEntries(groups.map((g, i) => [g.path, groupValue(row[`g${i}`], g.leaf.kind)])),
      count: Number(row.n),
      metrics: Object.fromEntries(measures.map((m, i) => [m.key, numeric(row[`m${i}`], m.fn === 'avg' ? 'decimal' : m.leaf.kind)])),
    })),
  };
}
