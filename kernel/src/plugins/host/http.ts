import { matchesHttpPattern } from '@mosaic/plugin-sdk';
import { MosaicError } from '../../errors/index.js';
import { parseGuardedJson } from '../../sandbox/index.js';
import { systemLookup, type LookupFunction } from '../../webhooks/address-guard.js';
import { bridgeError, optionsObject, permissionError, type CapabilityFactory, type HostCapability, type HostContext } from './common.js';
import { BODY_HEADERS, CREDENTIAL_HEADERS, requestHeaders, responseHeaders } from './http-headers.js';
import { exchange, type ExchangeResult } from './http-request.js';

/** The limits of `ctx.host.http.fetch`. */
export interface HttpLimits {
  /** One deadline for the whole fetch, redirects included (ms). */
  readonly timeoutMs: number;
  /** Largest request body, in UTF-8 bytes. */
  readonly maxRequestBytes: number;
  /** Largest response body read; a larger one fails the fetch. */
  readonly maxResponseBytes: number;
  /** Redirects followed, each checked like the first URL. */
  readonly maxRedirects: number;
  /** Fetches one invocation runs at once; more wait for a free place (their timeout starts then). */
  readonly maxConcurrent: number;
}

/** The limits every plugin gets. */
export const HTTP_LIMITS: HttpLimits = Object.freeze({
  timeoutMs: 10_000,
  maxRequestBytes: 1024 * 1024,
  maxResponseBytes: 5 * 1024 * 1024,
  maxRedirects: 3,
  maxConcurrent: 4,
});

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const MAX_URL = 2048;
/** Nesting accepted when the response is parsed for `json`; deeper JSON is returned as text only. */
const JSON_DEPTH = 64;
const JSON_TYPE = /^\s*application\/(?:[a-z0-9.+-]*\+)?json\s*(?:;|$)/i;

