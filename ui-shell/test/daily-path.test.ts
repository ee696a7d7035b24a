import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { REPO_ROOT } from '../../kernel/test/helpers/main-process.js';
import { waitFor } from '../../kernel/test/helpers/wait.js';
import { CHROMIUM, openSignedInPage } from './browser.js';

/**
 * A seller's day on the CRM as `npm start` assembles it from plugins.config.json: find a company with the
 * command palette, open it, see its people and opportunities, add a note and complete a task, win a deal on the pipeline
 * board, and export the pipeline to CSV.
 */
t.test('the daily path through the core plugins, in a browser', async (t) => {
  const kernel = await startTestKernel(t, { PLUGINS_CONFIG: `${REPO_ROOT}/plugins.config.json` });
  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'], headless: true });
  t.teardown(() => browser.close());

  const session = await signUp(kernel.app, { workspace: 'Daily' });
  const client = api(kernel.app, session);
  const create = async (object: string, data: unknown) => {
    const res = await client.post(`/api/objects/${object}`, data);
    t.equal(res.status, 201, `${object} created: ${JSON.stringify(res.body).slice(0, 200)}`);
    return res.body.data as { id: string };
  };
  const acme = await create('company', { name: 'Acme Robotics', domain: 'acme-robotics.com', industry: 'manufacturing' });
  await create('company', { name: 'Globex', domain: 'globex.com' });
  const ada = await create('person', { full_name: { first_name: 'Ada', last_name: 'Lovelace' }, emails: { primary: 'ada@acme-robotics.com' }, company_id: acme.id });
  await create('person', { full_name: { first_name: 'Charles', last_name: 'Babbage' }, company_id: acme.id });
  const deal = await create('opportunity', { name: 'Acme Robotics — Annual licence', stage: 'proposal', amount: { amount: 48000, currency: 'EUR' }, probability: 50, company_id: acme.id, point_of_contact_id: ada.id });
  await create('opportunity', { name: 'Acme Robotics — Pilot', stage: 'new', amount: { amount: 5000, currency: 'EUR' }, company_id: acme.id });

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/`);
  await page.locator('mosaic-sidebar').waitFor();

  await t.test('find the company through search and open it', async (t) => {
    await page.keyboard.press('Control+k');
    const dialog = page.getByRole('dialog', { name: 'Search and commands' });
    await dialog.getByRole('combobox').fill('acme rob');
    const option = dialog.getByRole('listbox').getByRole('group', { name: 'Companies' }).getByRole('option', { name: /Acme Robotics/ });
    await option.waitFor();
    await option.click();
    await page.waitForURL(`${baseUrl}/objects/company/${acme.id}`);
    t.pass('the company page opened');
  });

  await t.test('its people and opportunities are on its page', async (t) => {
    const people = page.locator('mosaic-record-page section[data-related="people"]');
    await people.getByText('Ada').waitFor();
    t.match(await people.textContent(), /Babbage/);
    const deals = page.locator('mosaic-record-page section[data-related="opportunities"]');
    await deals.getByText('Annual licence').waitFor();
    t.match(await deals.textContent(), /Pilot/);
  });

  await t.test('add a note on the Activities tab', async (t) => {
    await page.locator('mosaic-record-page').getByRole('tab', { name: 'Activities' }).click();
    const tab = page.locator('activities-record-tab');
    await tab.getByPlaceholder('Write a note (Markdown)').fill('Met Ada: they want **SSO** before signing.\n\n- <img src=x onerror=alert(1)>');
    await tab.getByRole('button', { name: 'Add note' }).click();
    await tab.locator('.note strong', { hasText: /^SSO$/ }).waitFor();
    t.match(await tab.locator('.note').first().textContent(), /they want SSO before signing/, 'the Markdown is rendered');
    t.equal(await tab.locator('.note img').count(), 0, 'HTML in a note stays text');
    t.match(await tab.locator('.note li').first().textContent(), /<img src=x onerror=alert\(1\)>/);
    const notes = (await client.get(`/api/objects/note?filter=${encodeURIComponent(`target_id[eq]:${acme.id}`)}`)).body.data as { body: string; target_object: string }[];
    t.match(notes, [{ body: 'Met Ada: they want **SSO** before signing.\n\n- <img src=x onerror=alert(1)>', target_object: 'company' }], 'stored against the company');
  });

  await t.test('add a task and tick it done', async (t) => {
    const tab = page.locator('activities-record-tab');
    await tab.getByPlaceholder('New task').fill('Send the SSO answer');
    await tab.getByRole('button', { name: 'Add task' }).click();
    const done = tab.getByRole('checkbox', { name: 'Done: Send the SSO answer' });
    await done.check();
    await tab.locator('li.done', { hasText: 'Send the SSO answer' }).waitFor();
    const tasks = (await client.get(`/api/objects/task?filter=${encodeURIComponent(`target_id[eq]:${acme.id}`)}`)).body.data as { title: string; status: string }[];
    t.match(tasks, [{ title: 'Send the SSO answer', status: 'done' }], 'completed through the API');
  });

  await t.test('win the deal on the pipeline board', async (t) => {
    await page.locator('mosaic-sidebar').getByRole('link', { name: 'Pipeline' }).click();
    const board = page.locator('opportunities-pipeline-board');
    const card = board.locator(`li[data-id="${deal.id}"]`);
    await card.waitFor();
    // A real mouse drag, in steps as a hand moves: press on the card, carry it to the Won column, let go.
    const from = (await card.locator('a').boundingBox())!;
    const to = (await board.locator('section[data-stage="won"] header').boundingBox())!;
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await page.mouse.down();
    await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 10, { steps: 5 });
    await page.mouse.move(to.x + to.width / 2, to.y + to.height / 2, { steps: 20 });
    await page.mouse.up();
    await board.locator(`section[data-stage="won"] li[data-id="${deal.id}"]`).waitFor();
    const won = await waitFor(async () => {
      const record = (await client.get(`/api/objects/opportunity/${deal.id}`)).body.data as { stage: string; probability: number };
      return record.stage === 'won' && record.probability === 100 ? record : undefined;
    }, 15_000, 100);
    t.match(won, { stage: 'won', probability: 100 }, 'stored as won, and the plugin settled its probability');
    await board.locator('section[data-stage="won"] header').getByText('48,000 EUR').first().waitFor();
  });

  await t.test('export the pipeline to CSV', async (t) => {
    await page.locator('mosaic-sidebar').getByRole('link', { name: 'Opportunities' }).click();
    await page.locator('mosaic-record-table').getByText('Annual licence').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '');
    const lines = csv.trim().split('\r\n');
    t.equal(lines.length, 3, 'a header and both opportunities');
    t.match(lines[0], /Name/);
    t.ok(lines.some((l) => l.includes('Annual licence') && /won/i.test(l)), 'the won deal, as it is now');
    t.match(download.suggestedFilename(), /\.csv$/);
  });

  t.same(problems, [], 'no script errors or CSP violations');
});
