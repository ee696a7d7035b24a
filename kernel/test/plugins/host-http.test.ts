import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { HOST_CAPABILITIES } from '../../src/plugins/host/bridge.js';
import { createHttpCapability } from '../../src/plugins/host/http.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { hostApiManifest, hostHarness, type CallOutcome } from './fixtures/host-api.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP server on loopback that records what it receives. */
async function startServer(t: Test, handle: (req: IncomingMessage, res: ServerResponse, body: string) => void) {
  const seen: Seen[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      handle(req, res, body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { seen, port: (server.address() as AddressInfo).port };
}

t.test('ctx.host.http.fetch', async (t) => {
  const kernel = await startTestKernel(t, { PLUGIN_HTTP_ALLOW_PRIVATE: 'true' });
  const owner = await signUp(kernel.app);
  let inFlight = 0;
  let mostInFlight = 0;
  const { seen, port } = await startServer(t, (req, res, body) => {
    const url = new URL(req.url!, 'http://x');
    const json = (status: number, value: unknown, type = 'application/json; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type });
      res.end(JSON.stringify(value));
    };
    switch (url.pathname) {
      case '/echo':
        return json(201, { method: req.method, body, auth: req.headers.authorization ?? null, query: url.search });
      case '/text':
        res.writeHead(200, { 'content-type': 'text/plain', 'x-custom': 'yes', 'keep-alive': 'timeout=5', connection: 'close, x-hop', 'x-hop': 'secret' });
        return res.end('plain words');
      case '/problem':
        return json(422, { title: 'nope' }, 'application/problem+json');
      case '/not-json':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('{"broken":');
      case '/deep':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end('['.repeat(100) + ']'.repeat(100));
      case '/status/404':
        return json(404, { error: 'missing' });
      case '/hop': {
        const n = Number(url.searchParams.get('n'));
        res.writeHead(302, { location: n > 1 ? `/hop?n=${n - 1}` : '/echo' });
        return res.end();
      }
      case '/see-other':
        res.writeHead(303, { location: '/echo' });
        return res.end();
      case '/temporary':
        res.writeHead(307, { location: '/echo' });
        return res.end();
      case '/to-localhost':
        res.writeHead(301, { location: `http://localhost:${port}/echo` });
        return res.end();
      case '/away':
        res.writeHead(302, { location: `http://127.0.0.1:${port}/forbidden/zone` });
        return res.end();
      case '/away-ftp':
        res.writeHead(302, { location: 'ftp://example.com/file' });
        return res.end();
      case '/big': {
        // Chunked, no content-length: only counting the bytes can stop it.
        res.writeHead(200, { 'content-type': 'text/plain' });
        const chunk = Buffer.alloc(64 * 1024, 'x');
        let sent = 0;
        const more = () => {
          while (sent <= 5 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', more);
          }
          res.end();
        };
        return more();
      }
      case '/declared-big':
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': String(6 * 1024 * 1024) });
        return res.write('x'); // then nothing: the header alone must refuse it
      case '/sized':
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('y'.repeat(Number(url.searchParams.get('n'))));
      case '/silent':
        return; // never answers
      case '/drip': {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const timer = setInterval(() => res.write('.'), 20);
        res.on('close', () => clearInterval(timer));
        return;
      }
      case '/held':
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        return void setTimeout(() => {
          inFlight--;
          json(200, {});
        }, 40);
      default:
        return json(404, {});
    }
  });
  const base = `http://127.0.0.1:${port}`;
  const manifest = hostApiManifest({ permissions: { http: [`${base}/*`, `http://localhost:${port}/echo`, 'http://nonexistent.invalid/*', 'http://127.0.0.1:1/*'] } });
  // Everything allowed except `/forbidden/*`, which the redirect tests need to be outside the list.
  const narrow = hostApiManifest({
    permissions: { http: ['echo', 'text', 'problem', 'not-json', 'deep', 'status/404', 'hop', 'see-other', 'temporary', 'to-localhost', 'away', 'away-ftp', 'big', 'declared-big', 'sized', 'held'].map((p) => `${base}/${p}`).concat(`http://localhost:${port}/echo`) },
  });
  const { call } = hostHarness(t, kernel, manifest, owner.workspaceId);
  const strict = hostHarness(t, kernel, narrow, owner.workspaceId);
  const fetch = (url: string, init?: unknown) => call('http', 'fetch', url, ...(init === undefined ? [] : [init])) as Promise<CallOutcome & { value?: any }>;

  t.test('a request and its answer: status, headers, body, json', async (t) => {
    const res = await fetch(`${base}/echo?x=1`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer abc' }, body: '{"hello":"wörld"}' });
    t.equal(res.value.status, 201);
    t.same(res.value.json, { method: 'POST', body: '{"hello":"wörld"}', auth: 'Bearer abc', query: '?x=1' });
    t.equal(res.value.body, JSON.stringify(res.value.json));
    t.equal(res.value.headers['content-type'], 'application/json; charset=utf-8');
    const sent = seen.at(-1)!;
    t.equal(sent.headers['content-length'], String(Buffer.byteLength('{"hello":"wörld"}')), 'the kernel sets content-length');
    t.equal(sent.headers.host, `127.0.0.1:${port}`);
    t.same((await fetch(`${base}/status/404`)).value.status, 404, 'an error status is an answer, not a failure');
  });

  t.test('json only when the response says JSON and parses', async (t) => {
    const text = await fetch(`${base}/text`);
    t.equal(text.value.body, 'plain words');
    t.notOk('json' in text.value);
    t.same((await fetch(`${base}/problem`)).value.json, { title: 'nope' }, 'application/problem+json counts');
    const broken = await fetch(`${base}/not-json`);
    t.equal(broken.value.body, '{"broken":');
    t.notOk('json' in broken.value, 'unparsable JSON is left as text');
    t.notOk('json' in (await fetch(`${base}/deep`)).value, 'JSON nested past 64 levels is left as text');
  });

  t.test('connection-level headers are dropped both ways; host and content-length are refused', async (t) => {
    const res = await fetch(`${base}/text`, { headers: { connection: 'upgrade', upgrade: 'websocket', te: 'trailers', 'accept-encoding': 'gzip', 'proxy-authorization': 'x', 'x-kept': '1' } });
    const sent = seen.at(-1)!;
    t.equal(sent.headers['x-kept'], '1');
    for (const name of ['upgrade', 'te', 'accept-encoding', 'proxy-authorization']) t.notOk(name in sent.headers, `${name} not sent`);
    t.not(sent.headers.connection, 'upgrade');
    t.equal(res.value.headers['x-custom'], 'yes');
    for (const name of ['connection', 'keep-alive', 'x-hop']) t.notOk(name in res.value.headers, `${name} not returned`);
    for (const name of ['host', 'Content-Length']) {
      t.match(await fetch(`${base}/echo`, { headers: { [name]: 'evil.example' } }), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', message: /set by the kernel/ }, name);
    }
  });

  t.test('malformed calls are refused', async (t) => {
    const cases: [unknown, unknown?][] = [
      [42],
      ['not a url'],
      ['ftp://127.0.0.1/x'],
      [`http://user:pw@127.0.0.1:${port}/echo`],
      [`${base}/echo`, { method: 'TRACE' }],
      [`${base}/echo`, { method: 'get' }],
      [`${base}/echo`, { body: 'x' }],
      [`${base}/echo`, { method: 'POST', body: { a: 1 } }],
      [`${base}/echo`, { headers: { 'bad name': 'x' } }],
      [`${base}/echo`, { headers: { 'x-a': 'line\r\nx-injected: 1' } }],
      [`${base}/echo`, { headers: { 'x-a': 1 } }],
      [`${base}/echo`, { headers: { 'X-A': '1', 'x-a': '2' } }],
      [`${base}/echo`, { timeout: 5 }],
      [`${base}/echo`, 'GET'],
    ];
    for (const [url, init] of cases) t.match(await fetch(url as string, init), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID' }, JSON.stringify([url, init]).slice(0, 80));
  });

  t.test('only URLs the allow-list matches', async (t) => {
    const before = seen.length;
    for (const url of [`http://127.0.0.1:${port + 1}/echo`, `https://127.0.0.1:${port}/echo`, `http://localhost:${port}/text`, `${base}/echo/../forbidden/zone`]) {
      t.match(await strict.call('http', 'fetch', url), { code: 'MOSAIC_ERR_PLUGIN_PERMISSION', message: /"hostapi" may not fetch .*permissions\.http allows only/ }, url);
    }
    const none = hostHarness(t, kernel, hostApiManifest({ id: 'offline' }), owner.workspaceId);
    t.match(await none.call('http', 'fetch', `${base}/echo`), { code: 'MOSAIC_ERR_PLUGIN_PERMISSION', message: /asks for no permissions\.http/ });
    t.equal(seen.length, before, 'no request left the kernel');
  });

  t.test('redirects: followed up to 3, each checked against the allow-list', async (t) => {
    t.same(((await strict.call('http', 'fetch', `${base}/hop?n=3`, { headers: { authorization: 'Bearer same-origin' } })).value as any)?.json, { method: 'GET', body: '', auth: 'Bearer same-origin', query: '' });
    t.match(await strict.call('http', 'fetch', `${base}/hop?n=4`), { code: 'MOSAIC_ERR_PLUGIN_HTTP_FAILED', message: /more than 3 redirects/ });
    t.match(await strict.call('http', 'fetch', `${base}/away`), { code: 'MOSAIC_ERR_PLUGIN_PERMISSION', message: /follow a redirect to http:\/\/127\.0\.0\.1:\d+\/forbidden\/zone/ });
    t.notOk(seen.some((s) => s.url.startsWith('/forbidden')), 'the redirect target was never requested');
    t.match(await strict.call('http', 'fetch', `${base}/away-ftp`), { code: 'MOSAIC_ERR_PLUGIN_HTTP_FAILED', message: /not plain http or https/ });
    const seeOther = await strict.call('http', 'fetch', `${base}/see-other`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'payload' });
    t.same(seeOther.value && (seeOther.value as any).json, { method: 'GET', body: '', auth: null, query: '' }, '303 continues as a GET without the body');
    t.notOk('content-type' in seen.at(-1)!.headers, 'and without body headers');
    const temporary = await strict.call('http', 'fetch', `${base}/temporary`, { method: 'PUT', body: 'kept' });
    t.same((temporary.value as any).json, { method: 'PUT', body: 'kept', auth: null, query: '' }, '307 keeps method and body');
    const cross = await strict.call('http', 'fetch', `${base}/to-localhost`, { headers: { authorization: 'Bearer secret', cookie: 'a=b', 'x-other': '1' } });
    t.equal((cross.value as any).status, 201);
    t.equal((cross.value as any).json.auth, null, 'credentials do not follow a redirect to another origin');
    t.notOk('cookie' in seen.at(-1)!.headers);
    t.equal(seen.at(-1)!.headers['x-other'], '1');
  });

  t.test('responses over 5 MB are refused; the limit counts bytes read', async (t) => {
    t.match(await fetch(`${base}/big`), { code: 'MOSAIC_ERR_PLUGIN_HTTP_TOO_LARGE', message: /larger than 5242880 bytes/ });
    t.match(await fetch(`${base}/declared-big`), { code: 'MOSAIC_ERR_PLUGIN_HTTP_TOO_LARGE' }, 'a declared length over the limit is refused before reading');
    const small = hostHarness(t, kernel, manifest, owner.workspaceId, { ...HOST_CAPABILITIES, http: createHttpCapability({ limits: { maxResponseBytes: 1000 } }) });
    t.equal(((await small.call('http', 'fetch', `${base}/sized?n=1000`)).value as any)?.body.length, 1000, 'exactly the limit is fine');
    t.match(await small.call('http', 'fetch', `${base}/sized?n=1001`), { code: 'MOSAIC_ERR_PLUGIN_HTTP_TOO_LARGE' });
  });

  t.test('request bodies over 1 MB are refused before sending', async (t) => {
    const before = seen.length;
    // 600,000 characters cross the bridge (1 MiB of JSON); as UTF-8 they are 1.2 MB.
    t.match(await fetch(`${base}/echo`, { method: 'POST', body: 'é'.repeat(600_000) }), { code: 'MOSAIC_ERR_PLUGIN_VALUE_TOO_LARGE', message: /1200000 bytes/ });
    t.equal(seen.length, before);
  });

  t.test('one deadline covers the whole exchange', async (t) => {
    const quick = hostHarness(t, kernel, manifest, owner.workspaceId, { ...HOST_CAPABILITIES, http: createHttpCapability({ limits: { timeoutMs: 300 } }) });
    t.match(await quick.call('http', 'fetch', `${base}/silent`), { code: 'MOSAIC_ERR_PLUGIN_HTTP_TIMEOUT', message: /within 300 ms/ }, 'no answer at all');
    t.match(await quick.call('http', 'fetch', `${base}/drip`), { code: 'MOSAIC_ERR_PLUGIN_HTTP_TIMEOUT' }, 'an answer that never ends');
  });

  t.test('network failures are coded', async (t) => {
    t.match(await fetch('http://nonexistent.invalid/x'), { code: 'MOSAIC_ERR_PLUGIN_HTTP_FAILED', message: /could not be resolved/ });
    t.match(await fetch('http://127.0.0.1:1/x'), { code: 'MOSAIC_ERR_PLUGIN_HTTP_FAILED', message: /ECONNREFUSED/ });
  });

  t.test('at most 4 fetches of one invocation run at once; the rest wait', async (t) => {
    const { invoke } = hostHarness(t, kernel, manifest, owner.workspaceId);
    t.same(await invoke('fanOut', { urls: Array.from({ length: 10 }, () => `${base}/held`) }), Array(10).fill(200));
    t.ok(mostInFlight <= 4, `at most 4 at once (saw ${mostInFlight})`);
  });

  t.test('loopback and private addresses are refused unless PLUGIN_HTTP_ALLOW_PRIVATE is set', async (t) => {
    const guarded = await startTestKernel(t);
    t.equal(guarded.services.config.pluginHttpAllowPrivate, false, 'the default');
    const ws = (await signUp(guarded.app)).workspaceId;
    const patterns = [`${base}/*`, `http://localhost:${port}/*`, `http://[::1]:${port}/*`, 'http://169.254.169.254/*', 'http://10.0.0.1/*'];
    const plugin = hostHarness(t, guarded, hostApiManifest({ permissions: { http: patterns } }), ws);
    const before = seen.length;
    for (const [url, why] of [
      [`${base}/echo`, /127\.0\.0\.1 is a loopback address/],
      [`http://localhost:${port}/echo`, /localhost resolves to (127\.0\.0\.1|::1), a loopback/],
      [`http://[::1]:${port}/echo`, /::1 is a loopback/],
      ['http://169.254.169.254/latest/meta-data/', /link-local address \(cloud metadata/],
      ['http://10.0.0.1/', /private address/],
    ] as const) {
      t.match(await plugin.call('http', 'fetch', url), { code: 'MOSAIC_ERR_PLUGIN_HTTP_ADDRESS', message: why }, url);
    }
    t.match(await plugin.call('http', 'fetch', `${base}/echo`), { message: /PLUGIN_HTTP_ALLOW_PRIVATE=true/ });
    t.equal(seen.length, before, 'nothing reached the server');
  });
});
