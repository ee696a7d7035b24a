import type { FastifyRequest } from 'fastify';
import { MosaicError } from '../errors/index.js';
import type { AuthContext } from './context.js';

/** The request's caller, or `MOSAIC_ERR_AUTH_REQUIRED` when it carried no credential. */
export function requireAuth(request: FastifyRequest): AuthContext {
  if (request.auth === null || request.auth === undefined) throw new MosaicError('MOSAIC_ERR_AUTH_REQUIRED');
  return request.auth;
}

/** A caller signed in with a session (not an API key), for actions that belong to a person. */
export function requireSession(request: FastifyRequest): AuthContext & { userId: string; memberId: string; sessionId: string } {
  const auth = requireAuth(request);
  if (auth.via !== 'session' || !auth.userId || !auth.memberId || !auth.sessionId) {
    throw new MosaicError('MOSAIC_ERR_FORBIDDEN', 'This needs a signed-in person; API keys cannot do it.');
  }
  return auth as AuthContext & { userId: string; memberId: string; sessionId: string };
}
