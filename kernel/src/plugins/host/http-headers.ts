import type { IncomingHttpHeaders } from 'node:http';
import { bridgeError, isPlainObject } from './common.js';

/**
 * Headers about one connection rather than the message (RFC 9110 §7.6.1), plus `expect` and
 * `accept-encoding`: the kernel owns the connection, waits for no `100 Continue`, and hands the plugin
 * the body as text, so it asks for no compressed encoding. A plugin's value for these is dropped.
 */
const DROPPED = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate', 'expect', 'accept-encoding']);
/** Headers the kernel computes from the URL and the body; a plugin setting them is refused, not ignored. */
const REFUSED = new Set(['host', 'content-length']);

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// What Node itself accepts in a header value: no CR, LF or NUL, so no header can be smuggled in.
const VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const MAX_HEADERS = 64;
const MAX_VALUE = 8 * 1024;

/** Checks a plugin's request headers; returns them with lower-case names, connection-level ones dropped. */
export function requestHeaders(value: unknown): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw bridgeError('http.fetch', 'headers must be an object of strings');
  const entries = Object.entries(value);
  if (entries.length > MAX_HEADERS) throw bridgeError('http.fetch', `at most ${MAX_HEADERS} headers`);
  const headers: Record<string, string> = {};
  for (const [rawName, headerValue] of entries) {
    const name = rawName.toLowerCase();
    if (!TOKEN.test(name)) throw bridgeError('http.fetch', `"${rawName.slice(0, 64)}" is not a valid header name`);
    if (typeof headerValue !== 'string' || headerValue.length > MAX_VALUE || !VALUE.test(headerValue)) {
      throw bridgeError('http.fetch', `the ${name} header must be a string of at most ${MAX_VALUE} characters without line breaks`);
    }
    if (REFUSED.has(name)) throw bridgeError('http.fetch', `the ${name} header is set by the kernel`);
    if (Object.hasOwn(headers, name)) throw bridgeError('http.fetch', `the ${name} header is given twice`);
    if (!DROPPED.has(name)) headers[name] = headerValue;
  }
  return headers;
}

/**
 * A response's headers for the plugin: lower-case names, repeated headers joined with `, `, and neither
 * connection-level headers nor those the `connection` header names.
 */
export function responseHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((s) => s.trim().toLowerCase())
      .filter(Boolean),
  );
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || DROPPED.has(name) || named.has(name)) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Headers that describe a request body; they go when a redirect turns the request into a GET. */
export const BODY_HEADERS = ['content-type', 'content-encoding', 'content-language', 'content-location'] as const;
/** Credentials that must not follow a redirect to another origin. */
export const CREDENTIAL_HEADERS = ['authorization', 'cookie'] as const;
