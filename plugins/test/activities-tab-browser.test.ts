import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { inviteAndAccept, signUp } from '../../kernel/test/helpers/auth.js';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { REPO_ROOT } from '../../kernel/test/helpers/main-process.js';
import { CHROMIUM, openSignedInPage } from '../../ui-shell/test/browser.js';

/** A kernel with the shipped plugins, listening, and Chromium; both closed when the test ends. */
async function start(t: Parameters<typeof startTestKernel>[0]) {
  const kernel = await startTestKernel(t, { PLUGINS_CONFIG: `${REPO_ROOT}/plugins.config.json` });
  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'], headless: true });
  t.teardown(() => browser.close());
  return { kernel, baseUrl, browser };
}

/**
 * The Activities tab (a record.tab on "*") on the record page of an object an admin created after the
 * core plugins were installed, in Chromium: the shell mounts it from GET /api/plugins as it mounts the
 * tab on companies, and a note added there is stored against the admin's object.
 */
t.test('the Activities tab on an admin-created object, in a browser', async (t) => {
  const { kernel, baseUrl, browser } = await start(t);
  const session = await signUp(kernel.app, { workspace: 'Any object' });
  const client = api(kernel.app, session);
  const created = await client.post('/api/metadata/objects', { name: 'contract', label_singular: 'Contract', label_plural: 'Contracts', fields: [{ name: 'title', type: 'text' }] });
  t.equal(created.status, 201, JSON.stringify(created.body).slice(0, 300));
  const contract = (await client.post('/api/objects/contract', { title: 'Master agreement' })).body.data as { id: string };

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/objects/contract/${contract.id}`);
  const tabs = page.locator('mosaic-record-page').getByRole('tab', { name: 'Activities' });
  await tabs.first().waitFor();
  t.equal(await tabs.count(), 1, 'one Activities tab');
  await tabs.click();
  const tab = page.locator('activities-record-tab');
  await tab.getByPlaceholder('Write a note (Markdown)').fill('Renewal is **automatic**.');
  await tab.getByRole('button', { name: 'Add note' }).click();
  await tab.locator('.note strong', { hasText: /^automatic$/ }).waitFor();
  const notes = (await client.get(`/api/objects/note?filter=${encodeURIComponent(`target_id[eq]:"${contract.id}"`)}`)).body.data as { body: string; target_object: string }[];
  t.match(notes, [{ body: 'Renewal is **automatic**.', target_object: 'contract' }], 'stored against the contract');
  t.same(problems, [], 'no console errors or failed requests');
});

/**
 * Tasks in the Activities tab show and set their assignee: the tab reads the member directory through
 * `api.members()` (activities asks for `permissions.members`), offers the members by name when a task is
 * added, and gives a task to someone else from the list.
 */
t.test('a task gets an assignee from the Activities tab, in a browser', async (t) => {
  const { kernel, baseUrl, browser } = await start(t);
  const session = await signUp(kernel.app, { workspace: 'Assignees', name: 'Olga Owner' });
  const bruno = await inviteAndAccept(kernel.app, session, 'member', { name: 'Bruno Seller' });
  const client = api(kernel.app, session);
  const company = (await client.post('/api/objects/company', { name: 'Globex' })).body.data as { id: string };
  const tasks = async () => (await client.get(`/api/objects/task?filter=${encodeURIComponent(`target_id[eq]:"${company.id}"`)}`)).body.data as { title: string; assignee_id: string | null }[];

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/objects/company/${company.id}`);
  await page.locator('mosaic-record-page').getByRole('tab', { name: 'Activities' }).click();
  const tab = page.locator('activities-record-tab');
  await tab.getByPlaceholder('New task').fill('Send the contract');
  await tab.getByRole('combobox', { name: 'Assignee', exact: true }).selectOption({ label: 'Bruno Seller' });
  await tab.getByRole('button', { name: 'Add task' }).click();
  await tab.locator('.assignee', { hasText: 'Bruno Seller' }).waitFor();
  t.match(await tasks(), [{ title: 'Send the contract', assignee_id: bruno.memberId }], 'stored with Bruno as assignee');

  const picker = tab.getByRole('combobox', { name: 'Assignee of Send the contract' });
  t.equal(await picker.inputValue(), bruno.memberId, 'the list shows who has the task');
  await picker.selectOption({ label: 'Olga Owner' });
  await tab.locator('.assignee', { hasText: 'Olga Owner' }).waitFor();
  t.match(await tasks(), [{ assignee_id: session.memberId }], 'given to Olga');
  await tab.getByRole('combobox', { name: 'Assignee of Send the contract' }).selectOption({ label: 'Unassigned' });
  await tab.locator('.assignee').waitFor({ state: 'detached' });
  t.match(await tasks(), [{ assignee_id: null }], 'and to nobody');
  t.same(problems, [], 'no console errors or failed requests');
});

/**
 * The views are live through `api.watch`: a note another member adds on the record shows in an open
 * Activities tab, and a task due today added elsewhere shows on an open dashboard — no reload.
 */
t.test('the Activities tab and the due-today widget follow changes made elsewhere, in a browser', async (t) => {
  const { kernel, baseUrl, browser } = await start(t);
  const session = await signUp(kernel.app, { workspace: 'Live' });
  const bruno = api(kernel.app, await inviteAndAccept(kernel.app, session, 'member', { name: 'Bruno Seller' }));
  const company = (await api(kernel.app, session).post('/api/objects/company', { name: 'Initech' })).body.data as { id: string };

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/objects/company/${company.id}`);
  await page.locator('mosaic-record-page').getByRole('tab', { name: 'Activities' }).click();
  const tab = page.locator('activities-record-tab');
  await tab.getByText('No notes yet.').waitFor();
  await page.locator('activities-record-tab[data-live]').waitFor();
  const added = await bruno.post('/api/plugins/activities/notes', { target_object: 'company', target_id: company.id, body: 'Called **Bill**' });
  t.equal(added.status, 201, JSON.stringify(added.body));
  await tab.locator('.note strong', { hasText: /^Bill$/ }).waitFor();
  t.pass('the note Bruno added shows in the open tab');
  const other = (await bruno.post('/api/objects/company', { name: 'Other' })).body.data as { id: string };
  await bruno.post('/api/plugins/activities/notes', { target_object: 'company', target_id: other.id, body: 'Elsewhere' });
  await bruno.post('/api/plugins/activities/tasks', { target_object: 'company', target_id: company.id, title: 'Send the quote' });
  await tab.getByText('Send the quote').waitFor();
  t.equal(await tab.getByText('Elsewhere').count(), 0, 'a note about another record stays out');

  await page.goto(`${baseUrl}/`);
  const widget = page.locator('activities-due-today-widget');
  await widget.getByText('Nothing due today.').waitFor();
  await page.locator('activities-due-today-widget[data-live]').waitFor();
  const today = new Date().toISOString().slice(0, 10);
  await bruno.post('/api/plugins/activities/tasks', { target_object: 'company', target_id: company.id, title: 'Call back today', due_date: today });
  await widget.getByRole('link', { name: 'Call back today' }).waitFor();
  t.pass('a task due today added elsewhere shows on the open dashboard');
  t.same(problems, [], 'no console errors or failed requests');
});
