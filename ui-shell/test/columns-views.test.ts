import t from 'tap';
import type { Page } from 'playwright-core';
import { api } from '../../kernel/test/helpers/api.js';
import { inviteAndAccept, signUp } from '../../kernel/test/helpers/auth.js';
import { waitFor } from '../../kernel/test/helpers/wait.js';
import { DEAL_OBJECT, openSignedInPage, startBrowserKernel, waitForColumn } from './browser.js';

/** The table's header fields, in display order. */
const headers = (page: Page) => page.locator('mosaic-record-table thead th[data-field]').evaluateAll((ths) => ths.map((th) => th.getAttribute('data-field') ?? ''));

async function waitForHeaders(page: Page, expected: string[]): Promise<string[]> {
  let last: string[] = [];
  await waitFor(async () => {
    last = await headers(page);
    return JSON.stringify(last) === JSON.stringify(expected);
  }, 10_000, 50);
  return last;
}

const viewParam = (page: Page) => new URL(page.url()).searchParams.get('view');
const viewOptions = (page: Page) => page.locator('mosaic-view-picker select.views option').allTextContents();

t.test('columns are hidden and reordered; a saved view comes back from its link; private views stay private', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const admin = await signUp(kernel.app);
  const client = api(kernel.app, admin);
  t.equal((await client.post('/api/metadata/objects', DEAL_OBJECT)).status, 201);
  for (const [name, stage, employees] of [['Acme', 'lead', 50], ['Globex', 'won', 10], ['Initech', 'lead', 30], ['Umbrella', 'qualified', 5]] as const) {
    t.equal((await client.post('/api/objects/deal', { name, stage, employees })).status, 201);
  }

  const { page, problems } = await openSignedInPage(browser, baseUrl, admin.cookie);
  await page.goto(`${baseUrl}/objects/deal`);
  await waitForColumn(page, 'name', ['Umbrella', 'Initech', 'Globex', 'Acme']);
  const all = await headers(page);
  t.same(all.slice(0, 3), ['name', 'stage', 'employees'], 'every field, in metadata order');

  // The Columns menu: hide Employees, move Stage before Name — with the keyboard.
  await page.getByRole('button', { name: 'Columns' }).click();
  const menu = page.locator('mosaic-column-menu');
  await menu.getByRole('checkbox', { name: 'Employees' }).uncheck();
  await waitForHeaders(page, all.filter((f) => f !== 'employees'));
  await menu.getByRole('button', { name: 'Move Stage up' }).focus();
  await page.keyboard.press('Enter');
  const arranged = ['stage', 'name', ...all.filter((f) => !['name', 'stage', 'employees'].includes(f))];
  t.same(await waitForHeaders(page, arranged), arranged, 'Employees hidden, Stage first');
  t.equal(await menu.getByRole('checkbox', { name: 'Employees' }).isChecked(), false, 'Employees listed as hidden');
  await page.keyboard.press('Escape');
  await menu.locator('.menu').waitFor({ state: 'detached' });

  // Filter stage = Lead, sort by name: save it all as a view.
  await page.getByRole('button', { name: 'Filter' }).click();
  const builder = page.locator('mosaic-filter-builder');
  await builder.getByRole('button', { name: '+ Add condition' }).click();
  const row = builder.locator('.row[data-index="0"]');
  await row.getByLabel('Field').selectOption({ label: 'Stage' });
  await row.getByLabel('Operator').selectOption({ label: 'is' });
  await row.getByLabel('Value').selectOption({ label: 'Lead' });
  await builder.getByRole('button', { name: 'Apply' }).click();
  await page.locator('mosaic-record-table th[data-field="name"] button').click();
  t.same(await waitForColumn(page, 'name', ['Acme', 'Initech']), ['Acme', 'Initech'], 'leads by name');

  await page.getByRole('button', { name: 'Save as view…' }).click();
  await page.getByLabel('View name').fill('Leads by name');
  await page.getByRole('button', { name: 'Save view' }).click();
  await waitFor(async () => viewParam(page) !== null, 10_000, 50);
  const leadsId = viewParam(page)!;
  const stored = (await client.get('/api/views?object=deal')).body.data as { id: string; name: string; filter: string; order_by: string; columns: string[]; shared: boolean }[];
  t.equal(stored.length, 1);
  t.match(stored[0], { id: leadsId, name: 'Leads by name', filter: 'stage[eq]:"lead"', order_by: 'name[AscNullsLast]', shared: false });
  t.same(stored[0]!.columns, arranged, 'the columns, in order');
  t.equal(await page.getByRole('button', { name: 'Save as view…' }).count(), 0, 'nothing left to save');

  // A fresh page from the link: the same columns, filter and sort.
  await page.goto(`${baseUrl}/objects/deal?view=${leadsId}`);
  t.same(await waitForColumn(page, 'name', ['Acme', 'Initech']), ['Acme', 'Initech'], 'filter and sort restored');
  t.same(await waitForHeaders(page, arranged), arranged, 'columns restored');
  t.equal(await page.locator('mosaic-record-table th[data-field="name"]').getAttribute('aria-sort'), 'ascending');
  t.equal(await page.locator('mosaic-view-picker select.views').inputValue(), leadsId, 'the picker shows the view');
  await page.getByRole('button', { name: /^Filter · 1/ }).waitFor();

  // A change makes the view "dirty"; saving changes updates it. Then rename it.
  await page.locator('mosaic-record-table th[data-field="name"] button').click();
  t.same(await waitForColumn(page, 'name', ['Initech', 'Acme']), ['Initech', 'Acme']);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await waitFor(async () => (await client.get(`/api/views?object=deal`)).body.data[0].order_by === 'name[DescNullsLast]', 10_000, 100);
  await page.getByRole('button', { name: 'View options' }).click();
  await page.getByRole('menuitem', { name: 'Rename…' }).click();
  await page.getByLabel('View name').fill('Leads Z–A');
  await page.getByRole('button', { name: 'Rename', exact: true }).click();
  await waitFor(async () => JSON.stringify(await viewOptions(page)) === JSON.stringify(['All deals', 'Leads Z–A']), 10_000, 50);

  // "All deals": everything again, and the address says so.
  await page.locator('mosaic-view-picker select.views').selectOption({ label: 'All deals' });
  t.same(await waitForColumn(page, 'name', ['Umbrella', 'Initech', 'Globex', 'Acme']), ['Umbrella', 'Initech', 'Globex', 'Acme']);
  t.same(await waitForHeaders(page, all), all);
  t.equal(viewParam(page), null);

  // A board view, shared with the workspace (the admin may).
  await page.getByRole('button', { name: 'Board' }).click();
  await page.locator('mosaic-record-board section').first().waitFor();
  await page.getByRole('button', { name: 'Save as view…' }).click();
  await page.getByLabel('View name').fill('Pipeline');
  await page.getByLabel('Share with the workspace').check();
  await page.getByRole('button', { name: 'Save view' }).click();
  await waitFor(async () => (await client.get('/api/views?object=deal')).body.data.length === 2, 10_000, 100);
  const pipeline = ((await client.get('/api/views?object=deal')).body.data as { name: string; layout: string; group_by: string; shared: boolean }[]).find((v) => v.name === 'Pipeline');
  t.match(pipeline, { layout: 'board', group_by: 'stage', shared: true });

  // Members: one saves a private view; the other sees the shared view only, and not the private link.
  const alice = await inviteAndAccept(kernel.app, admin, 'member');
  const bob = await inviteAndAccept(kernel.app, admin, 'member');
  const alicePage = await openSignedInPage(browser, baseUrl, alice.cookie);
  await alicePage.page.goto(`${baseUrl}/objects/deal`);
  await waitForColumn(alicePage.page, 'name', ['Umbrella', 'Initech', 'Globex', 'Acme']);
  t.same(await viewOptions(alicePage.page), ['All deals', 'Pipeline · shared'], 'a member sees shared views, not the admin\'s private one');
  await alicePage.page.locator('mosaic-record-table th[data-field="employees"] button').click();
  await alicePage.page.getByRole('button', { name: 'Save as view…' }).click();
  t.equal(await alicePage.page.getByLabel('Share with the workspace').count(), 0, 'a member cannot share');
  await alicePage.page.getByLabel('View name').fill('Alice small first');
  await alicePage.page.getByRole('button', { name: 'Save view' }).click();
  await waitFor(async () => viewParam(alicePage.page) !== null, 10_000, 50);
  const aliceView = viewParam(alicePage.page)!;

  const bobPage = await openSignedInPage(browser, baseUrl, bob.cookie);
  await bobPage.page.goto(`${baseUrl}/objects/deal?view=${aliceView}`);
  await bobPage.page.getByText('another member\'s private view').waitFor();
  t.same(await waitForColumn(bobPage.page, 'name', ['Umbrella', 'Initech', 'Globex', 'Acme']), ['Umbrella', 'Initech', 'Globex', 'Acme'], 'the private link opens all deals');
  t.same(await viewOptions(bobPage.page), ['All deals', 'Pipeline · shared'], 'Alice\'s view is not listed');
  t.equal(viewParam(bobPage.page), null, 'the address drops the view it cannot open');
  t.equal(await bobPage.page.getByRole('button', { name: 'View options' }).count(), 0);
  await bobPage.page.locator('mosaic-view-picker select.views').selectOption({ label: 'Pipeline · shared' });
  await bobPage.page.locator('mosaic-record-board section').first().waitFor();
  t.equal(await bobPage.page.getByRole('button', { name: 'View options' }).count(), 0, 'a member cannot change a shared view');

  // The owner deletes their view.
  await page.locator('mosaic-view-picker select.views').selectOption({ label: 'Leads Z–A' });
  await waitForColumn(page, 'name', ['Initech', 'Acme']);
  await page.getByRole('button', { name: 'View options' }).click();
  await page.getByRole('menuitem', { name: 'Delete…' }).click();
  await page.getByRole('button', { name: 'Delete view' }).click();
  await waitFor(async () => JSON.stringify(await viewOptions(page)) === JSON.stringify(['All deals', 'Pipeline · shared']), 10_000, 50);
  t.equal((await client.get(`/api/views?object=deal`)).body.data.length, 1);

  t.same(problems, [], 'no script errors and no CSP violations');
  t.same(alicePage.problems, []);
  t.same(bobPage.problems, []);
});
