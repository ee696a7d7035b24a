import type { LookupAddress } from 'node:dns';
import t from 'tap';
import { ForbiddenAddressError, forbiddenReason, guardedLookup, type LookupFunction } from '../../src/webhooks/address-guard.js';
import { checkWebhookUrl, parseWebhookUrl } from '../../src/webhooks/url.js';

/** A resolver that answers from a table and never touches DNS. */
function fakeLookup(table: Record<string, string[]>): LookupFunction & { calls: string[] } {
  const calls: string[] = [];
  const fn: LookupFunction = (hostname, options, callback) => {
    calls.push(hostname);
    const addresses = table[hostname];
    if (!addresses) {
      const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      return callback(err, '', 0);
    }
    const all: LookupAddress[] = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) callback(null, all);
    else callback(null, all[0]!.address, all[0]!.family);
  };
  return Object.assign(fn, { calls });
}

t.test('the address checker refuses internal ranges and their IPv6 disguises', async (t) => {
  const forbidden = [
    '127.0.0.1', '127.255.255.254', '10.0.0.1', '10.255.0.1', '172.16.0.1', '172.31.255.255', '192.168.1.1',
    '169.254.169.254', '169.254.0.1', '100.64.0.1', '100.127.255.255', '0.0.0.0', '0.1.2.3', '224.0.0.1',
    '239.255.255.250', '255.255.255.255', '::1', '::', 'fc00::1', 'fd12:3456::1', 'fe80::1', 'febf::1', 'ff02::1',
    '::ffff:127.0.0.1', '::ffff:7f00:1', '::ffff:10.0.0.1', '::ffff:169.254.169.254', '::ffff:192.168.0.1', '::127.0.0.1', '[::1]',
  ];
  for (const address of forbidden) t.ok(forbiddenReason(address), `${address} is refused (${forbiddenReason(address)})`);
  const allowed = ['8.8.8.8', '1.1.1.1', '93.184.215.14', '172.32.0.1', '172.15.255.255', '100.128.0.1', '192.169.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8', '2001:db8::1'];
  for (const address of allowed) t.equal(forbiddenReason(address), undefined, `${address} is allowed`);
  t.equal(forbiddenReason('example.com'), 'not an IP address', 'anything else fails closed');
  t.match(forbiddenReason('169.254.169.254'), /link-local/);
  t.match(forbiddenReason('::ffff:127.0.0.1'), /loopback/, 'a mapped address is judged as the IPv4 address inside');
});

t.test('URLs must be http(s), absolute and without credentials', async (t) => {
  for (const raw of ['ftp://x', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', '/relative', 'http://user:pass@example.com', 'https://user@example.com/', `https://example.com/${'a'.repeat(2100)}`]) {
    t.throws(() => parseWebhookUrl(raw), { code: 'MOSAIC_ERR_WEBHOOK_URL_INVALID' }, raw.slice(0, 40));
  }
  t.equal(parseWebhookUrl('https://hooks.example.com:8443/in?x=1#frag').href, 'https://hooks.example.com:8443/in?x=1', 'any port; the fragment is dropped');
  // The WHATWG parser normalises odd IPv4 spellings, so they cannot slip past the checker.
  t.equal(parseWebhookUrl('http://2130706433/').hostname, '127.0.0.1');
  t.equal(parseWebhookUrl('http://0x7f.1/').hostname, '127.0.0.1');
});

t.test('saving a URL checks literal addresses and every address a name resolves to', async (t) => {
  const lookup = fakeLookup({
    'public.example': ['93.184.215.14'],
    'internal.example': ['10.1.2.3'],
    'mixed.example': ['93.184.215.14', '127.0.0.1'],
    'six.example': ['2606:4700::1', 'fd00::5'],
  });
  const strict = { allowPrivate: false, lookup };
  t.equal(await checkWebhookUrl('https://public.example/hook', strict), 'https://public.example/hook');
  t.equal(await checkWebhookUrl('http://93.184.215.14:8080/x', strict), 'http://93.184.215.14:8080/x', 'public literal, no lookup');
  for (const url of ['http://internal.example/', 'http://mixed.example/', 'http://six.example/', 'http://127.0.0.1:3000/', 'http://[::1]/', 'http://[::ffff:127.0.0.1]/', 'http://169.254.169.254/latest/meta-data', 'http://2130706433/']) {
    await t.rejects(checkWebhookUrl(url, strict), { code: 'MOSAIC_ERR_WEBHOOK_URL_FORBIDDEN', message: /WEBHOOK_ALLOW_PRIVATE/ }, url);
  }
  await t.rejects(checkWebhookUrl('http://mixed.example/', strict), { message: /mixed\.example \(127\.0\.0\.1\): it is a loopback address/ });
  await t.rejects(checkWebhookUrl('http://nowhere.example/', strict), { code: 'MOSAIC_ERR_WEBHOOK_URL_INVALID', message: /could not be resolved \(ENOTFOUND\)/ });
  t.notOk(lookup.calls.some((h) => /^[\d.]+$|:/.test(h)), 'IP literals are never sent to the resolver');

  const before = lookup.calls.length;
  t.equal(await checkWebhookUrl('http://internal.example/', { allowPrivate: true, lookup }), 'http://internal.example/', 'WEBHOOK_ALLOW_PRIVATE skips the check');
  t.equal(lookup.calls.length, before, 'and resolves nothing');
});

t.test('the delivery-time lookup passes only checked addresses to the socket', async (t) => {
  const resolver = fakeLookup({ 'rebind.example': ['127.0.0.1'], 'ok.example': ['93.184.215.14'], 'two.example': ['93.184.215.14', '::ffff:10.0.0.7'] });
  const guarded = guardedLookup(false, resolver);
  const call = (host: string, all: boolean) =>
    new Promise<{ err: Error | null; address: unknown }>((resolve) => guarded(host, { all }, (err, address) => resolve({ err, address })));

  const rebound = await call('rebind.example', false);
  t.type(rebound.err, ForbiddenAddressError);
  t.match(rebound.err?.message, /^connection refused: rebind\.example resolves to 127\.0\.0\.1, a loopback address; set WEBHOOK_ALLOW_PRIVATE=true/);
  t.match((await call('rebind.example', true)).err?.message, /connection refused/, 'also when net asks for all addresses (autoSelectFamily)');
  t.match((await call('two.example', true)).err?.message, /::ffff:10\.0\.0\.7, a private address/, 'one bad address spoils the answer');
  t.same(await call('ok.example', false), { err: null, address: '93.184.215.14' });
  t.same((await call('ok.example', true)).address, [{ address: '93.184.215.14', family: 4 }]);
  t.match((await call('missing.example', false)).err, { code: 'ENOTFOUND' }, 'resolver errors pass through');
  t.equal(guardedLookup(true, resolver), resolver, 'with private targets allowed the resolver is used as is');
});
