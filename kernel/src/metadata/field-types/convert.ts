/**
 * Conversions from what the pg driver returns to API values. Shared by every field type so that a
 * number, a timestamp or a date reads the same way wherever it appears.
 */

/** bigint and numeric arrive as strings to keep precision; the API speaks JSON numbers. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? value : Number(value);
}

/** PostgreSQL's text form of a UTC timestamptz(3): `2026-11-28 03:19:29.06+00`. */
const PG_UTC = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,3}))?\+00$/;

/**
 * timestamptz arrives as PostgreSQL text (the ORM's driver setup) or a Date; the API speaks ISO 8601 in
 * UTC with milliseconds. The common UTC text form is rewritten with string operations: parsing into a
 * Date only to format it again costs more than the rest of reading a row.
 */
export function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  const m = PG_UTC.exec(text);
  if (m) return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0')}Z`;
  return new Date(text).toISOString();
}

/** date arrives as `YYYY-MM-DD` (the driver's date parser is disabled so no time zone shifts it). */
export function toDateString(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** Nullable string passthrough. */
export function toText(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}
