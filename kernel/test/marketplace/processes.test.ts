import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startPeerKernel, startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';
import { TestMarketplace, manifest, marketEnv } from './fixtures.js';

t.test('an install on one kernel process is active on another without a restart', async (t) => {
  const market = await TestMarketplace.create('processes');
  const key = await market.keygen('acme');
  await market.publish({ manifest: manifest('ledger', '1.0.0') }, key);
  await market.publish({ manifest: manifest('ledger', '1.1.0') }, key);
  const env = marketEnv(market, [key]);
  const one = await startTestKernel(t, env);
  const two = await startPeerKernel(t, one, env);
  const owner = await signUp(one.app);
  const onOne = api(one.app, owner);
  const onTwo = api(two.app, owner);
  t.equal((await onTwo.get('/api/plugins/ledger/hello')).status, 404, 'not installed yet');

  t.equal((await onOne.post('/api/marketplace/install', { id: 'ledger', version: '1.0.0', consent: { ledger: {} } })).status, 201);
  const seen = await waitFor(async () => (await onTwo.get('/api/plugins/ledger/hello')).body?.version, 15_000);
  t.equal(seen, '1.0.0', 'the other process runs the installed version');

  t.equal((await onTwo.post('/api/marketplace/upgrade', { id: 'ledger' })).status, 200, 'upgraded on the second process');
  t.equal(await waitFor(async () => (await onOne.get('/api/plugins/ledger/hello')).body?.version === '1.1.0', 15_000), true, 'the first process follows');

  // A process whose disk holds no copy (a fresh machine) extracts the verified package from the database.
  await rm(join(market.root, 'data', 'plugin-packages'), { recursive: true, force: true });
  const three = await startPeerKernel(t, one, { ...env, MARKETPLACES: '' });
  t.same((await api(three.app, owner).get('/api/plugins/ledger/hello')).body, { plugin: 'ledger', version: '1.1.0' }, 'without the marketplace, from the stored package');
});

t.test('plugins.config.json names marketplace plugins by id@range', async (t) => {
  const market = await TestMarketplace.create('config');
  const key = await market.keygen('acme');
  await market.publish({ manifest: manifest('ledger', '1.0.0', { permissions: { kv: true } }) }, key);
  await market.publish({ manifest: manifest('ledger', '1.4.0', { permissions: { kv: true } }) }, key);
  await market.publish({ manifest: manifest('ledger', '2.0.0', { permissions: { kv: true } }) }, key);
  await market.publish({ manifest: manifest('reports', '1.0.0', { permissions: { kv: true } }) }, key);
  const file = join(market.root, 'plugins.config.json');
  await writeFile(file, JSON.stringify({
    marketplaces: ['market'],
    trusted_keys: [{ key_id: key.keyId, public_key: key.publicKey, publisher: 'acme' }],
    plugins: [
      { plugin: 'ledger@^1.0', grant: 'requested' },
      { plugin: 'reports@^1.0' },
    ],
  }));
  // The environment names neither the marketplace nor the key: the file does.
  const env = { MOSAIC_DATA_DIR: join(market.root, 'data', 'pg') };
  const one = await startTestKernel(t, env);
  const owner = await signUp(one.app);
  const booted = await startPeerKernel(t, one, { ...env, PLUGINS_CONFIG: file });
  const admin = api(booted.app, owner);
  const plugins = (await admin.get('/api/plugins')).body.data as { id: string; version: string; granted: unknown }[];
  t.same(plugins.map((p) => `${p.id}@${p.version}`), ['ledger@1.4.0'], 'the highest version in the range, at boot');
  t.same(plugins[0]!.granted, { kv: true });
  t.equal((await api(one.app, owner).get('/api/plugins/ledger/hello')).body.version, '1.4.0', 'every process runs it');
  t.equal((await admin.get('/api/plugins/reports')).status, 404, 'an entry without a grant waits for an administrator');

  // A workspace created later gets it too, shortly after its sign-up.
  const newcomer = api(booted.app, await signUp(booted.app));
  const installed = await waitFor(async () => ((await newcomer.get('/api/plugins')).body.data as { id: string; version: string }[]).map((p) => `${p.id}@${p.version}`).join(), 30_000, 100);
  t.equal(installed, 'ledger@1.4.0', 'a new workspace gets the configured marketplace plugin');
});

t.test('an invalid id@range is a config error', async (t) => {
  const market = await TestMarketplace.create('badconfig');
  const file = join(market.root, 'plugins.config.json');
  await writeFile(file, JSON.stringify({ plugins: [{ plugin: 'ledger@not a range!' }] }));
  const { readPluginsConfigFile } = await import('../../src/plugins/config-file.js');
  await t.rejects(readPluginsConfigFile(file), { code: 'MOSAIC_ERR_PLUGIN_CONFIG_INVALID' });
});
