import type { Knex } from '@mikro-orm/postgresql';
import { MosaicError } from '../errors/index.js';
import { relationColumn, type FieldDef } from '../metadata/field-types/index.js';
import { execute, ident } from './execute.js';
import type { ObjectDef } from '../metadata/model.js';
import type { RecordCaller } from './caller.js';
import { columnsOf, readableFields, toRecord, type RecordData } from './mapper.js';
import {
  compileFilter,
  decodeCursor,
  encodeCursor,
  keysetPredicate,
  orderByClause,
  parseFilter,
  parseOrderBy,
  sortSignature,
  type SortColumn,
} from './query/index.js';
import { resolveMe } from './members.js';
import { leafResolver } from './resolve.js';

/** Which soft-deleted records a query sees. */
export type DeletedMode = 'exclude' | 'include' | 'only';

/** A list query, as parsed from `GET /api/objects/:object`. */
export interface FindQuery {
  readonly filter?: string;
  readonly orderBy?: string;
  readonly limit?: number;
  readonly startingAfter?: string;
  readonly endingBefore?: string;
  readonly fields?: readonly string[];
  readonly count?: boolean;
  readonly deleted?: DeletedMode;
}

/** One page of records. */
export interface FindResult {
  readonly data: RecordData[];
  readonly pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  readonly totalCount?: number;
  /** Raw rows, for embedding related records with `depth=1`. */
  readonly rows: Record<string, unknown>[];
}

/** Default page size and the largest one allowed. */
export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;

const DEFAULT_ORDER: readonly SortColumn[] = [{ column: 'created_at', direction: 'desc', nulls: 'last', kind: 'datetime', notNull: true }];
/** System columns that are NOT NULL in every record table (see `metadata/ddl.ts`). */
const NOT_NULL_COLUMNS = new Set(['id', 'created_at', 'updated_at', 'position']);

function sortColumns(object: ObjectDef, caller: RecordCaller, orderBy: string | undefined): SortColumn[] {
  const resolve = leafResolver(object, caller.access);
  const sorts: SortColumn[] = orderBy
    ? parseOrderBy(orderBy).map((entry) => {
      const leaf = resolve(entry.path);
      return { ...leaf, direction: entry.direction, nulls: entry.nulls, notNull: NOT_NULL_COLUMNS.has(leaf.column) };
    })
    : [...DEFAULT_ORDER];
  // The id makes the order total, so a cursor names exactly one position.
  if (!sorts.some((s) => s.column === 'id')) sorts.push({ column: 'id', direction: sorts.at(-1)!.direction, nulls: 'last', kind: 'uuid', notNull: true });
  return sorts;
}

/** Foreign keys are always read, so related records can be embedded even under a narrow projection. */
function relationColumns(object: ObjectDef): string[] {
  return object.fields.filter((f) => f.type === 'relation').map(relationColumn);
}

function applyDeleted(qb: Knex.QueryBuilder, mode: DeletedMode): void {
  if (mode === 'exclude') qb.whereNull('deleted_at');
  else if (mode === 'only') qb.whereNotNull('deleted_at');
}

/**
 * Lists records: filter grammar, order, keyset pagination in both directions, projection and totals.
 * Every identifier comes from metadata; every value is a bound parameter.
 */
