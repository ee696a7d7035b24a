import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ModuleOptions } from '../app/services.js';
import { isMosaicError, MosaicError } from '../errors/index.js';
import { Authenticator } from './authenticator.js';
import type { AuthContext } from './context.js';
import { clearSessionCookie, SESSION_COOKIE } from './cookie.js';
import { bearerToken } from './headers.js';
import { safeEqual } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller, or null when the request carried no credential. */
    auth: AuthContext | null;
  }
  interface FastifyInstance {
    /**
     * The process's authenticator, with its credential cache and invalidation, for connections that
     * do not pass through the request hook (socket.io handshakes): pair it with `presentedToken(headers)`.
     */
    readonly authenticator: Authenticator;
  }
  interface FastifyContextConfig {
    /**
     * `'optional'`: an invalid or expired credential leaves `request.auth` null instead of answering
     * 401, so a browser holding a stale cookie can still sign in, sign up or sign out.
     */
    auth?: 'optional';
    /** `false`: the route takes no CSRF token, because it establishes a session rather than acting with one. */
    csrf?: false;
  }
}

/** Methods that must not change state, so they need no CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Resolves `request.auth` on every request, from an API key (`Authorization: Bearer mk_…`) or the
 * `mosaic_session` cookie, and enforces CSRF on cookie-authenticated unsafe requests. A request with
 * no credential passes through with `request.auth = null`; routes that need a caller use `requireAuth`.
 */
async function auth(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  if (!app.hasReplyDecorator('setCookie')) await app.register(cookie);
  const authenticator = new Authenticator(services);
  app.decorate('authenticator', authenticator);
  app.decorateRequest('auth', null);

  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization;
    const apiKey = header === undefined ? undefined : bearerToken(header);
    const sessionToken = apiKey === undefined ? request.cookies[SESSION_COOKIE] : undefined;
    if (apiKey === undefined && !sessionToken) return;

    const config = request.routeOptions.config ?? {};
    let credential;
    try {
      credential = apiKey !== undefined ? await authenticator.apiKey(apiKey) : await authenticator.session(sessionToken!);
    } catch (err) {
      // A database outage is not a reason to drop a browser's cookie; only a refused credential is.
      if (!isMosaicError(err)) throw err;
      if (sessionToken) clearSessionCookie(request, reply);
      if (config.auth === 'optional') return;
      throw err;
    }
    if (credential.csrfToken !== undefined && config.csrf !== false && !SAFE_METHODS.has(request.method)) {
      assertCsrf(request, credential.csrfToken);
    }
    request.auth = credential.auth;
  });
}

/** Cookies ride along on cross-site requests; a header a foreign page cannot read or set proves intent. */
function assertCsrf(request: FastifyRequest, expected: string): void {
  const given = request.headers['x-csrf-token'];
  if (typeof given !== 'string' || !safeEqual(given, expected)) throw new MosaicError('MOSAIC_ERR_AUTH_CSRF');
}

/** The kernel-wide authentication plugin; register it with `{ services }` before any other module route. */
export const authPlugin = fp(auth, { name: 'mosaic-auth', fastify: '5.x', dependencies: ['mosaic-error-handler'] });
