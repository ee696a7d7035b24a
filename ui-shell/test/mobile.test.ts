import t from 'tap';
import type { Page } from 'playwright-core';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { DEAL_OBJECT, openSignedInPage, startBrowserKernel, waitForColumn } from './browser.js';

/** Widths that tell whether anything but the table's own scroller overflows sideways. */
function overflow(page: Page) {
  return page.evaluate(() => {
    const app = document.querySelector('mosaic-app')!.shadowRoot!;
    const main = app.querySelector('main')!;
    const table = main.querySelector('mosaic-object-page')?.shadowRoot?.querySelector('mosaic-record-table')?.shadowRoot?.querySelector('.scroller');
    return {
      viewport: window.innerWidth,
      document: document.documentElement.scrollWidth,
      main: { scroll: main.scrollWidth, client: main.clientWidth },
      table: table ? { scroll: table.scrollWidth, client: table.clientWidth } : null,
    };
  });
}

t.test('on a phone the sidebar folds behind a menu button and nothing but the table scrolls sideways', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const session = await signUp(kernel.app, { workspace: 'Pocket Workspace' });
  const client = api(kernel.app, session);
  const wide = [...DEAL_OBJECT.fields, ...['Contact', 'Region', 'Source', 'Owner notes', 'Next step'].map((label) => ({ name: label.toLowerCase().replace(' ', '_'), type: 'text', label }))];
  t.equal((await client.post('/api/metadata/objects', { ...DEAL_OBJECT, fields: wide })).status, 201);
  t.equal((await client.post('/api/metadata/objects', { name: 'company', label_singular: 'Company', label_plural: 'Companies', fields: [{ name: 'name', type: 'text', label: 'Name' }] })).status, 201);
  const deal = (await client.post('/api/objects/deal', { name: 'Acme', stage: 'lead', employees: 12, contact: 'Wile E. Coyote, procurement', region: 'Southwest desert', source: 'Catalogue order form', owner_notes: 'Orders often, pays late', next_step: 'Send the rocket skates brochure' })).body.data;
  await client.post('/api/objects/company', { name: 'Globex' });

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${baseUrl}/objects/deal`);
  await waitForColumn(page, 'name', ['Acme']);

  // Collapsed: a menu button, and the sidebar's links are not shown.
  const menu = page.getByRole('button', { name: 'Menu' });
  t.equal(await menu.getAttribute('aria-expanded'), 'false');
  const companies = page.locator('mosaic-sidebar').getByRole('link', { name: 'Companies' });
  t.notOk(await companies.isVisible(), 'the sidebar is folded away');

  // Nothing overflows sideways but the table, which scrolls inside itself.
  let widths = await overflow(page);
  t.ok(widths.document <= widths.viewport, `the page is no wider than the phone (${widths.document} ≤ ${widths.viewport})`);
  t.ok(widths.main.scroll <= widths.main.client, `the main area does not scroll sideways (${widths.main.scroll} ≤ ${widths.main.client})`);
  t.ok(widths.table && widths.table.scroll > widths.table.client, 'the table scrolls sideways in its own scroller');
  t.ok(widths.table && widths.table.client <= widths.viewport, 'and that scroller fits the phone');

  // The menu opens the sidebar; Escape closes it and focus returns to the button.
  await menu.click();
  t.equal(await menu.getAttribute('aria-expanded'), 'true');
  await companies.waitFor({ state: 'visible' });
  await page.keyboard.press('Escape');
  await companies.waitFor({ state: 'hidden' });
  t.equal(await menu.getAttribute('aria-expanded'), 'false');
  t.equal(await page.evaluate(() => document.querySelector('mosaic-app')!.shadowRoot!.querySelector('mosaic-sidebar')!.shadowRoot!.activeElement?.getAttribute('aria-label')), 'Menu', 'focus is back on the menu button');

  // Following a link navigates and folds the sidebar again.
  await menu.click();
  await companies.click();
  await page.locator('mosaic-object-page h1', { hasText: 'Companies' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/objects/company');
  t.equal(await menu.getAttribute('aria-expanded'), 'false', 'the sidebar folded after navigating');
  t.notOk(await companies.isVisible());

  // The record page stacks each label over its value, within the width.
  await page.goto(`${baseUrl}/objects/deal/${deal.id}`);
  const label = page.locator('mosaic-record-page dt', { hasText: 'Next step' });
  const value = page.locator('mosaic-record-page dd[data-field="next_step"]');
  await value.waitFor();
  const [l, v] = [(await label.boundingBox())!, (await value.boundingBox())!];
  t.ok(v.y >= l.y + l.height - 1, 'the value sits under its label');
  t.ok(Math.abs(v.x - l.x) < 2, 'aligned to the same left edge');
  widths = await overflow(page);
  t.ok(widths.document <= widths.viewport && widths.main.scroll <= widths.main.client, 'the record page does not overflow sideways');

  // The board scrolls inside itself too.
  await page.goto(`${baseUrl}/objects/deal`);
  await page.getByRole('button', { name: 'Board' }).click();
  await page.locator('mosaic-record-board [draggable]', { hasText: 'Acme' }).waitFor();
  widths = await overflow(page);
  t.ok(widths.document <= widths.viewport && widths.main.scroll <= widths.main.client, `the board does not overflow the page (${JSON.stringify(widths)})`);

  // Settings pages: a wide members table scrolls inside its section, not the page.
  await page.goto(`${baseUrl}/settings/members`);
  await page.locator('mosaic-members-page table').first().waitFor();
  widths = await overflow(page);
  t.ok(widths.document <= widths.viewport && widths.main.scroll <= widths.main.client, `Settings → Members fits the width (${JSON.stringify(widths)})`);

  // Search from the bar.
  await page.locator('mosaic-sidebar').getByRole('button', { name: 'Search' }).click();
  await page.getByRole('dialog', { name: 'Search and commands' }).waitFor();
  await page.keyboard.press('Escape');

  // A laptop width: the sidebar shows, the menu button does not.
  await page.setViewportSize({ width: 1280, height: 800 });
  await companies.waitFor({ state: 'visible' });
  t.notOk(await menu.isVisible(), 'no menu button on a laptop');
  t.equal(Math.round((await page.locator('mosaic-sidebar').boundingBox())!.width), 240, 'the sidebar keeps its width');

  t.same(problems, [], 'no script errors and no CSP violations');
});
