import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { DEAL_OBJECT, openSignedInPage, startBrowserKernel, waitForColumn } from './browser.js';

t.test('a record opens from the table, edits in place and lists its related records', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const session = await signUp(kernel.app);
  const client = api(kernel.app, session);
  t.equal((await client.post('/api/metadata/objects', { name: 'company', label_singular: 'Company', label_plural: 'Companies', fields: [{ name: 'name', type: 'text', label: 'Name' }, { name: 'employees', type: 'number', label: 'Employees' }, { name: 'domain', type: 'link', label: 'Domain' }] })).status, 201);
  t.equal((await client.post('/api/metadata/objects', { ...DEAL_OBJECT, fields: [...DEAL_OBJECT.fields, { name: 'company', type: 'relation', label: 'Company', options: { target: 'company', inverse_name: 'deals', inverse_label: 'Deals' } }] })).status, 201);
  const acme = (await client.post('/api/objects/company', { name: 'Acme', employees: 50 })).body.data;
  await client.post('/api/objects/company', { name: 'Globex', employees: 10 });
  const big = (await client.post('/api/objects/deal', { name: 'Big deal', stage: 'lead', company_id: acme.id })).body.data;
  await client.post('/api/objects/deal', { name: 'Small deal', stage: 'won', company_id: acme.id });

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/objects/company`);
  await waitForColumn(page, 'name', ['Globex', 'Acme']);
  await page.getByRole('link', { name: 'Open Acme' }).click();
  await page.locator('mosaic-record-page h1', { hasText: 'Acme' }).waitFor();
  t.equal(new URL(page.url()).pathname, `/objects/company/${acme.id}`);

  // Related records: the reverse side of deal.company, linked.
  const deals = page.locator('mosaic-record-page section[data-related="deals"]');
  await deals.getByRole('link', { name: 'Big deal' }).waitFor();
  t.same((await deals.getByRole('link').allTextContents()).sort(), ['Big deal', 'Small deal']);

  // Edit a field in place.
  const employees = page.locator('mosaic-record-page dd[data-field="employees"]');
  await employees.click();
  await employees.locator('input').fill('75');
  await employees.locator('input').press('Enter');
  await page.locator('mosaic-record-page dd[data-field="employees"]:not(:has(input))', { hasText: '75' }).waitFor();
  t.equal((await client.get(`/api/objects/company/${acme.id}`)).body.data.employees, 75, 'the edit reached the database');

  // A refused value: the API's message on the field, the stored value untouched.
  await employees.click();
  await employees.locator('input').fill('lots');
  await employees.locator('input').press('Enter');
  const error = employees.getByRole('alert');
  await error.waitFor();
  t.match(await error.textContent(), /Employees/, 'the error names the field');
  await employees.locator('input').press('Escape');
  await error.waitFor({ state: 'detached' });
  t.equal((await client.get(`/api/objects/company/${acme.id}`)).body.data.employees, 75);

  // A change made elsewhere shows live.
  await page.locator('mosaic-record-page h1[data-live="true"]').waitFor();
  await client.patch(`/api/objects/company/${acme.id}`, { name: 'Acme Corp' });
  await page.locator('mosaic-record-page h1', { hasText: 'Acme Corp' }).waitFor();

  // A related record's link opens its page, which links back through its relation.
  await deals.getByRole('link', { name: 'Big deal' }).click();
  await page.locator('mosaic-record-page h1', { hasText: 'Big deal' }).waitFor();
  t.equal(new URL(page.url()).pathname, `/objects/deal/${big.id}`);
  t.match(await page.locator('mosaic-record-page dd[data-field="company"]').textContent(), /Acme Corp/);

  t.same(problems, [], 'no script errors and no CSP violations');

  // Plugin record tabs: one renders with its context (and a reloaded record), one whose bundle throws is
  // contained; each tab's <mosaic-plugin-view> says which with data-state. The plugin list and bundles are
  // answered by the test (same origin, so the CSP applies as for real bundles).
  const view = (element: string, label: string) => ({ slot: 'record.tab', element, label, object: 'deal', icon: null });
  const plugins = [
    { id: 'good', name: 'Good plugin', version: '1.0.0', enabled: true, views: [view('good-tab', 'Good')], views_url: '/plugin-assets/good/1.0.0/views.js' },
    { id: 'broken', name: 'Broken plugin', version: '1.0.0', enabled: true, views: [view('broken-tab', 'Broken')], views_url: '/plugin-assets/broken/1.0.0/views.js' },
  ];
  await page.route('**/api/plugins', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ data: plugins }) }));
  await page.route('**/plugin-assets/good/1.0.0/views.js', (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/javascript',
      body: `customElements.define('good-tab', class extends HTMLElement {
        #context;
        get context() { return this.#context; }
        set context(c) { this.#context = c; if (this.isConnected) this.connectedCallback(); }
        connectedCallback() { const c = this.context; this.textContent = [c.plugin.id, c.slot, c.object.name, c.record.name, this.getAttribute('record-id') === c.record.id].join(' / '); }
      });`,
    }),
  );
  await page.route('**/plugin-assets/broken/1.0.0/views.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: `throw new Error('boom');` }));
  await page.goto(`${baseUrl}/objects/deal/${big.id}`);
  await page.getByRole('tab', { name: 'Good' }).click();
  await page.locator('good-tab', { hasText: 'good / record.tab / deal / Big deal / true' }).waitFor();
  const tabView = page.locator('mosaic-record-page [role="tabpanel"] mosaic-plugin-view');
  t.equal(await tabView.getAttribute('data-state'), 'mounted', 'the tab says it is mounted');
  // The record changes elsewhere: the open tab gets the reloaded record, without being mounted again.
  await page.locator('mosaic-record-page h1[data-live="true"]').waitFor();
  await client.patch(`/api/objects/deal/${big.id}`, { name: 'Big deal 2' });
  await page.locator('good-tab', { hasText: 'good / record.tab / deal / Big deal 2 / true' }).waitFor();
  t.pass('the tab shows the changed record');
  await page.getByRole('tab', { name: 'Broken' }).click();
  await page.locator('mosaic-record-page [role="tabpanel"] mosaic-plugin-view[data-state="failed"]').waitFor();
  const failed = page.locator('mosaic-record-page .failed');
  t.match(await failed.textContent(), /^Broken plugin failed: its view bundle failed to load/, 'the failure names the plugin and says why');
  t.equal(await page.locator('good-tab').count(), 0, 'the other tab’s view is gone');
  await page.getByRole('tab', { name: 'Good' }).click();
  await page.locator('mosaic-record-page [role="tabpanel"] mosaic-plugin-view[data-state="mounted"] good-tab').waitFor();
  t.equal(await failed.count(), 0, 'going back to a working tab clears the failure');
  await page.getByRole('tab', { name: 'Details' }).click();
  await page.locator('mosaic-record-page dd[data-field="name"]', { hasText: 'Big deal' }).waitFor();
  t.pass('the page keeps working after a plugin failed');
});
