import { isIP } from 'node:net';
import { MosaicError } from '../errors/index.js';
import { forbiddenReason, resolveAll, systemLookup, type LookupFunction } from './address-guard.js';

/** Longest accepted webhook URL. */
export const MAX_URL_LENGTH = 2048;

/**
 * Parses a webhook URL: http or https, a host, no credentials (they would be sent in clear to whoever
 * reads logs or history; put secrets in the signing secret instead). Any port is fine. The fragment is
 * dropped because it never reaches the receiver anyway.
 */
export function parseWebhookUrl(raw: string): URL {
  const invalid = (why: string) => new MosaicError('MOSAIC_ERR_WEBHOOK_URL_INVALID', `The webhook URL is invalid: ${why}.`, [{ path: '/url', message: why }]);
  if (raw.length > MAX_URL_LENGTH) throw invalid(`it is longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('it is not an absolute URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('only http and https URLs can receive webhooks');
  if (url.username !== '' || url.password !== '') throw invalid('it must not contain a user name or password');
  if (url.hostname === '') throw invalid('it has no host');
  url.hash = '';
  return url;
}

/** The host of a parsed URL as `net` wants it: IPv6 literals without their brackets. */
export function bareHost(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/** Options of {@link checkWebhookUrl}. */
export interface UrlCheckOptions {
  /** `config.webhookAllowPrivate`: skip the address check entirely. */
  readonly allowPrivate: boolean;
  /** The resolver (tests pass a fake; the default is the system's `dns.lookup`). */
  readonly lookup?: LookupFunction;
}

/**
 * Validates a webhook URL when it is saved: parsed by {@link parseWebhookUrl}, then — unless private
 * targets are allowed — its host must be a public IP literal or a name whose every address is public.
 * This gives the admin an early, clear answer; the same check runs again at every delivery (see
 * `guardedLookup`), which is what actually stops DNS rebinding. Returns the normalised URL.
 */
export async function checkWebhookUrl(raw: string, options: UrlCheckOptions): Promise<string> {
  const url = parseWebhookUrl(raw);
  if (options.allowPrivate) return url.href;
  const host = bareHost(url);
  if (isIP(host) !== 0) {
    const why = forbiddenReason(host);
    if (why) throw forbidden(url, host, why);
    return url.href;
  }
  let addresses: { address: string }[];
  try {
    addresses = await resolveAll(host, options.lookup ?? systemLookup);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'lookup failed';
    throw new MosaicError('MOSAIC_ERR_WEBHOOK_URL_INVALID', `The webhook URL is invalid: its host ${host} could not be resolved (${code}).`, [{ path: '/url', message: 'host not resolvable' }]);
  }
  for (const { address } of addresses) {
    const why = forbiddenReason(address);
    if (why) throw forbidden(url, address, why);
  }
  return url.href;
}

function forbidden(url: URL, address: string, why: string): MosaicError {
  const target = address === bareHost(url) ? address : `${url.hostname} (${address})`;
  return new MosaicError(
    'MOSAIC_ERR_WEBHOOK_URL_FORBIDDEN',
    `Webhooks may not be sent to ${target}: it is ${why}. An administrator can allow private and loopback targets with WEBHOOK_ALLOW_PRIVATE=true.`,
    [{ path: '/url', message: `${why}` }],
  );
}
