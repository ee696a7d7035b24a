/**
 * The parsed form of a records filter (`?filter=`). The parser produces it from text; the compiler turns
 * it into SQL once the records layer has said which column each path names. Nothing here knows about
 * metadata, so a filter can be parsed (and its syntax errors reported) before any lookup.
 */

/** Every comparison operator the filter grammar knows, in the order error messages list them. */
export const FILTER_OPS = [
  'eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'containsAny', 'like', 'ilike', 'startsWith', 'is',
] as const;

/** A comparison operator: the `op` in `path[op]:value`. */
export type FilterOp = (typeof FILTER_OPS)[number];

/**
 * A value on the right of a comparison. Numbers keep their source text in `raw` so that decimals stay
 * exact and text fields see `007` rather than `7`.
 */
export type FilterLiteral =
  | { type: 'string'; value: string }
  | { type: 'number'; value: number; raw: string }
  | { type: 'boolean'; value: boolean }
  | { type: 'null' }
  | { type: 'not_null' }
  | { type: 'list'; items: FilterLiteral[] };

/** A node of the filter tree: a boolean group, a negation, or one comparison. */
export type FilterNode =
  | { kind: 'and' | 'or'; children: FilterNode[] }
  | { kind: 'not'; child: FilterNode }
  | { kind: 'cmp'; path: string[]; op: FilterOp; value: FilterLiteral };

/** True when `name` is one of {@link FILTER_OPS}. */
export function isFilterOp(name: string): name is FilterOp {
  return (FILTER_OPS as readonly string[]).includes(name);
}
