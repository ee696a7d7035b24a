import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { inviteAndAccept, signUp } from '../../kernel/test/helpers/auth.js';
import { openSignedInPage, startBrowserKernel, waitForColumn } from './browser.js';

t.test('an account owner is picked from the members on the record page, shown by name in the table, and filtered on', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const owner = await signUp(kernel.app, { name: 'Olivia Owner' });
  const client = api(kernel.app, owner);
  const bob = await inviteAndAccept(kernel.app, owner, 'member', { name: 'Bob Builder' });
  const created = await client.post('/api/metadata/objects', {
    name: 'company', label_singular: 'Company', label_plural: 'Companies',
    fields: [{ name: 'name', type: 'text', label: 'Name' }, { name: 'account_owner_id', type: 'member', label: 'Account owner' }],
  });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const acme = (await client.post('/api/objects/company', { name: 'Acme' })).body.data;
  await client.post('/api/objects/company', { name: 'Globex', account_owner_id: owner.memberId });

  const { page, problems } = await openSignedInPage(browser, baseUrl, owner.cookie);
  await page.goto(`${baseUrl}/objects/company/${acme.id}`);
  await page.locator('mosaic-record-page h1', { hasText: 'Acme' }).waitFor();

  // Pick Bob from the member list, with the keyboard-accessible select.
  const field = page.locator('mosaic-record-page dd[data-field="account_owner_id"]');
  await field.click();
  const picker = field.getByLabel('Edit Account owner');
  const [b, o] = (await client.get('/api/workspace/directory')).body.data as { name: string; email: string }[];
  t.same((await picker.locator('option').allTextContents()).map((s) => s.trim()), ['—', `Bob Builder (${b!.email})`, `Olivia Owner (${o!.email})`], 'the members, by name');
  await picker.selectOption({ label: `Bob Builder (${b!.email})` });
  await page.locator('mosaic-record-page dd[data-field="account_owner_id"]:not(:has(select))', { hasText: 'Bob Builder' }).waitFor();
  t.equal((await client.get(`/api/objects/company/${acme.id}`)).body.data.account_owner_id, bob.memberId, 'the member id reached the database');

  // The table shows names, with initials.
  await page.goto(`${baseUrl}/objects/company`);
  await waitForColumn(page, 'name', ['Globex', 'Acme']);
  await waitForColumn(page, 'account_owner_id', ['OOOlivia Owner', 'BBBob Builder']);

  // Filter: account owner is Bob, then is Me.
  const filterBy = async (label: string) => {
    await page.getByRole('button', { name: /^Filter/ }).click();
    const builder = page.locator('mosaic-filter-builder');
    const row = builder.locator('.row[data-index="0"]');
    if (!(await row.count())) await builder.getByRole('button', { name: '+ Add condition' }).click();
    await row.getByLabel('Field').selectOption({ label: 'Account owner' });
    await row.getByLabel('Operator').selectOption({ label: 'is' });
    await row.getByLabel('Value').selectOption({ label });
    await builder.getByRole('button', { name: 'Apply' }).click();
  };
  await filterBy('Bob Builder');
  await waitForColumn(page, 'name', ['Acme']);
  await filterBy('Me');
  await waitForColumn(page, 'name', ['Globex']);

  t.same(problems, [], 'no script errors and no CSP violations');
});
