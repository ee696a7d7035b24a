import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { forbiddenReason, systemLookup, type LookupFunction } from '../webhooks/address-guard.js';

/** Limits of a client metadata document fetch (the draft suggests documents stay under 5 KB). */
export const DOCUMENT_LIMITS = { maxBytes: 5 * 1024, timeoutMs: 5000, maxRedirects: 3 } as const;

/** Where the kernel may fetch from: public addresses only, or loopback too in the test setting. */
export interface FetchPolicy {
  /** `OAUTH_ALLOW_LOOPBACK_CLIENT_METADATA`: allow http and loopback addresses (never other private ranges). */
  readonly allowLoopback: boolean;
  readonly lookup?: LookupFunction;
}

const LOOPBACK = /^(?:127\.|::1$|::ffff:127\.)/;

/** Why the kernel may not connect to an address under a policy, or undefined when it may. */
function refused(address: string, policy: FetchPolicy): string | undefined {
  if (policy.allowLoopback && LOOPBACK.test(address)) return undefined;
  return forbiddenReason(address);
}

/**
 * The address check of webhooks (`webhooks/address-guard.ts`), done inside the connection's own lookup
 * so the socket goes only to an address checked in that step (no DNS rebinding between check and use).
 */
function guarded(policy: FetchPolicy): LookupFunction {
  const resolve = policy.lookup ?? systemLookup;
  return (hostname, options, callback) => {
    resolve(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const all: LookupAddress[] = Array.isArray(address) ? address : [{ address, family: family ?? isIP(address) }];
      for (const entry of all) {
        const why = refused(entry.address, policy);
        if (why) return callback(Object.assign(new Error(`${hostname} resolves to ${entry.address}, ${why}`), { code: 'EADDRFORBIDDEN' }), address, family);
      }
      callback(null, address, family);
    });
  };
}

/** One GET without following redirects: the body (up to the limit) or the redirect target. */
function getOnce(url: URL, policy: FetchPolicy, deadline: number): Promise<{ status: number; location?: string; contentType: string; body: string }> {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host) !== 0) {
    const why = refused(host, policy);
    if (why) return Promise.reject(new Error(`${host} is ${why}`));
  }
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      request.destroy();
      reject(new Error(`no answer within ${DOCUMENT_LIMITS.timeoutMs} ms`));
    }, Math.max(0, deadline - Date.now()));
    const request = transport.get(url, { lookup: guarded(policy), headers: { accept: 'application/json' } }, (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400 && response.headers.location) {
        clearTimeout(timer);
        response.destroy();
        return resolve({ status, location: response.headers.location, contentType: '', body: '' });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > DOCUMENT_LIMITS.maxBytes) {
          clearTimeout(timer);
          response.destroy();
          reject(new Error(`the document is larger than ${DOCUMENT_LIMITS.maxBytes} bytes`));
        } else chunks.push(chunk);
      });
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status, contentType: String(response.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') });
      });
      response.on('error', (err) => (clearTimeout(timer), reject(err)));
    });
    request.on('error', (err) => (clearTimeout(timer), reject(err)));
  });
}

/**
 * Fetches a small JSON document by URL under the webhook address rules, a size limit, one deadline for
 * the whole exchange and at most {@link DOCUMENT_LIMITS.maxRedirects} redirects, each target checked
 * like the first. Only https, unless the policy allows loopback (then http too). Throws an `Error` whose
 * message says why; the caller turns it into a coded error.
 */
export async function fetchJsonDocument(raw: string, policy: FetchPolicy): Promise<unknown> {
  const deadline = Date.now() + DOCUMENT_LIMITS.timeoutMs;
  let url = new URL(raw);
  for (let hop = 0; ; hop++) {
    if (url.protocol !== 'https:' && !(policy.allowLoopback && url.protocol === 'http:')) throw new Error(`only https URLs are fetched, not ${url.protocol}`);
    const answer = await getOnce(url, policy, deadline);
    if (answer.location !== undefined) {
      if (hop >= DOCUMENT_LIMITS.maxRedirects) throw new Error(`more than ${DOCUMENT_LIMITS.maxRedirects} redirects`);
      url = new URL(answer.location, url);
      continue;
    }
    if (answer.status !== 200) throw new Error(`it answered HTTP ${answer.status}`);
    try {
      return JSON.parse(answer.body) as unknown;
    } catch {
      throw new Error('it is not JSON');
    }
  }
}
