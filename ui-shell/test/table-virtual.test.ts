import t from 'tap';
import type { Page } from 'playwright-core';
import { api, type Api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { waitFor } from '../../kernel/test/helpers/wait.js';
import { DEAL_OBJECT, openSignedInPage, startBrowserKernel } from './browser.js';

const TOTAL = 10_000;
const STAGES = ['lead', 'qualified', 'won'] as const;

/** `Deal 00000` … `Deal 09999`, 1,000 per batch call. */
async function seed(client: Api): Promise<void> {
  for (let from = 0; from < TOTAL; from += 1000) {
    const records = Array.from({ length: 1000 }, (_, i) => ({ name: `Deal ${String(from + i).padStart(5, '0')}`, stage: STAGES[(from + i) % 3], employees: from + i }));
    const res = await client.post('/api/objects/deal/batch', { records });
    if (res.status !== 200 && res.status !== 201) throw new Error(`batch: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
  }
}

const rowsInDom = (page: Page) => page.locator('mosaic-record-table tbody tr[role="row"]').count();
const scroller = (page: Page) => page.locator('mosaic-record-table .scroller');

/** The deepest focused element's row index and field, through the shadow roots. */
function focusedCell(page: Page): Promise<{ row: string | null; field: string | null }> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    return { row: active?.closest('tr')?.getAttribute('aria-rowindex') ?? null, field: active?.getAttribute('data-field') ?? null };
  });
}

t.test('10,000 rows scroll with a bounded DOM; the last one is reachable and editable', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const session = await signUp(kernel.app);
  const client = api(kernel.app, session);
  t.equal((await client.post('/api/metadata/objects', DEAL_OBJECT)).status, 201);
  await seed(client);
  t.equal((await client.get('/api/objects/deal?count=true&limit=1')).body.total_count, TOTAL);

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/objects/deal`);
  await page.locator(`mosaic-object-page .count[data-count="${TOTAL}"]`).waitFor();
  await page.locator('mosaic-record-table tbody tr[data-id]').first().waitFor();
  const table = page.locator('mosaic-record-table table');
  t.equal(await table.getAttribute('role'), 'grid');
  t.equal(await table.getAttribute('aria-rowcount'), String(TOTAL + 1), 'the grid says how many rows there are (and the header row)');
  t.ok((await rowsInDom(page)) <= 120, `few rows in the DOM at the top (${await rowsInDom(page)})`);
  const height = await scroller(page).evaluate((el) => el.scrollHeight);
  t.ok(height >= TOTAL * 30, `the scroll area is sized for every row (${height}px)`);

  // Sort by name ascending, so the last row is known.
  await page.locator('mosaic-record-table th[data-field="name"] button').click();
  await page.locator('mosaic-record-table tbody tr[aria-rowindex="2"] td[data-field="name"]', { hasText: 'Deal 00000' }).waitFor();
  await page.locator('mosaic-record-table th[data-field="name"][aria-sort="ascending"]').waitFor();

  // Jump to the bottom: the rows in between load, the last row shows, the DOM stays small.
  await scroller(page).evaluate((el) => (el.scrollTop = el.scrollHeight));
  const last = page.locator(`mosaic-record-table tbody tr[aria-rowindex="${TOTAL + 1}"]`);
  await last.locator('td[data-field="name"]', { hasText: 'Deal 09999' }).waitFor({ timeout: 60_000 });
  const domRows = await rowsInDom(page);
  t.ok(domRows > 10 && domRows <= 120, `rows in the DOM at the bottom are bounded (${domRows})`);
  t.ok(await last.isVisible(), 'the last row is in view');

  // Scroll through the middle in steps: every step shows real rows, never more than a bounded few.
  let most = 0;
  for (let top = 0; top < height; top += Math.floor(height / 25)) {
    await scroller(page).evaluate((el, y) => (el.scrollTop = y), top);
    await page.waitForFunction(() => true, undefined, { polling: 'raf' });
    most = Math.max(most, await rowsInDom(page));
  }
  t.ok(most <= 120, `at most ${most} rows in the DOM while scrolling`);
  await scroller(page).evaluate((el) => (el.scrollTop = 175_000));
  const middle = Math.round(175_000 / 34);
  await page.locator(`mosaic-record-table tbody tr[aria-rowindex="${middle + 2}"] td[data-field="name"]`, { hasText: `Deal ${String(middle).padStart(5, '0')}` }).waitFor();

  // Inline edit on a far row.
  await scroller(page).evaluate((el) => (el.scrollTop = el.scrollHeight));
  const far = page.locator('mosaic-record-table tbody tr', { hasText: 'Deal 09998' });
  await far.locator('td[data-field="employees"]').click();
  const editor = far.locator('td[data-field="employees"] input');
  await editor.fill('123456');
  await editor.press('Enter');
  await far.locator('td[data-field="employees"]:not(.editing)', { hasText: '123,456' }).waitFor();
  const stored = await client.get(`/api/objects/deal?filter=${encodeURIComponent('name[eq]:"Deal 09998"')}`);
  t.equal(stored.body.data[0].employees, 123456, 'the far edit reached the database');

  // The keyboard: after Enter the cell keeps the focus; arrows move between rows and cells.
  t.same(await focusedCell(page), { row: String(TOTAL), field: 'employees' }, 'the edited cell has the focus back');
  await page.keyboard.press('ArrowDown');
  t.same(await focusedCell(page), { row: String(TOTAL + 1), field: 'employees' }, 'ArrowDown: the next row');
  await page.keyboard.press('ArrowLeft');
  t.same(await focusedCell(page), { row: String(TOTAL + 1), field: 'stage' }, 'ArrowLeft: the previous column');
  await page.keyboard.press('Enter');
  await page.locator('mosaic-record-table tr[aria-rowindex="10001"] td[data-field="stage"] select').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('mosaic-record-table tr[aria-rowindex="10001"] td[data-field="stage"] select').waitFor({ state: 'detached' });
  t.same(await focusedCell(page), { row: String(TOTAL + 1), field: 'stage' }, 'Escape: back on the cell');
  await page.keyboard.press('Control+Home');
  await page.locator('mosaic-record-table tbody tr[aria-rowindex="2"] td[data-field="name"]', { hasText: 'Deal 00000' }).waitFor();
  t.same(await focusedCell(page), { row: '2', field: 'name' }, 'Ctrl+Home: the first cell, scrolled back up');

  // Selection survives scrolling away and back.
  await page.locator('mosaic-record-table tbody tr', { hasText: 'Deal 00001' }).getByLabel('Select row').check();
  await page.getByText('1 selected').waitFor();
  await scroller(page).evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.locator('mosaic-record-table tbody tr', { hasText: 'Deal 09999' }).waitFor();
  await scroller(page).evaluate((el) => (el.scrollTop = 0));
  t.equal(await page.locator('mosaic-record-table tbody tr', { hasText: 'Deal 00001' }).getAttribute('aria-selected'), 'true', 'still selected');

  // A change made elsewhere to a far row shows once scrolled there, and the count follows a delete.
  await page.locator('mosaic-object-page h1[data-live="true"]').waitFor();
  const target = stored.body.data[0].id as string;
  t.equal((await client.patch(`/api/objects/deal/${target}`, { employees: 7 })).status, 200);
  const first = (await client.get(`/api/objects/deal?filter=${encodeURIComponent('name[eq]:"Deal 00002"')}`)).body.data[0].id as string;
  t.equal((await client.delete(`/api/objects/deal/${first}`)).status, 200);
  await page.locator(`mosaic-object-page .count[data-count="${TOTAL - 1}"]`).waitFor();
  await waitFor(async () => (await page.locator('mosaic-record-table tbody tr', { hasText: 'Deal 00002' }).count()) === 0, 10_000, 50);
  await scroller(page).evaluate((el) => (el.scrollTop = el.scrollHeight));
  await page.locator('mosaic-record-table tbody tr', { hasText: 'Deal 09998' }).locator('td[data-field="employees"]', { hasText: /^\s*7\s*$/ }).waitFor({ timeout: 60_000 });
  t.equal(await page.locator('mosaic-record-table table').getAttribute('aria-rowcount'), String(TOTAL), 'one row fewer');

  t.same(problems, [], 'no script errors and no CSP violations');
});
