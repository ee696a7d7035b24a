import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { REPO_ROOT } from '../../kernel/test/helpers/main-process.js';
import { CHROMIUM, openSignedInPage } from '../../ui-shell/test/browser.js';

/**
 * The Activities tab (a record.tab on "*") on the record page of an object an admin created after the
 * core plugins were installed, in Chromium: the shell mounts it from GET /api/plugins as it mounts the
 * tab on companies, and a note added there is stored against the admin's object.
 */
t.test('the Activities tab on an admin-created object, in a browser', async (t) => {
  const kernel = await startTestKernel(t, { PLUGINS_CONFIG: `${REPO_ROOT}/plugins.config.json` });
  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'], headless: true });
  t.teardown(() => browser.close());
  const session = await signUp(kernel.app, { workspace: 'Any object' });
  const client = api(kernel.app, session);
  const created = await client.post('/api/metadata/objects', { name: 'contract', label_singular: 'Contract', label_plural: 'Contracts', fields: [{ name: 'title', type: 'text' }] });
  t.equal(created.status, 201, JSON.stringify(created.body).slice(0, 300));
  const contract = (await client.post('/api/objects/contract', { title: 'Master agreement' })).body.data as { id: string };

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/objects/contract/${contract.id}`);
  const tabs = page.locator('mosaic-record-page').getByRole('tab', { name: 'Activities' });
  await tabs.first().waitFor();
  t.equal(await tabs.count(), 1, 'one Activities tab');
  await tabs.click();
  const tab = page.locator('activities-record-tab');
  await tab.getByPlaceholder('Write a note (Markdown)').fill('Renewal is **automatic**.');
  await tab.getByRole('button', { name: 'Add note' }).click();
  await tab.locator('.note strong', { hasText: /^automatic$/ }).waitFor();
  const notes = (await client.get(`/api/objects/note?filter=${encodeURIComponent(`target_id[eq]:"${contract.id}"`)}`)).body.data as { body: string; target_object: string }[];
  t.match(notes, [{ body: 'Renewal is **automatic**.', target_object: 'contract' }], 'stored against the contract');
  t.same(problems, [], 'no console errors or failed requests');
});
