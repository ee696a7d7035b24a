import { MosaicError } from '../../errors/index.js';
import type { FilterLiteral, FilterNode, FilterOp } from './ast.js';
import { columnRef, VALUE_PLACEHOLDER, type LeafKind, type ResolveLeaf, type SqlFragment } from './leaf.js';
import { isIsoDate, isIsoDateTime, isSafeInteger, isUuid } from './values.js';

/** Most items an `in` or `containsAny` list may hold. */
export const MAX_LIST_ITEMS = 500;

const ORDERED: readonly FilterOp[] = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'is'];

/** The operators each kind of column accepts. */
export const OPS_BY_KIND: Readonly<Record<LeafKind, readonly FilterOp[]>> = {
  text: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'like', 'ilike', 'startsWith', 'is'],
  integer: ORDERED,
  decimal: ORDERED,
  date: ORDERED,
  datetime: ORDERED,
  boolean: ['eq', 'neq', 'is'],
  uuid: ['eq', 'neq', 'in', 'is'],
  text_array: ['containsAny', 'is'],
  json: ['is'],
};

const COMPARE: Partial<Record<FilterOp, string>> = {
  eq: '=',
  // IS DISTINCT FROM rather than `<>`: "not equal to x" should include rows where the field is empty,
  // which `<>` would silently drop because NULL <> x is NULL.
  neq: 'IS DISTINCT FROM',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
  like: 'LIKE',
  ilike: 'ILIKE',
};

/**
 * Compiles a parsed filter to a knex raw fragment for `qb.whereRaw(sql, bindings)`. Every column name is
 * bound through `??`, never written into the SQL text. `resolve` maps each path to its column and throws
 * for unknown or forbidden fields.
 *
 * A comparison against an empty (NULL) field does not match, except `neq` and `is NULL`; `not(...)`
 * inverts "matches", so `not(city[eq]:Paris)` includes rows without a city, like `city[neq]:Paris`.
 *
 * Throws `MOSAIC_ERR_QUERY_OPERATOR` when an operator does not fit the field's kind and
 * `MOSAIC_ERR_QUERY_VALUE` when a value does not.
 */
export function compileFilter(node: FilterNode, resolve: ResolveLeaf, tableAlias?: string): SqlFragment {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const parts = node.children.map((child) => compileFilter(child, resolve, tableAlias));
      return {
        sql: `(${parts.map((p) => p.sql).join(node.kind === 'and' ? ' AND ' : ' OR ')})`,
        bindings: parts.flatMap((p) => p.bindings),
      };
    }
    case 'not': {
      // IS NOT TRUE rather than NOT: NOT(NULL) is NULL, which would drop rows whose field is empty.
      const inner = compileFilter(node.child, resolve, tableAlias);
      return { sql: `(${inner.sql}) IS NOT TRUE`, bindings: inner.bindings };
    }
    case 'cmp':
      return compileComparison(node.path, node.op, node.value, resolve, tableAlias);
  }
}

function compileComparison(
  path: string[], op: FilterOp, value: FilterLiteral, resolve: ResolveLeaf, tableAlias: string | undefined,
): SqlFragment {
  const field = path.join('.');
  const { column, kind } = resolve(path);
  const allowed = OPS_BY_KIND[kind];
  if (!allowed.includes(op)) {
    const message = `The operator [${op}] cannot be used on "${field}" (a ${kind.replace('_', ' ')} field); use one of ${allowed.join(', ')}.`;
    throw new MosaicError('MOSAIC_ERR_QUERY_OPERATOR', message, [{ path: field, message }]);
  }
  const col = columnRef(column, tableAlias);
  const withColumn = (sql: string, bindings: unknown[]): SqlFragment => ({ sql, bindings: [...col.bindings, ...bindings] });

  if (op === 'is') {
    if (value.type === 'null') return withColumn(`${col.sql} IS NULL`, []);
    if (value.type === 'not_null') return withColumn(`${col.sql} IS NOT NULL`, []);
    throw valueError(field, 'NULL or NOT_NULL', value);
  }
  if (op === 'containsAny') {
    const items = listItems(field, value).map((item) => toText(field, item));
    return withColumn(`${col.sql} && ?::text[]`, [items]);
  }
  if (op === 'in') {
    const items = listItems(field, value).map((item) => toParam(field, kind, item));
    return withColumn(`${col.sql} IN (${items.map(() => VALUE_PLACEHOLDER[kind]).join(', ')})`, items);
  }
  if (op === 'startsWith') {
    const prefix = toText(field, value).replace(/[\\%_]/g, (c) => `\\${c}`);
    return withColumn(`${col.sql} LIKE ? ESCAPE '\\'`, [`${prefix}%`]);
  }
  // like/ilike pass the user's pattern through; text takes no cast so the column's collation applies.
  return withColumn(`${col.sql} ${COMPARE[op]} ${VALUE_PLACEHOLDER[kind]}`, [toParam(field, kind, value)]);
}

