import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { MosaicError } from '../../errors/index.js';
import { forbiddenReason, resolveAll, type LookupFunction } from '../../webhooks/address-guard.js';

/** One HTTP request on its own connection. */
export interface Exchange {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | null;
}

/** How {@link exchange} connects and how much it reads. */
export interface ExchangeOptions {
  /** `config.pluginHttpAllowPrivate`: skip the address check. */
  readonly allowPrivate: boolean;
  readonly lookup: LookupFunction;
  /** `Date.now()` by which the whole answer must have arrived. */
  readonly deadline: number;
  readonly timeoutMs: number;
  /** Aborted when the invocation that made the call ends; the request is dropped then. */
  readonly signal?: AbortSignal;
  readonly maxResponseBytes: number;
}

/** A complete answer, or a redirect (`location` set, body not read). */
export interface ExchangeResult {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  readonly location: string | null;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** `origin + path`, never the query string, which may carry a token. */
const where = (url: URL) => `${url.origin}${url.pathname}`;

function failed(url: URL, why: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_PLUGIN_HTTP_FAILED', `http.fetch ${where(url)}: ${why}.`);
}

function timedOut(url: URL, ms: number): MosaicError {
  return new MosaicError('MOSAIC_ERR_PLUGIN_HTTP_TIMEOUT', `http.fetch ${where(url)}: no complete response within ${ms} ms.`);
}

function withDeadline<T>(promise: Promise<T>, deadline: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), Math.max(0, deadline - Date.now()));
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e: unknown) => (clearTimeout(timer), reject(e)),
    );
  });
}

/**
 * Resolves the host once and checks every address against the webhooks' address guard, unless private
 * targets are allowed. The connection then goes to exactly these addresses (see {@link exchange}), so a
 * name cannot resolve to a public address for the check and an internal one for the connection.
 */
async function checkedAddresses(url: URL, options: ExchangeOptions): Promise<LookupAddress[]> {
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  let addresses: LookupAddress[];
  if (isIP(host) !== 0) {
    addresses = [{ address: host, family: isIP(host) }];
  } else {
    try {
      addresses = await withDeadline(resolveAll(host, options.lookup), options.deadline, () => timedOut(url, options.timeoutMs));
    } catch (error) {
      if (error instanceof MosaicError) throw error;
      throw failed(url, `the host could not be resolved (${(error as NodeJS.ErrnoException).code ?? 'lookup failed'})`);
    }
    if (addresses.length === 0) throw failed(url, 'the host has no address');
  }
  if (!options.allowPrivate) {
    for (const { address } of addresses) {
      const why = forbiddenReason(address);
      if (why) {
        const subject = address === host ? `${address} is` : `${url.hostname} resolves to ${address},`;
        throw new MosaicError(
          'MOSAIC_ERR_PLUGIN_HTTP_ADDRESS',
          `http.fetch ${where(url)}: ${subject} ${why}, which plugins may not reach. An administrator can allow private targets with PLUGIN_HTTP_ALLOW_PRIVATE=true.`,
        );
      }
    }
  }
  return addresses;
}

/** A resolver that answers only with addresses already checked. */
function pinned(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const family = options.family === 4 || options.family === 6 ? options.family : 0;
    const usable = family === 0 ? [...addresses] : addresses.filter((a) => a.family === family);
    if (usable.length === 0) return callback(Object.assign(new Error('no address of the requested family'), { code: 'ENOTFOUND' }), '', 0);
    if (options.all) callback(null, usable);
    else callback(null, usable[0]!.address, usable[0]!.family);
  };
}

/**
 * Sends one request on a fresh connection (no pooling: every connection passes the guard) and reads the
 * answer: redirects are returned, not followed; a body over `maxResponseBytes` stops the reading and
 * fails; one deadline covers lookup, connection and the whole body, so a slow drip cannot hold on.
 */
export async function exchange(request: Exchange, options: ExchangeOptions): Promise<ExchangeResult> {
  const { url } = request;
  const addresses = await checkedAddresses(url, options);
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise<ExchangeResult>((resolve, reject) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const settle = (error: Error | null, result?: ExchangeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) {
        req.destroy();
        reject(error);
      } else {
        resolve(result!);
      }
    };
    const req = transport.request({
      protocol: url.protocol,
      hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: `${url.pathname}${url.search}`,
      method: request.method,
      headers: request.body ? { ...request.headers, 'content-length': String(request.body.length) } : request.headers,
      lookup: pinned(addresses) as unknown as http.RequestOptions['lookup'],
      agent: false,
    });
    timer = setTimeout(() => settle(timedOut(url, options.timeoutMs)), Math.max(0, options.deadline - Date.now()));
    // The invocation that asked may end first (its wall budget, a crash): then nobody waits for the answer.
    if (options.signal?.aborted) return settle(failed(url, 'the plugin invocation ended'));
    options.signal?.addEventListener('abort', () => settle(failed(url, 'the plugin invocation ended')), { once: true });
    req.on('error', (error: NodeJS.ErrnoException) => settle(failed(url, error.code ? `${error.message} (${error.code})` : error.message)));
    req.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const location = response.headers.location;
      if (REDIRECTS.has(status) && typeof location === 'string' && location !== '') {
        response.destroy();
        return settle(null, { status, headers: response.headers, body: Buffer.alloc(0), location });
      }
      const tooLarge = () => new MosaicError('MOSAIC_ERR_PLUGIN_HTTP_TOO_LARGE', `http.fetch ${where(url)}: the response is larger than ${options.maxResponseBytes} bytes; it was not read.`);
      if (Number(response.headers['content-length']) > options.maxResponseBytes) {
        response.destroy();
        return settle(tooLarge());
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let ended = false;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxResponseBytes) {
          response.destroy();
          return settle(tooLarge());
        }
        chunks.push(chunk);
      });
      response.on('end', () => {
        ended = true;
        settle(null, { status, headers: response.headers, body: Buffer.concat(chunks), location: null });
      });
      response.on('error', (error) => settle(failed(url, `the response broke off (${error.message})`)));
      response.on('close', () => {
        if (!ended) settle(failed(url, 'the connection closed before the response was complete'));
      });
    });
    req.end(request.body ?? undefined);
  });
}
