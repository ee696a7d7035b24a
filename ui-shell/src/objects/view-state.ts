import type { FieldMeta, SavedView } from '../api/types.js';
import { toGrammar, type FilterCondition, type FilterState } from './filter.js';
import type { TableSort } from './record-table.js';

/** What the object page shows that a saved view keeps. */
export interface PageState {
  readonly filter: FilterState;
  /** Filter text the builder cannot show (a view written through the API); applied as is. */
  readonly rawFilter: string;
  readonly sort: TableSort | null;
  /** Shown field names in display order; null: every field. */
  readonly columns: readonly string[] | null;
  readonly layout: 'table' | 'board';
  readonly groupBy: string | null;
}

/** The page with nothing chosen: the "All …" view. */
export const DEFAULT_STATE: PageState = { filter: { match: 'and', conditions: [] }, rawFilter: '', sort: null, columns: null, layout: 'table', groupBy: null };

/** A sort in the API's `order_by` grammar ('' for none). */
export function sortToGrammar(sort: TableSort | null): string {
  return sort ? `${sort.key}[${sort.dir === 'asc' ? 'AscNullsLast' : 'DescNullsLast'}]` : '';
}

/** The first entry of an `order_by` as the table's one sort, or null. */
export function sortFromGrammar(orderBy: string): TableSort | null {
  const m = /^\s*([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\s*(?:\[\s*(Asc|Desc)[A-Za-z]*\s*\])?/.exec(orderBy);
  return m ? { key: m[1]!, dir: m[2] === 'Desc' ? 'desc' : 'asc' } : null;
}

/** The whole filter of a state, in the API's grammar. */
export function filterGrammar(fields: readonly FieldMeta[], state: PageState): string {
  const built = toGrammar(fields, state.filter);
  if (!state.rawFilter) return built;
  return built ? `and(${state.rawFilter},${built})` : state.rawFilter;
}

/** A saved view as the body of `POST`/`PATCH /api/views`. */
export function stateToView(fields: readonly FieldMeta[], state: PageState) {
  return {
    layout: state.layout,
    filter: filterGrammar(fields, state),
    order_by: sortToGrammar(state.sort),
    columns: state.columns ? [...state.columns] : [],
    group_by: state.groupBy,
  };
}

/** A saved view as page state; a filter the builder cannot show stays raw. */
export function viewToState(fields: readonly FieldMeta[], view: SavedView): PageState {
  const filter = view.filter ? filterFromGrammar(fields, view.filter) : { match: 'and' as const, conditions: [] };
  return {
    filter: filter ?? { match: 'and', conditions: [] },
    rawFilter: filter ? '' : view.filter,
    sort: view.order_by ? sortFromGrammar(view.order_by) : null,
    columns: view.columns.length > 0 ? view.columns : null,
    layout: view.layout,
    groupBy: view.group_by,
  };
}

/** Whether two states save to the same view. */
export function sameState(fields: readonly FieldMeta[], a: PageState, b: PageState): boolean {
  return JSON.stringify(stateToView(fields, a)) === JSON.stringify(stateToView(fields, b));
}

/**
 * Reads back what `toGrammar` writes: one condition, or `and(…)`/`or(…)` of conditions. Anything else
 * (nesting, `not`, operators the builder lacks) gives undefined and the view's filter stays raw.
 */
export function filterFromGrammar(fields: readonly FieldMeta[], text: string): FilterState | undefined {
  const group = /^(and|or)\((.*)\)$/s.exec(text.trim());
  const parts = group ? splitTop(group[2]!) : [text.trim()];
  if (!parts) return undefined;
  const conditions: FilterCondition[] = [];
  for (const part of parts) {
    const condition = conditionFrom(fields, part.trim());
    if (!condition) return undefined;
    conditions.push(condition);
  }
  return { match: group?.[1] === 'or' ? 'or' : 'and', conditions };
}

/** Splits on top-level commas (outside quotes and parentheses); undefined when unbalanced. */
function splitTop(text: string): string[] | undefined {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quoted || depth !== 0) return undefined;
  out.push(text.slice(start));
  return out;
}

function unquote(text: string): string | undefined {
  if (!/^".*"$/s.test(text)) return undefined;
  return text.slice(1, -1).replace(/\\(.)/g, '$1');
}

function conditionFrom(fields: readonly FieldMeta[], text: string): FilterCondition | undefined {
  const m = /^([a-z][a-z0-9_.]*)\[([A-Za-z]+)\]:(.*)$/s.exec(text);
  if (!m) return undefined;
  const [, key, op, raw] = m as unknown as [string, string, string, string];
  const field = fields.find((f) => f.key === key);
  if (!field) return undefined;
  if (op === 'is') return raw === 'NULL' ? { field: field.name, op: 'empty', value: '' } : raw === 'NOT_NULL' ? { field: field.name, op: 'not_empty', value: '' } : undefined;
  const value = raw.startsWith('"') ? unquote(raw) : raw;
  if (value === undefined) return undefined;
  if (op === 'ilike') {
    const inner = /^%(.*)%$/s.exec(value);
    return inner ? { field: field.name, op: 'contains', value: inner[1]!.replace(/\\([\\%_])/g, '$1') } : undefined;
  }
  if (op === 'startsWith') return { field: field.name, op: 'starts', value };
  if (['eq', 'neq', 'gt', 'gte', 'lt', 'lte'].includes(op)) return { field: field.name, op, value };
  return undefined;
}
