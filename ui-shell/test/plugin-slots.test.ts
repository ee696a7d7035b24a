import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { tempDir } from '../../kernel/test/plugins/fixtures/sample.js';
import { CHROMIUM, DEAL_OBJECT, openSignedInPage } from './browser.js';
import { writeSlotPlugins } from './fixtures/slot-plugins.js';

t.test('plugin views render in every slot with their context, limited to the plugin’s grant, and broken ones are contained', async (t) => {
  // Like startBrowserKernel, with a plugin directory the test writes its fixture plugins into.
  const root = await tempDir('slot-plugins');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root });
  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'], headless: true });
  t.teardown(() => browser.close());

  const session = await signUp(kernel.app);
  const client = api(kernel.app, session);
  t.equal((await client.post('/api/metadata/objects', DEAL_OBJECT)).status, 201);
  t.equal((await client.post('/api/metadata/objects', { name: 'secret_thing', fields: [{ name: 'title', type: 'text' }, { name: 'score', type: 'number' }] })).status, 201);
  const big = (await client.post('/api/objects/deal', { name: 'Big deal', stage: 'lead', employees: 3 })).body.data;
  await client.post('/api/objects/deal', { name: 'Small deal', stage: 'won', employees: 1 });
  await client.post('/api/objects/secret_thing', { title: 'hidden', score: 2 });
  for (const folder of Object.values(await writeSlotPlugins(root))) {
    const res = await client.post('/api/plugins', { path: folder, grant: 'requested' });
    t.equal(res.status, 201, res.status === 201 ? `installed ${folder}` : JSON.stringify(res.body));
  }

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  // A view that never defines its element fails after 1 s here instead of 10.
  await page.addInitScript(() => localStorage.setItem('mosaic:view-define-timeout-ms', '1000'));

  t.test('dashboard.widget: home is a dashboard of widgets; broken widgets say so and the others work', async (t) => {
    await page.goto(`${baseUrl}/`);
    await page.locator('slot-widget[data-count="2"]').waitFor();
    t.equal(await page.locator('slot-widget').textContent(), 'slot-kit / dashboard.widget / - / - / - / 2 deals');
    t.equal(new URL(page.url()).pathname, '/', 'home stays home');
    const failure = async (label: string) => {
      const failed = page.locator(`mosaic-dashboard section[aria-label="${label}"] .failed`);
      await failed.waitFor();
      return (await failed.textContent())?.trim();
    };
    t.match(await failure('Throws'), /^Broken kit failed: its element threw \(connect boom\)/);
    t.match(await failure('Never defined'), /^Broken kit failed: its element <broken-never> was never defined/);
    t.match(await failure('Crashes'), /^Crashing kit failed: its view bundle failed to load/);
    t.match(await failure('Fails to render'), /^Broken kit failed: its element failed to render \(render boom\)/);
    await page.locator('mosaic-sidebar').getByRole('link', { name: 'Home' }).waitFor();
  });

  t.test('nav.page: api.find reaches granted records only, though the member may read more', async (t) => {
    await page.locator('mosaic-sidebar').getByRole('link', { name: 'Slot page' }).click();
    const out = page.locator('slot-page output');
    await out.filter({ hasText: 'secret' }).waitFor();
    t.equal(await page.locator('slot-page').evaluate((el) => el.firstChild?.textContent), 'slot-kit / nav.page / - / - / -');
    t.equal(await out.textContent(), 'deals: Big deal, Small deal | secret: MOSAIC_ERR_PLUGIN_PERMISSION | create: MOSAIC_ERR_PLUGIN_PERMISSION');
    t.equal((await client.get('/api/objects/secret_thing')).status, 200, 'the member reads secret_thing directly');
    t.equal(new URL(page.url()).pathname, '/plugins/slot-kit/slot-page');
  });

  t.test('settings.page: listed under Settings, mounted at /settings/plugin/:id/:element', async (t) => {
    await page.locator('mosaic-sidebar nav[aria-label="Settings"]').getByRole('link', { name: 'Slot settings' }).click();
    await page.locator('slot-settings').waitFor();
    t.equal(await page.locator('slot-settings').textContent(), 'slot-kit / settings.page / - / - / -');
    t.equal(new URL(page.url()).pathname, '/settings/plugin/slot-kit/slot-settings');
  });

  t.test('field.renderer: table cells and record fields of the type render through the plugin; a failing one falls back', async (t) => {
    await page.goto(`${baseUrl}/objects/deal`);
    const cell = page.locator('mosaic-record-table td[data-field="employees"] slot-stars[data-where="cell"]', { hasText: 'employees:***' });
    await cell.waitFor();
    // The broken renderer of deal.name: the default rendering stays, with the failure as its tooltip.
    const fallback = page.locator('mosaic-record-table td[data-field="name"] [data-failed="true"]', { hasText: 'Big deal' });
    await fallback.waitFor();
    t.match(await fallback.getAttribute('title'), /^Broken kit failed: its element threw \(renderer boom\)/);

    await page.goto(`${baseUrl}/objects/deal/${big.id}`);
    const field = page.locator('mosaic-record-page dd[data-field="employees"] slot-stars[data-where="record"]');
    await field.waitFor();
    t.equal(await field.textContent(), 'employees:***', 'the field and its value reach the renderer');
    await page.locator('mosaic-record-page dd[data-field="name"] [data-failed="true"]', { hasText: 'Big deal' }).waitFor();
    t.pass('the record page falls back to the default rendering too');

    // A type-wide renderer on an object the plugin may not read gets the field and value, not the record.
    await page.goto(`${baseUrl}/objects/secret_thing`);
    const secret = page.locator('mosaic-record-table td[data-field="score"] slot-stars');
    await secret.waitFor();
    t.equal(await secret.textContent(), 'score:** (no record)');
  });

  t.test('record.tab: the record in context; a tab whose element throws is contained', async (t) => {
    await page.goto(`${baseUrl}/objects/deal/${big.id}`);
    await page.getByRole('tab', { name: 'Slot tab' }).click();
    await page.locator('slot-tab').waitFor();
    t.equal(await page.locator('slot-tab').textContent(), 'slot-kit / record.tab / deal / Big deal / -');
    await page.getByRole('tab', { name: 'Broken tab' }).click();
    const failed = page.locator('mosaic-record-page .failed');
    await failed.waitFor();
    t.match(await failed.textContent(), /^Broken kit failed: its element threw when created \(constructor boom\)/);
    await page.getByRole('tab', { name: 'Details' }).click();
    await page.locator('mosaic-record-page dd[data-field="name"]', { hasText: 'Big deal' }).waitFor();
  });

  t.test('record.action: a header button opens the element in a dialog with the record; it updates and closes', async (t) => {
    await page.locator('mosaic-record-actions').getByRole('button', { name: 'Rename deal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename deal' });
    await dialog.locator('slot-action p').waitFor();
    t.equal(await dialog.locator('slot-action p').textContent(), 'slot-kit / record.action / deal / Big deal / -');
    await dialog.getByRole('button', { name: 'Rename' }).click();
    await dialog.waitFor({ state: 'detached' });
    t.equal((await client.get(`/api/objects/deal/${big.id}`)).body.data.name, 'Big deal (renamed)', 'the update went through the plugin view API');
    await page.locator('mosaic-record-page h1', { hasText: 'Big deal (renamed)' }).waitFor();
  });

  t.test('the page kept working: no errors but the broken views’ own', async (t) => {
    t.same(problems.filter((p) => !/boom/.test(p)), []);
  });
});
