import type { FieldMeta, ObjectMeta, RecordData } from '../api/types.js';
import { memberLabel } from './members.js';

/** Fields shown as columns: every field but the hidden system ones, in position order. */
export function columnsOf(object: ObjectMeta): FieldMeta[] {
  const hidden = new Set(['id', 'deleted_at', 'position', 'updated_at', 'created_by']);
  return object.fields
    .filter((f) => !hidden.has(f.name) && f.type !== 'one_to_many')
    .sort((a, b) => Number(a.is_system) - Number(b.is_system) || a.position - b.position);
}

const SUB_SORT: Readonly<Record<string, string>> = { currency: 'amount', full_name: 'last_name', address: 'city', emails: 'primary', phones: 'primary', links: 'primary' };

/** The `order_by` key of a field, or undefined when the API cannot sort by it. */
export function sortKey(field: FieldMeta): string | undefined {
  if (field.type === 'json' || field.type === 'multi_select' || field.type === 'one_to_many') return undefined;
  const sub = SUB_SORT[field.type];
  return sub ? `${field.name}.${sub}` : field.key;
}

/** Types the table edits in place. */
export const EDITABLE_TYPES: ReadonlySet<string> = new Set(['text', 'long_text', 'email', 'phone', 'link', 'number', 'currency', 'boolean', 'date', 'datetime', 'select', 'rating', 'member']);

/** The option of a select field with a value, if declared. */
export function selectOption(field: FieldMeta, value: unknown): { value: string; label: string; color?: string } | undefined {
  const options = (field.options.options ?? []) as { value: string; label: string; color?: string }[];
  return options.find((o) => o.value === value);
}

const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 4 });
// One formatter each, made once: `toLocaleString` with options builds a new one per call, which made
// date columns the most expensive part of rendering a table row.
const dateFormat = new Intl.DateTimeFormat(undefined, { timeZone: 'UTC', year: 'numeric', month: 'short', day: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A currency amount with its code, in the reader's locale. */
export function formatCurrency(value: unknown): string {
  const v = value as { amount?: number | string | null; currency?: string | null } | null;
  if (v?.amount === null || v?.amount === undefined) return '';
  const amount = Number(v.amount);
  try {
    return new Intl.NumberFormat(undefined, { style: 'currency', currency: v.currency || 'USD' }).format(amount);
  } catch {
    return `${numberFormat.format(amount)} ${v.currency ?? ''}`.trim();
  }
}

/** A plain-text rendering of any value (search, titles, composites the table does not edit). */
export function formatValue(field: FieldMeta, value: unknown): string {
  if (value === null || value === undefined) return '';
  switch (field.type) {
    case 'number':
      return numberFormat.format(Number(value));
    case 'currency':
      return formatCurrency(value);
    case 'boolean':
      return value ? 'Yes' : 'No';
    case 'date': {
      const d = new Date(`${String(value)}T00:00:00Z`);
      return Number.isNaN(d.getTime()) ? String(value) : dateFormat.format(d);
    }
    case 'datetime': {
      const d = new Date(String(value));
      return Number.isNaN(d.getTime()) ? String(value) : dateTimeFormat.format(d);
    }
    case 'select':
      return selectOption(field, value)?.label ?? String(value);
    case 'multi_select':
      return (value as unknown[]).map((v) => selectOption(field, v)?.label ?? String(v)).join(', ');
    case 'full_name': {
      const n = value as { first_name?: string; last_name?: string };
      return [n.first_name, n.last_name].filter(Boolean).join(' ');
    }
    case 'address': {
      const a = value as Record<string, string | null>;
      return [a.street, a.city, a.country].filter(Boolean).join(', ');
    }
    case 'emails':
    case 'phones':
    case 'links':
      return String((value as { primary?: string }).primary ?? '');
    case 'rating':
      return '★'.repeat(Number(value));
    case 'member':
      return memberLabel(String(value));
    case 'json':
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

/** A record's title: its object's label field, else its first text field, else its id. */
export function recordLabel(object: ObjectMeta | undefined, record: Record<string, unknown> | null | undefined): string {
  if (!record) return '';
  const field = object?.fields.find((f) => f.name === object.label_field) ?? object?.fields.find((f) => f.type === 'text');
  const text = field ? formatValue(field, record[field.key]) : '';
  return text || String(record.id ?? '').slice(0, 8);
}

/** Turns what was typed into a value for the API; a value that does not parse is sent as typed so the API's validation names the problem. */
export function parseInput(field: FieldMeta, raw: string, current: unknown): unknown {
  const text = raw.trim();
  switch (field.type) {
    case 'number':
    case 'rating':
      if (text === '') return null;
      return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    case 'currency': {
      if (text === '') return { amount: null };
      const amount = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
      const code = (current as { currency?: string } | null)?.currency ?? (field.options.default_currency as string | undefined) ?? 'USD';
      return { amount, currency: code };
    }
    case 'datetime':
      return text === '' ? null : new Date(text).toISOString();
    default:
      return text === '' ? null : raw;
  }
}

/** The value to put in an editor's input. */
export function inputValue(field: FieldMeta, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (field.type === 'currency') {
    const amount = (value as { amount?: unknown }).amount;
    return amount === null || amount === undefined ? '' : String(amount);
  }
  if (field.type === 'datetime') {
    const d = new Date(String(value));
    return Number.isNaN(d.getTime()) ? '' : new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  }
  return String(value);
}

/** A record's value for a field. */
export function valueOf(record: RecordData, field: FieldMeta): unknown {
  return record[field.key];
}
