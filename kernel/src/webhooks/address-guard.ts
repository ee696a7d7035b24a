import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';

/**
 * Address ranges a webhook may not reach unless `WEBHOOK_ALLOW_PRIVATE` is set: a webhook URL is chosen by
 * a workspace admin, and without this guard it would let them make the kernel call its own loopback
 * services, the private network behind it, or a cloud metadata endpoint (SSRF).
 */
const FORBIDDEN: readonly (readonly [network: string, prefix: number, type: 'ipv4' | 'ipv6', why: string])[] = [
  ['0.0.0.0', 8, 'ipv4', 'an unspecified ("this network") address'],
  ['10.0.0.0', 8, 'ipv4', 'a private address'],
  ['100.64.0.0', 10, 'ipv4', 'a carrier-grade NAT address'],
  ['127.0.0.0', 8, 'ipv4', 'a loopback address'],
  ['169.254.0.0', 16, 'ipv4', 'a link-local address (cloud metadata lives here)'],
  ['172.16.0.0', 12, 'ipv4', 'a private address'],
  ['192.168.0.0', 16, 'ipv4', 'a private address'],
  ['224.0.0.0', 4, 'ipv4', 'a multicast address'],
  // Reserved and broadcast: never a legitimate receiver, and some stacks treat them oddly.
  ['240.0.0.0', 4, 'ipv4', 'a reserved address'],
  // ::/96 holds the unspecified address, ::1 and the deprecated IPv4-compatible form (::127.0.0.1).
  ['::', 96, 'ipv6', 'a loopback, unspecified or IPv4-compatible address'],
  ['fc00::', 7, 'ipv6', 'a unique local (private) address'],
  ['fe80::', 10, 'ipv6', 'a link-local address'],
  ['fec0::', 10, 'ipv6', 'a site-local address'],
  ['ff00::', 8, 'ipv6', 'a multicast address'],
];

/** One BlockList per range, so a refusal can say which kind of address it was. */
const RULES = FORBIDDEN.map(([network, prefix, type, why]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, type);
  return { list, why };
});

/**
 * Why an IP address may not receive webhooks, or undefined when it may. IPv4-mapped IPv6 forms
 * (`::ffff:127.0.0.1`) are judged as the IPv4 address they carry: `net.BlockList` maps them itself.
 * Anything that is not an IP address is refused, so a parsing surprise fails closed.
 */
export function forbiddenReason(address: string): string | undefined {
  const bare = address.startsWith('[') && address.endsWith(']') ? address.slice(1, -1) : address;
  const version = isIP(bare);
  if (version === 0) return 'not an IP address';
  const type = version === 4 ? 'ipv4' : 'ipv6';
  return RULES.find((rule) => rule.list.check(bare, type))?.why;
}

/** The error a refused connection fails with; its message ends up in the delivery history. */
export class ForbiddenAddressError extends Error {
  readonly code = 'WEBHOOK_ADDRESS_FORBIDDEN';
  constructor(host: string, address: string, why: string) {
    super(`connection refused: ${host} resolves to ${address}, ${why}; set WEBHOOK_ALLOW_PRIVATE=true to allow it`);
    this.name = 'ForbiddenAddressError';
  }
}

/** `dns.lookup`'s shape as `net.connect` calls it: one address, or all of them when `options.all`. */
export type LookupFunction = (
  hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/** The system resolver, typed as a {@link LookupFunction}. */
export const systemLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, options, callback as (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family: number) => void);
};

/**
 * Wraps a resolver so every address it returns is checked before the socket connects. Passed as the
 * `lookup` option of `http.request`, it makes the connection go only to an address that was checked in
 * the same step — so a name that resolved to a public address when the webhook was saved cannot later
 * be pointed at an internal one (DNS rebinding). If any returned address is forbidden the whole lookup
 * fails: the caller has no say over which one `net.connect` would try.
 */
export function guardedLookup(allowPrivate: boolean, resolve: LookupFunction = systemLookup): LookupFunction {
  if (allowPrivate) return resolve;
  return (hostname, options, callback) => {
    resolve(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const all = Array.isArray(address) ? address : [{ address, family: family ?? isIP(address) }];
      for (const entry of all) {
        const why = forbiddenReason(entry.address);
        if (why) return callback(new ForbiddenAddressError(hostname, entry.address, why), address, family);
      }
      callback(null, address, family);
    });
  };
}

/** Resolves a host to every address it has, through a {@link LookupFunction}. */
export function resolveAll(hostname: string, resolve: LookupFunction = systemLookup): Promise<LookupAddress[]> {
  return new Promise((done, fail) => {
    resolve(hostname, { all: true }, (err, address, family) => {
      if (err) fail(err);
      else done(Array.isArray(address) ? address : [{ address, family: family ?? isIP(address) }]);
    });
  });
}
