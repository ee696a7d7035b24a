import type { FastifyReply, FastifyRequest } from 'fastify';

/** The session cookie's name. */
export const SESSION_COOKIE = 'mosaic_session';

/**
 * Cookie attributes: httpOnly so page scripts (including plugin views) cannot read the token;
 * SameSite=Lax so cross-site sub-requests do not carry it; Secure whenever the client reached us over
 * https — `request.protocol` honours `X-Forwarded-Proto` only when TRUST_PROXY is set.
 */
function attributes(request: FastifyRequest) {
  return { path: '/', httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' } as const;
}

/** Sets the session cookie for `ttlHours` (the same lifetime as the session row). */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, ttlHours: number): void {
  reply.setCookie(SESSION_COOKIE, token, { ...attributes(request), maxAge: ttlHours * 3600 });
}

/** Tells the browser to drop the session cookie. */
export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, attributes(request));
}
