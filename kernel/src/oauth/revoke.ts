import type { FastifyInstance } from 'fastify';
import type { KernelServices } from '../app/services.js';
import { isMosaicError, MosaicError } from '../errors/index.js';
import { verifySignature } from './access-token.js';
import { authenticateClient } from './client-auth.js';
import { revokeRefreshToken } from './grants.js';
import { bodyParams } from './protocol.js';

/**
 * Revokes an access token by its `jti` until it would have expired anyway. Only tokens of this client
 * count; anything else is ignored, as RFC 7009 §2.2 answers unknown tokens with success too.
 */
async function revokeAccessToken(services: KernelServices, token: string, clientId: string): Promise<boolean> {
  let claims;
  try {
    claims = await verifySignature(services, token, true);
  } catch (err) {
    if (isMosaicError(err)) return false;
    throw err;
  }
  if (claims.client_id !== clientId) return false;
  await services.db.knex('oauth_revoked_token').insert({ jti: claims.jti, expires_at: new Date(claims.exp * 1000) }).onConflict('jti').ignore();
  // Expired entries are useless: every verification checks `exp` first. Pruned here, where revocations happen.
  await services.db.knex('oauth_revoked_token').where('expires_at', '<', services.db.knex.fn.now()).delete();
  return true;
}

/**
 * `POST /oauth/revoke` (RFC 7009): a refresh token revokes its whole grant (every refresh and access token
 * of the authorization); an access token is revoked by `jti`. Always 200 for a well-formed request.
 */
export async function revokeRoutes(app: FastifyInstance, services: KernelServices): Promise<void> {
  app.post<{ Body: unknown }>('/oauth/revoke', { config: { auth: 'optional', csrf: false } }, async (request, reply) => {
    const params = bodyParams(request.body);
    const client = await authenticateClient(services, request, params);
    const token = params.token;
    if (!token) throw new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', 'token is missing.');
    // The hint only sets the order of the lookups (RFC 7009 §2.1); a JWT is recognisable by its dots.
    const looksLikeJwt = token.split('.').length === 3;
    if (params.token_type_hint === 'access_token' || looksLikeJwt) {
      if (!(await revokeAccessToken(services, token, client.id))) await revokeRefreshToken(services, token, client.id);
    } else if (!(await revokeRefreshToken(services, token, client.id))) {
      await revokeAccessToken(services, token, client.id);
    }
    return reply.header('cache-control', 'no-store').send({});
  });
}
