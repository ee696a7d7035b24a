import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

/** Every API key starts with this, so it is recognisable in a header, a log line or a secret scanner. */
export const API_KEY_PREFIX = 'mk_';
/** Characters after the prefix: 40 base62 characters carry about 238 bits of entropy. */
const API_KEY_BODY_LENGTH = 40;
/** How many leading characters of a key are stored in clear and shown in lists. */
export const API_KEY_DISPLAY_LENGTH = 10;

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const API_KEY_PATTERN = /^mk_[A-Za-z0-9]{40}$/;

/** A random URL-safe token (session cookies, CSRF tokens, invite tokens): 32 bytes, 256 bits. */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * A new API key: `mk_` + 40 base62 characters. `randomInt` draws each character uniformly, so there
 * is no modulo bias.
 */
export function newApiKey(): string {
  let body = '';
  for (let i = 0; i < API_KEY_BODY_LENGTH; i++) body += BASE62[randomInt(BASE62.length)];
  return API_KEY_PREFIX + body;
}

/** Whether a string has the shape of an API key (checked before any hashing or lookup). */
export function looksLikeApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

/**
 * The stored form of a session, invite or API-key token. A single sha256 is enough (no salt, no
 * stretching) because the tokens are 256-bit random values, not guessable passwords; it also lets a
 * lookup find the row by an indexed equality.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Compares two secrets without leaking, through timing, how long a prefix matched. */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
