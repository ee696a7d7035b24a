import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { DEAL_OBJECT, openSignedInPage, startBrowserKernel, waitForColumn } from './browser.js';

t.test('records created, updated and deleted through the API show up in the open table', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const session = await signUp(kernel.app);
  const client = api(kernel.app, session);
  t.equal((await client.post('/api/metadata/objects', DEAL_OBJECT)).status, 201);
  const acme = (await client.post('/api/objects/deal', { name: 'Acme', stage: 'lead' })).body.data;

  const { page, problems } = await openSignedInPage(browser, baseUrl, session.cookie);
  await page.goto(`${baseUrl}/objects/deal`);
  t.same(await waitForColumn(page, 'name', ['Acme']), ['Acme']);
  // The socket subscribes after the table renders: wait for the server's confirmation.
  await page.locator('mosaic-object-page h1[data-live="true"]').waitFor();

  // Created elsewhere: appears without reload.
  const globex = (await client.post('/api/objects/deal', { name: 'Globex', stage: 'won' })).body.data;
  t.same(await waitForColumn(page, 'name', ['Globex', 'Acme']), ['Globex', 'Acme'], 'a created record appears');
  await page.locator('mosaic-object-page .count[data-count="2"]').waitFor();

  // Updated elsewhere.
  t.equal((await client.patch(`/api/objects/deal/${acme.id}`, { stage: 'qualified' })).status, 200);
  t.same(await waitForColumn(page, 'stage', ['Won', 'Qualified']), ['Won', 'Qualified'], 'an update shows');

  // Deleted elsewhere.
  t.equal((await client.delete(`/api/objects/deal/${globex.id}`)).status, 200);
  t.same(await waitForColumn(page, 'name', ['Acme']), ['Acme'], 'a deleted record goes');

  t.same(problems, [], 'no script errors and no CSP violations (the WebSocket is same-origin)');
});
