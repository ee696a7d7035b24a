import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { REPO_ROOT } from '../../kernel/test/helpers/main-process.js';
import { CHROMIUM, openSignedInPage } from '../../ui-shell/test/browser.js';

/**
 * The import-export plugin's page in Chromium, on the CRM as plugins.config.json assembles it: import a
 * CSV file of companies through the mapping step (the file goes from the browser to the upload URL),
 * watch it finish with its report, then download the companies as CSV.
 */
t.test('the Import & export page imports a CSV file and downloads an export, in a browser', async (t) => {
  const kernel = await startTestKernel(t, { PLUGINS_CONFIG: `${REPO_ROOT}/plugins.config.json` });
  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'], headless: true });
  t.teardown(() => browser.close());
  const session = await signUp(kernel.app, { workspace: 'Imports' });
  const client = api(kernel.app, session);
  t.equal((await client.post('/api/objects/company', { name: 'Acme Robotics', domain: 'acme-robotics.com', employees: 10 })).status, 201);

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/`);
  await page.locator('mosaic-sidebar').getByRole('link', { name: 'Import & export' }).click();
  const view = page.locator('import-export-page');
  await view.getByRole('combobox').first().waitFor();
  await view.locator('select').first().selectOption('company');

  await t.test('import: upload, map, run, report', async (t) => {
    const csv = 'Name,Domain,Employees\nAcme Robotics,acme-robotics.com,"1,200"\nGlobex,globex.com,40\nInitech,initech.com,lots\n';
    await view.locator('input[type="file"]').setInputFiles({ name: 'companies.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await view.getByText('3 rows in companies.csv').waitFor();
    t.equal(await view.getByRole('combobox', { name: 'Field for Domain' }).inputValue(), 'domain', 'the mapping step starts from suggestions');
    await view.getByRole('combobox', { name: /Update existing records matched on/ }).selectOption('domain');
    await view.getByRole('radio', { name: /Import the good rows/ }).check();
    await view.getByRole('button', { name: 'Import' }).click();
    const status = view.getByRole('status');
    await status.getByText(/updated/).waitFor();
    t.match(await status.textContent(), '1 created, 1 updated, 1 failed');
    const report = view.getByRole('table', { name: 'Problems' }).getByRole('row').nth(1);
    t.same((await report.getByRole('cell').allTextContents()).slice(0, 3), ['4', 'Employees', 'employees'], 'the per-row report names the row, column and field');
    t.match(await report.textContent(), /"lots" is not a number/);
    const companies = (await client.get('/api/objects/company?order_by=name')).body.data as { name: string; employees: number }[];
    t.same(companies.map((c) => [c.name, c.employees]), [['Acme Robotics', 1200], ['Globex', 40]]);
  });

  await t.test('export: the companies as a CSV download', async (t) => {
    const [download] = await Promise.all([page.waitForEvent('download'), view.getByRole('button', { name: 'Download CSV' }).click()]);
    const text = await readFile((await download.path())!, 'utf8');
    t.match(text, /Acme Robotics/);
    t.match(text, /Globex/);
    t.ok(text.startsWith('\uFEFF'), 'a spreadsheet-ready UTF-8 file');
  });

  t.same(problems, [], 'no script errors or CSP violations');
});
