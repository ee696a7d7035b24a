import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { lifecycleBundle, lifecycleManifest, noteObject } from '../../kernel/test/plugins/fixtures/lifecycle.js';
import { tempDir, writePlugin } from '../../kernel/test/plugins/fixtures/sample.js';
import { CHROMIUM, DEAL_OBJECT, openSignedInPage } from './browser.js';

/** Settings of every type the form generates, one of them required, with defaults. */
const SETTINGS = {
  type: 'object',
  additionalProperties: false,
  required: ['channel'],
  properties: {
    channel: { type: 'string', title: 'Channel', minLength: 1, description: 'Where notes are announced.' },
    threshold: { type: 'integer', title: 'Threshold', minimum: 1, maximum: 100, default: 10 },
    mode: { title: 'Mode', enum: ['daily', 'weekly'], default: 'daily' },
    notify: { type: 'boolean', title: 'Notify', default: true },
  },
};

/** A version of the lifecycle test plugin with those settings and one secret; `more` asks for more permissions. */
function writeVersion(root: string, version: string, more = false): Promise<string> {
  const base = lifecycleManifest(version, { settings: SETTINGS, morePermissions: more });
  const manifest = { ...base, permissions: { ...base.permissions, secrets: true }, secrets: ['API_TOKEN'] };
  return writePlugin(root, `life-${version}`, manifest, lifecycleBundle(version, { note: noteObject() }));
}

