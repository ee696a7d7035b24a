import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { TestMarketplace, manifest, marketEnv } from './fixtures.js';

t.test('refusals: revoked, unknown key, archive unlike the index, kernel range, unsigned', async (t) => {
  const market = await TestMarketplace.create('refuse');
  const key = await market.keygen('acme');
  const stranger = await market.keygen('stranger');
  await market.publish({ manifest: manifest('gone', '1.0.0') }, key);
  await market.revoke('gone@1.0.0', 'leaks data');
  await market.publish({ manifest: manifest('strange', '1.0.0') }, stranger, { publisher: 'strangers' });
  await market.publish({ manifest: manifest('swapped', '1.0.0') }, key);
  await market.publish({ manifest: manifest('future', '1.0.0', { kernel: '^2.0.0' }) }, key);
  await market.publish({ manifest: manifest('loose', '1.0.0') }, null);
  // The archive on the marketplace is replaced after publishing: its checksum no longer matches the index.
  const index = await market.index();
  const swappedFile = join(market.dir, index.plugins.swapped.versions['1.0.0'].file);
  const bytes = await readFile(swappedFile);
  await writeFile(swappedFile, Buffer.concat([bytes, Buffer.from([0])]));

  const kernel = await startTestKernel(t, marketEnv(market, [key]));
  const admin = api(kernel.app, await signUp(kernel.app));
  const install = async (id: string, version?: string) => admin.post('/api/marketplace/install', { id, ...(version ? { version } : {}), consent: { [id]: {} } });

  const revoked = await install('gone', '1.0.0');
  t.equal(revoked.body.error.code, 'MOSAIC_ERR_PACKAGE_REVOKED');
  t.match(revoked.body.error.message, /leaks data/);
  t.equal((await install('gone')).body.error.code, 'MOSAIC_ERR_MARKETPLACE_VERSION_NOT_FOUND', 'a revoked version is never chosen as the latest');
  t.match((await admin.get('/api/marketplace/plugins/gone')).body.versions, [{ version: '1.0.0', revoked: 'leaks data' }]);

  const unknown = await install('strange');
  t.equal(unknown.body.error.code, 'MOSAIC_ERR_PACKAGE_KEY_UNKNOWN');
  t.match((await admin.get('/api/marketplace/plugins/strange')).body.versions, [{ signature: 'untrusted_key' }]);

  const mismatch = await install('swapped');
  t.equal(mismatch.status, 422);
  t.equal(mismatch.body.error.code, 'MOSAIC_ERR_MARKETPLACE_CHECKSUM');

  t.equal((await install('future', '1.0.0')).body.error.code, 'MOSAIC_ERR_PACKAGE_KERNEL_RANGE');
  t.match((await admin.get('/api/marketplace/plugins/future')).body.versions, [{ kernel_matches: false }]);

  const unsigned = await install('loose');
  t.equal(unsigned.body.error.code, 'MOSAIC_ERR_PACKAGE_UNSIGNED');
  t.equal((await admin.get('/api/plugins')).body.data.length, 0, 'none of them was installed');

  const dev = await startTestKernel(t, marketEnv(market, [key], { ALLOW_UNSIGNED_PLUGINS: 'true' }));
  const devAdmin = api(dev.app, await signUp(dev.app));
  const list = await devAdmin.get('/api/marketplace/plugins');
  t.equal(list.body.allow_unsigned, true, 'the development setting is reported, for the page to warn about');
  const allowed = await devAdmin.post('/api/marketplace/install', { id: 'loose', consent: { loose: {} } });
  t.equal(allowed.status, 201, 'with ALLOW_UNSIGNED_PLUGINS an unsigned package installs');
  t.same((await devAdmin.get('/api/plugins/loose/hello')).body, { plugin: 'loose', version: '1.0.0' });
});

t.test('an installed version revoked later is flagged in the plugin list', async (t) => {
  const market = await TestMarketplace.create('flag');
  const key = await market.keygen('acme');
  await market.publish({ manifest: manifest('ledger', '1.0.0') }, key);
  const kernel = await startTestKernel(t, marketEnv(market, [key]));
  const admin = api(kernel.app, await signUp(kernel.app));
  t.equal((await admin.post('/api/marketplace/install', { id: 'ledger', consent: { ledger: {} } })).status, 201);
  t.equal((await admin.get('/api/plugins')).body.data[0].revoked, null);

  await market.revoke('ledger@1.0.0', 'a security hole');
  const browse = await admin.get('/api/marketplace/plugins');
  t.match(browse.body.data[0], { installed_version: '1.0.0', installed_revoked: 'a security hole' });
  const plugins = await admin.get('/api/plugins');
  t.equal(plugins.body.data[0].revoked, 'a security hole', 'GET /api/plugins flags it with the reason');
});
