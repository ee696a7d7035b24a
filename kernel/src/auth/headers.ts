import type { IncomingHttpHeaders } from 'node:http';
import { MosaicError } from '../errors/index.js';
import { SESSION_COOKIE } from './cookie.js';

/** A credential as a client presented it: an API key, or the token of a session cookie. */
export interface PresentedToken {
  readonly kind: 'api_key' | 'session';
  readonly token: string;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The API key from an `Authorization` header; undefined for schemes that are not ours (e.g. a proxy's Basic auth). */
export function bearerToken(header: string): string | undefined {
  if (!/^bearer(\s|$)/i.test(header)) return undefined;
  const match = BEARER.exec(header);
  if (!match) throw new MosaicError('MOSAIC_ERR_AUTH_API_KEY_INVALID', 'Send the API key as "Authorization: Bearer mk_…".');
  return match[1];
}

/**
 * One cookie's value from a Cookie header. (@fastify/cookie's `parse` only works once the plugin has
 * loaded its parser, so it is not usable as a plain function.) Session tokens are base64url, so no
 * decoding is needed; a malformed escape leaves the value as sent.
 */
function cookieValue(header: string, name: string): string | undefined {
  for (const part of header.split(';')) {
    const at = part.indexOf('=');
    if (at < 0 || part.slice(0, at).trim() !== name) continue;
    let value = part.slice(at + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      return value.includes('%') ? decodeURIComponent(value) : value;
    } catch {
      return value;
    }
  }
  return undefined;
}

/**
 * The credential raw request headers present, for connections that do not pass through fastify's
 * request hooks (socket.io handshakes). Same precedence as the HTTP hook: an API key in
 * `Authorization: Bearer` wins over the session cookie. Undefined when there is neither.
 */
export function presentedToken(headers: IncomingHttpHeaders): PresentedToken | undefined {
  const header = headers.authorization;
  const apiKey = header === undefined ? undefined : bearerToken(header);
  if (apiKey !== undefined) return { kind: 'api_key', token: apiKey };
  const session = headers.cookie ? cookieValue(headers.cookie, SESSION_COOKIE) : undefined;
  return session ? { kind: 'session', token: session } : undefined;
}
