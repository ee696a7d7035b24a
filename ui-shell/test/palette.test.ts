import t from 'tap';
import type { Page } from 'playwright-core';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { DEAL_OBJECT, openSignedInPage, startBrowserKernel, waitForColumn } from './browser.js';

/** What has focus, through the shadow roots: `tag:accessible-ish name`. */
function focused(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    let a = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    return a ? `${a.tagName.toLowerCase()}:${(a.getAttribute('aria-label') ?? a.textContent ?? '').trim()}` : null;
  });
}

t.test('the command palette finds records and runs commands from the keyboard', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const session = await signUp(kernel.app);
  const client = api(kernel.app, session);
  t.equal((await client.post('/api/metadata/objects', DEAL_OBJECT)).status, 201);
  t.equal((await client.post('/api/metadata/objects', { name: 'company', label_singular: 'Company', label_plural: 'Companies', fields: [{ name: 'name', type: 'text', label: 'Name' }] })).status, 201);
  const ids: Record<string, string> = {};
  for (const name of ['Zephyr rockets', 'Zephyr labs', 'Globex']) ids[name] = (await client.post('/api/objects/deal', { name, stage: 'lead' })).body.data.id;
  ids['Zephyr Holdings'] = (await client.post('/api/objects/company', { name: 'Zephyr Holdings' })).body.data.id;

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/objects/deal`);
  await waitForColumn(page, 'name', ['Globex', 'Zephyr labs', 'Zephyr rockets']);

  // Ctrl-K opens the dialog with the combobox focused; Escape closes it and focus returns.
  const filter = page.getByRole('button', { name: 'Filter' });
  await filter.focus();
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: 'Search and commands' });
  await dialog.waitFor();
  const box = dialog.getByRole('combobox', { name: 'Search records and commands' });
  t.equal(await focused(page), 'input:Search records and commands', 'the combobox has focus');
  t.equal(await box.getAttribute('aria-controls'), 'palette-list');
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  t.equal(await focused(page), 'button:Filter', 'focus returns to where it was');

  // Cmd-K opens it too; typing part of a name lists the matching records grouped by object.
  await page.keyboard.press('Meta+k');
  await dialog.waitFor();
  await box.fill('zeph');
  const listbox = dialog.getByRole('listbox');
  const dealOptions = listbox.getByRole('group', { name: 'Deals' }).getByRole('option');
  const companyOptions = listbox.getByRole('group', { name: 'Companies' }).getByRole('option');
  await dealOptions.nth(1).waitFor();
  t.same((await dealOptions.locator('.label').allTextContents()).sort(), ['Zephyr labs', 'Zephyr rockets']);
  t.same(await companyOptions.locator('.label').allTextContents(), ['Zephyr Holdings']);
  t.equal(await listbox.getByRole('option', { name: 'Globex' }).count(), 0, 'a record that does not match is not listed');

  // Arrow down to the second option, Enter opens its record.
  const first = listbox.getByRole('option').first();
  t.equal(await first.getAttribute('aria-selected'), 'true', 'the first option is active');
  t.equal(await box.getAttribute('aria-activedescendant'), await first.getAttribute('id'));
  await box.press('ArrowDown');
  const second = listbox.getByRole('option').nth(1);
  t.equal(await second.getAttribute('aria-selected'), 'true');
  t.equal(await box.getAttribute('aria-activedescendant'), await second.getAttribute('id'));
  const target = (await second.locator('.label').textContent())!;
  await box.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await page.locator('mosaic-record-page h1', { hasText: target }).waitFor();
  t.equal(new URL(page.url()).pathname, `/objects/${target === 'Zephyr Holdings' ? 'company' : 'deal'}/${ids[target]}`, 'Enter opened the highlighted record');

  // ArrowUp wraps to the last option (a command) and the sidebar's search button opens the palette.
  await page.locator('mosaic-sidebar').getByRole('button', { name: 'Search' }).click();
  await dialog.waitFor();
  await box.press('ArrowUp');
  t.equal(await listbox.getByRole('option').last().getAttribute('aria-selected'), 'true', 'ArrowUp wraps to the end');
  t.equal(await listbox.getByRole('option').last().locator('.label').textContent(), 'Sign out');

  // Commands: jump to an object's table.
  await box.fill('go to compan');
  const go = listbox.getByRole('option', { name: 'Go to Companies' });
  await go.waitFor();
  await box.press('Enter');
  await page.locator('mosaic-object-page h1', { hasText: 'Companies' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/objects/company');

  // "Create deal" opens the create form; the new record's page opens.
  await page.keyboard.press('Control+k');
  await box.fill('create deal');
  await listbox.getByRole('option', { name: 'Create deal' }).click();
  await dialog.waitFor({ state: 'detached' });
  const form = page.getByRole('dialog', { name: 'New deal' });
  await form.getByLabel('Name').fill('Made from the palette');
  await form.getByRole('button', { name: 'Create' }).click();
  await page.locator('mosaic-record-page h1', { hasText: 'Made from the palette' }).waitFor();
  const made = (await client.get(`/api/objects/deal?filter=${encodeURIComponent('name[eq]:"Made from the palette"')}`)).body.data;
  t.equal(made.length, 1, 'the record was created');
  t.equal(new URL(page.url()).pathname, `/objects/deal/${made[0].id}`);

  // Settings, then sign out.
  await page.keyboard.press('Control+k');
  await box.fill('data model');
  await listbox.getByRole('option', { name: 'Settings: Data model' }).waitFor();
  await box.press('Enter');
  await page.waitForURL(`${baseUrl}/settings/data-model`);
  await page.keyboard.press('Control+k');
  await box.fill('sign out');
  await listbox.getByRole('option', { name: 'Sign out' }).waitFor();
  await box.press('Enter');
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  t.equal((await kernel.app.inject({ method: 'GET', url: '/api/auth/session', headers: session.headers })).statusCode, 401, 'the session ended');

  t.same(problems, [], 'no script errors and no CSP violations');
});
