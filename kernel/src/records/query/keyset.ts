import { createHash } from 'node:crypto';
import { MosaicError } from '../../errors/index.js';
import { columnRef, VALUE_PLACEHOLDER, type LeafKind, type SqlFragment } from './leaf.js';
import { isDecimalText, isInt8Text, isIsoDate, isIsoDateTime, isSafeInteger, isUuid } from './values.js';

/** Longest cursor accepted, in characters. */
export const MAX_CURSOR_LENGTH = 4_096;

/**
 * One column of a keyset ordering. The caller always appends the record `id` (uuid, never null) last,
 * so the ordering is total and a cursor names exactly one position.
 */
export interface SortColumn {
  readonly column: string;
  readonly direction: 'asc' | 'desc';
  readonly nulls: 'first' | 'last';
  readonly kind: LeafKind;
  /**
   * True when the column can never be NULL (the id and the system timestamps). Null placement then means
   * nothing, so ORDER BY leaves it out and matches the table's `(created_at desc, id desc)` index, and
   * an ordering made only of such columns, all one way, pages with a row comparison PostgreSQL scans as
   * an index range: each page costs its own rows, not all the rows before it.
   */
  readonly notNull?: boolean;
}

/** Kinds a list can be sorted (and so paginated) by; arrays and JSON have no useful order. */
export const SORTABLE_KINDS: readonly LeafKind[] = ['text', 'integer', 'decimal', 'boolean', 'date', 'datetime', 'uuid'];

/** True when a column of `kind` can appear in `order_by`. */
export function isSortableKind(kind: LeafKind): boolean {
  return SORTABLE_KINDS.includes(kind);
}

/**
 * A short, stable fingerprint of an ordering (columns, directions, null placement, kinds), stored in each
 * cursor so a cursor made under one `order_by` is refused under another. It starts with the column count,
 * which {@link decodeCursor} uses to check the cursor's arity.
 */
export function sortSignature(sorts: readonly SortColumn[]): string {
  const canonical = JSON.stringify(sorts.map((s) => [s.column, s.direction, s.nulls, s.kind]));
  let signature = signatures.get(canonical);
  if (!signature) {
    signature = `${sorts.length}.${createHash('sha256').update(canonical).digest('base64url').slice(0, 12)}`;
    // Orderings are few per deployment; the bound only guards against a flood of distinct ones.
    if (signatures.size > 10_000) signatures.clear();
    signatures.set(canonical, signature);
  }
  return signature;
}

const signatures = new Map<string, string>();

/**
 * Encodes the sort values of the last row of a page as an opaque cursor (base64url JSON `{ v, s }`).
 * Values are taken as the driver returns them: `Date`s become ISO strings and bigints decimal strings.
 * A `Date` keeps only milliseconds, so columns with finer timestamps should be read as strings.
 */
