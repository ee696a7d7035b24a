import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { sessionFrom, TEST_PASSWORD, uniqueEmail } from '../../kernel/test/helpers/auth.js';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { waitFor } from '../../kernel/test/helpers/wait.js';
import { writeLifecycleVersion } from '../../kernel/test/plugins/fixtures/lifecycle.js';
import { tempDir } from '../../kernel/test/plugins/fixtures/sample.js';
import { CHROMIUM, openPage, openSignedInPage, waitForColumn } from './browser.js';

/** The focused element's accessible text, through shadow roots. */
function focused(page: import('playwright-core').Page): Promise<string | null> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? el.getAttribute('aria-label') ?? el.textContent?.trim() ?? null : null;
  });
}

const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

t.test('an admin manages an object and its fields in Settings → Data model; a plugin’s object stays locked', async (t) => {
  const root = await tempDir('data-model-ui');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root });
  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  t.teardown(() => browser.close());
  const { page, problems } = await openPage(browser);

  // Sign up in the browser; the same member through the API installs a plugin that owns an object.
  const email = uniqueEmail('modeller');
  await page.goto(`${baseUrl}/sign-up`);
  await page.getByLabel('Your name').fill('Mo Deller');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByLabel('Workspace name').fill('Model Works');
  await page.getByRole('button', { name: 'Create workspace' }).click();
  await page.getByRole('heading', { name: 'Welcome to Model Works' }).waitFor();
  const session = sessionFrom(await kernel.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password: TEST_PASSWORD } }));
  const client = api(kernel.app, session);
  t.equal((await client.post('/api/metadata/objects', { name: 'deal', label_singular: 'Deal', label_plural: 'Deals', fields: [{ name: 'title', type: 'text' }] })).status, 201);
  t.equal((await client.post('/api/plugins', { path: await writeLifecycleVersion(root, '1.0.0'), grant: 'requested' })).status, 201);

  // Create an object, then open it from the list.
  await page.goto(`${baseUrl}/settings/data-model`);
  const dm = page.locator('mosaic-data-model');
  await dm.getByLabel('Singular name').fill('Project');
  await dm.locator('.field[data-index="0"]').getByLabel('Field name').fill('Name');
  await dm.getByRole('button', { name: 'Create object' }).click();
  await page.waitForURL(`${baseUrl}/objects/project`);
  const sidebar = page.locator('mosaic-sidebar');
  await sidebar.getByRole('link', { name: 'Projects' }).waitFor();
  t.equal((await client.post('/api/objects/project', { name: 'Apollo' })).status, 201);
  // Another tab has the table open: metadata changes reach it through the realtime socket.
  const other = await openSignedInPage(browser, baseUrl, session.cookie);
  await other.page.goto(`${baseUrl}/objects/project`);
  await waitForColumn(other.page, 'name', ['Apollo']);
  await page.goto(`${baseUrl}/settings/data-model`);
  await dm.getByRole('table', { name: 'Objects' }).getByRole('link', { name: 'Projects' }).click();
  await dm.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();
  t.equal(new URL(page.url()).search, '?object=project', 'the object has an address of its own');
  const fields = dm.getByRole('table', { name: 'Fields' });
  t.match(await fields.locator('tr[data-field="id"]').textContent(), /System/, 'system fields are listed, marked and locked');
  t.equal(await fields.locator('tr[data-field="id"]').getByRole('button').count(), 0, 'a system field has no edit or delete');

  // Add a select field with two options, from the keyboard where it matters.
  await dm.getByRole('button', { name: '+ Add field' }).click();
  const form = dm.locator('mosaic-field-form');
  await form.getByLabel('Label', { exact: true }).fill('Phase');
  t.equal(await form.getByLabel('API name').inputValue(), 'phase', 'the API name follows the label');
  await form.getByLabel('Type').selectOption('select');
  await form.getByLabel('Option 1 label').fill('Planned');
  await form.getByLabel('Option 1 label').press('Enter');
  await page.keyboard.type('Active');
  await form.getByLabel('Default value').selectOption({ label: 'Planned' });
  await form.getByRole('button', { name: 'Add field' }).click();
  await fields.locator('tr[data-field="phase"]').waitFor();
  t.match(await fields.locator('tr[data-field="phase"]').textContent(), /Phase.*Select.*Custom/s);
  const added = (await client.get('/api/metadata/objects/project')).body.data.fields.find((f: { name: string }) => f.name === 'phase');
  t.same(added.options.options, [{ value: 'planned', label: 'Planned' }, { value: 'active', label: 'Active' }], 'Enter in an option adds the next one');
  t.equal(added.default_value, 'planned', 'the default, one of the options');

  // It is a column of the table at once, here and in the other tab.
  await other.page.locator('mosaic-record-table th[data-field="phase"]', { hasText: 'Phase' }).waitFor();
  await dm.getByRole('link', { name: 'Open table' }).click();
  await page.locator('mosaic-record-table th[data-field="phase"]', { hasText: 'Phase' }).waitFor();
  await page.goBack();
  await dm.getByRole('heading', { name: 'Projects', level: 1 }).waitFor();

  // Rename its label, rename an option, add one and move it up.
  await fields.getByRole('button', { name: 'Edit field Phase' }).click();
  t.equal(await form.getByLabel('Type').isDisabled(), true, "an existing field's type is fixed");
  await form.getByLabel('Label', { exact: true }).fill('Stage');
  await form.getByLabel('Option 1 label').fill('Planning');
  await form.getByRole('button', { name: '+ Add option' }).click();
  await form.getByLabel('Option 3 label').fill('Done');
  await form.getByRole('button', { name: 'Move Done up' }).click();
  await form.getByRole('button', { name: 'Save field' }).click();
  await form.waitFor({ state: 'detached' });
  await fields.locator('tr[data-field="phase"]', { hasText: 'Stage' }).waitFor();
  const phase = (await client.get('/api/metadata/objects/project')).body.data.fields.find((f: { name: string }) => f.name === 'phase');
  t.equal(phase.label, 'Stage');
  t.same(phase.options.options, [{ value: 'planned', label: 'Planning' }, { value: 'done', label: 'Done' }, { value: 'active', label: 'Active' }], 'values kept, new one added, order as arranged');

  // A whole-number field, and a relation to deals with a name for the list on the other side.
  await dm.getByRole('button', { name: '+ Add field' }).click();
  await form.getByLabel('Label', { exact: true }).fill('Headcount');
  await form.getByLabel('Type').selectOption('number');
  await form.getByLabel('Precision').selectOption('integer');
  await form.getByLabel('Decimals shown').fill('0');
  await form.getByRole('button', { name: 'Add field' }).click();
  await fields.locator('tr[data-field="headcount"]').waitFor();
  await dm.getByRole('button', { name: '+ Add field' }).click();
  await form.getByLabel('Label', { exact: true }).fill('Main deal');
  await form.getByLabel('Type').selectOption('relation');
  await form.getByLabel('Points to').selectOption({ label: 'Deal' });
  await form.getByLabel('Name on the other side').fill('Projects');
  await form.getByRole('button', { name: 'Add field' }).click();
  await form.waitFor({ state: 'detached' });
  const model = (await client.get('/api/metadata/objects/project')).body.data.fields as { name: string; type: string; options: Record<string, unknown> }[];
  t.match(model.find((f) => f.name === 'headcount'), { type: 'number', options: { precision: 'integer', decimals: 0 } }, 'the number field as set');
  t.match(model.find((f) => f.type === 'relation'), { options: { target: 'deal' } }, 'the relation points to deals');
  const deal = (await client.get('/api/metadata/objects/deal')).body.data.fields as { label: string; type: string }[];
  t.ok(deal.some((f) => f.label === 'Projects'), 'deals list their projects under the name typed');
  t.equal((await client.post('/api/objects/project', { name: 'Gemini', headcount: 2.5 })).status, 400, 'a whole-number field refuses a fraction');

  // A duplicate name: the kernel's error sits on the API name input, and the draft stays.
  await dm.getByRole('button', { name: '+ Add field' }).click();
  await form.getByLabel('Label', { exact: true }).fill('Name');
  await form.getByRole('button', { name: 'Add field' }).click();
  const nameError = form.locator('#field-name-error');
  await nameError.waitFor();
  t.match(await nameError.textContent(), /already has a field named "name"/);
  t.equal(await form.locator('#field-name').getAttribute('aria-invalid'), 'true');
  t.match(await form.getByRole('alert').textContent(), /MOSAIC_ERR_FIELD_EXISTS/, 'the code is shown too');
  t.equal(await form.getByLabel('Label', { exact: true }).inputValue(), 'Name', 'nothing typed is lost');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await form.waitFor({ state: 'detached' });
  t.equal(await focused(page), '+ Add field', 'focus returns to the button that opened the form');

  // Delete the field: the dialog names what is lost; Escape backs out, the button deletes.
  await fields.getByRole('button', { name: 'Delete field Stage' }).click();
  const dialog = dm.getByRole('alertdialog', { name: 'Delete the field Stage?' });
  await dialog.waitFor();
  t.match(await dialog.getByRole('list', { name: 'What is lost' }).textContent(), /“Stage” value of every project record/);
  t.equal(await focused(page), 'Cancel', 'the dialog takes focus');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  t.equal(await focused(page), 'Cancel', 'Tab stays inside the dialog');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  t.equal(await focused(page), 'Delete field Stage', 'and gives it back on Escape');
  await fields.getByRole('button', { name: 'Delete field Stage' }).click();
  await dialog.getByRole('button', { name: 'Delete field' }).click();
  await fields.locator('tr[data-field="phase"]').waitFor({ state: 'detached' });

  // Delete the object: only after typing its name; it leaves the sidebar.
  await dm.getByRole('button', { name: 'Delete Projects…' }).click();
  const objectDialog = dm.getByRole('alertdialog', { name: 'Delete Projects?' });
  const confirm = objectDialog.getByRole('button', { name: 'Delete object' });
  t.equal(await confirm.isDisabled(), true, 'disabled until the name is typed');
  await objectDialog.getByLabel('Type project to confirm').fill('project');
  await confirm.click();
  await dm.getByRole('table', { name: 'Objects' }).waitFor();
  t.equal(new URL(page.url()).search, '', 'back on the list');
  await waitFor(async () => (await sidebar.getByRole('link', { name: 'Projects' }).count()) === 0);
  t.equal(await sidebar.getByRole('link', { name: 'Projects' }).count(), 0, 'gone from the sidebar');
  t.equal((await client.get('/api/metadata/objects/project')).status, 404);

  // The plugin's object: its owner shown, its fields and the object locked with the reason.
  const row = dm.getByRole('table', { name: 'Objects' }).locator('tr[data-object="life_note"]');
  t.match(await row.textContent(), /Lifecycle plugin/);
  await row.getByRole('link').click();
  await dm.getByRole('note').filter({ hasText: 'Added by the plugin Lifecycle plugin' }).waitFor();
  t.equal(await dm.getByLabel('API name').isDisabled(), true, "the plugin's object keeps its name");
  t.equal(await fields.getByRole('button', { name: /^Delete field/ }).count(), 0, 'no field of the plugin can be deleted');
  t.equal(await dm.getByRole('button', { name: /^Delete Life/ }).count(), 0, 'nor the object');
  await fields.getByRole('button', { name: 'Edit field Title' }).click();
  t.equal(await form.getByLabel('API name').isDisabled(), true);
  await form.getByLabel('Label', { exact: true }).fill('Heading');
  await form.getByRole('button', { name: 'Save field' }).click();
  await fields.locator('tr[data-field="title"]', { hasText: 'Heading' }).waitFor();
  // Its labels are the admin's: relabelled, the sidebar follows.
  await dm.getByLabel('Singular label').fill('Memo');
  await dm.getByLabel('Plural label').fill('Memos');
  await dm.getByRole('button', { name: 'Save object' }).click();
  await dm.getByRole('heading', { name: 'Memos', level: 1 }).waitFor();
  await sidebar.getByRole('link', { name: 'Memos' }).waitFor();

  // On a phone the page fits the width; the fields table scrolls inside itself.
  await page.setViewportSize({ width: 390, height: 844 });
  const widths = await page.evaluate(() => ({ viewport: window.innerWidth, document: document.documentElement.scrollWidth }));
  t.ok(widths.document <= widths.viewport, `no sideways page scroll on a phone (${widths.document} ≤ ${widths.viewport})`);

  t.same([...problems, ...other.problems], [], 'no script errors or CSP violations');
});
