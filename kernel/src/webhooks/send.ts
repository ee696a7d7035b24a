import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { BusEvent } from '../events/types.js';
import { ForbiddenAddressError, forbiddenReason, guardedLookup, type LookupFunction } from './address-guard.js';
import { webhookHeaders } from './signature.js';
import { bareHost, parseWebhookUrl } from './url.js';

/** A receiver gets this long (connect, send, answer) before the attempt counts as failed. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** At most this much of a response is read; the rest is discarded by closing the socket. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** At most this much of an error response is kept in the delivery history. */
export const MAX_ERROR_SNIPPET = 1024;

/** Where and how to sign a delivery. */
export interface DeliveryTarget {
  readonly id: string;
  readonly url: string;
  readonly secret: string;
}

/** The outcome of one attempt, as recorded in `webhook_delivery`. */
export interface DeliveryResult {
  readonly ok: boolean;
  /** The receiver's HTTP status; null when no response arrived. */
  readonly statusCode: number | null;
  readonly latencyMs: number;
  /** Why the attempt failed; null on success. */
  readonly error: string | null;
}

/** Options of {@link sendWebhook}. */
export interface SendOptions {
  /** `config.webhookAllowPrivate`. */
  readonly allowPrivate: boolean;
  /** The resolver behind the address guard (tests pass a fake). */
  readonly lookup?: LookupFunction;
  readonly timeoutMs?: number;
}

/**
 * POSTs one event to a webhook, signed, and reports what happened; it never throws. Only a 2xx answer
 * counts as delivered. Redirects are not followed (`http.request` never does), since a redirect could
 * point anywhere, including inside the network. The connection goes only to an address the guard
 * checked: names through the guarded `lookup`, IP literals here, because `net.connect` skips `lookup`
 * for them.
 */
export async function sendWebhook(target: DeliveryTarget, event: BusEvent, options: SendOptions): Promise<DeliveryResult> {
  const started = performance.now();
  const fail = (statusCode: number | null, error: string): DeliveryResult => ({ ok: false, statusCode, latencyMs: elapsed(started), error });

  let url: URL;
  try {
    url = parseWebhookUrl(target.url);
  } catch (err) {
    return fail(null, (err as Error).message);
  }
  const host = bareHost(url);
  if (!options.allowPrivate && isIP(host) !== 0) {
    const why = forbiddenReason(host);
    if (why) return fail(null, new ForbiddenAddressError(host, host, why).message);
  }

  const body = JSON.stringify(event);
  const headers = { ...webhookHeaders({ secret: target.secret, webhookId: target.id, eventId: event.id, eventType: event.type, body }), 'content-length': String(Buffer.byteLength(body)) };
  const transport = url.protocol === 'https:' ? https : http;
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;

  return new Promise<DeliveryResult>((resolve) => {
    let settled = false;
    const settle = (result: DeliveryResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const request = transport.request({
      protocol: url.protocol,
      hostname: host,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers,
      lookup: guardedLookup(options.allowPrivate, options.lookup) as unknown as http.RequestOptions['lookup'],
      // A fresh connection per delivery: every connection then passes the guard, and an idle pooled
      // socket never keeps a receiver (or a test's server) open.
      agent: false,
    });
    // One deadline for the whole exchange; socket idle timeouts alone would let a slow drip run forever.
    const timer = setTimeout(() => request.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);

    request.on('error', (err) => settle(fail(null, describe(err))));
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const ok = status >= 200 && status < 300;
      const chunks: Buffer[] = [];
      let read = 0;
      const finish = () => {
        if (ok) return settle({ ok: true, statusCode: status, latencyMs: elapsed(started), error: null });
        const snippet = Buffer.concat(chunks).subarray(0, MAX_ERROR_SNIPPET).toString('utf8').replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
        const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
        settle(fail(status, `HTTP ${status}${redirect}${snippet ? `: ${snippet}` : ''}`));
      };
      response.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (!ok && read - chunk.length < MAX_ERROR_SNIPPET) chunks.push(chunk);
        if (read >= MAX_RESPONSE_BYTES) {
          // Enough: the status is known and nobody reads the rest.
          finish();
          response.destroy();
        }
      });
      response.on('end', finish);
      response.on('error', (err) => settle(fail(status, describe(err))));
      response.on('close', finish);
    });
    request.end(body);
  });
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/** A network error as one line: Node's message with its code when the message lacks it. */
function describe(err: NodeJS.ErrnoException): string {
  return err.code && !err.message.includes(err.code) ? `${err.message} (${err.code})` : err.message;
}
