/**
 * The records query language: `filter`, `order_by` and keyset cursors for `GET /api/objects/:object`.
 * Pure code: it parses text, and compiles to knex raw fragments once the records layer has resolved
 * each path to a column.
 */
export { FILTER_OPS, isFilterOp, type FilterLiteral, type FilterNode, type FilterOp } from './ast.js';
export { parseFilter, MAX_FILTER_CONDITIONS, MAX_FILTER_DEPTH, MAX_FILTER_LENGTH } from './parse-filter.js';
export { parseOrderBy, MAX_ORDER_BY_ENTRIES, ORDER_DIRECTIONS, type OrderByEntry } from './parse-order-by.js';
export { compileFilter, MAX_LIST_ITEMS, OPS_BY_KIND } from './compile-filter.js';
export { type LeafColumn, type LeafKind, type ResolveLeaf, type SqlFragment } from './leaf.js';
export {
  decodeCursor,
  encodeCursor,
  isSortableKind,
  keysetPredicate,
  MAX_CURSOR_LENGTH,
  orderByClause,
  sortSignature,
  SORTABLE_KINDS,
  type SortColumn,
} from './keyset.js';
