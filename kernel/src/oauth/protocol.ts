import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isMosaicError, MosaicError, type ErrorCode } from '../errors/index.js';

/** The OAuth error name (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707 §2) each of our codes answers with. */
const OAUTH_ERRORS: Partial<Record<ErrorCode, string>> = {
  MOSAIC_ERR_OAUTH_TOKEN_INVALID: 'invalid_token',
  MOSAIC_ERR_OAUTH_REQUEST_INVALID: 'invalid_request',
  MOSAIC_ERR_OAUTH_CLIENT_INVALID: 'invalid_client',
  MOSAIC_ERR_OAUTH_GRANT_INVALID: 'invalid_grant',
  MOSAIC_ERR_OAUTH_GRANT_TYPE_UNSUPPORTED: 'unsupported_grant_type',
  MOSAIC_ERR_OAUTH_SCOPE_INVALID: 'invalid_scope',
  MOSAIC_ERR_OAUTH_TARGET_INVALID: 'invalid_target',
  MOSAIC_ERR_OAUTH_REDIRECT_URI_INVALID: 'invalid_redirect_uri',
  MOSAIC_ERR_OAUTH_CLIENT_METADATA_INVALID: 'invalid_client_metadata',
  MOSAIC_ERR_REQUEST_INVALID: 'invalid_request',
  MOSAIC_ERR_BODY_TOO_LARGE: 'invalid_request',
  MOSAIC_ERR_RATE_LIMITED: 'temporarily_unavailable',
};

/** The OAuth error name of a coded error (`server_error` for anything unexpected). */
export function oauthErrorName(error: MosaicError): string {
  return OAUTH_ERRORS[error.code] ?? (error.statusCode >= 500 ? 'server_error' : 'invalid_request');
}

/** Parameters of a form or query: single string values only (OAuth forbids repeating a parameter). */
export type Params = Readonly<Record<string, string | undefined>>;

/** Reads `application/x-www-form-urlencoded` bodies; a repeated parameter is refused (RFC 6749 §3.1). */
export function parseForm(body: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    if (key in out) throw new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', `The parameter ${key} appears more than once.`);
    out[key] = value;
  }
  return out;
}

/**
 * A request body reduced to its string values. The endpoints are specified for form bodies, but a client
 * sending JSON must not reach the handlers with numbers or objects where strings are expected.
 */
export function bodyParams(body: unknown): Params {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return {};
  return Object.fromEntries(Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** A query object as fastify parsed it, reduced to single strings; repeated parameters are refused. */
export function queryParams(query: unknown): Params {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(value)) throw new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', `The parameter ${key} appears more than once.`);
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/**
 * The OAuth endpoints' error shape, `{ error, error_description, code, request_id }`: the standard fields
 * OAuth clients read, plus our stable code. Errors that are not ours go on to the kernel's handler.
 */
export function useOAuthErrors(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    let error: MosaicError | undefined;
    if (isMosaicError(err)) error = err;
    else if (err.validation) error = new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', `The request is invalid: ${err.message}.`);
    else if (err.statusCode === 429) error = new MosaicError('MOSAIC_ERR_RATE_LIMITED', err.message);
    else if (err.statusCode === 400 || err.statusCode === 413 || err.statusCode === 415) error = new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', `The request is invalid: ${err.message}`);
    if (!error) throw err;
    if (error.statusCode >= 500) request.log.error({ err }, error.code);
    if (error.code === 'MOSAIC_ERR_OAUTH_CLIENT_INVALID' && request.headers.authorization?.toLowerCase().startsWith('basic ')) {
      reply.header('www-authenticate', 'Basic realm="oauth"');
    }
    reply
      .status(error.statusCode)
      .header('cache-control', 'no-store')
      .send({ error: oauthErrorName(error), error_description: error.message, code: error.code, request_id: request.id });
  });
}

/** Lets browser-based clients (MCP Inspector, web agents) read these endpoints: none of them uses cookies. */
export function allowAnyOrigin(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header('access-control-allow-origin', '*');
    if (request.method === 'OPTIONS') {
      reply
        .header('access-control-allow-methods', 'GET, POST, OPTIONS')
        .header('access-control-allow-headers', 'authorization, content-type, mcp-protocol-version')
        .header('access-control-max-age', '600');
    }
  });
}