t.test('an admin installs a plugin with consent, configures it, switches it off and on, and consents to an upgrade', async (t) => {
  const root = await tempDir('ui-plugins');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root });
  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'], headless: true });
  t.teardown(() => browser.close());
  const admin = await signUp(kernel.app);
  const client = api(kernel.app, admin);
  t.equal((await client.post('/api/metadata/objects', DEAL_OBJECT)).status, 201);
  const v1 = await writeVersion(root, '1.0.0');

  const { page, problems } = await openSignedInPage(browser, baseUrl, admin.cookie);
  await page.goto(`${baseUrl}/settings/plugins`);
  const list = page.locator('mosaic-plugins-page');
  await list.getByText('No plugins installed.').waitFor();

  // Install from a folder: the consent screen lists the permissions; Cancel installs nothing.
  await list.getByLabel('Plugin folder').fill(v1);
  await list.getByRole('button', { name: 'Install…' }).click();
  const consent = page.getByRole('dialog', { name: 'Install Lifecycle plugin 1.0.0?' });
  await consent.waitFor();
  const asked = (await consent.getByRole('listitem').allTextContents()).map((s) => s.trim());
  t.ok(asked.includes('Read and update Deal records'), 'record access in plain words');
  t.ok(asked.some((s) => /record\.created/.test(s)), 'event access in plain words');
  await consent.getByRole('button', { name: 'Cancel' }).click();
  await consent.waitFor({ state: 'detached' });
  t.same((await client.get('/api/plugins')).body.data, [], 'cancelled: nothing installed');
  await list.getByRole('button', { name: 'Install…' }).click();
  await consent.getByRole('button', { name: /^Grant/ }).click();
  const detail = page.locator('mosaic-plugin-detail');
  await detail.getByRole('heading', { name: /Lifecycle plugin/ }).waitFor();
  t.equal(new URL(page.url()).pathname, '/settings/plugins/life', 'the new plugin opens');
  t.same((await detail.getByRole('list', { name: 'Granted permissions' }).getByRole('listitem').allTextContents()).map((s) => s.trim()), asked, 'the granted permissions, as consented');

  // The settings form from the schema: defaults filled in, a required field, the API's errors on the fields.
  const form = detail.locator('mosaic-plugin-settings-form');
  t.equal(await form.getByLabel('Threshold').inputValue(), '10', 'the default');
  t.equal(await form.getByLabel('Notify').isChecked(), true);
  t.equal(await form.getByLabel('Mode').locator('option:checked').textContent(), 'daily');
  t.equal(await form.getByLabel('API_TOKEN').getAttribute('type'), 'password', 'a secret is a password input');
  await form.getByLabel('Threshold').fill('500');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await form.getByText('is required').waitFor();
  t.match(await form.locator('label', { has: page.getByLabel('Threshold') }).textContent(), /must be <= 100/, 'the range error, on its field');
  t.equal(await form.getByLabel('Channel').getAttribute('aria-invalid'), 'true');
  t.equal(await form.getByLabel('Threshold').inputValue(), '500', 'what was typed is kept');
  t.notOk('channel' in (await client.get('/api/plugins/life')).body.settings, 'refused settings were not saved');

  await form.getByLabel('Channel').fill('#sales');
  await form.getByLabel('Threshold').fill('42');
  await form.getByLabel('Mode').selectOption({ label: 'weekly' });
  await form.getByLabel('Notify').uncheck();
  await form.getByLabel('API_TOKEN').fill('s3cret-token-value');
  await form.getByRole('button', { name: 'Save settings' }).click();
  await page.locator('mosaic-toasts').getByText('Settings saved.').waitFor();
  const saved = (await client.get('/api/plugins/life')).body;
  t.same(saved.settings, { channel: '#sales', threshold: 42, mode: 'weekly', notify: false }, 'the settings as typed, with their types');
  t.same(saved.secrets_set.map((s: { name: string }) => s.name), ['API_TOKEN'], 'the secret is set');
  t.equal(await form.getByLabel('API_TOKEN').inputValue(), '', 'the secret is not shown back');
  t.equal(await form.getByText('is required').count(), 0, 'errors cleared');
  await page.reload();
  await form.getByLabel('Channel').waitFor();
  t.equal(await form.getByLabel('Channel').inputValue(), '#sales', 'saved values come back');
  const everything = await page.evaluate(() => {
    // Text and input values of the whole page, shadow roots included.
    const parts: string[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of Array.from(root.querySelectorAll('*'))) {
        if (el instanceof HTMLInputElement) parts.push(el.value, el.placeholder);
        if (el.shadowRoot) {
          parts.push(el.shadowRoot.textContent ?? '');
          walk(el.shadowRoot);
        }
      }
    };
    walk(document);
    return parts.join('\n');
  });
  t.match(everything, /#sales/, 'the scan sees shadow roots and input values');
  t.notMatch(everything, /s3cret-token-value/, 'the secret is nowhere in the page');
  t.match(await form.getByLabel('API_TOKEN').getAttribute('placeholder'), /^Saved /);

  // Disable, then enable.
  await detail.getByRole('button', { name: 'Disable' }).click();
  await detail.getByText('Disabled', { exact: true }).waitFor();
  t.equal((await client.get('/api/plugins/life')).body.enabled, false, 'disabled');
  await detail.getByRole('button', { name: 'Enable' }).click();
  await detail.getByText('Enabled', { exact: true }).waitFor();
  t.equal((await client.get('/api/plugins/life')).body.enabled, true, 'enabled again');

  // Paused (as the event-storm guard pauses a plugin): the reason shows, and Reset resumes it.
  await kernel.services.plugins.lifecycle.setError(admin.workspaceId, 'life', { code: 'MOSAIC_ERR_PLUGIN_EVENT_STORM', message: 'Its event handlers caused too many events.' });
  await page.reload();
  await detail.getByText('Paused', { exact: true }).waitFor();
  await detail.getByText('Paused: Its event handlers caused too many events.').waitFor();
  await detail.getByRole('button', { name: 'Reset' }).click();
  await detail.getByText('Enabled', { exact: true }).waitFor();
  t.equal((await client.get('/api/plugins/life')).body.error, null, 'reset clears the pause');
  t.equal(await detail.getByRole('button', { name: 'Reset' }).count(), 0, 'no reset once running');

  // An upgrade that asks for more waits for consent; the consent screen marks what is new and applies it.
  const v2 = await writeVersion(root, '2.0.0', true);
  t.equal((await client.put('/api/plugins/life', { path: v2 })).status, 409, 'the upgrade waits for consent');
  await page.reload();
  await detail.getByRole('heading', { name: 'Version 2.0.0 waits for your consent' }).waitFor();
  await detail.getByRole('button', { name: 'Review permissions' }).click();
  const upgrade = page.getByRole('dialog', { name: 'Upgrade Lifecycle plugin 2.0.0?' });
  t.match(await upgrade.locator('li.new').textContent(), /Read, update and delete Deal records/, 'the grown permission, marked new');
  await upgrade.getByRole('button', { name: /^Grant/ }).click();
  await upgrade.waitFor({ state: 'detached' });
  await detail.getByRole('heading', { name: /Lifecycle plugin 2\.0\.0/ }).waitFor();
  const upgraded = (await client.get('/api/plugins/life')).body;
  t.same([upgraded.version, upgraded.pending], ['2.0.0', null], 'upgraded, nothing pending');
  t.same(upgraded.granted.records.deal, ['read', 'update', 'delete'], 'granted what the consent screen listed');

  // Uninstall from the list, keeping the data.
  await page.goto(`${baseUrl}/settings/plugins`);
  const row = list.getByRole('row', { name: /Lifecycle plugin/ });
  t.match(await row.textContent(), /2\.0\.0/);
  await row.getByRole('button', { name: 'Uninstall' }).click();
  const confirm = page.getByRole('dialog', { name: 'Uninstall Lifecycle plugin?' });
  await confirm.getByRole('button', { name: 'Uninstall, keep data' }).click();
  await list.getByText('No plugins installed.').waitFor();
  const objects = (await client.get('/api/metadata/objects')).body.data as { name: string }[];
  t.ok(objects.some((o) => o.name === noteObject()), 'its object and records stay');
  t.same(problems, [], 'no script errors and no CSP violations');
});
