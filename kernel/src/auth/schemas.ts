/** JSON schema fragments shared by the routes that take credentials. */

/** An email address; stored and compared lower-cased. */
export const emailSchema = { type: 'string', format: 'email', minLength: 3, maxLength: 254 } as const;

/**
 * A password: at least 10 characters. The upper bound keeps one request from making argon2 hash
 * megabytes.
 */
export const passwordSchema = { type: 'string', minLength: 10, maxLength: 512 } as const;

/** A person's display name. */
export const nameSchema = { type: 'string', minLength: 1, maxLength: 200, pattern: '\\S' } as const;

/** A row id. */
export const uuidSchema = { type: 'string', format: 'uuid' } as const;

/** Emails are case-insensitive in practice; one canonical form keeps the unique index honest. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
