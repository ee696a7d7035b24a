import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { presentedToken, type Authenticator, type Credential, type PresentedToken } from '../auth/index.js';
import { isMosaicError, MosaicError } from '../errors/index.js';
import type { RealtimeError } from './types.js';

/** A handshake that authenticated: what was presented (kept to re-authenticate later) and what it resolved to. */
export interface Handshake {
  readonly presented: PresentedToken;
  readonly credential: Credential;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.split(',')[0]?.trim() || undefined;
}

/**
 * Whether a handshake comes from a page of our own origin. Browsers send the session cookie on a
 * WebSocket handshake from any page of the same site and WebSockets are exempt from CORS, so without
 * this check another site's script could read a member's realtime feed (cross-site WebSocket
 * hijacking). Clients that are not browsers send no Origin and pass.
 */
function sameOrigin(headers: IncomingHttpHeaders, trustProxy: boolean): boolean {
  const origin = firstHeader(headers.origin);
  if (origin === undefined) return true;
  const host = (trustProxy ? firstHeader(headers['x-forwarded-host']) : undefined) ?? firstHeader(headers.host);
  try {
    return new URL(origin).host === host;
  } catch {
    return false; // `Origin: null` (sandboxed frames, file://) is never our page
  }
}

/**
 * Authenticates a socket.io handshake with the same authenticator (cache, invalidation) as HTTP. An API
 * key wins over the cookie, as on HTTP; it comes in `Authorization: Bearer` or, for browsers that cannot
 * set headers on a WebSocket, in the handshake's `auth: { token }`.
 */
export async function authenticateHandshake(
  handshake: { headers: IncomingHttpHeaders; auth: Record<string, unknown> },
  authenticator: Authenticator,
  trustProxy: boolean,
): Promise<Handshake> {
  let presented = presentedToken(handshake.headers);
  const token = handshake.auth?.token;
  if (typeof token === 'string' && presented?.kind !== 'api_key') presented = { kind: 'api_key', token };
  if (presented === undefined) throw new MosaicError('MOSAIC_ERR_AUTH_REQUIRED');
  if (presented.kind === 'session' && !sameOrigin(handshake.headers, trustProxy)) {
    throw new MosaicError('MOSAIC_ERR_AUTH_CSRF', 'A page from another origin cannot open a realtime connection with your session.');
  }
  return { presented, credential: await authenticator.presented(presented) };
}

/** The `{ code, message }` of any error; unexpected ones are logged and answered as internal errors. */
export function errorBody(err: unknown, log: FastifyBaseLogger): RealtimeError {
  if (isMosaicError(err)) return { code: err.code, message: err.message };
  log.error({ err }, 'realtime request failed');
  const internal = new MosaicError('MOSAIC_ERR_INTERNAL');
  return { code: internal.code, message: internal.message };
}

/**
 * The error a refused handshake is answered with. socket.io hands the client `message` and `data`: the
 * message is the Mosaic code so clients can match on it, `data` carries code and message.
 */
export function connectError(err: unknown, log: FastifyBaseLogger): Error & { data: RealtimeError } {
  const body = errorBody(err, log);
  return Object.assign(new Error(body.code), { data: body });
}
