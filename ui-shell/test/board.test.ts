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

async function waitForBoard(page: Page, expected: Record<string, string[]>): Promise<Record<string, string[]>> {
  let last: Record<string, string[]> = {};
  await waitFor(async () => {
    last = await board(page);
    return JSON.stringify(last) === JSON.stringify(expected);
  }, 10_000, 50);
  return last;
}

t.test('a kanban board groups by a select field; moving a card updates the record', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const session = await signUp(kernel.app);
  const client = api(kernel.app, session);
  t.equal((await client.post('/api/metadata/objects', DEAL_OBJECT)).status, 201);
  const ids: Record<string, string> = {};
  for (const [name, stage] of [['Acme', 'lead'], ['Globex', 'lead'], ['Initech', 'won']] as const) {
    ids[name] = (await client.post('/api/objects/deal', { name, stage })).body.data.id;
  }
  const stageOf = async (name: string) => (await client.get(`/api/objects/deal/${ids[name]}`)).body.data.stage;

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

  t.same(problems, [], 'no script errors and no CSP violations');
});
