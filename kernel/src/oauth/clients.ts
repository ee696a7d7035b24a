import { randomBytes } from 'node:crypto';
import type { KernelServices } from '../app/services.js';
import { hashToken, safeEqual } from '../auth/tokens.js';
import { MosaicError } from '../errors/index.js';
import { fetchJsonDocument } from './fetch-document.js';
import { checkRedirectUri } from './redirect-uri.js';

/** How a client proves itself at the token endpoint. */
export type ClientAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic';

/** A client as the authorization server sees it, whichever way it was registered. */
export interface OAuthClient {
  readonly id: string;
  readonly name: string;
  readonly redirectUris: readonly string[];
  readonly authMethod: ClientAuthMethod;
  /** `registered`: through `/oauth/register`; `document`: its client_id is the URL of its metadata document. */
  readonly kind: 'registered' | 'document';
  readonly secretHash?: string;
}

/** A metadata document is trusted this long before it is fetched again. */
const DOCUMENT_CACHE_MS = 5 * 60_000;
const documents = new WeakMap<object, Map<string, { client: OAuthClient; until: number }>>();

const metadataError = (message: string, path = 'client_id') => new MosaicError('MOSAIC_ERR_OAUTH_CLIENT_METADATA_INVALID', message, [{ path, message }]);

/**
 * Whether a client_id names a metadata document: any http(s) URL. Plain http is then refused by the fetch
 * unless the loopback test setting is on, with a message that says so rather than "unknown client".
 */
export function isDocumentClientId(clientId: string): boolean {
  return clientId.startsWith('https://') || clientId.startsWith('http://');
}

/** The checked redirect URIs of a registration or document; the first bad one fails the whole client. */
export function readRedirectUris(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.some((u) => typeof u !== 'string')) {
    throw new MosaicError('MOSAIC_ERR_OAUTH_REDIRECT_URI_INVALID', 'redirect_uris must be a non-empty array of URLs.', [{ path: 'redirect_uris', message: 'required' }]);
  }
  if (value.length > 20) throw new MosaicError('MOSAIC_ERR_OAUTH_REDIRECT_URI_INVALID', 'A client may register at most 20 redirect URIs.');
  return (value as string[]).map(checkRedirectUri);
}

/** A short display name from metadata, or a fallback; names are shown on the consent page, never trusted. */
export function readName(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200) throw metadataError('client_name must be a string of at most 200 characters.', 'client_name');
  return value.trim();
}

/**
 * Fetches and checks a Client ID Metadata Document: the URL must be https with a path, the document's
 * `client_id` must equal the URL (so a document cannot speak for another client), its redirect URIs
 * pass the same rules as registration, and it may not claim a client secret (anyone can read it).
 */
async function documentClient(services: KernelServices, clientId: string): Promise<OAuthClient> {
  let cache = documents.get(services.db);
  if (!cache) documents.set(services.db, (cache = new Map()));
  const hit = cache.get(clientId);
  if (hit && hit.until > Date.now()) return hit.client;

  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    throw metadataError('The client_id is not a valid URL.');
  }
  if (url.pathname === '/' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw metadataError('A client_id URL must have a path and no fragment or credentials.');
  }
  let doc: unknown;
  try {
    doc = await fetchJsonDocument(clientId, { allowLoopback: services.config.oauthAllowLoopbackClientMetadata });
  } catch (err) {
    throw metadataError(`The client metadata document at ${url.origin}${url.pathname} could not be used: ${(err as Error).message}.`);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw metadataError('The client metadata document is not a JSON object.');
  const meta = doc as Record<string, unknown>;
  if (meta.client_id !== clientId) throw metadataError('The client metadata document names another client_id than its own URL.');
  const method = meta.token_endpoint_auth_method ?? 'none';
  if (method !== 'none') throw metadataError('A client metadata document cannot use a client secret: token_endpoint_auth_method must be "none".', 'token_endpoint_auth_method');
  const client: OAuthClient = {
    id: clientId,
    name: readName(meta.client_name, url.host),
    redirectUris: readRedirectUris(meta.redirect_uris),
    authMethod: 'none',
    kind: 'document',
  };
  cache.set(clientId, { client, until: Date.now() + DOCUMENT_CACHE_MS });
  return client;
}

/**
 * The client a `client_id` names: a registered one from the database, or one described by its metadata
 * document. Unknown clients fail with `MOSAIC_ERR_OAUTH_CLIENT_INVALID`.
 */
export async function findClient(services: KernelServices, clientId: string | undefined): Promise<OAuthClient> {
  if (!clientId) throw new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', 'The client_id parameter is missing.');
  if (isDocumentClientId(clientId)) return documentClient(services, clientId);
  const row = (await services.db.knex('oauth_client').where({ id: clientId }).first()) as
    | { id: string; name: string; redirect_uris: string[]; token_endpoint_auth_method: ClientAuthMethod; secret_hash: string | null }
    | undefined;
  if (!row) throw new MosaicError('MOSAIC_ERR_OAUTH_CLIENT_INVALID', 'No client with this client_id is registered here.');
  return {
    id: row.id,
    name: row.name,
    redirectUris: row.redirect_uris,
    authMethod: row.token_endpoint_auth_method,
    kind: 'registered',
    ...(row.secret_hash ? { secretHash: row.secret_hash } : {}),
  };
}

/** A newly registered client's id and, for a confidential client, its secret (shown once). */
export interface Registration {
  readonly clientId: string;
  readonly clientSecret?: string;
}

/** Stores a client registered through RFC 7591; only the secret's hash is kept. */
export async function registerClient(
  services: KernelServices,
  client: { name: string; redirectUris: string[]; authMethod: ClientAuthMethod; metadata: Record<string, unknown> },
): Promise<Registration> {
  const clientId = `mc_${randomBytes(16).toString('base64url')}`;
  const clientSecret = client.authMethod === 'none' ? undefined : `mcs_${randomBytes(32).toString('base64url')}`;
  await services.db.knex('oauth_client').insert({
    id: clientId,
    name: client.name,
    redirect_uris: client.redirectUris,
    token_endpoint_auth_method: client.authMethod,
    secret_hash: clientSecret ? hashToken(clientSecret) : null,
    metadata: JSON.stringify(client.metadata),
  });
  return { clientId, ...(clientSecret ? { clientSecret } : {}) };
}

/** Checks a confidential client's secret; public clients have none to check. */
export function secretMatches(client: OAuthClient, secret: string | undefined): boolean {
  if (client.authMethod === 'none') return true;
  return secret !== undefined && client.secretHash !== undefined && safeEqual(hashToken(secret), client.secretHash);
}
