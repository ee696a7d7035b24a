import type { AddressInfo } from 'node:net';
import { chromium, type Page } from 'playwright-core';
import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { inviteAndAccept, signUp } from '../../kernel/test/helpers/auth.js';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { tempDir } from '../../kernel/test/plugins/fixtures/sample.js';
import { CHROMIUM, DEAL_OBJECT, openSignedInPage, waitForColumn } from './browser.js';
import { writeLivePlugin } from './fixtures/live-plugin.js';

/** Edits a number cell of a table row inline, as a hand would: click, type, Enter. */
async function editCell(page: Page, row: string, field: string, value: string): Promise<void> {
  const tr = page.locator('mosaic-record-table tbody tr', { hasText: row });
  await tr.locator(`td[data-field="${field}"]`).click();
  const editor = tr.locator(`td[data-field="${field}"] input`);
  await editor.fill(value);
  await editor.press('Enter');
  await tr.locator(`td[data-field="${field}"]:not(.editing)`, { hasText: value }).waitFor();
}

/** The text of a record page's field, once it equals `expected`. */
async function waitForField(page: Page, field: string, expected: string): Promise<string> {
  const dd = page.locator(`mosaic-record-page dd[data-field="${field}"]`, { hasText: expected });
  await dd.waitFor();
  return (await dd.textContent())!.trim();
}

t.test('records changed through the API, another tab, another member and a plugin show up live', async (t) => {
  // Like startBrowserKernel, with a plugin directory for the plugin that writes records.
  const root = await tempDir('live-plugin');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root });
  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'], headless: true });
  t.teardown(() => browser.close());
  const session = await signUp(kernel.app);
  const client = api(kernel.app, session);
  t.equal((await client.post('/api/metadata/objects', DEAL_OBJECT)).status, 201);
  const acme = (await client.post('/api/objects/deal', { name: 'Acme', stage: 'lead' })).body.data;

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/objects/deal`);
  t.same(await waitForColumn(page, 'name', ['Acme']), ['Acme']);
  // The socket subscribes after the table renders: wait for the server's confirmation.
  await page.locator('mosaic-object-page h1[data-live="true"]').waitFor();

  // Created elsewhere: appears without reload.
  const globex = (await client.post('/api/objects/deal', { name: 'Globex', stage: 'won' })).body.data;
  t.same(await waitForColumn(page, 'name', ['Globex', 'Acme']), ['Globex', 'Acme'], 'a created record appears');
  await page.locator('mosaic-object-page .count[data-count="2"]').waitFor();

  // Updated elsewhere.
  t.equal((await client.patch(`/api/objects/deal/${acme.id}`, { stage: 'qualified' })).status, 200);
  t.same(await waitForColumn(page, 'stage', ['Won', 'Qualified']), ['Won', 'Qualified'], 'an update shows');

  // Deleted elsewhere.
  t.equal((await client.delete(`/api/objects/deal/${globex.id}`)).status, 200);
  t.same(await waitForColumn(page, 'name', ['Acme']), ['Acme'], 'a deleted record goes');

  t.same(problems, [], 'no script errors and no CSP violations (the WebSocket is same-origin)');


  // Another tab of the same member: an inline edit in one shows in the other's table, then its record page.
  const tabB = await page.context().newPage();
  tabB.setDefaultTimeout(15_000);
  tabB.on('pageerror', (err) => problems.push(`tab B: ${err.message}`));
  await tabB.goto(`${baseUrl}/objects/deal`);
  await tabB.locator('mosaic-object-page h1[data-live="true"]').waitFor();
  t.same(await waitForColumn(tabB, 'employees', ['']), [''], 'no employee count yet');
  await editCell(page, 'Acme', 'employees', '12');
  t.same(await waitForColumn(tabB, 'employees', ['12']), ['12'], 'an inline edit in tab A shows in tab B\'s table');
  await tabB.goto(`${baseUrl}/objects/deal/${acme.id}`);
  await tabB.locator('mosaic-record-page h1[data-live="true"]').waitFor();
  t.equal(await waitForField(tabB, 'employees', '12'), '12');
  await editCell(page, 'Acme', 'employees', '13');
  t.equal(await waitForField(tabB, 'employees', '13'), '13', 'and on tab B\'s record page');
  await tabB.locator('mosaic-record-timeline li[data-type="record.updated"] li[data-field="employees"]', { hasText: '13' }).first().waitFor();

  // Another member, in a browser of their own.
  const member = await inviteAndAccept(kernel.app, session, 'member', { name: 'Mo Member' });
  const other = await openSignedInPage(browser, baseUrl, member.cookie);
  await other.page.goto(`${baseUrl}/objects/deal`);
  await other.page.locator('mosaic-object-page h1[data-live="true"]').waitFor();
  t.same(await waitForColumn(other.page, 'employees', ['13']), ['13']);
  await editCell(page, 'Acme', 'employees', '14');
  t.same(await waitForColumn(other.page, 'employees', ['14']), ['14'], 'another member sees the edit');
  t.equal(await waitForField(tabB, 'employees', '14'), '14');

  // A plugin writes from its sandbox: through a route, and from an event handler.
  const folder = await writeLivePlugin(root);
  const installed = await client.post('/api/plugins', { path: folder, grant: 'requested' });
  t.equal(installed.status, 201, JSON.stringify(installed.body));
  const routed = await client.post(`/api/plugins/live-kit/deals/${acme.id}/stage`, { stage: 'won' });
  t.equal(routed.status, 200, JSON.stringify(routed.body));
  t.equal(await waitForField(tabB, 'stage', 'Won'), 'Won', 'a plugin route\'s write shows on the open record page');
  const byPlugin = tabB.locator('mosaic-record-timeline li[data-type="record.updated"]', { hasText: 'Live kit' });
  await byPlugin.locator('li[data-field="stage"]').waitFor();
  t.pass('its timeline names the plugin as the author');
  t.same(await waitForColumn(other.page, 'stage', ['Won']), ['Won'], 'and in another member\'s table');
  t.same(await waitForColumn(page, 'stage', ['Won']), ['Won']);

  const hooli = (await client.post('/api/objects/deal', { name: 'Hooli', stage: 'lead' })).body.data;
  t.same(await waitForColumn(other.page, 'name', ['Hooli', 'Acme']), ['Hooli', 'Acme']);
  t.same(await waitForColumn(other.page, 'employees', ['5', '14']), ['5', '14'], 'the plugin\'s event handler sized the new deal, shown live');
  t.same(await waitForColumn(page, 'employees', ['5', '14']), ['5', '14']);
  const timeline = (await client.get(`/api/objects/deal/${hooli.id}/timeline`)).body.data as { type: string; actor: { type: string; id: string } }[];
  t.match(timeline.find((e) => e.type === 'record.updated'), { actor: { type: 'plugin', id: 'live-kit' } }, 'written by the plugin');

  t.same(problems, [], 'no script errors in either tab');
  t.same(other.problems, [], 'nor in the other member\'s');
});