function parseUrl(value: unknown): URL {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_URL) throw bridgeError('http.fetch', `the URL must be a string of 1 to ${MAX_URL} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw bridgeError('http.fetch', 'the URL is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw bridgeError('http.fetch', 'only http and https URLs can be fetched');
  if (url.username !== '' || url.password !== '') throw bridgeError('http.fetch', 'the URL must not hold a user name or password; send credentials in a header');
  url.hash = '';
  return url;
}

/** Builds `ctx.host.http` with other limits or resolver; {@link httpCapability} is the one the kernel uses. */
export function createHttpCapability(options: { readonly limits?: Partial<HttpLimits>; readonly lookup?: LookupFunction } = {}): CapabilityFactory {
  const limits: HttpLimits = { ...HTTP_LIMITS, ...options.limits };
  const lookup = options.lookup ?? systemLookup;

  return (context: HostContext): HostCapability => {
    const patterns = context.manifest.permissions?.http ?? [];
    const allowed = (url: URL) => patterns.some((pattern) => matchesHttpPattern(pattern, url.href));
    // Built per invocation, so this bounds what one invocation holds in memory: places × 5 MB.
    let running = 0;
    const waiting: (() => void)[] = [];
    const acquire = async () => {
      if (running >= limits.maxConcurrent) await new Promise<void>((resolve) => waiting.push(resolve));
      running++;
    };
    const release = () => {
      running--;
      waiting.shift()?.();
    };

    async function follow(first: URL, method: string, headers: Record<string, string>, body: Buffer | null): Promise<ExchangeResult> {
      const deadline = Date.now() + limits.timeoutMs;
      const exchangeOptions = { allowPrivate: context.services.config.pluginHttpAllowPrivate, lookup, deadline, timeoutMs: limits.timeoutMs, maxResponseBytes: limits.maxResponseBytes, ...(context.signal ? { signal: context.signal } : {}) };
      let url = first;
      for (let redirects = 0; ; redirects++) {
        const result = await exchange({ url, method, headers, body }, exchangeOptions);
        if (result.location === null) return result;
        if (redirects >= limits.maxRedirects) {
          throw new MosaicError('MOSAIC_ERR_PLUGIN_HTTP_FAILED', `http.fetch ${first.origin}${first.pathname}: more than ${limits.maxRedirects} redirects.`);
        }
        let next: URL;
        try {
          next = new URL(result.location, url);
        } catch {
          throw new MosaicError('MOSAIC_ERR_PLUGIN_HTTP_FAILED', `http.fetch ${url.origin}${url.pathname}: the redirect location is not a URL.`);
        }
        next.hash = '';
        if ((next.protocol !== 'http:' && next.protocol !== 'https:') || next.username !== '' || next.password !== '') {
          throw new MosaicError('MOSAIC_ERR_PLUGIN_HTTP_FAILED', `http.fetch ${url.origin}${url.pathname}: redirected to a URL that is not plain http or https.`);
        }
        if (!allowed(next)) throw permissionError(context, `follow a redirect to ${next.origin}${next.pathname}`, 'permissions.http does not allow that URL');
        // As browsers do: 303, and 301/302 after a POST, continue as a GET without the body.
        if ((result.status === 303 && method !== 'HEAD') || ((result.status === 301 || result.status === 302) && method === 'POST')) {
          method = 'GET';
          body = null;
          headers = { ...headers };
          for (const name of BODY_HEADERS) delete headers[name];
        }
        if (next.origin !== url.origin) {
          headers = { ...headers };
          for (const name of CREDENTIAL_HEADERS) delete headers[name];
        }
        url = next;
      }
    }

    return {
      async fetch(rawUrl, init) {
        const url = parseUrl(rawUrl);
        if (!allowed(url)) {
          throw permissionError(context, `fetch ${url.origin}${url.pathname}`, patterns.length === 0 ? 'its manifest asks for no permissions.http' : `permissions.http allows only ${patterns.join(', ')}`);
        }
        const options = optionsObject('http.fetch', init, ['method', 'headers', 'body']);
        const method = options.method === undefined || options.method === null ? 'GET' : options.method;
        if (typeof method !== 'string' || !METHODS.has(method)) throw bridgeError('http.fetch', `method must be one of ${[...METHODS].join(', ')}`);
        const headers = requestHeaders(options.headers);
        let body: Buffer | null = null;
        if (options.body !== undefined && options.body !== null) {
          if (typeof options.body !== 'string') throw bridgeError('http.fetch', 'body must be a string (JSON.stringify an object and set content-type)');
          if (method === 'GET' || method === 'HEAD') throw bridgeError('http.fetch', `a ${method} request has no body`);
          body = Buffer.from(options.body, 'utf8');
          if (body.length > limits.maxRequestBytes) {
            throw new MosaicError('MOSAIC_ERR_PLUGIN_VALUE_TOO_LARGE', `http.fetch: the request body is ${body.length} bytes; at most ${limits.maxRequestBytes} are sent.`);
          }
        }
        await acquire();
        let result: ExchangeResult;
        try {
          result = await follow(url, method, headers, body);
        } finally {
          release();
        }
        const text = result.body.toString('utf8');
        const response: { status: number; headers: Record<string, string>; body: string; json?: unknown } = { status: result.status, headers: responseHeaders(result.headers), body: text };
        const type = result.headers['content-type'];
        if (typeof type === 'string' && JSON_TYPE.test(type) && text.length > 0) {
          const parsed = parseGuardedJson(text, { maxChars: Number.POSITIVE_INFINITY, maxDepth: JSON_DEPTH });
          if (parsed.ok) response.json = parsed.value;
        }
        return response;
      },
    };
  };
}

/**
 * `ctx.host.http`: `fetch(url, { method, headers, body })` → `{ status, headers, body, json? }`, only to
 * URLs `permissions.http` allows and never to loopback, private or link-local addresses (unless
 * `PLUGIN_HTTP_ALLOW_PRIVATE`); 1 MB out, 5 MB in, 10 s, at most 3 redirects, each checked again.
 */
export const httpCapability: CapabilityFactory = createHttpCapability();
