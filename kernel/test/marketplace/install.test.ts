import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { TestMarketplace, manifest, marketEnv } from './fixtures.js';

t.test('browse, details and install with one consent for the plan', async (t) => {
  const market = await TestMarketplace.create('install');
  const key = await market.keygen('acme');
  await market.publish({ manifest: manifest('ledger', '1.0.0', { description: 'A ledger of invoices.' }) }, key);
  await market.publish({ manifest: manifest('ledger', '1.1.0', { description: 'A ledger of invoices.', permissions: { kv: true } }) }, key);
  await market.publish({ manifest: manifest('reports', '2.0.0', { dependencies: { ledger: '^1.0.0' }, permissions: { events: { subscribe: ['record.created'] } } }) }, key);
  const kernel = await startTestKernel(t, marketEnv(market, [key]));
  const admin = api(kernel.app, await signUp(kernel.app));

  const list = await admin.get('/api/marketplace/plugins');
  t.equal(list.status, 200);
  t.same(list.body.data.map((p: { id: string }) => p.id), ['ledger', 'reports']);
  t.match(list.body.data[0], { id: 'ledger', name: 'Ledger plugin', latest_version: '1.1.0', installed_version: null, signature: 'verified', publisher: { id: 'acme', name: 'Acme Plugins' }, revoked: null });
  t.same(list.body.marketplaces.map((m: { error: unknown }) => m.error), [null]);
  const searched = await admin.get('/api/marketplace/plugins?q=invoices');
  t.same(searched.body.data.map((p: { id: string }) => p.id), ['ledger'], 'search matches the description');

  const detail = await admin.get('/api/marketplace/plugins/ledger');
  t.equal(detail.status, 200);
  t.same(detail.body.versions.map((v: { version: string }) => v.version), ['1.1.0', '1.0.0']);
  t.match(detail.body.versions[0], { signature: 'verified', signed_by: key.keyId, kernel: '^1.0.0', kernel_matches: true, revoked: null, requested: { kv: true } });
  t.ok(detail.body.versions[0].permissions.length > 0, 'permissions are described in plain words');
  t.equal((await admin.get('/api/marketplace/plugins/nope')).body.error.code, 'MOSAIC_ERR_MARKETPLACE_PLUGIN_NOT_FOUND');

  // Without consent: 409 with the whole plan, dependency first.
  const asked = await admin.post('/api/marketplace/install', { id: 'reports' });
  t.equal(asked.status, 409);
  t.equal(asked.body.error.code, 'MOSAIC_ERR_MARKETPLACE_CONSENT_REQUIRED');
  t.same(asked.body.plan.plugins.map((p: { id: string; version: string; action: string }) => `${p.action} ${p.id}@${p.version}`), ['install ledger@1.1.0', 'install reports@2.0.0']);
  t.same(asked.body.plan.consent, { ledger: { kv: true }, reports: { events: { subscribe: ['record.created'] } } });
  t.equal((await admin.get('/api/plugins')).body.data.length, 0, 'nothing was installed');

  const stale = await admin.post('/api/marketplace/install', { id: 'reports', consent: { reports: { events: { subscribe: ['record.created'] } } } });
  t.equal(stale.status, 409, 'a consent that differs from the plan is refused');

  const done = await admin.post('/api/marketplace/install', { id: 'reports', consent: asked.body.plan.consent });
  t.equal(done.status, 201, done.body.error?.message ?? "installed");
  t.same(done.body.plugins.map((p: { id: string; version: string }) => `${p.id}@${p.version}`), ['ledger@1.1.0', 'reports@2.0.0']);
  t.same((await admin.get('/api/plugins/reports/hello')).body, { plugin: 'reports', version: '2.0.0' });
  t.same((await admin.get('/api/plugins/ledger/hello')).body, { plugin: 'ledger', version: '1.1.0' });
  const after = await admin.get('/api/marketplace/plugins');
  t.match(after.body.data[1], { id: 'reports', installed_version: '2.0.0' });
  t.equal((await admin.post('/api/marketplace/install', { id: 'reports', consent: {} })).body.error.code, 'MOSAIC_ERR_PLUGIN_ALREADY_INSTALLED');

  // Uninstall goes through the plugin API.
  t.equal((await admin.delete('/api/plugins/reports')).status, 204);
  t.equal((await admin.get('/api/plugins/reports/hello')).status, 404);
});

t.test('conflicts are named', async (t) => {
  const market = await TestMarketplace.create('conflict');
  const key = await market.keygen('acme');
  await market.publish({ manifest: manifest('base', '1.0.0') }, key);
  await market.publish({ manifest: manifest('needy', '1.0.0', { dependencies: { base: '^2.0.0' } }) }, key);
  await market.publish({ manifest: manifest('orphan', '1.0.0', { dependencies: { ghost: '^1.0.0' } }) }, key);
  const kernel = await startTestKernel(t, marketEnv(market, [key]));
  const admin = api(kernel.app, await signUp(kernel.app));

  const unsatisfiable = await admin.post('/api/marketplace/install', { id: 'needy' });
  t.equal(unsatisfiable.status, 409);
  t.equal(unsatisfiable.body.error.code, 'MOSAIC_ERR_MARKETPLACE_CONFLICT');
  t.match(unsatisfiable.body.error.details, [{ path: 'needy.dependencies.base', code: 'unsatisfiable', message: /base \^2\.0\.0/ }]);
  t.match((await admin.post('/api/marketplace/install', { id: 'orphan' })).body.error.details, [{ code: 'missing', message: /ghost/ }]);

  const consent = (await admin.post('/api/marketplace/install', { id: 'base' })).body.plan.consent;
  t.equal((await admin.post('/api/marketplace/install', { id: 'base', consent })).status, 201);
  await market.publish({ manifest: manifest('base', '2.0.0') }, key);
  const outside = await admin.post('/api/marketplace/install', { id: 'needy' });
  t.equal(outside.body.error.code, 'MOSAIC_ERR_MARKETPLACE_CONFLICT');
  t.match(outside.body.error.details, [{ code: 'installed_outside_range', message: /base 1\.0\.0 is installed/ }]);
});
