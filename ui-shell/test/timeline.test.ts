import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { createApiKey, signUp } from '../../kernel/test/helpers/auth.js';
import { DEAL_OBJECT, openSignedInPage, startBrowserKernel } from './browser.js';

t.test("the record page's timeline pages back through history and takes changes live", async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const session = await signUp(kernel.app, { name: 'Ada Lovelace' });
  const client = api(kernel.app, session);
  t.equal((await client.post('/api/metadata/objects', { name: 'company', label_singular: 'Company', label_plural: 'Companies', fields: [{ name: 'name', type: 'text', label: 'Name' }] })).status, 201);
  t.equal((await client.post('/api/metadata/objects', { ...DEAL_OBJECT, fields: [...DEAL_OBJECT.fields, { name: 'company', type: 'relation', label: 'Company', options: { target: 'company', inverse_name: 'deals', inverse_label: 'Deals' } }] })).status, 201);
  const globex = (await client.post('/api/objects/company', { name: 'Globex Inc' })).body.data;
  const deal = (await client.post('/api/objects/deal', { name: 'Acme', stage: 'lead', employees: 0 })).body.data;
  // 22 changes and the creation: more than one page (20) of entries.
  for (let i = 1; i <= 22; i++) t.equal((await client.patch(`/api/objects/deal/${deal.id}`, { employees: i })).status, 200);

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/objects/deal/${deal.id}`);
  const timeline = page.locator('mosaic-record-timeline');
  const entries = timeline.locator('ol > li');
  await timeline.getByRole('heading', { name: 'Timeline' }).waitFor();
  await entries.nth(19).waitFor();
  t.equal(await entries.count(), 20, 'the first page');
  const newest = entries.first();
  t.equal(await newest.getAttribute('data-type'), 'record.updated');
  t.match(await newest.locator('.head').textContent(), /Ada Lovelace\s+changed Employees/, 'who and what');
  t.equal((await newest.locator('li[data-field="employees"] .before').textContent())!.trim(), '21');
  t.equal((await newest.locator('li[data-field="employees"] .after').textContent())!.trim(), '22');
  const time = newest.locator('time');
  t.equal((await time.textContent())!.trim(), 'just now', 'relative time');
  t.ok(Number.isFinite(Date.parse((await time.getAttribute('datetime'))!)), 'machine-readable time');
  t.ok(((await time.getAttribute('title')) ?? '').length > 0, 'the exact time as a tooltip');

  // Load more: the rest, down to the creation.
  await timeline.getByRole('button', { name: 'Load more' }).click();
  await entries.nth(22).waitFor();
  t.equal(await entries.count(), 23, 'every entry once');
  t.equal(await entries.last().getAttribute('data-type'), 'record.created');
  t.match(await entries.last().textContent(), /created this deal/);
  t.equal(await timeline.getByRole('button', { name: 'Load more' }).count(), 0, 'nothing more to load');

  // A field edited on this page: the entry is prepended live.
  await timeline.locator('section[data-live="true"]').waitFor();
  const stage = page.locator('mosaic-record-page dd[data-field="stage"]');
  await stage.click();
  await stage.locator('select').selectOption({ label: 'Won' });
  const stageChange = entries.first().locator('li[data-field="stage"]');
  await stageChange.waitFor();
  t.equal((await stageChange.locator('.before').textContent())!.trim(), 'Lead', 'before, by its option label');
  t.equal((await stageChange.locator('.after').textContent())!.trim(), 'Won');
  t.equal(await entries.count(), 24);

  // A change through the API (an API key): prepended live as well, naming the fields changed.
  const key = await createApiKey(kernel.app, session);
  t.equal((await api(kernel.app, key).patch(`/api/objects/deal/${deal.id}`, { name: 'Acme Corp', employees: null })).status, 200);
  const nameChange = entries.first().locator('li[data-field="name"]');
  await nameChange.waitFor();
  t.equal((await nameChange.locator('.before').textContent())!.trim(), 'Acme');
  t.equal((await nameChange.locator('.after').textContent())!.trim(), 'Acme Corp');
  t.equal((await entries.first().locator('li[data-field="employees"] .after').textContent())!.trim(), 'empty', 'a cleared value says so');
  t.match(await entries.first().locator('.what').textContent(), /Name/);
  t.equal(await entries.count(), 25, 'each change once');

  // A relation names the related record by its title, linked.
  t.equal((await client.patch(`/api/objects/deal/${deal.id}`, { company_id: globex.id })).status, 200);
  const companyChange = entries.first().locator('li[data-field="company"]');
  await companyChange.locator('.after a', { hasText: 'Globex Inc' }).waitFor();
  t.equal(await companyChange.locator('.after a').getAttribute('href'), `/objects/company/${globex.id}`);
  t.equal((await companyChange.locator('.before').textContent())!.trim(), 'empty');

  // A plugin's event naming the record joins the timeline, in words.
  const actor = { type: 'plugin' as const, id: 'activities', name: 'Activities' };
  await kernel.services.bus.emit([{ workspaceId: session.workspaceId, type: 'activities.note_added', object: 'deal', recordId: deal.id, actor, payload: {} }]);
  await page.reload();
  const pluginEntry = timeline.locator('ol > li[data-type="activities.note_added"]');
  await pluginEntry.waitFor();
  t.match((await pluginEntry.locator('.head').textContent())!.replace(/\s+/g, ' '), /Activities note added/);

  t.same(problems, [], 'no script errors and no CSP violations');
});
