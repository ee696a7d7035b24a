import type { FastifyRequest } from 'fastify';
import type { KernelServices } from '../app/services.js';
import { isMosaicError, MosaicError } from '../errors/index.js';
import { findClient, secretMatches, type OAuthClient } from './clients.js';
import type { Params } from './protocol.js';

/** `Authorization: Basic` credentials, form-decoded as RFC 6749 §2.3.1 asks. */
function basic(request: FastifyRequest): { id: string; secret: string } | undefined {
  const header = request.headers.authorization;
  if (!header || !/^basic\s/i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  if (at < 0) throw new MosaicError('MOSAIC_ERR_OAUTH_CLIENT_INVALID', 'The Basic credentials are malformed.');
  try {
    const form = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));
    return { id: form(decoded.slice(0, at)), secret: form(decoded.slice(at + 1)) };
  } catch {
    throw new MosaicError('MOSAIC_ERR_OAUTH_CLIENT_INVALID', 'The Basic credentials are malformed.');
  }
}

/**
 * Authenticates the client of a token or revocation request: a confidential client by its secret (Basic
 * or in the body, not both), a public client by its `client_id` alone — PKCE and the single-use code
 * protect it instead. Failures are `MOSAIC_ERR_OAUTH_CLIENT_INVALID` (401).
 */
export async function authenticateClient(services: KernelServices, request: FastifyRequest, params: Params): Promise<OAuthClient> {
  const header = basic(request);
  if (header && params.client_secret !== undefined) throw new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', 'Send the client secret in one place: the Authorization header or the body.');
  if (header && params.client_id !== undefined && params.client_id !== header.id) {
    throw new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', 'client_id differs from the client of the Authorization header.');
  }
  const clientId = header?.id ?? params.client_id;
  if (!clientId) throw new MosaicError('MOSAIC_ERR_OAUTH_CLIENT_INVALID', 'The client is not identified: send client_id, or authenticate with Basic.');
  let client: OAuthClient;
  try {
    client = await findClient(services, clientId);
  } catch (err) {
    // A client whose metadata document fails is, for the token endpoint, a client that cannot authenticate.
    if (isMosaicError(err) && err.code === 'MOSAIC_ERR_OAUTH_CLIENT_METADATA_INVALID') throw new MosaicError('MOSAIC_ERR_OAUTH_CLIENT_INVALID', err.message);
    throw err;
  }
  if (!secretMatches(client, header?.secret ?? params.client_secret)) throw new MosaicError('MOSAIC_ERR_OAUTH_CLIENT_INVALID', 'The client secret is missing or wrong.');
  return client;
}
