import t from 'tap';
import type { Page } from 'playwright-core';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { waitFor } from '../../kernel/test/helpers/wait.js';
import { DEAL_OBJECT, openSignedInPage, startBrowserKernel } from './browser.js';

/** The card titles of each board column, by column label. */
async function board(page: Page): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const section of await page.locator('mosaic-record-board section').all()) {
    out[(await section.getAttribute('aria-label'))!] = (await section.locator('li a').allTextContents()).map((s) => s.trim());
  }
  return out;
}

async function waitForBoard(page: Page, expected: Record<string, string[]>, sorted = false): Promise<Record<string, string[]>> {
  let last: Record<string, string[]> = {};
  await waitFor(async () => {
    last = await board(page);
    if (sorted) for (const key of Object.keys(last)) last[key]!.sort();
    return JSON.stringify(last) === JSON.stringify(expected);
  }, 10_000, 50);
  return last;
}

/** The deal object with a second select field, so the board has a choice of grouping. */
const DEAL_WITH_PRIORITY = {
  ...DEAL_OBJECT,
  fields: [...DEAL_OBJECT.fields, { name: 'priority', type: 'select', label: 'Priority', options: { options: [{ value: 'low', label: 'Low' }, { value: 'high', label: 'High' }] } }],
};

t.test('a kanban board groups by a select field; moving a card updates the record', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const session = await signUp(kernel.app);
  const client = api(kernel.app, session);
  t.equal((await client.post('/api/metadata/objects', DEAL_WITH_PRIORITY)).status, 201);
  const ids: Record<string, string> = {};
  for (const [name, stage, priority] of [['Acme', 'lead', 'high'], ['Globex', 'lead', 'low'], ['Initech', 'won', 'low']] as const) {
    ids[name] = (await client.post('/api/objects/deal', { name, stage, priority })).body.data.id;
  }
  const stageOf = async (name: string) => (await client.get(`/api/objects/deal/${ids[name]}`)).body.data.stage;
  const priorityOf = async (name: string) => (await client.get(`/api/objects/deal/${ids[name]}`)).body.data.priority;

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/objects/deal`);
  await page.getByRole('button', { name: 'Board' }).click();
  await page.locator('mosaic-object-page h1[data-live="true"]').waitFor();
  t.same(await waitForBoard(page, { Lead: ['Globex', 'Acme'], Qualified: [], Won: ['Initech'] }), { Lead: ['Globex', 'Acme'], Qualified: [], Won: ['Initech'] }, 'one column per option, in order');

  // Drag a card to another column: the record changes through the API.
  // Held by its title, as a hand would.
  await page.locator('mosaic-record-board li a', { hasText: 'Acme' }).dragTo(page.locator('mosaic-record-board section[data-value="won"] ol'));
  t.same(await waitForBoard(page, { Lead: ['Globex'], Qualified: [], Won: ['Initech', 'Acme'] }), { Lead: ['Globex'], Qualified: [], Won: ['Initech', 'Acme'] });
  await waitFor(async () => (await stageOf('Acme')) === 'won', 10_000, 50);
  t.equal(await stageOf('Acme'), 'won', 'the drop PATCHed the record');

  // The keyboard way: the card's "Move to" menu.
  await page.getByLabel('Move Globex to').selectOption({ label: 'Qualified' });
  t.same(await waitForBoard(page, { Lead: [], Qualified: ['Globex'], Won: ['Initech', 'Acme'] }), { Lead: [], Qualified: ['Globex'], Won: ['Initech', 'Acme'] });
  await waitFor(async () => (await stageOf('Globex')) === 'qualified', 10_000, 50);
  t.equal(await stageOf('Globex'), 'qualified', 'the menu PATCHed the record');

  // A refused change puts the card back and says why on it.
  await page.route('**/api/objects/deal/*', async (route) => {
    if (route.request().method() !== 'PATCH') return route.fallback();
    await route.fulfill({ status: 403, contentType: 'application/json', body: JSON.stringify({ error: { code: 'MOSAIC_ERR_FORBIDDEN', message: 'Deals in Won are locked.' } }) });
  });
  await page.locator('mosaic-record-board li a', { hasText: 'Initech' }).dragTo(page.locator('mosaic-record-board section[data-value="lead"] ol'));
  const error = page.locator('mosaic-record-board li', { hasText: 'Initech' }).getByRole('alert');
  await error.waitFor();
  t.match(await error.textContent(), /Deals in Won are locked/, 'the API\'s message, on the card');
  t.same(await waitForBoard(page, { Lead: [], Qualified: ['Globex'], Won: ['Initech', 'Acme'] }), { Lead: [], Qualified: ['Globex'], Won: ['Initech', 'Acme'] }, 'the card went back');
  t.equal(await stageOf('Initech'), 'won');
  await page.unroute('**/api/objects/deal/*');

  // A change made elsewhere moves the card live.
  t.equal((await client.patch(`/api/objects/deal/${ids.Initech}`, { stage: 'lead' })).status, 200);
  t.same(await waitForBoard(page, { Lead: ['Initech'], Qualified: ['Globex'], Won: ['Acme'] }), { Lead: ['Initech'], Qualified: ['Globex'], Won: ['Acme'] }, 'moved by the API, shown live');

  // Grouped by the other select field: its options become the columns, and a drop sets that field.
  const groupBy = page.getByLabel('Group by');
  t.equal(await groupBy.inputValue(), 'stage', 'grouped by the first select field');
  await groupBy.selectOption({ label: 'Priority' });
  t.same(await waitForBoard(page, { Low: ['Globex', 'Initech'], High: ['Acme'] }, true), { Low: ['Globex', 'Initech'], High: ['Acme'] }, 'one column per priority');
  t.equal(await page.locator('mosaic-record-board [role="list"]').getAttribute('aria-label'), 'Deals by Priority');
  await page.locator('mosaic-record-board li a', { hasText: 'Globex' }).dragTo(page.locator('mosaic-record-board section[data-value="high"] ol'));
  t.same(await waitForBoard(page, { Low: ['Initech'], High: ['Acme', 'Globex'] }, true), { Low: ['Initech'], High: ['Acme', 'Globex'] });
  await waitFor(async () => (await priorityOf('Globex')) === 'high', 10_000, 50);
  t.equal(await priorityOf('Globex'), 'high', 'the drop PATCHed the priority');
  t.equal(await stageOf('Globex'), 'qualified', 'and left the stage alone');
  await page.getByLabel('Move Initech to').selectOption({ label: 'High' });
  await waitFor(async () => (await priorityOf('Initech')) === 'high', 10_000, 50);
  t.equal(await stageOf('Initech'), 'lead', 'the move menu, too, sets the grouping field only');

  // The layout and the grouping are kept in a saved view, and come back from its link.
  await page.getByRole('button', { name: 'Save as view…' }).click();
  await page.getByLabel('View name').fill('By priority');
  await page.getByRole('button', { name: 'Save view' }).click();
  await waitFor(async () => new URL(page.url()).searchParams.get('view') !== null, 10_000, 50);
  const viewId = new URL(page.url()).searchParams.get('view')!;
  const stored = (await client.get('/api/views?object=deal')).body.data as { id: string; name: string; layout: string; group_by: string }[];
  t.match(stored, [{ id: viewId, name: 'By priority', layout: 'board', group_by: 'priority' }], 'the view keeps layout and group-by field');
  await page.getByRole('button', { name: 'Save as view…' }).waitFor({ state: 'detached' });
  t.pass('nothing left to save');
  await page.locator('mosaic-view-picker select.views').selectOption({ label: 'All deals' });
  await page.locator('mosaic-record-table').waitFor();
  t.equal(await page.getByLabel('Group by').count(), 0, '"All deals" is the table');
  await page.goto(`${baseUrl}/objects/deal?view=${viewId}`);
  t.same(await waitForBoard(page, { Low: [], High: ['Acme', 'Globex', 'Initech'] }, true), { Low: [], High: ['Acme', 'Globex', 'Initech'] }, 'the view\'s link opens the board by priority');
  t.equal(await page.getByLabel('Group by').inputValue(), 'priority');
  t.equal(await page.getByRole('button', { name: 'Board' }).getAttribute('aria-pressed'), 'true');

  t.same(problems, [], 'no script errors and no CSP violations');
});
