import type { FastifyInstance } from 'fastify';
import type { KernelServices } from '../app/services.js';
import { publicJwks } from './keys.js';
import { requestOrigin } from './origin.js';
import { OAUTH_SCOPES } from './scopes.js';

/** The authorization server's metadata (RFC 8414) for the origin of a request. */
export function serverMetadata(issuer: string): Record<string, unknown> {
  return {
    issuer,
    authorization_endpoint: `${issuer}/oauth/authorize`,
    token_endpoint: `${issuer}/oauth/token`,
    registration_endpoint: `${issuer}/oauth/register`,
    revocation_endpoint: `${issuer}/oauth/revoke`,
    jwks_uri: `${issuer}/oauth/jwks`,
    scopes_supported: OAUTH_SCOPES.map((s) => s.name),
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: true,
  };
}

/** `GET /.well-known/oauth-authorization-server` and `GET /oauth/jwks`. */
export async function discoveryRoutes(app: FastifyInstance, services: KernelServices): Promise<void> {
  const config = { auth: 'optional' as const };
  app.get('/.well-known/oauth-authorization-server', { config }, async (request, reply) => {
    // The document depends on the Host (and, behind a trusted proxy, X-Forwarded-*): caches must key on it.
    return reply.header('cache-control', 'no-cache').header('vary', 'host, x-forwarded-host, x-forwarded-proto').send(serverMetadata(requestOrigin(request, services)));
  });
  app.get('/oauth/jwks', { config }, async (_request, reply) => {
    return reply.header('cache-control', 'public, max-age=300').header('content-type', 'application/jwk-set+json').send(await publicJwks(services));
  });
}
