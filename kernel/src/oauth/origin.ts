import type { FastifyRequest } from 'fastify';
import type { KernelServices } from '../app/services.js';

/** A host as it may appear in a URL: a name, an IPv4 address or a bracketed IPv6 address, and a port. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The last value of a header a chain of proxies may have appended to (`a, b`): the nearest proxy's. */
function last(value: string | string[] | undefined): string | undefined {
  const joined = Array.isArray(value) ? value.join(',') : value;
  const parts = joined?.split(',').map((p) => p.trim()).filter(Boolean);
  return parts?.[parts.length - 1];
}

/**
 * The origin (scheme://host[:port]) of this request, honouring `X-Forwarded-Proto` and `X-Forwarded-Host`
 * only with `TRUST_PROXY`. Without it those headers are ignored: anyone can send them, and an issuer or
 * resource URL taken from them would let a caller choose the audience tokens are minted for. A Host that
 * is not a plain host[:port] falls back to `localhost`, so a crafted header never reaches a document.
 */
export function requestOrigin(request: FastifyRequest, services: KernelServices): string {
  const trusted = services.config.trustProxy;
  const forwardedProto = trusted ? last(request.headers['x-forwarded-proto'])?.toLowerCase() : undefined;
  const forwardedHost = trusted ? last(request.headers['x-forwarded-host']) : undefined;
  const encrypted = (request.raw.socket as { encrypted?: boolean } | undefined)?.encrypted === true;
  const scheme = forwardedProto === 'https' || forwardedProto === 'http' ? forwardedProto : encrypted ? 'https' : 'http';
  const host = forwardedHost ?? request.headers.host ?? '';
  return `${scheme}://${HOST.test(host) ? host.toLowerCase() : 'localhost'}`;
}
