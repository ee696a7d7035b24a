import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { tempDir } from '../../kernel/test/plugins/fixtures/sample.js';
import { VIEW_LOAD_TIMEOUT_KEY } from '../src/plugins/mount-view.js';
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

  const plugins = (await client.get('/api/plugins')).body.data as { id: string; views_url: string }[];
  const bundle = (id: string) => plugins.find((p) => p.id === id)!.views_url;

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  // A view that does not load or define its element fails after 2 s here instead of 10: short enough for
  // the views that are meant to fail, with room for the others' bundles on a loaded machine.
  await page.addInitScript((key) => localStorage.setItem(key, '2000'), VIEW_LOAD_TIMEOUT_KEY);
  // A server that stopped answering: stall-kit's bundle request never gets a response.
  await page.route(`${baseUrl}${bundle('stall-kit')}`, () => {});
  // Every path the page asks for, from its first load on: a bundle must not be fetched before its slot shows.
  const requested: string[] = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname));

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
    t.match(await failure('Never defined'), /^Broken kit failed: its element <broken-never> was not defined within 2 s/);
    t.match(await failure('Crashes'), /^Crashing kit failed: its view bundle failed to load/);
    t.match(await failure('Fails to render'), /^Broken kit failed: its element failed to render \(render boom\)/);
    await page.locator('mosaic-sidebar').getByRole('link', { name: 'Home' }).waitFor();
  });

  t.test('dashboard.widget: a bundle that never settles fails in time, and settling later mounts nothing', async (t) => {
    const stalled = page.locator('mosaic-dashboard section[aria-label="Stalled"] .failed');
    await stalled.waitFor();
    t.equal((await stalled.textContent())?.trim(), 'Stalled kit failed: its view bundle did not load within 2 s', 'a request that stalls');
    const slow = page.locator('mosaic-dashboard section[aria-label="Slow"]');
    await slow.locator('.failed').waitFor();
    t.equal((await slow.locator('.failed').textContent())?.trim(), 'Slow kit failed: its view bundle did not load within 2 s');
    t.equal(await slow.locator('mosaic-plugin-view').getAttribute('data-state'), 'failed');
    // The bundle's top-level await finally settles: its element gets defined, and the failed slot stays as it was.
    await page.waitForFunction(() => typeof (window as unknown as { releaseSlowKit?: () => void }).releaseSlowKit === 'function');
    await page.evaluate(() => (window as unknown as { releaseSlowKit: () => void }).releaseSlowKit());
    await page.waitForFunction(() => customElements.get('slow-widget') !== undefined);
    t.equal(await page.locator('slow-widget').count(), 0, 'the late bundle is not mounted');
    t.equal(await slow.locator('.failed').count(), 1, 'the failure is shown once');
    t.equal(await slow.locator('mosaic-plugin-view').getAttribute('data-state'), 'failed');
  });

  t.test('dashboard.widget: a view whose own work never finishes is mounted and holds nothing up', async (t) => {
    const waiting = page.locator('mosaic-dashboard section[aria-label="Waiting"]');
    await waiting.locator('mosaic-plugin-view[data-state="mounted"]').waitFor();
    t.equal(await waiting.locator('slot-pending').textContent(), 'waiting for data');
    t.equal(await waiting.locator('.failed').count(), 0);
  });

  t.test('nav.page: api.find and api.watch reach granted records only, though the member may read more; members() needs its permission', async (t) => {
    await page.locator('mosaic-sidebar').getByRole('link', { name: 'Slot page' }).click();
    const out = page.locator('slot-page output');
    await out.filter({ hasText: 'secret' }).waitFor();
    t.equal(await page.locator('slot-page').evaluate((el) => el.firstChild?.textContent), 'slot-kit / nav.page / - / - / -');
    t.equal(await out.textContent(), 'deals: Big deal, Small deal | secret: MOSAIC_ERR_PLUGIN_PERMISSION | create: MOSAIC_ERR_PLUGIN_PERMISSION | watch: MOSAIC_ERR_PLUGIN_PERMISSION | members: MOSAIC_ERR_PLUGIN_PERMISSION');
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
    const tab = page.locator('mosaic-record-page [role="tabpanel"] mosaic-plugin-view');
    await tab.locator('slot-tab').waitFor();
    t.equal(await tab.getAttribute('data-state'), 'mounted', 'the tab says it is mounted, like every slot');
    t.equal(await page.locator('slot-tab').textContent(), 'slot-kit / record.tab / deal / Big deal / -');
    await page.getByRole('tab', { name: 'Broken tab' }).click();
    const failed = page.locator('mosaic-record-page .failed');
    await failed.waitFor();
    t.equal(await tab.getAttribute('data-state'), 'failed');
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
    // The view's toast, announced politely to screen readers.
    const status = page.locator('mosaic-toasts').getByRole('status');
    await status.locator('.toast', { hasText: 'Renamed' }).waitFor();
    t.equal((await status.locator('.toast span').textContent())?.trim(), 'Renamed');
    t.equal(await status.getAttribute('aria-live'), 'polite');
  });

  t.test('record.action: a view that navigates to another record leaves its dialog behind', async (t) => {
    await page.locator('mosaic-record-actions').getByRole('button', { name: 'Rename deal' }).click();
    const dialog = page.getByRole('dialog', { name: 'Rename deal' });
    await dialog.getByRole('button', { name: 'Open another deal' }).click();
    await page.locator('mosaic-record-page h1', { hasText: 'Small deal' }).waitFor();
    await dialog.waitFor({ state: 'detached' });
    t.pass('the dialog closed when the page moved to Small deal');
    await page.goBack();
    await page.locator('mosaic-record-page h1', { hasText: 'Big deal (renamed)' }).waitFor();
  });

  t.test('nav.page: a plugin’s bundle loads only when one of its slots shows; navigate() moves the shell without a reload', async (t) => {
    const nav = bundle('nav-kit');
    t.ok(requested.includes(bundle('slot-kit')), 'bundles that were shown were requested');
    t.notOk(requested.includes(nav), 'nav-kit’s bundle was not requested: none of its slots showed yet');
    await page.evaluate(() => ((window as unknown as { sameDocument?: boolean }).sameDocument = true));
    await page.locator('mosaic-sidebar').getByRole('link', { name: 'Jump' }).click();
    const jump = page.locator('nav-jump');
    await jump.waitFor();
    t.equal(requested.filter((path) => path === nav).length, 1, 'its page asked for the bundle, once');

    await jump.getByRole('button', { name: 'Leave' }).click();
    await jump.locator('output', { hasText: 'Leave:' }).waitFor();
    t.match(await jump.locator('output').textContent(), /^Leave: navigate\(\) takes a path of the shell/, 'another origin is refused');
    t.equal(new URL(page.url()).pathname, '/plugins/nav-kit/nav-jump');

    await jump.getByRole('button', { name: 'Open first deal' }).click();
    await page.locator('mosaic-record-page h1', { hasText: 'Big deal (renamed)' }).waitFor();
    t.equal(new URL(page.url()).pathname, `/objects/deal/${big.id}`);
    t.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), true, 'the page was not reloaded');
    await page.goBack();
    await page.locator('nav-jump').waitFor();
    t.pass('back returns to the plugin page');
  });

  t.test('the view’s toast left by itself', async (t) => {
    await page.locator('mosaic-toasts .toast', { hasText: 'Renamed' }).waitFor({ state: 'detached', timeout: 8_000 });
    t.equal((await page.locator('mosaic-toasts').getByRole('status').textContent())?.trim(), '');
  });

  t.test('an error toast is an alert, and its button dismisses it at once', async (t) => {
    const toasts = page.locator('mosaic-toasts');
    await toasts.evaluate((el) => (el as HTMLElement & { show(message: string, kind: string): void }).show('Could not save', 'error'));
    const alert = toasts.getByRole('alert');
    await alert.locator('.toast', { hasText: 'Could not save' }).waitFor();
    t.equal(await alert.getAttribute('aria-live'), 'assertive');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.locator('.toast').waitFor({ state: 'detached', timeout: 1_000 });
    t.pass('dismissed before its 8 s were up');
  });

  t.test('the page kept working: no errors but the broken views’ own', async (t) => {
    t.same(problems.filter((p) => !/boom/.test(p)), []);
  });
});
