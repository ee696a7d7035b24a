import type { FastifyInstance } from 'fastify';
import type { KernelServices } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import { readName, readRedirectUris, registerClient, type ClientAuthMethod } from './clients.js';
import { parseScopes } from './scopes.js';

const AUTH_METHODS: readonly ClientAuthMethod[] = ['none', 'client_secret_post', 'client_secret_basic'];
const GRANT_TYPES = ['authorization_code', 'refresh_token'];
/** Descriptive metadata kept as sent (strings only), for display and for the registration answer. */
const DESCRIPTIVE = ['client_uri', 'logo_uri', 'tos_uri', 'policy_uri', 'software_id', 'software_version', 'contacts'] as const;

const invalid = (message: string, path: string) => new MosaicError('MOSAIC_ERR_OAUTH_CLIENT_METADATA_INVALID', message, [{ path, message }]);

function stringList(value: unknown, fallback: string[], path: string): string[] {
  if (value === undefined) return fallback;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) throw invalid(`${path} must be an array of strings.`, path);
  return value as string[];
}

/**
 * `POST /oauth/register`: Dynamic Client Registration (RFC 7591). Open, as MCP clients expect, and rate
 * limited per address. The default authentication method is `client_secret_basic` (RFC 7591 §2): such a
 * client gets a secret, shown only in this answer; `none` registers a public client, which relies on PKCE.
 */
export async function registerRoutes(app: FastifyInstance, services: KernelServices): Promise<void> {
  app.post<{ Body: unknown }>(
    '/oauth/register',
    { config: { auth: 'optional', csrf: false, rateLimit: { max: 60, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const body = request.body;
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalid('Send the client metadata as a JSON object.', '');
      const meta = body as Record<string, unknown>;
      const redirectUris = readRedirectUris(meta.redirect_uris);
      const authMethod = (meta.token_endpoint_auth_method ?? 'client_secret_basic') as ClientAuthMethod;
      if (!AUTH_METHODS.includes(authMethod)) throw invalid(`token_endpoint_auth_method must be one of ${AUTH_METHODS.join(', ')}.`, 'token_endpoint_auth_method');
      const grantTypes = stringList(meta.grant_types, ['authorization_code', 'refresh_token'], 'grant_types');
      if (grantTypes.some((g) => !GRANT_TYPES.includes(g))) throw invalid(`grant_types may only hold ${GRANT_TYPES.join(', ')}.`, 'grant_types');
      const responseTypes = stringList(meta.response_types, ['code'], 'response_types');
      if (responseTypes.some((r) => r !== 'code')) throw invalid('response_types may only hold "code".', 'response_types');
      let scope: string | undefined;
      if (meta.scope !== undefined) {
        if (typeof meta.scope !== 'string') throw invalid('scope must be a space-separated string.', 'scope');
        scope = parseScopes(meta.scope).join(' ');
      }
      const name = readName(meta.client_name, 'Unnamed client');
      const descriptive: Record<string, unknown> = {};
      for (const key of DESCRIPTIVE) {
        const value = meta[key];
        if (value === undefined) continue;
        const ok = key === 'contacts' ? Array.isArray(value) && value.every((v) => typeof v === 'string' && v.length <= 320) : typeof value === 'string' && value.length <= 2000;
        if (!ok) throw invalid(`${key} has the wrong type or is too long.`, key);
        descriptive[key] = value;
      }
      const stored = { grant_types: grantTypes, response_types: responseTypes, ...(scope ? { scope } : {}), ...descriptive };
      const { clientId, clientSecret } = await registerClient(services, { name, redirectUris, authMethod, metadata: stored });
      return reply
        .status(201)
        .header('cache-control', 'no-store')
        .send({
          client_id: clientId,
          client_id_issued_at: Math.floor(Date.now() / 1000),
          ...(clientSecret ? { client_secret: clientSecret, client_secret_expires_at: 0 } : {}),
          client_name: name,
          redirect_uris: redirectUris,
          token_endpoint_auth_method: authMethod,
          ...stored,
        });
    },
  );
}
