import type { FastifyReply } from 'fastify';
import { MosaicError } from '../errors/index.js';

/** Response headers a plugin route may set; anything else is refused so a plugin cannot set cookies or CSP. */
const ALLOWED_HEADERS = new Set(['cache-control', 'content-disposition', 'content-language', 'etag', 'expires', 'last-modified', 'location', 'vary']);
/** Text bodies a plugin may answer with. No HTML: a page served from the CRM's origin could script it. */
const TEXT_TYPES = /^(text\/(plain|csv|markdown|calendar)|application\/(json|xml))(;\s*charset=utf-8)?$/i;

function refuse(why: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_PLUGIN_RESPONSE_INVALID', `The plugin's route answered with ${why}.`);
}

/**
 * Sends what a plugin route returned. A plain JSON value is answered 200 as JSON. The SDK's `respond()`
 * shape, `{ "$mosaic": "response", status, headers?, body? | text? }`, sets the status (200–599, no
 * 1xx), headers from an allow-list, and either a JSON body or a text body with an allowed type.
 * Every plugin response carries `nosniff` and a sandboxing CSP, whatever it claims to be.
 */
export function sendPluginResult(reply: FastifyReply, result: unknown): FastifyReply {
  reply.header('x-content-type-options', 'nosniff').header('content-security-policy', "sandbox; default-src 'none'");
  if (typeof result !== 'object' || result === null || Array.isArray(result) || (result as Record<string, unknown>).$mosaic !== 'response') {
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(result ?? null));
  }
  const { status = 200, headers = {}, body, text } = result as { status?: unknown; headers?: unknown; body?: unknown; text?: unknown };
  if (!Number.isInteger(status) || (status as number) < 200 || (status as number) > 599) throw refuse(`status ${String(status)}`);
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) throw refuse('headers that are not an object');
  let type = 'text/plain; charset=utf-8';
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (typeof value !== 'string' || /[\r\n]/.test(value) || value.length > 4096) throw refuse(`an invalid value for header ${name}`);
    if (key === 'content-type') {
      if (!TEXT_TYPES.test(value)) throw refuse(`content type "${value}"`);
      type = value;
    } else if (ALLOWED_HEADERS.has(key) || (key.startsWith('x-') && key !== 'x-content-type-options')) {
      reply.header(key, value);
    } else {
      throw refuse(`header "${name}", which plugins may not set`);
    }
  }
  reply.code(status as number);
  if (text !== undefined) {
    if (typeof text !== 'string') throw refuse('a text body that is not a string');
    return reply.type(type).send(text);
  }
  if (status === 204) return reply.send();
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body ?? null));
}
