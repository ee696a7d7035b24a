/**
 * The unique constraint a PostgreSQL error violated, or undefined for any other error. Routes that
 * check for duplicates first still need this: two concurrent requests can both pass the check.
 */
export function uniqueViolation(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, constraint } = err as { code?: string; constraint?: string };
  return code === '23505' ? (constraint ?? '') : undefined;
}
