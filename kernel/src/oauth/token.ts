import type { FastifyInstance } from 'fastify';
import type { KernelServices } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import { bodyParams } from './protocol.js';
import { issueAccessToken } from './access-token.js';
import { checkResource } from './authorize-request.js';
import { authenticateClient } from './client-auth.js';
import { redeemCode, rotateRefreshToken, type Grant } from './grants.js';
import { requestOrigin } from './origin.js';
import { parseScopes } from './scopes.js';

/**
 * `POST /oauth/token`: the `authorization_code` grant (PKCE verified) and the `refresh_token` grant (the
 * refresh token rotates at every use). Answers per RFC 6749 §5.1 with `Cache-Control: no-store`.
 */
export async function tokenRoutes(app: FastifyInstance, services: KernelServices): Promise<void> {
  app.post<{ Body: unknown }>('/oauth/token', { config: { auth: 'optional', csrf: false } }, async (request, reply) => {
    const params = bodyParams(request.body);
    const grantType = params.grant_type;
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      if (!grantType) throw new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', 'grant_type is missing.');
      throw new MosaicError('MOSAIC_ERR_OAUTH_GRANT_TYPE_UNSUPPORTED', `The grant type ${grantType} is not supported; use authorization_code or refresh_token.`);
    }
    const client = await authenticateClient(services, request, params);
    const issuer = requestOrigin(request, services);
    const resource = params.resource === undefined ? undefined : checkResource(issuer, params.resource);

    let result: { grant: Grant; refreshToken: string };
    if (grantType === 'authorization_code') {
      if (!params.code) throw new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', 'code is missing.');
      result = await redeemCode(services, { code: params.code, clientId: client.id, redirectUri: params.redirect_uri, codeVerifier: params.code_verifier, resource });
    } else {
      if (!params.refresh_token) throw new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', 'refresh_token is missing.');
      const scopes = params.scope === undefined ? undefined : parseScopes(params.scope);
      result = await rotateRefreshToken(services, { refreshToken: params.refresh_token, clientId: client.id, scopes, resource });
    }
    const { grant, refreshToken } = result;
    const { token, expiresIn } = await issueAccessToken(services, {
      issuer,
      grantId: grant.id,
      workspaceId: grant.workspaceId,
      userId: grant.userId,
      memberId: grant.memberId,
      clientId: grant.clientId,
      scopes: grant.scopes,
      resource: grant.resource,
    });
    return reply
      .header('cache-control', 'no-store')
      .header('pragma', 'no-cache')
      .send({ access_token: token, token_type: 'Bearer', expires_in: expiresIn, refresh_token: refreshToken, scope: grant.scopes.join(' ') });
  });
}
