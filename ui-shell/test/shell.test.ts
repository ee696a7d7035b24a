import t from 'tap';
import { api } from '../../kernel/test/helpers/api.js';
import { inviteAndAccept, sessionFrom, signUp, TEST_PASSWORD, uniqueEmail } from '../../kernel/test/helpers/auth.js';
import { waitFor } from '../../kernel/test/helpers/wait.js';
import { DEAL_OBJECT, openPage, startBrowserKernel, waitForColumn } from './browser.js';

t.test('an admin signs up, models an object and works its records through the table', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const { page, problems } = await openPage(browser);
  const email = uniqueEmail('admin');

  // Signed out, any page leads to sign-in; from there, sign up.
  await page.goto(`${baseUrl}/objects/deal`);
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/sign-in');
  await page.getByRole('link', { name: 'Create a workspace' }).click();
  await page.getByLabel('Your name').fill('Ada Admin');
  await page.getByLabel('Work email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByLabel('Workspace name').fill('Analytical Engines');
  await page.getByRole('button', { name: 'Create workspace' }).click();

  // A new workspace says what to do next.
  await page.getByRole('heading', { name: 'Welcome to Analytical Engines' }).waitFor();
  await page.getByRole('button', { name: 'Create your first object' }).click();

  // Settings → Data model: an object with fields.
  await page.getByLabel('Singular name').fill('Deal');
  await page.getByLabel('Plural name').fill('Deals');
  const fields: [string, string, string?][] = [['Name', 'text'], ['Employees', 'number'], ['Contact email', 'email'], ['Stage', 'select', 'Lead, Won'], ['Active', 'boolean']];
  for (const [i, [label, type, extra]] of fields.entries()) {
    if (i > 0) await page.getByRole('button', { name: '+ Add field' }).click();
    const row = page.locator(`mosaic-data-model .field[data-index="${i}"]`);
    await row.getByLabel('Field name').fill(label);
    await row.getByLabel('Type').selectOption(type);
    if (extra) await row.getByLabel('Options').fill(extra);
  }
  await page.getByRole('button', { name: 'Create object' }).click();
  await page.getByRole('heading', { name: 'No deals yet' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/objects/deal');
  await page.locator('mosaic-sidebar').getByRole('link', { name: 'Deals' }).waitFor();

  // Records through the create form.
  const rows: [string, string, string, string][] = [['Acme', '50', 'ops@acme.test', 'Lead'], ['Globex', '10', 'hi@globex.test', 'Won'], ['Initech', '30', 'it@initech.test', 'Lead']];
  for (const [name, employees, contact, stage] of rows) {
    await page.getByRole('button', { name: '+ New deal' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('Employees').fill(employees);
    await dialog.getByLabel('Contact email').fill(contact);
    await dialog.getByLabel('Stage').selectOption({ label: stage });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
  }
  t.same(await waitForColumn(page, 'name', ['Initech', 'Globex', 'Acme']), ['Initech', 'Globex', 'Acme'], 'newest first');
  t.same(await waitForColumn(page, 'stage', ['Lead', 'Won', 'Lead']), ['Lead', 'Won', 'Lead'], 'select values by label');

  // Sort by clicking the header: ascending, then descending.
  const header = page.locator('mosaic-record-table th[data-field="employees"] button');
  await header.click();
  t.same(await waitForColumn(page, 'name', ['Globex', 'Initech', 'Acme']), ['Globex', 'Initech', 'Acme'], 'employees ascending');
  t.equal(await page.locator('mosaic-record-table th[data-field="employees"]').getAttribute('aria-sort'), 'ascending');
  await header.click();
  t.same(await waitForColumn(page, 'name', ['Acme', 'Initech', 'Globex']), ['Acme', 'Initech', 'Globex'], 'employees descending');

  // The filter builder: name contains "ex" or employees ≥ 40.
  await page.getByRole('button', { name: 'Filter' }).click();
  const builder = page.locator('mosaic-filter-builder');
  await builder.getByRole('button', { name: '+ Add condition' }).click();
  const first = builder.locator('.row[data-index="0"]');
  await first.getByLabel('Field').selectOption({ label: 'Name' });
  await first.getByLabel('Operator').selectOption({ label: 'contains' });
  await first.getByLabel('Value').fill('ex');
  await builder.getByRole('button', { name: 'Apply' }).click();
  t.same(await waitForColumn(page, 'name', ['Globex']), ['Globex'], 'name contains "ex"');
  await page.getByRole('button', { name: /^Filter/ }).click();
  await builder.getByRole('button', { name: '+ Add condition' }).click();
  await builder.locator('.row[data-index="1"]').getByLabel('Match').selectOption('or');
  const second = builder.locator('.row[data-index="1"]');
  await second.getByLabel('Field').selectOption({ label: 'Employees' });
  await second.getByLabel('Operator').selectOption({ label: '≥' });
  await second.getByLabel('Value').fill('40');
  await builder.getByRole('button', { name: 'Apply' }).click();
  t.same(await waitForColumn(page, 'name', ['Acme', 'Globex']), ['Acme', 'Globex'], 'or: name contains "ex", employees ≥ 40');
  await page.getByRole('button', { name: /^Filter/ }).click();
  await builder.getByRole('button', { name: 'Clear' }).click();
  await waitForColumn(page, 'name', ['Acme', 'Initech', 'Globex']);

  // Inline edit: a number, then a refused email whose error shows on the cell.
  const acme = page.locator('mosaic-record-table tbody tr', { hasText: 'Acme' });
  await acme.locator('td[data-field="employees"]').click();
  const editor = acme.locator('td[data-field="employees"] input');
  await editor.fill('75');
  await editor.press('Enter');
  await acme.locator('td[data-field="employees"]:not(.editing)', { hasText: '75' }).waitFor();
  const session = sessionFrom(await kernel.app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password: TEST_PASSWORD } }));
  const client = api(kernel.app, session);
  const stored = await client.get(`/api/objects/deal?filter=${encodeURIComponent('name[eq]:"Acme"')}`);
  t.equal(stored.body.data[0].employees, 75, 'the edit reached the database');

  // The cell holds a mailto link (a click follows it), so edit from the keyboard: focus, Enter.
  await acme.locator('td[data-field="contact_email"]').focus();
  await acme.locator('td[data-field="contact_email"]').press('Enter');
  const emailEditor = acme.locator('td[data-field="contact_email"] input');
  await emailEditor.fill('not an email');
  await emailEditor.press('Enter');
  const cellError = acme.locator('td[data-field="contact_email"] .cell-error');
  await cellError.waitFor();
  t.match(await cellError.textContent(), /Contact email must match format "email"/, 'the API\'s validation message, on the cell');
  t.equal(await emailEditor.getAttribute('aria-invalid'), 'true');
  await emailEditor.press('Escape');
  await cellError.waitFor({ state: 'detached' });
  t.same(await waitForColumn(page, 'contact_email', ['ops@acme.test', 'it@initech.test', 'hi@globex.test']), ['ops@acme.test', 'it@initech.test', 'hi@globex.test'], 'the refused value was not kept');

  // A boolean cell toggles in one click.
  await acme.locator('td[data-field="active"]').click();
  await acme.locator('td[data-field="active"] .bool.yes').waitFor();

  // Bulk delete of two selected rows.
  for (const name of ['Acme', 'Globex']) await page.locator('mosaic-record-table tbody tr', { hasText: name }).getByLabel('Select row').check();
  await page.getByText('2 selected').waitFor();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('button', { name: 'Confirm delete' }).click();
  t.same(await waitForColumn(page, 'name', ['Initech']), ['Initech'], 'two deleted, one left');
  t.equal((await client.get('/api/objects/deal?count=true')).body.total_count, 1);

  // Sign out, then back in: the table is where it was.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  t.same(await waitForColumn(page, 'name', ['Initech']), ['Initech'], 'signed in again, the first object opens');
  t.equal(new URL(page.url()).pathname, '/objects/deal');

  t.same(problems, [], 'no script errors and no CSP violations');

  // A viewer sees the records and no control that changes them.
  const viewer = await inviteAndAccept(kernel.app, session, 'viewer', { email: uniqueEmail('viewer') });
  const viewerEmail = (await api(kernel.app, viewer).get('/api/auth/session')).body.user.email as string;
  const other = await openPage(browser);
  await other.page.goto(`${baseUrl}/sign-in`);
  await other.page.getByLabel('Email').fill(viewerEmail);
  await other.page.getByLabel('Password').fill(TEST_PASSWORD);
  await other.page.getByRole('button', { name: 'Sign in' }).click();
  t.same(await waitForColumn(other.page, 'name', ['Initech']), ['Initech']);
  t.equal(await other.page.getByRole('button', { name: '+ New deal' }).count(), 0, 'no create button');
  t.equal(await other.page.getByLabel('Select row').count(), 0, 'no row selection, so no bulk delete');
  t.equal(await other.page.locator('mosaic-record-table td.editable').count(), 0, 'no editable cell');
  await other.page.locator('mosaic-record-table td[data-field="name"]').click();
  t.equal(await other.page.locator('mosaic-record-table .editor').count(), 0, 'clicking a cell opens no editor');
  t.equal(await other.page.getByRole('link', { name: 'Data model' }).count(), 0, 'no data model settings');
  t.same(other.problems, []);

  // A member of one workspace sees its name, and nothing to switch to.
  const switcher = page.locator('mosaic-workspace-switcher');
  t.equal((await switcher.locator('.name').textContent())?.trim(), 'Analytical Engines', 'the workspace\'s name');
  t.equal(await switcher.locator('select').count(), 0, 'no workspace menu with one workspace');

  // Invited into a second workspace with its own data model: a deal object of its own, and tickets.
  const babbage = await signUp(kernel.app, { name: 'Bea Babbage', workspace: 'Babbage Labs' });
  const babbageClient = api(kernel.app, babbage);
  t.equal((await babbageClient.post('/api/metadata/objects', DEAL_OBJECT)).status, 201);
  t.equal((await babbageClient.post('/api/metadata/objects', { name: 'ticket', label_singular: 'Ticket', label_plural: 'Tickets', icon: 'check-square', fields: [{ name: 'title', type: 'text', label: 'Title' }] })).status, 201);
  await babbageClient.post('/api/objects/deal', { name: 'Difference Engine', stage: 'won' });
  const invite = await babbageClient.post('/api/workspace/invites', { email, role: 'member' });
  t.equal(invite.status, 201);
  const accepted = await kernel.app.inject({ method: 'POST', url: '/api/auth/invites/accept', payload: { token: invite.body.token, password: TEST_PASSWORD } });
  t.equal(accepted.statusCode, 200, 'accepted with her password, in another session');

  // Switch from the sidebar: the data model, the records and the role are the other workspace's.
  await page.reload();
  const menu = switcher.getByRole('combobox', { name: 'Workspace' });
  await menu.waitFor();
  t.same((await menu.locator('option').allTextContents()).map((s) => s.trim()), ['Analytical Engines', 'Babbage Labs'], 'both workspaces to choose from');
  const objectLinks = async () => (await page.locator('mosaic-sidebar nav[aria-label="Objects"] a > span:not(.icon)').allTextContents()).map((s) => s.trim());
  t.same(await objectLinks(), ['Deals']);
  // A second tab, signed in with the same session, on the first workspace's deals.
  const tabB = await page.context().newPage();
  tabB.setDefaultTimeout(15_000);
  tabB.on('pageerror', (err) => problems.push(`tab B: ${err.message}`));
  await tabB.goto(`${baseUrl}/objects/deal`);
  await tabB.locator('mosaic-object-page h1[data-live="true"]').waitFor();
  t.same(await waitForColumn(tabB, 'name', ['Initech']), ['Initech']);
  await menu.selectOption({ label: 'Babbage Labs' });
  t.same(await waitForColumn(page, 'name', ['Difference Engine']), ['Difference Engine'], 'the other workspace\'s deals, not the first one\'s');
  await waitFor(async () => JSON.stringify(await objectLinks()) === JSON.stringify(['Deals', 'Tickets']), 10_000, 50);
  t.same(await objectLinks(), ['Deals', 'Tickets'], 'its objects in the sidebar');
  // Each object's icon beside its name, decorative: the links are named by the objects alone (exact names).
  const objectIcon = (name: string) => page.locator('mosaic-sidebar nav[aria-label="Objects"]').getByRole('link', { name, exact: true }).locator('.icon');
  const iconOf = async (name: string) => ({ name: await objectIcon(name).getAttribute('data-icon'), text: await objectIcon(name).textContent(), hidden: await objectIcon(name).getAttribute('aria-hidden') });
  t.same(await iconOf('Tickets'), { name: 'check-square', text: '☑', hidden: 'true' }, 'tickets show their icon');
  t.same(await iconOf('Deals'), { name: 'default', text: 'D', hidden: 'true' }, 'deals have no icon: the default, their initial');
  // An icon name the shell does not know falls back to the default; an emoji is shown as it is.
  t.equal((await babbageClient.patch('/api/metadata/objects/ticket', { icon: 'no-such-icon' })).status, 200);
  await objectIcon('Tickets').and(page.locator('[data-icon="default"]')).waitFor();
  t.equal(await objectIcon('Tickets').textContent(), 'T', 'an unknown icon name: the default');
  t.equal((await babbageClient.patch('/api/metadata/objects/ticket', { icon: '🎫' })).status, 200);
  await objectIcon('Tickets').and(page.locator('[data-icon="🎫"]')).waitFor();
  t.equal(await objectIcon('Tickets').textContent(), '🎫', 'an emoji icon');
  t.equal(new URL(page.url()).pathname, '/objects/deal', 'home opened its first object');
  t.equal((await page.locator('mosaic-sidebar .me .who .muted').textContent())?.trim(), 'Member', 'her role there');
  t.equal(await page.getByRole('link', { name: 'Data model' }).count(), 0, 'a member has no data model settings');
  t.equal(await menu.inputValue(), babbage.workspaceId);

  // The switch moved the session, so the other tab follows rather than show one workspace and write to another.
  t.same(await waitForColumn(tabB, 'name', ['Difference Engine']), ['Difference Engine'], 'the other tab shows the workspace its session is in');
  await tabB.getByText('Switched to Babbage Labs in another tab; this tab follows.').waitFor();
  t.equal(await tabB.locator('mosaic-workspace-switcher select').inputValue(), babbage.workspaceId);
  t.equal(await page.getByText('in another tab').count(), 0, 'the tab that switched says nothing of another tab');
  await tabB.close();

  // Live updates follow: the socket now listens to the new workspace.
  await page.locator('mosaic-object-page h1[data-live="true"]').waitFor();
  await babbageClient.post('/api/objects/deal', { name: 'Analytical Engine', stage: 'lead' });
  t.same(await waitForColumn(page, 'name', ['Analytical Engine', 'Difference Engine']), ['Analytical Engine', 'Difference Engine'], 'a change in the chosen workspace shows live');

  // A reload stays in the chosen workspace; switching back returns to the first one.
  await page.reload();
  t.same(await waitForColumn(page, 'name', ['Analytical Engine', 'Difference Engine']), ['Analytical Engine', 'Difference Engine'], 'still Babbage Labs after a reload');
  t.equal(await menu.inputValue(), babbage.workspaceId);
  await page.goto(`${baseUrl}/objects/ticket`);
  await page.getByRole('heading', { name: 'No tickets yet' }).waitFor();
  await menu.selectOption({ label: 'Analytical Engines' });
  t.same(await waitForColumn(page, 'name', ['Initech']), ['Initech'], 'back in the first workspace');
  t.same(await objectLinks(), ['Deals']);
  t.equal(new URL(page.url()).pathname, '/objects/deal', 'from an object the first workspace lacks, to its home');
  t.same(problems, [], 'no script errors after switching');
});
