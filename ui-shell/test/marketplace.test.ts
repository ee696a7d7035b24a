import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { waitFor } from '../../kernel/test/helpers/wait.js';
import { CHROMIUM, openSignedInPage } from './browser.js';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(repo, 'plugin-sdk/bin/mosaic-plugin.js');

/** Runs `mosaic-plugin` as an author would; fails the test with its output when it fails. */
function cli(args: readonly string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { cwd, timeout: 180_000 }, (error, stdout, stderr) => (error ? reject(new Error(`mosaic-plugin ${args[0]} failed: ${stderr}${stdout}`)) : resolve(stdout)));
  });
}

/** The enrichment API on loopback: it knows acme.test. */
async function enrichmentApi(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const server = createServer((req, res) => {
    const domain = new URL(req.url ?? '/', 'http://x').searchParams.get('domain');
    if (req.url?.startsWith('/v1/companies?') && domain === 'acme.test') res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ industry: 'Rockets', employees: 420 }));
    else res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
}

t.test('an admin installs a third-party plugin from a marketplace in the browser; its field, tab and handler work', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'mosaic-ui-market-'));
  const market = join(root, 'market');
  const apiUrl = await enrichmentApi(t);

  // The author's side: a copy of the example (its own node_modules linked to the repository's, as
  // after npm install), its HTTP allow-list pointed at the loopback API (the kernel enforces the
  // allow-list), built, signed and published; the companies plugin it depends on is published too.
  const plugin = join(root, 'company-enrichment');
  await cp(join(repo, 'examples/company-enrichment'), plugin, { recursive: true, filter: (src) => !/[/\\](node_modules|dist)$/.test(src) });
  await symlink(join(repo, 'node_modules'), join(plugin, 'node_modules'), 'dir');
  const manifest = JSON.parse(await readFile(join(plugin, 'mosaic-plugin.json'), 'utf8'));
  manifest.permissions.http = [`${apiUrl}/*`];
  await writeFile(join(plugin, 'mosaic-plugin.json'), JSON.stringify(manifest, null, 2));
  await cli(['keygen', '--out', join(root, 'keys'), '--name', 'northwind'], root);
  await cli(['keygen', '--out', join(root, 'keys'), '--name', 'mosaic'], root);
  await cli(['pack', plugin, '--key', join(root, 'keys/northwind.key'), '--out', join(root, 'out/enrichment.tgz')], root);
  await cli(['pack', join(repo, 'plugins/companies'), '--no-build', '--key', join(root, 'keys/mosaic.key'), '--out', join(root, 'out/companies.tgz')], root);
  await cli(['publish', join(root, 'out/companies.tgz'), '--to', market, '--publisher', 'mosaic', '--publisher-name', 'Mosaic CRM', '--public-key', join(root, 'keys/mosaic.pub.json')], root);
  await cli(['publish', join(root, 'out/enrichment.tgz'), '--to', market, '--publisher', 'northwind', '--publisher-name', 'Northwind Data', '--public-key', join(root, 'keys/northwind.pub.json')], root);
  const keys = await Promise.all(['northwind', 'mosaic'].map(async (n) => JSON.parse(await readFile(join(root, `keys/${n}.pub.json`), 'utf8')) as { key_id: string; public_key: string }));

  // The admin's side: a kernel configured with the marketplace and the publishers' keys.
  const kernel = await startTestKernel(t, {
    MARKETPLACES: market,
    TRUSTED_PUBLISHER_KEYS: keys.map((k) => `${k.key_id}:${k.public_key}`).join(','),
    PLUGIN_HTTP_ALLOW_PRIVATE: 'true',
    MOSAIC_DATA_DIR: join(root, 'data', 'pg'),
  });
  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'], headless: true });
  t.teardown(() => browser.close());
  const admin = await signUp(kernel.app);
  const client = api(kernel.app, admin);

  const { page, problems } = await openSignedInPage(browser, baseUrl, admin.cookie);
  await page.goto(`${baseUrl}/settings/marketplace`);
  const store = page.locator('mosaic-marketplace-page');
  const rows = store.getByRole('table', { name: 'Marketplace plugins' });
  await rows.getByRole('button', { name: 'Company enrichment' }).waitFor();
  await store.getByLabel('Search').fill('northwind');
  await store.getByRole('button', { name: 'Search' }).click();
  await waitFor(async () => (await rows.getByRole('row').count()) === 2, 10_000);
  t.same(await rows.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-plugin'))), ['company-enrichment'], 'search by publisher');
  t.match(await rows.locator('tbody tr').textContent(), /Signed by a trusted publisher/);

  await rows.getByRole('button', { name: 'Company enrichment' }).click();
  const details = store.getByRole('region', { name: 'Company enrichment details' });
  await details.waitFor();
  t.match(await details.textContent(), /By Northwind Data/);
  const version = details.locator('tr[data-version="1.0.0"]');
  t.match(await version.textContent(), /companies \^1\.0\.0/, 'the dependency is shown');
  t.match(await version.textContent(), new RegExp(`${apiUrl.replace(/[.:/]/g, '\\$&')}`), 'the allow-listed API in plain words');

  // Install: the consent screen shows the whole plan, dependency included; Cancel installs nothing.
  await version.getByRole('button', { name: 'Install' }).click();
  const consent = page.getByRole('dialog', { name: /Install Company enrichment with Companies 1\.0\.0/ });
  await consent.waitFor();
  const asked = (await consent.getByRole('listitem').allTextContents()).map((s) => s.trim());
  t.ok(asked.some((s) => s.includes(apiUrl)), 'the HTTP permission is on the consent screen');
  t.ok(asked.length >= 3, `every permission of the plan: ${asked.join(' | ')}`);
  await consent.getByRole('button', { name: 'Cancel' }).click();
  await consent.waitFor({ state: 'detached' });
  t.same((await client.get('/api/plugins')).body.data, [], 'cancelled: nothing installed');
  await version.getByRole('button', { name: 'Install' }).click();
  await consent.getByRole('button', { name: /^Grant/ }).click();
  await consent.waitFor({ state: 'detached' });
  await version.getByText('Installed').waitFor();
  t.same((await client.get('/api/plugins')).body.data.map((p: { id: string; version: string }) => `${p.id}@${p.version}`), ['companies@1.0.0', 'company-enrichment@1.0.0'], 'both installed, dependency first');
  t.equal((await client.patch('/api/plugins/company-enrichment', { settings: { api_url: apiUrl } })).status, 200);

  // A new company is enriched by the plugin's event handler; the field and the tab show it.
  const acme = (await client.post('/api/objects/company', { name: 'Acme', domain: 'acme.test' })).body.data;
  const enriched = await waitFor(async () => (await client.get(`/api/objects/company/${acme.id}`)).body.data.enriched_industry, 30_000, 100);
  t.equal(enriched, 'Rockets', 'the handler called the API and wrote the field');
  await page.goto(`${baseUrl}/objects/company/${acme.id}`);
  await page.locator('mosaic-record-page dd[data-field="enriched_industry"]', { hasText: 'Rockets' }).waitFor();
  const labels = (await page.locator('mosaic-record-page dt').allTextContents()).map((s) => s.trim());
  t.ok(labels.includes('Industry (enriched)') && labels.includes('Employees (enriched)'), 'the new fields are on the record page, with their labels');
  await page.getByRole('tab', { name: 'Enrichment' }).click();
  const tab = page.locator('company-enrichment-tab');
  await tab.locator('dd[data-field="employees"]', { hasText: '420' }).waitFor();
  t.match(await tab.locator('dd[data-field="industry"]').textContent(), /Rockets/, 'the plugin view renders');

  // 1.1.0 asks for more: Upgrade opens the consent screen with what is new; 1.0.0 runs until granted.
  manifest.version = '1.1.0';
  manifest.permissions.kv = true;
  await writeFile(join(plugin, 'mosaic-plugin.json'), JSON.stringify(manifest, null, 2));
  await cli(['pack', plugin, '--no-build', '--key', join(root, 'keys/northwind.key'), '--out', join(root, 'out/enrichment-1.1.0.tgz')], root);
  await cli(['publish', join(root, 'out/enrichment-1.1.0.tgz'), '--to', market], root);
  await page.goto(`${baseUrl}/settings/marketplace`);
  await rows.getByRole('button', { name: 'Company enrichment' }).click();
  await details.locator('tr[data-version="1.1.0"]').getByRole('button', { name: 'Upgrade' }).click();
  const upgrade = page.getByRole('dialog', { name: 'Upgrade Company enrichment 1.1.0?' });
  await upgrade.waitFor();
  t.same((await upgrade.locator('li.new').allTextContents()).map((s) => s.trim()), ['Store its own dataNew'], 'only the added permission is marked new');
  t.equal((await client.get('/api/plugins/company-enrichment')).body.version, '1.0.0', 'the old version runs while consent waits');
  await upgrade.getByRole('button', { name: /^Grant/ }).click();
  await details.locator('tr[data-version="1.1.0"]').getByText('Installed').waitFor();
  t.equal((await client.get('/api/plugins/company-enrichment')).body.version, '1.1.0');

  // The marketplace revokes the installed version: the page says so, with the reason.
  await cli(['revoke', 'company-enrichment@1.1.0', '--from', market, '--reason', 'sends data to the wrong host'], root);
  await page.goto(`${baseUrl}/settings/marketplace`);
  await rows.locator('tr[data-plugin="company-enrichment"]').getByText('Revoked').waitFor();
  await rows.getByRole('button', { name: 'Company enrichment' }).click();
  t.match(await details.getByRole('alert').textContent(), /1\.1\.0 was revoked by the marketplace: sends data to the wrong host/);
  t.same(problems, [], 'no script errors or CSP violations');
});
