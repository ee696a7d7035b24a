import t from 'tap';
import { CONTENT_SECURITY_POLICY } from '../../src/ui/index.js';
import { startTestKernel } from '../helpers/kernel.js';

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

t.test('the shell page carries a strict Content-Security-Policy and loads a hashed module', async (t) => {
  const kernel = await startTestKernel(t);
  const res = await kernel.app.inject({ method: 'GET', url: '/' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], /^text\/html/);
  const csp = String(res.headers['content-security-policy']);
  t.equal(csp, CONTENT_SECURITY_POLICY);
  for (const directive of ["script-src 'self'", "connect-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "base-uri 'none'"]) {
    t.ok(csp.split('; ').includes(directive), directive);
  }
  t.notMatch(csp, /unsafe-inline|unsafe-eval/, 'no inline script or eval');
  t.equal(res.headers['cache-control'], 'no-cache', 'the page itself is revalidated, so a new build is picked up');
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.notMatch(res.body, /<script(?![^>]*\ssrc=)[^>]*>/, 'every script is external');
  t.notMatch(res.body, /\sstyle=/, 'no inline style');
  t.match(res.body, /<script type="module" src="\/assets\/[0-9A-Z]{8,}\.js"><\/script>/);
  t.match(res.body, /<link rel="preload" href="\/api\/auth\/session" as="fetch" crossorigin="anonymous">/, 'the first API answers load alongside the bundle');
});

t.test('hashed assets are cached for good; unknown ones are a coded 404', async (t) => {
  const kernel = await startTestKernel(t);
  const page = await kernel.app.inject({ method: 'GET', url: '/' });
  const src = /src="(\/assets\/[^"]+)"/.exec(page.body)![1]!;
  const asset = await kernel.app.inject({ method: 'GET', url: src });
  t.equal(asset.statusCode, 200);
  t.match(asset.headers['content-type'], /^text\/javascript/);
  t.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.match(asset.body, /mosaic-app/, 'the bundle defines the app element');
  // The realtime client is split off (loaded after the first paint): its chunk is served the same way.
  const chunks = [...new Set([...asset.body.matchAll(/\/(chunk-[0-9A-Z]+\.js)/g)].map((m) => m[1]!))];
  t.ok(chunks.length > 0, 'the entry imports chunks by their hashed names');
  const bodies: string[] = [];
  for (const chunk of chunks) {
    const loaded = await kernel.app.inject({ method: 'GET', url: `/assets/${chunk}` });
    t.equal(loaded.statusCode, 200, chunk);
    t.equal(loaded.headers['cache-control'], 'public, max-age=31536000, immutable');
    bodies.push(loaded.body);
  }
  t.ok(bodies.some((b) => /websocket/.test(b)), 'a chunk holds the socket.io client');
  t.notMatch(asset.body, /engine\.io|EIO=/, 'the entry does not');
  const missing = await kernel.app.inject({ method: 'GET', url: '/assets/0000000000.js' });
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().error.code, 'MOSAIC_ERR_ROUTE_NOT_FOUND');
});

t.test('client routes get the page; other modules keep their paths', async (t) => {
  const kernel = await startTestKernel(t);
  for (const url of ['/objects/company', '/settings/data-model', '/sign-in?next=%2F']) {
    const res = await kernel.app.inject({ method: 'GET', url, headers: html });
    t.equal(res.statusCode, 200, url);
    t.match(res.body, /<mosaic-app>/, url);
    t.ok(res.headers['content-security-policy'], url);
  }
  // Even a browser asking for HTML gets the API's answer on the API's paths.
  const cases: [string, number, string][] = [
    ['/api/auth/session', 401, 'MOSAIC_ERR_AUTH_REQUIRED'],
    ['/api/no-such-route', 404, 'MOSAIC_ERR_ROUTE_NOT_FOUND'],
    ['/api', 404, 'MOSAIC_ERR_ROUTE_NOT_FOUND'],
    ['/plugin-assets/x/y/views.js', 401, 'MOSAIC_ERR_AUTH_REQUIRED'],
    ['/plugin-assets/nothing', 404, 'MOSAIC_ERR_ROUTE_NOT_FOUND'],
    ['/favicon.ico', 404, 'MOSAIC_ERR_ROUTE_NOT_FOUND'],
  ];
  for (const [url, status, code] of cases) {
    const res = await kernel.app.inject({ method: 'GET', url, headers: html });
    t.equal(res.statusCode, status, url);
    t.equal(res.json().error.code, code, url);
  }
  t.same((await kernel.app.inject({ method: 'GET', url: '/healthz', headers: html })).json(), { status: 'ok' });
  t.equal((await kernel.app.inject({ method: 'GET', url: '/readyz', headers: html })).statusCode, 200);
  const socket = await kernel.app.inject({ method: 'GET', url: '/socket.io/?EIO=4&transport=polling', headers: html });
  t.not(socket.headers['content-type'], 'text/html; charset=utf-8', 'socket.io is not answered with the page');
  // Scripts that do not ask for HTML keep the API's 404 on unknown paths.
  const script = await kernel.app.inject({ method: 'GET', url: '/nope' });
  t.equal(script.statusCode, 404);
  t.equal(script.json().error.code, 'MOSAIC_ERR_ROUTE_NOT_FOUND');
});

t.test('an expired session cookie still gets the page (to sign in again)', async (t) => {
  const kernel = await startTestKernel(t);
  const res = await kernel.app.inject({ method: 'GET', url: '/objects/deal', headers: { ...html, cookie: 'mosaic_session=expired-or-made-up' } });
  t.equal(res.statusCode, 200);
  t.match(res.body, /<mosaic-app>/);
});
