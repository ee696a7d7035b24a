import { fieldType, selectValues, type FieldDef } from '../metadata/field-types/index.js';

/** A cell turned into an API value, or the reason it cannot be (for the per-row report). */
export type Coerced = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

/** How day and month are ordered in dates like `03/04/2025` (ISO dates are always read as ISO). */
export type DateOrder = 'dmy' | 'mdy';

/** Options that change how cells are read. */
export interface CoerceOptions {
  readonly dateOrder: DateOrder;
  /** The workspace's members, for `member` fields (cells name them by email or name). */
  readonly members?: readonly MemberEntry[];
}

/** A workspace member as an import matches cells against. */
export interface MemberEntry {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

const ok = (value: unknown): Coerced => ({ ok: true, value });
const fail = (reason: string): Coerced => ({ ok: false, reason });

/** The formula guard the export adds (`'=…`), taken off again so a round trip keeps the text. */
export function unguard(cell: string): string {
  return cell.length > 1 && cell.charCodeAt(0) === 39 && /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A number as people write them: `1234.5`, `1,234.5`, `1 234,5`, `1.234,5`, `1.500.000`. With
 * both separators the last one is the decimal point; a lone comma followed by exactly three digits in
 * groups (`1,234`) is a thousands separator, otherwise a decimal comma (`12,5`).
 */
export function parseNumber(raw: string): number | undefined {
  let text = raw.replace(/[\s\u00a0\u202f_']/g, '');
  const comma = text.lastIndexOf(',');
  const dot = text.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) text = comma > dot ? text.replaceAll('.', '').replace(',', '.') : text.replaceAll(',', '');
  else if (comma >= 0) text = /^[+-]?\d{1,3}(,\d{3})+$/.test(text) ? text.replaceAll(',', '') : text.split(',').length === 2 ? text.replace(',', '.') : text;
  // Several dots and no comma can only be thousands separators (`1.500.000`).
  else if (dot >= 0 && text.indexOf('.') !== dot) text = /^[+-]?\d{1,3}(\.\d{3})+$/.test(text) ? text.replaceAll('.', '') : text;
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

const SYMBOLS: Record<string, string> = { '€': 'EUR', $: 'USD', '£': 'GBP', '¥': 'JPY', '₹': 'INR', 'CHF': 'CHF' };

/** `€1,500.00`, `1500 EUR`, `USD 12` → amount and (when written) currency code. */
export function parseMoney(raw: string): { amount: number; currency: string | null } | undefined {
  let currency: string | null = null;
  const code = /\b([A-Z]{3})\b/.exec(raw.toUpperCase());
  let text = raw;
  if (code) {
    currency = code[1];
    text = text.replace(new RegExp(code[1], 'i'), '');
  }
  for (const [symbol, iso] of Object.entries(SYMBOLS)) {
    if (symbol.length === 1 && text.includes(symbol)) {
      currency ??= iso;
      text = text.replace(symbol, '');
    }
  }
  const amount = parseNumber(text.trim());
  return amount === undefined ? undefined : { amount, currency };
}

const TRUE = new Set(['true', 't', 'yes', 'y', '1', 'on', 'x', '✓', 'oui', 'ja', 'si', 'sí']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0', 'off', 'non', 'nein']);

/** Whether a year, month and day make a real calendar date. */
function realDate(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}
const pad = (n: number) => String(n).padStart(2, '0');

/** A date as `YYYY-MM-DD`, from ISO (`2025-03-04`, with a time too), `2025/03/04`, or `04/03/2025` in `order`. */
export function parseDate(raw: string, order: DateOrder): string | undefined {
  const text = raw.trim();
  let m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ].*)?$/.exec(text);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return realDate(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : undefined;
  }
  m = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(text);
  if (m) {
    const [a, b, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const [d, mo] = order === 'dmy' ? [a, b] : [b, a];
    return realDate(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : undefined;
  }
  return undefined;
}

/** A point in time as ISO 8601 UTC; a time without a zone is read as UTC; a bare date is midnight UTC. */
export function parseDateTime(raw: string, order: DateOrder): string | undefined {
  const text = raw.trim();
  const date = parseDate(text, order);
  if (date && !/[T ]\d/.test(text)) return `${date}T00:00:00.000Z`;
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/.exec(text);
  if (!iso) return undefined;
  const ms = Date.parse(`${iso[1]}T${iso[2]}${iso[3] ?? 'Z'}`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A select's options by value, value folded to lower case, and label folded, so `Won`, `won` and `WON` all match. */
function optionMatcher(field: FieldDef): (cell: string) => string | undefined {
  const options = (field.options.options ?? []) as { value: string; label?: string }[];
  const exact = new Set(selectValues(field));
  const folded = new Map<string, string>();
  for (const o of options) {
    folded.set(o.value.toLowerCase(), o.value);
    if (o.label) folded.set(o.label.trim().toLowerCase(), o.value);
  }
  return (cell) => (exact.has(cell) ? cell : folded.get(cell.trim().toLowerCase()));
}

const list = (cell: string) => cell.split(/[;\n]/).map((s) => s.trim()).filter(Boolean);

/**
 * The reader of one import target: a field, or one sub-field of a composite (`sub`). It takes a non-empty
 * cell (already unguarded and trimmed by the caller) and returns the API value for that field or sub-field.
 */
export function cellReader(field: FieldDef, sub: string | null, options: CoerceOptions): (cell: string) => Coerced {
  const kind = sub === null ? field.type : `${field.type}.${sub}`;
  switch (kind) {
    case 'number':
    case 'address.latitude':
    case 'address.longitude':
      return (cell) => {
        const n = parseNumber(cell);
        if (n === undefined) return fail(`"${clip(cell)}" is not a number`);
        if (field.options.precision === 'integer' && !Number.isInteger(n)) return fail(`${n} is not a whole number`);
        return ok(n);
      };
    case 'rating':
      return (cell) => {
        const n = parseNumber(cell);
        const max = Number(field.options.max ?? 5);
        return n !== undefined && Number.isInteger(n) && n >= 1 && n <= max ? ok(n) : fail(`"${clip(cell)}" is not a rating from 1 to ${max}`);
      };
    case 'currency.amount':
      return (cell) => {
        const money = parseMoney(cell);
        return money ? ok(money.amount) : fail(`"${clip(cell)}" is not an amount`);
      };
    case 'currency.currency':
      return (cell) => (/^[A-Za-z]{3}$/.test(cell.trim()) ? ok(cell.trim().toUpperCase()) : fail(`"${clip(cell)}" is not a three-letter currency code`));
    case 'boolean':
      return (cell) => {
        const v = cell.trim().toLowerCase();
        return TRUE.has(v) ? ok(true) : FALSE.has(v) ? ok(false) : fail(`"${clip(cell)}" is not yes/no (true/false, yes/no, 1/0)`);
      };
    case 'date':
      return (cell) => {
        const d = parseDate(cell, options.dateOrder);
        return d ? ok(d) : fail(`"${clip(cell)}" is not a date (YYYY-MM-DD or ${options.dateOrder === 'dmy' ? 'DD/MM/YYYY' : 'MM/DD/YYYY'})`);
      };
    case 'datetime':
      return (cell) => {
        const d = parseDateTime(cell, options.dateOrder);
        return d ? ok(d) : fail(`"${clip(cell)}" is not a date and time (ISO 8601)`);
      };
    case 'email':
    case 'emails.primary':
      return (cell) => (EMAIL.test(cell.trim()) ? ok(cell.trim()) : fail(`"${clip(cell)}" is not an email address`));
    case 'emails.additional':
      return (cell) => {
        const all = list(cell.replaceAll(',', ';'));
        const bad = all.find((e) => !EMAIL.test(e));
        return bad ? fail(`"${clip(bad)}" is not an email address`) : ok(all);
      };
    case 'phones.additional':
    case 'links.additional':
      return (cell) => ok(list(cell).map((v) => (kind === 'links.additional' ? withScheme(v) : v)));
    case 'link':
    case 'links.primary':
      return (cell) => ok(withScheme(cell.trim()));
    case 'select': {
      const match = optionMatcher(field);
      return (cell) => {
        const value = match(cell);
        return value !== undefined ? ok(value) : fail(`"${clip(cell)}" is not one of the options (${selectValues(field).slice(0, 10).join(', ')})`);
      };
    }
    case 'multi_select': {
      const match = optionMatcher(field);
      return (cell) => {
        const values: string[] = [];
        for (const item of list(cell.replaceAll(',', ';'))) {
          const value = match(item);
          if (value === undefined) return fail(`"${clip(item)}" is not one of the options (${selectValues(field).slice(0, 10).join(', ')})`);
          if (!values.includes(value)) values.push(value);
        }
        return ok(values);
      };
    }
    case 'relation':
    case 'uuid':
      return (cell) => (UUID.test(cell.trim()) ? ok(cell.trim().toLowerCase()) : fail(`"${clip(cell)}" is not a record id`));
    case 'member':
      return memberReader(options.members ?? []);
    case 'json':
      return (cell) => {
        try {
          return ok(JSON.parse(cell));
        } catch {
          return fail('not valid JSON');
        }
      };
    default:
      // Text, long text, phones, names and address parts: the cell as written.
      return (cell) => ok(cell);
  }
}

/**
 * A member cell: an email (any case), an exact name, or a member id. A name two members share is
 * refused rather than guessed. Exports write the email, so an export imports back.
 */
function memberReader(members: readonly MemberEntry[]): (cell: string) => Coerced {
  const byEmail = new Map(members.map((m) => [m.email.toLowerCase(), m.id]));
  const ids = new Set(members.map((m) => m.id));
  const byName = new Map<string, string | null>();
  for (const m of members) byName.set(m.name, byName.has(m.name) ? null : m.id);
  return (cell) => {
    const text = cell.trim();
    const id = byEmail.get(text.toLowerCase()) ?? (ids.has(text.toLowerCase()) ? text.toLowerCase() : undefined);
    if (id) return ok(id);
    const named = byName.get(text);
    if (named) return ok(named);
    if (named === null) return fail(`several members are named "${clip(text)}"; use the email`);
    return fail(EMAIL.test(text) ? `no member with the email "${clip(text)}"` : `no member with the email or name "${clip(text)}"`);
  };
}

/** A link without a scheme (`acme.com`) gets `https://`, as people paste them from browsers. */
function withScheme(value: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
}

const clip = (text: string) => (text.length > 60 ? `${text.slice(0, 57)}…` : text);

/** Whether a field can be imported at all (every stored, non-system field, and `id`). */
export function importable(field: FieldDef): boolean {
  if (field.type === 'one_to_many') return false;
  if (field.name === 'id') return true;
  return !field.system && fieldType(field).leaves(field).length > 0;
}