export function encodeCursor(values: unknown[], signature: string): string {
  const v = values.map((value) => {
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (typeof value === 'bigint') return value.toString();
    return value === undefined ? null : value;
  });
  return Buffer.from(JSON.stringify({ v, s: signature }), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor made by {@link encodeCursor} for the ordering whose {@link sortSignature} is
 * `signature`. Throws `MOSAIC_ERR_QUERY_CURSOR` when the cursor is malformed, longer than
 * {@link MAX_CURSOR_LENGTH}, belongs to another ordering or holds the wrong number of values.
 */
export function decodeCursor(cursor: string, signature: string): unknown[] {
  if (cursor.length > MAX_CURSOR_LENGTH) {
    throw cursorError(`The cursor is ${cursor.length} characters long; at most ${MAX_CURSOR_LENGTH} are allowed. Pass a cursor exactly as it was returned.`);
  }
  const malformed = (): MosaicError => cursorError('The cursor is malformed. Pass a cursor exactly as it was returned, or start again without one.');
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw malformed();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw malformed();
  }
  if (typeof parsed !== 'object' || parsed === null) throw malformed();
  const { v, s } = parsed as { v?: unknown; s?: unknown };
  if (!Array.isArray(v) || typeof s !== 'string') throw malformed();
  if (s !== signature) {
    throw cursorError('The cursor belongs to another sort order; use it with the order_by it was made for, or start again without a cursor.');
  }
  const arity = /^(\d+)\./.exec(signature);
  if (arity && Number(arity[1]) !== v.length) throw malformed();
  if (!v.every((x) => x === null || typeof x === 'string' || typeof x === 'boolean' || (typeof x === 'number' && Number.isFinite(x)))) {
    throw malformed();
  }
  return v;
}

/**
 * The condition "strictly after (or before) the cursor row" in exactly the ordering `sorts`, honouring
 * NULLS FIRST/LAST: OR over i of (all earlier columns equal AND column i past its cursor value). Because
 * it compares values rather than counting rows, pages stay stable while rows are inserted. The ordering
 * must be total (include the unique `id`), or rows tied on every column would be skipped.
 *
 * For `before`, fetch with {@link orderByClause}(sorts, 'before') and reverse the rows. Throws
 * `MOSAIC_ERR_QUERY_CURSOR` when `values` do not fit the columns.
 */
export function keysetPredicate(
  sorts: readonly SortColumn[], values: readonly unknown[], mode: 'after' | 'before', tableAlias?: string,
): SqlFragment {
  if (values.length !== sorts.length) throw cursorError('The cursor does not fit this sort order; start again without a cursor.');
  const checked = sorts.map((sort, i) => cursorValue(sort, values[i]));
  if (sorts.every((s) => s.notNull && s.direction === sorts[0].direction) && checked.every((v) => v !== null)) {
    const direction = mode === 'after' ? sorts[0].direction : flip(sorts[0].direction);
    const cols = sorts.map((s) => columnRef(s.column, tableAlias));
    return {
      sql: `(${cols.map((c) => c.sql).join(', ')}) ${direction === 'asc' ? '>' : '<'} (${sorts.map((s) => VALUE_PLACEHOLDER[s.kind]).join(', ')})`,
      bindings: [...cols.flatMap((c) => c.bindings), ...checked],
    };
  }
  const disjuncts: SqlFragment[] = [];
  const earlierEqual: SqlFragment[] = [];
  sorts.forEach((sort, i) => {
    // No column is assumed non-null, not even a trailing id: callers may put the id anywhere (e.g. a
    // user's `order_by=id,name`), and an extra `OR id IS NULL` costs nothing on a NOT NULL column.
    const value = checked[i];
    const col = columnRef(sort.column, tableAlias);
    const ph = VALUE_PLACEHOLDER[sort.kind];
    const direction = mode === 'after' ? sort.direction : flip(sort.direction);
    const nulls = mode === 'after' ? sort.nulls : sort.nulls === 'first' ? 'last' : 'first';
    let past: SqlFragment | null;
    if (value === null) {
      // A null cursor value: only non-null values can follow it, and only when nulls come first.
      past = nulls === 'first' ? { sql: `${col.sql} IS NOT NULL`, bindings: col.bindings } : null;
    } else {
      const cmp = `${col.sql} ${direction === 'asc' ? '>' : '<'} ${ph}`;
      past = nulls === 'last'
        ? { sql: `(${cmp} OR ${col.sql} IS NULL)`, bindings: [...col.bindings, value, ...col.bindings] }
        : { sql: cmp, bindings: [...col.bindings, value] };
    }
    if (past) disjuncts.push(join([...earlierEqual, past], ' AND '));
    earlierEqual.push(value === null
      ? { sql: `${col.sql} IS NULL`, bindings: col.bindings }
      : { sql: `${col.sql} = ${ph}`, bindings: [...col.bindings, value] });
  });
  return disjuncts.length === 0 ? { sql: 'FALSE', bindings: [] } : join(disjuncts, ' OR ');
}

/**
 * The ORDER BY list for `sorts` (for `qb.orderByRaw`), reversed for `before` so the rows nearest the
 * cursor come first. Throws `MOSAIC_ERR_QUERY_ORDER_BY` for a column that cannot be sorted.
 */
export function orderByClause(sorts: readonly SortColumn[], mode: 'after' | 'before' = 'after', tableAlias?: string): SqlFragment {
  const parts = sorts.map((sort) => {
    if (!isSortableKind(sort.kind)) {
      throw new MosaicError('MOSAIC_ERR_QUERY_ORDER_BY', `The column "${sort.column}" (${sort.kind}) cannot be sorted; sort by a text, number, boolean, date or id field.`);
    }
    const direction = mode === 'after' ? sort.direction : flip(sort.direction);
    const nulls = mode === 'after' ? sort.nulls : sort.nulls === 'first' ? 'last' : 'first';
    const col = columnRef(sort.column, tableAlias);
    return { sql: `${col.sql} ${direction.toUpperCase()}${sort.notNull ? '' : ` NULLS ${nulls.toUpperCase()}`}`, bindings: col.bindings };
  });
  return { sql: parts.map((p) => p.sql).join(', '), bindings: parts.flatMap((p) => p.bindings) };
}

function flip(direction: 'asc' | 'desc'): 'asc' | 'desc' {
  return direction === 'asc' ? 'desc' : 'asc';
}

function join(parts: SqlFragment[], op: ' AND ' | ' OR '): SqlFragment {
  if (parts.length === 1) return parts[0];
  return { sql: `(${parts.map((p) => p.sql).join(op)})`, bindings: parts.flatMap((p) => p.bindings) };
}

/**
 * Checks one cursor value against its column and returns what to bind (null for SQL NULL). A cursor
 * comes back from the client, so a value PostgreSQL would refuse to cast is a 400, not a driver error.
 */
function cursorValue(sort: SortColumn, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const ok = ((): boolean => {
    switch (sort.kind) {
      case 'text':
        return typeof value === 'string';
      case 'integer':
        return (typeof value === 'number' && isSafeInteger(value)) || (typeof value === 'string' && isInt8Text(value));
      case 'decimal':
        return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && isDecimalText(value));
      case 'boolean':
        return typeof value === 'boolean';
      case 'date':
        return typeof value === 'string' && isIsoDate(value);
      case 'datetime':
        return (value instanceof Date && !Number.isNaN(value.getTime())) || (typeof value === 'string' && isIsoDateTime(value));
      case 'uuid':
        return typeof value === 'string' && isUuid(value);
      default:
        throw new MosaicError('MOSAIC_ERR_QUERY_ORDER_BY', `The column "${sort.column}" (${sort.kind}) cannot be sorted.`);
    }
  })();
  if (!ok) throw cursorError('The cursor holds a value that does not fit its sort column; start again without a cursor.');
  if (value instanceof Date) return value.toISOString();
  // Decimals are bound as text so `?::numeric` keeps every digit.
  return sort.kind === 'decimal' ? String(value) : value;
}

function cursorError(message: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_QUERY_CURSOR', message);
}
