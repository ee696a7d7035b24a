import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { TestMarketplace, manifest, marketEnv } from './fixtures.js';

t.test('upgrades: without new permissions at once, with them after consent, a failing one leaves the old version', async (t) => {
  const market = await TestMarketplace.create('upgrade');
  const key = await market.keygen('acme');
  const kv = { kv: true };
  await market.publish({ manifest: manifest('ledger', '1.0.0', { permissions: kv }) }, key);
  const kernel = await startTestKernel(t, marketEnv(market, [key]));
  const admin = api(kernel.app, await signUp(kernel.app));
  t.equal((await admin.post('/api/marketplace/install', { id: 'ledger', consent: { ledger: kv } })).status, 201);
  t.match((await admin.post('/api/marketplace/upgrade', { id: 'ledger' })).body, { outcome: 'unchanged', previous_version: '1.0.0' }, 'nothing newer to upgrade to');

  // 1.1.0 asks for nothing more: it applies without consent.
  await market.publish({ manifest: manifest('ledger', '1.1.0', { permissions: kv }) }, key);
  t.match((await admin.get('/api/marketplace/plugins')).body.data[0], { installed_version: '1.0.0', latest_version: '1.1.0', update_available: true });
  const same = await admin.post('/api/marketplace/upgrade', { id: 'ledger' });
  t.equal(same.status, 200, same.body.error?.message ?? 'upgraded');
  t.match(same.body, { outcome: 'upgraded', previous_version: '1.0.0' });
  t.same((await admin.get('/api/plugins/ledger/hello')).body, { plugin: 'ledger', version: '1.1.0' });

  // 1.2.0 asks for more: it waits for consent while 1.1.0 runs on.
  const more = { kv: true, events: { subscribe: ['record.created'] } };
  await market.publish({ manifest: manifest('ledger', '1.2.0', { permissions: more }) }, key);
  const waits = await admin.post('/api/marketplace/upgrade', { id: 'ledger' });
  t.equal(waits.status, 409);
  t.equal(waits.body.error.code, 'MOSAIC_ERR_MARKETPLACE_CONSENT_REQUIRED');
  t.equal(waits.body.pending_version, '1.2.0');
  t.same(waits.body.plan.consent, { ledger: more });
  t.match((await admin.get('/api/plugins/ledger')).body, { version: '1.1.0', pending: { version: '1.2.0' } });
  t.same((await admin.get('/api/plugins/ledger/hello')).body, { plugin: 'ledger', version: '1.1.0' }, 'the old version still runs');
  const consented = await admin.post('/api/marketplace/upgrade', { id: 'ledger', consent: waits.body.plan.consent });
  t.equal(consented.status, 200, consented.body.error?.message ?? 'upgraded');
  t.match((await admin.get('/api/plugins/ledger')).body, { version: '1.2.0', pending: null, granted: more });
  t.same((await admin.get('/api/plugins/ledger/hello')).body, { plugin: 'ledger', version: '1.2.0' });

  // 1.3.0's server code throws as it loads (its upgrade hook cannot run): 1.2.0 stays.
  await market.publish({ manifest: manifest('ledger', '1.3.0', { permissions: more }), bundle: 'throw new Error("broken at load");' }, key);
  const failed = await admin.post('/api/marketplace/install', { id: 'ledger', version: '1.3.0' });
  t.equal(failed.status, 502, 'the install route upgrades an installed plugin too');
  t.equal(failed.body.error.code, 'MOSAIC_ERR_PLUGIN_HOOK_FAILED');
  t.match((await admin.get('/api/plugins/ledger')).body, { version: '1.2.0', error: null });
  t.same((await admin.get('/api/plugins/ledger/hello')).body, { plugin: 'ledger', version: '1.2.0' }, 'the old version keeps running');
});
