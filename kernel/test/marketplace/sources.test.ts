import { readFile, writeFile, mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { TestMarketplace, manifest, marketEnv } from './fixtures.js';

/** Serves a marketplace folder over HTTP on loopback, as any static file server would. */
async function serve(t: { teardown(fn: () => unknown): void }, dir: string): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const path = normalize(join(dir, decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
    if (!path.startsWith(dir)) return res.writeHead(403).end();
    readFile(path).then((bytes) => res.writeHead(200).end(bytes), () => res.writeHead(404).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/market`, requests };
}

t.test('a marketplace served over HTTP: browse and install', async (t) => {
  const market = await TestMarketplace.create('http');
  const key = await market.keygen('acme');
  await market.publish({ manifest: manifest('ledger', '1.0.0') }, key);
  const http = await serve(t, market.root);
  const kernel = await startTestKernel(t, marketEnv(market, [key], { MARKETPLACES: http.url }));
  const admin = api(kernel.app, await signUp(kernel.app));
  t.match((await admin.get('/api/marketplace/plugins')).body, { data: [{ id: 'ledger', marketplace: { location: http.url } }] });
  t.equal((await admin.post('/api/marketplace/install', { id: 'ledger', consent: { ledger: {} } })).status, 201);
  t.ok(http.requests.some((r) => r.startsWith('/market/packages/')), 'the package came over HTTP');
  t.same((await admin.get('/api/plugins/ledger/hello')).body, { plugin: 'ledger', version: '1.0.0' });
});

t.test('unconfigured, unreachable and invalid marketplaces are named', async (t) => {
  const bare = await startTestKernel(t);
  const bareAdmin = api(bare.app, await signUp(bare.app));
  t.match((await bareAdmin.get('/api/marketplace/plugins')).body, { data: [], marketplaces: [] });
  const none = await bareAdmin.post('/api/marketplace/install', { id: 'ledger' });
  t.equal(none.status, 404);
  t.equal(none.body.error.code, 'MOSAIC_ERR_MARKETPLACE_NOT_CONFIGURED');

  const market = await TestMarketplace.create('broken');
  const key = await market.keygen('acme');
  await market.publish({ manifest: manifest('ledger', '1.0.0') }, key);
  const invalid = join(market.root, 'invalid');
  await mkdir(invalid, { recursive: true });
  await writeFile(join(invalid, 'index.json'), JSON.stringify({ format: 2, name: 'odd', plugins: [] }));
  const escaping = join(market.root, 'escaping');
  await mkdir(escaping, { recursive: true });
  const index = await market.index();
  index.name = 'escaping';
  index.plugins.ledger.versions['1.0.0'].file = '../market/packages/ledger-1.0.0.tgz';
  await writeFile(join(escaping, 'index.json'), JSON.stringify(index));
  const missing = join(market.root, 'missing');
  const closed = 'http://127.0.0.1:9/market';
  const kernel = await startTestKernel(t, marketEnv(market, [key], { MARKETPLACES: [missing, closed, invalid, escaping, market.dir].join(',') }));
  const admin = api(kernel.app, await signUp(kernel.app));

  const list = await admin.get('/api/marketplace/plugins');
  t.equal(list.status, 200, 'one broken marketplace does not break browsing the others');
  t.same(list.body.data.map((p: { id: string; marketplace: { name: string } }) => `${p.id}@${p.marketplace.name}`), ['ledger@market'], 'the sound marketplace still answers');
  const errors = Object.fromEntries(list.body.marketplaces.map((m: { location: string; error: { code: string } | null }) => [m.location, m.error?.code ?? null]));
  t.same(errors, { [missing]: 'MOSAIC_ERR_MARKETPLACE_UNREACHABLE', [closed]: 'MOSAIC_ERR_MARKETPLACE_UNREACHABLE', [invalid]: 'MOSAIC_ERR_MARKETPLACE_INDEX_INVALID', [escaping]: 'MOSAIC_ERR_MARKETPLACE_INDEX_INVALID', [market.dir]: null });

  const unreachable = await admin.get(`/api/marketplace/plugins/ledger?marketplace=${encodeURIComponent(closed)}`);
  t.equal(unreachable.status, 502);
  t.equal(unreachable.body.error.code, 'MOSAIC_ERR_MARKETPLACE_UNREACHABLE');
  const escaped = await admin.post('/api/marketplace/install', { id: 'ledger', marketplace: escaping, consent: { ledger: {} } });
  t.equal(escaped.body.error.code, 'MOSAIC_ERR_MARKETPLACE_INDEX_INVALID', 'an index naming a file outside its marketplace is refused');
  t.equal((await admin.post('/api/marketplace/install', { id: 'ledger', marketplace: 'market', consent: { ledger: {} } })).status, 201, 'the same plugin from a sound marketplace installs');
  t.equal((await admin.get('/api/marketplace/plugins/ledger?marketplace=nowhere')).body.error.code, 'MOSAIC_ERR_MARKETPLACE_NOT_CONFIGURED');
});