function listItems(field: string, value: FilterLiteral): FilterLiteral[] {
  // The parser guarantees the list; the check keeps the compiler safe for hand-built trees.
  if (value.type !== 'list') throw valueError(field, 'a list such as [1,2]');
  if (value.items.length === 0 || value.items.length > MAX_LIST_ITEMS) {
    throw valueError(field, `a list of 1 to ${MAX_LIST_ITEMS} items (got ${value.items.length})`);
  }
  return value.items;
}

/** Converts one scalar literal to the value bound for a column of `kind`, or throws MOSAIC_ERR_QUERY_VALUE. */
function toParam(field: string, kind: LeafKind, value: FilterLiteral): unknown {
  switch (kind) {
    case 'text':
      return toText(field, value);
    case 'integer':
      if (value.type !== 'number' || !isSafeInteger(value.value)) throw valueError(field, 'a whole number between -2^53 and 2^53', value);
      return value.value;
    case 'decimal':
      if (value.type !== 'number' || !Number.isFinite(value.value)) throw valueError(field, 'a number such as 12.5', value);
      return value.raw; // the source text keeps every digit; `?::numeric` parses it exactly
    case 'boolean':
      if (value.type !== 'boolean') throw valueError(field, 'true or false', value);
      return value.value;
    case 'date':
      if (value.type !== 'string' || !isIsoDate(value.value)) throw valueError(field, 'a date written YYYY-MM-DD', value);
      return value.value;
    case 'datetime':
      if (value.type !== 'string' || !isIsoDateTime(value.value)) {
        throw valueError(field, 'an ISO 8601 date-time such as 2024-01-31T09:30:00Z', value);
      }
      return value.value;
    case 'uuid':
      if (value.type !== 'string' || !isUuid(value.value)) throw valueError(field, 'a uuid such as 123e4567-e89b-12d3-a456-426614174000', value);
      return value.value;
    case 'text_array':
    case 'json':
      // Unreachable through OPS_BY_KIND (these kinds only take `is`/`containsAny`), kept for exhaustiveness.
      throw valueError(field, `no value (a ${kind} field is only filtered by [is] or [containsAny])`, value);
  }
}

/** Text fields accept numbers and booleans too; a number keeps its source text, so `007` stays `007`. */
function toText(field: string, value: FilterLiteral): string {
  if (value.type === 'string') return value.value;
  if (value.type === 'number') return value.raw;
  if (value.type === 'boolean') return String(value.value);
  throw valueError(field, 'a text value', value);
}

function valueError(field: string, expected: string, value?: FilterLiteral): MosaicError {
  const got = value === undefined ? '' : ` (got ${describe(value)})`;
  const message = `The value for "${field}" must be ${expected}${got}.`;
  return new MosaicError('MOSAIC_ERR_QUERY_VALUE', message, [{ path: field, message }]);
}

function describe(value: FilterLiteral): string {
  switch (value.type) {
    case 'string':
      return JSON.stringify(value.value.length > 40 ? `${value.value.slice(0, 40)}…` : value.value);
    case 'number':
      return value.raw;
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'NULL';
    case 'not_null':
      return 'NOT_NULL';
    case 'list':
      return `a list of ${value.items.length}`;
  }
}
