/**
 * Conversions from what the pg driver returns to API values. Shared by every field type so that a
 * number, a timestamp or a date reads the same way wherever it appears.
 */

/** bigint and numeric arrive as strings to keep precision; the API speaks JSON numbers. */
export function toNumber(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' ? value : Number(value);
}

/** timestamptz arrives as a Date; the API speaks ISO 8601 strings. */
export function toIso(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString();
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
