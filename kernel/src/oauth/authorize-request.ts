import type { FastifyRequest } from 'fastify';
import type { KernelServices } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import { findClient, type OAuthClient } from './clients.js';
import { requestOrigin } from './origin.js';
import type { Params } from './protocol.js';
import { redirectUriMatches } from './redirect-uri.js';
import { parseScopes } from './scopes.js';

/** The protected resource a client gets when it names none: the MCP endpoint, this server's only one. */
export const DEFAULT_RESOURCE_PATH = '/mcp';

/** An authorization request whose client and redirect URI are known good, so errors can go back to it. */
export interface ClientTarget {
  readonly client: OAuthClient;
  readonly redirectUri: string;
  readonly state: string | undefined;
  readonly issuer: string;
}

/** A fully checked authorization request. */
export interface AuthorizationRequest extends ClientTarget {
  readonly scopes: string[];
  readonly resource: string;
  readonly codeChallenge: string;
}

/**
 * The first stage: the client and its redirect URI. A failure here must not redirect (the URI is not
 * known to belong to the client, OAuth 2.1 §4.1.2.1), so it throws and the caller shows a page.
 */
export async function resolveTarget(services: KernelServices, request: FastifyRequest, params: Params): Promise<ClientTarget> {
  const client = await findClient(services, params.client_id);
  let redirectUri = params.redirect_uri;
  if (redirectUri === undefined) {
    if (client.redirectUris.length !== 1) throw new MosaicError('MOSAIC_ERR_OAUTH_REDIRECT_URI_INVALID', 'redirect_uri is required: the client registered several.');
    redirectUri = client.redirectUris[0]!;
  }
  if (!redirectUriMatches(client.redirectUris, redirectUri)) {
    throw new MosaicError('MOSAIC_ERR_OAUTH_REDIRECT_URI_INVALID', 'The redirect_uri is not one the client registered.');
  }
  return { client, redirectUri, state: params.state, issuer: requestOrigin(request, services) };
}

/**
 * The second stage, whose failures are sent back to the client's redirect URI: response type, PKCE
 * (S256 only; a missing challenge or `plain` is refused, OAuth 2.1 §4.1.1), scopes and resource (RFC 8707:
 * an absolute URL of this server, without fragment).
 */
export function checkRequest(target: ClientTarget, params: Params): AuthorizationRequest {
  if (params.response_type !== 'code') {
    throw Object.assign(new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', 'response_type must be "code".'), { oauthError: 'unsupported_response_type' });
  }
  const challenge = params.code_challenge;
  if (!challenge) throw new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', 'code_challenge is required (PKCE with S256).');
  if (params.code_challenge_method !== 'S256') {
    throw new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', `code_challenge_method must be S256${params.code_challenge_method ? `, not ${params.code_challenge_method}` : ''}.`);
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', 'code_challenge must be the base64url SHA-256 of the verifier (43 characters).');
  const scopes = parseScopes(params.scope);
  return { ...target, scopes, resource: checkResource(target.issuer, params.resource), codeChallenge: challenge };
}

/** The resource a token is for: one of this server's URLs (default `<origin>/mcp`). */
export function checkResource(issuer: string, raw: string | undefined): string {
  if (raw === undefined || raw === '') return `${issuer}${DEFAULT_RESOURCE_PATH}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new MosaicError('MOSAIC_ERR_OAUTH_TARGET_INVALID', 'resource must be an absolute URL.');
  }
  if (url.hash !== '' || raw.includes('#')) throw new MosaicError('MOSAIC_ERR_OAUTH_TARGET_INVALID', 'resource must not have a fragment.');
  if (url.origin !== issuer) throw new MosaicError('MOSAIC_ERR_OAUTH_TARGET_INVALID', `resource must be a URL of this server (${issuer}).`);
  return raw;
}

/** The client's redirect URI with `params`, `state` and `iss` (RFC 9207) added to its query. */
export function redirectTo(target: ClientTarget, params: Record<string, string>): string {
  const url = new URL(target.redirectUri);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  if (target.state !== undefined) url.searchParams.set('state', target.state);
  url.searchParams.set('iss', target.issuer);
  return url.href;
}

/** The redirect carrying an error back to the client. */
export function errorRedirect(target: ClientTarget, error: MosaicError & { oauthError?: string }, oauthError: string): string {
  return redirectTo(target, { error: error.oauthError ?? oauthError, error_description: error.message });
}
