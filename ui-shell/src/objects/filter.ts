import type { FieldMeta } from '../api/types.js';

/** An operator as the filter builder offers it, and how it turns into the API's grammar. */
export interface FilterOperator {
  readonly id: string;
  readonly label: string;
  /** Whether the condition takes a value (`is empty` does not). */
  readonly takesValue: boolean;
}

/** One row of the filter builder. */
export interface FilterCondition {
  readonly field: string;
  readonly op: string;
  readonly value: string;
}

/** The builder's whole state: conditions joined by `and` or `or`. */
export interface FilterState {
  readonly match: 'and' | 'or';
  readonly conditions: readonly FilterCondition[];
}

const TEXT_TYPES = new Set(['text', 'long_text', 'email', 'phone', 'link', 'select', 'full_name', 'emails', 'phones', 'links', 'address']);
const ORDERED_TYPES = new Set(['number', 'currency', 'date', 'datetime', 'rating']);

const EMPTY: FilterOperator = { id: 'empty', label: 'is empty', takesValue: false };
const NOT_EMPTY: FilterOperator = { id: 'not_empty', label: 'is not empty', takesValue: false };

/** The operators a field type supports (a subset of the API's, worded for people). */
export function operatorsFor(field: FieldMeta): readonly FilterOperator[] {
  if (TEXT_TYPES.has(field.type)) {
    return [
      { id: 'contains', label: 'contains', takesValue: true },
      { id: 'eq', label: 'is', takesValue: true },
      { id: 'neq', label: 'is not', takesValue: true },
      { id: 'starts', label: 'starts with', takesValue: true },
      EMPTY,
      NOT_EMPTY,
    ];
  }
  if (ORDERED_TYPES.has(field.type)) {
    return [
      { id: 'eq', label: '=', takesValue: true },
      { id: 'neq', label: '≠', takesValue: true },
      { id: 'gt', label: '>', takesValue: true },
      { id: 'gte', label: '≥', takesValue: true },
      { id: 'lt', label: '<', takesValue: true },
      { id: 'lte', label: '≤', takesValue: true },
      EMPTY,
      NOT_EMPTY,
    ];
  }
  if (field.type === 'boolean') return [{ id: 'eq', label: 'is', takesValue: true }, EMPTY, NOT_EMPTY];
  if (field.type === 'member') return [{ id: 'eq', label: 'is', takesValue: true }, { id: 'neq', label: 'is not', takesValue: true }, EMPTY, NOT_EMPTY];
  if (field.type === 'relation' || field.type === 'uuid') return [{ id: 'eq', label: 'is', takesValue: true }, EMPTY, NOT_EMPTY];
  return [EMPTY, NOT_EMPTY];
}

/** Whether the builder offers the field at all. */
export function filterable(field: FieldMeta): boolean {
  return field.type !== 'one_to_many' && field.type !== 'json' && field.type !== 'multi_select';
}

/** A quoted string of the grammar: `"…"` with `\"` and `\\`. */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** The `like` pattern for "contains": the value's own `%`, `_` and `\` are escaped. */
function containsPattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function literal(field: FieldMeta, value: string): string {
  const v = value.trim();
  if (field.type === 'number' || field.type === 'currency' || field.type === 'rating') return /^-?\d+(\.\d+)?$/.test(v) ? v : quote(v);
  if (field.type === 'boolean') return v === 'true' ? 'true' : 'false';
  return quote(value);
}

/**
 * One condition in the API's grammar, or undefined when it is incomplete (no value yet). The record
 * key names the field (`company_id` for a relation); a composite named alone means its main sub-field.
 */
export function conditionToGrammar(field: FieldMeta, condition: FilterCondition): string | undefined {
  const key = field.key;
  switch (condition.op) {
    case 'empty':
      return `${key}[is]:NULL`;
    case 'not_empty':
      return `${key}[is]:NOT_NULL`;
  }
  if (condition.value.trim() === '' && field.type !== 'boolean') return undefined;
  switch (condition.op) {
    case 'contains':
      return `${key}[ilike]:${quote(containsPattern(condition.value))}`;
    case 'starts':
      return `${key}[startsWith]:${quote(condition.value)}`;
    default:
      return `${key}[${condition.op}]:${literal(field, condition.value)}`;
  }
}

/** The whole filter parameter, or '' when no condition is complete. */
export function toGrammar(fields: readonly FieldMeta[], state: FilterState): string {
  const parts: string[] = [];
  for (const c of state.conditions) {
    const field = fields.find((f) => f.name === c.field);
    const part = field && conditionToGrammar(field, c);
    if (part) parts.push(part);
  }
  if (parts.length === 0) return '';
  if (parts.length === 1) return parts[0]!;
  return `${state.match}(${parts.join(',')})`;
}