export async function findRecords(knex: Knex, object: ObjectDef, caller: RecordCaller, query: FindQuery): Promise<FindResult> {
  caller.access.assertObject(object.name, 'read');
  const limit = query.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw new MosaicError('MOSAIC_ERR_QUERY_LIMIT', `limit must be a whole number from 1 to ${MAX_LIMIT}.`);
  }
  if (query.startingAfter && query.endingBefore) {
    throw new MosaicError('MOSAIC_ERR_QUERY_CURSOR', 'Pass starting_after or ending_before, not both.');
  }
  const fields = readableFields(object, caller.access, query.fields);
  const sorts = sortColumns(object, caller, query.orderBy);
  const signature = sortSignature(sorts);
  const filter = query.filter ? compileFilter(resolveMe(parseFilter(query.filter), object, caller.actor), leafResolver(object, caller.access)) : undefined;
  const mode = query.endingBefore ? 'before' : 'after';
  const cursor = query.startingAfter ?? query.endingBefore;

  const select = [...new Set([...columnsOf(fields), ...relationColumns(object), ...sorts.map((s) => s.column)])];
  const qb = knex.withSchema(object.schema).from(object.name).select(select);
  applyDeleted(qb, query.deleted ?? 'exclude');
  if (filter) qb.whereRaw(filter.sql, filter.bindings as Knex.RawBinding[]);
  if (cursor) {
    const predicate = keysetPredicate(sorts, decodeCursor(cursor, signature), mode);
    qb.whereRaw(predicate.sql, predicate.bindings as Knex.RawBinding[]);
  }
  const order = orderByClause(sorts, mode);
  qb.orderByRaw(order.sql, order.bindings as Knex.RawBinding[]).limit(limit + 1);

  const countQuery = query.count ? countRecords(knex, object, query.deleted ?? 'exclude', filter) : undefined;
  const [rows, totalCount] = await Promise.all([qb as Promise<Record<string, unknown>[]>, countQuery]);
  const more = rows.length > limit;
  if (more) rows.pop();
  if (mode === 'before') rows.reverse();
  const cursorOf = (row: Record<string, unknown>) => encodeCursor(sorts.map((s) => row[s.column]), signature);
  return {
    data: rows.map((row) => toRecord(fields, row)),
    rows,
    pageInfo: {
      hasNextPage: mode === 'after' ? more : true,
      hasPreviousPage: mode === 'before' ? more : Boolean(cursor),
      startCursor: rows.length > 0 ? cursorOf(rows[0]) : null,
      endCursor: rows.length > 0 ? cursorOf(rows[rows.length - 1]) : null,
    },
    ...(totalCount === undefined ? {} : { totalCount }),
  };
}

async function countRecords(knex: Knex, object: ObjectDef, deleted: DeletedMode, filter: { sql: string; bindings: unknown[] } | undefined): Promise<number> {
  const qb = knex.withSchema(object.schema).from(object.name).count({ n: '*' });
  applyDeleted(qb, deleted);
  if (filter) qb.whereRaw(filter.sql, filter.bindings as Knex.RawBinding[]);
  const [row] = (await qb) as { n: string }[];
  return Number(row.n);
}

const getByIdCache = new WeakMap<readonly FieldDef[], Map<string, string>>();

/** The primary-key read, as SQL text built once per field list (and deleted mode). */
function getByIdSql(object: ObjectDef, fields: readonly FieldDef[], deleted: DeletedMode): string {
  let perMode = getByIdCache.get(fields);
  if (!perMode) getByIdCache.set(fields, (perMode = new Map()));
  let text = perMode.get(deleted);
  if (!text) {
    const columns = [...new Set([...columnsOf(fields), ...relationColumns(object)])].map(ident).join(', ');
    const where = deleted === 'exclude' ? ' and deleted_at is null' : deleted === 'only' ? ' and deleted_at is not null' : '';
    text = `select ${columns} from ${ident(object.schema)}.${ident(object.name)} where id = $1${where} limit 1`;
    perMode.set(deleted, text);
  }
  return text;
}

/** Reads one record by id, or `MOSAIC_ERR_RECORD_NOT_FOUND`. */
export async function getRecord(
  knex: Knex, object: ObjectDef, caller: RecordCaller, id: string, options: { fields?: readonly string[]; deleted?: DeletedMode } = {},
): Promise<{ data: RecordData; row: Record<string, unknown> }> {
  caller.access.assertObject(object.name, 'read');
  const fields = readableFields(object, caller.access, options.fields);
  const [row] = await execute(knex, getByIdSql(object, fields, options.deleted ?? 'exclude'), [id]);
  if (!row) throw new MosaicError('MOSAIC_ERR_RECORD_NOT_FOUND', `No ${object.name} record with id ${id}.`);
  return { data: toRecord(fields, row), row };
}
