/**
 * MikroORM's PostgreSQL driver keeps `timestamptz` values as PostgreSQL's text
 * (`2026-11-28 03:17:23.716+00`). These helpers turn them into epoch milliseconds and the ISO 8601
 * strings the API answers with.
 */

/** Epoch milliseconds of a timestamp column value (text or Date). */
export function toMillis(value: string | Date): number {
  return value instanceof Date ? value.getTime() : new Date(value).getTime();
}

/** ISO 8601 form of a timestamp column value; null stays null. */
export function toIso(value: string | Date | null | undefined): string | null {
  return value === null || value === undefined ? null : new Date(toMillis(value)).toISOString();
}

/** Rewrites the named timestamp columns of each row to ISO 8601, in place, and returns the rows. */
export function isoDates<T extends object>(rows: T[], ...columns: (keyof T & string)[]): T[] {
  for (const row of rows) {
    const record = row as Record<string, unknown>;
    for (const column of columns) record[column] = toIso(record[column] as string | Date | null);
  }
  return rows;
}
