import t from 'tap';
import type { Page } from 'playwright-core';
import { api } from '../../kernel/test/helpers/api.js';
import { inviteAndAccept, signUp } from '../../kernel/test/helpers/auth.js';
import { DEAL_OBJECT, openSignedInPage, startBrowserKernel, waitForColumn } from './browser.js';

const SECRET = 'TOP-SECRET-42';

/** All text the page shows, shadow roots included (the shell is all shadow DOM). */
function deepText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts: string[] = [];
    const walk = (root: Node) => {
      for (const node of Array.from(root.childNodes)) {
        if (node.nodeType === Node.TEXT_NODE) parts.push(node.textContent ?? '');
        if (node instanceof Element) {
          for (const attr of ['title', 'aria-label', 'value']) if (node.hasAttribute(attr)) parts.push(node.getAttribute(attr)!);
          if (node.shadowRoot) walk(node.shadowRoot);
        }
        walk(node);
      }
    };
    walk(document);
    return parts.join(' ');
  });
}

/** Names of controls that change records or the data model. */
const WRITE = /:\s*(\+|(new|create|delete|remove|import|edit|add|rename|move|archive|restore)\b)/i;

/** The accessible names of every button, link, and form control the page shows. */
async function controls(page: Page): Promise<string[]> {
  const names: string[] = [];
  for (const role of ['button', 'link', 'textbox', 'combobox', 'checkbox', 'menuitem'] as const) {
    for (const el of await page.getByRole(role).all()) if (await el.isVisible()) names.push(`${role}:${((await el.getAttribute('aria-label')) ?? (await el.textContent()) ?? '').trim().replace(/\s+/g, ' ')}`);
  }
  return names;
}

t.test('a viewer sees no edit control anywhere, and a field the role may not read never shows', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const owner = await signUp(kernel.app, { name: 'Olive Owner' });
  const client = api(kernel.app, owner);
  t.equal((await client.post('/api/metadata/objects', { ...DEAL_OBJECT, fields: [...DEAL_OBJECT.fields, { name: 'margin_notes', type: 'text', label: 'Margin notes' }] })).status, 201);
  const deal = (await client.post('/api/objects/deal', { name: 'Acme', stage: 'lead', employees: 5 })).body.data;
  t.equal((await client.patch(`/api/objects/deal/${deal.id}`, { margin_notes: SECRET, employees: 6 })).status, 200);
  // An object the auditor may not read at all, with a record search would find.
  t.equal((await client.post('/api/metadata/objects', { name: 'payroll_run', label_singular: 'Payroll run', label_plural: 'Payroll runs', fields: [{ name: 'title', type: 'text', label: 'Title' }] })).status, 201);
  const payroll = (await client.post('/api/objects/payroll_run', { title: 'Zyzzyva payroll' })).body.data;
  t.equal((await client.get('/api/search?q=Zyzzyva')).body.data.length, 1, 'search finds the payroll run for the owner');
  // A read-only role that may not read the deal's margin notes, nor payroll runs.
  const role = await client.post('/api/workspace/roles', {
    key: 'auditor',
    name: 'Auditor',
    permissions: {
      workspace: [],
      objects: { '*': { read: true, create: false, update: false, delete: false }, payroll_run: { read: false, create: false, update: false, delete: false } },
      fields: { deal: { margin_notes: { read: false, update: false } } },
    },
  });
  t.equal(role.status, 201, 'the restricted role exists');

  // The owner sees the field everywhere, so its absence below means something.
  const ownerPage = (await openSignedInPage(browser, baseUrl, owner.cookie)).page;
  await ownerPage.goto(`${baseUrl}/objects/deal/${deal.id}`);
  await ownerPage.locator('mosaic-record-timeline li[data-field="margin_notes"]').waitFor();
  t.match(await deepText(ownerPage), SECRET, 'the owner reads the notes on the record page and in its timeline');
  await ownerPage.goto(`${baseUrl}/objects/deal`);
  await waitForColumn(ownerPage, 'name', ['Acme']);
  t.ok((await controls(ownerPage)).some((c) => WRITE.test(c)), 'the owner has controls that change records (so the check below can fail)');
  t.equal(await ownerPage.locator('mosaic-sidebar').getByRole('link', { name: 'Payroll runs' }).count(), 1, 'the owner has payroll runs in the sidebar (so their absence below means something)');

  for (const key of ['viewer', 'auditor']) {
    const member = await inviteAndAccept(kernel.app, owner, key);
    const { page, problems } = await openSignedInPage(browser, baseUrl, member.cookie);
    const what = (s: string) => `${key}: ${s}`;

    // The table: no create, no selection (so no bulk delete), no editable cell.
    await page.goto(`${baseUrl}/objects/deal`);
    await waitForColumn(page, 'name', ['Acme']);
    t.equal(await page.getByRole('button', { name: /New deal/ }).count(), 0, what('no create button'));
    t.equal(await page.getByLabel('Select row').count(), 0, what('no row selection'));
    t.equal(await page.getByLabel('Select all').count(), 0, what('no select-all'));
    t.equal(await page.locator('mosaic-record-table td.editable').count(), 0, what('no editable cell'));
    await page.locator('mosaic-record-table td[data-field="employees"]').click();
    t.equal(await page.locator('mosaic-record-table .editor').count(), 0, what('clicking a cell opens no editor'));
    t.equal(await page.getByRole('link', { name: 'Data model' }).count(), 0, what('no data model settings'));
    t.same((await controls(page)).filter((c) => WRITE.test(c)), [], what('no control that changes records or the data model on the table'));

    // The board: no drag, no move menu.
    await page.getByRole('button', { name: 'Board' }).click();
    const card = page.locator('mosaic-record-board [draggable]', { hasText: 'Acme' });
    await card.waitFor();
    t.equal(await card.getAttribute('draggable'), 'false', what('cards do not drag'));
    t.equal(await page.getByLabel('Move Acme to').count(), 0, what('no move menu'));

    // The record page: no editable field.
    await page.goto(`${baseUrl}/objects/deal/${deal.id}`);
    await page.locator('mosaic-record-page h1', { hasText: 'Acme' }).waitFor();
    await page.locator('mosaic-record-timeline li[data-type="record.created"]').waitFor();
    t.equal(await page.locator('mosaic-record-page dd.editable').count(), 0, what('no editable field'));
    t.same((await controls(page)).filter((c) => WRITE.test(c)), [], what('no control that changes the record'));
    t.equal(await page.locator('mosaic-record-page dd[tabindex="0"]').count(), 0, what('no field in the tab order as editable'));
    await page.locator('mosaic-record-page dd[data-field="name"]').click();
    t.equal(await page.locator('mosaic-record-page .editor').count(), 0, what('clicking a field opens no editor'));

    // The palette offers no create command and no settings.
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('dialog', { name: 'Search and commands' });
    await palette.getByRole('option', { name: 'Go to Deals' }).waitFor();
    t.equal(await palette.getByRole('option', { name: 'Create deal' }).count(), 0, what('no create command'));
    t.equal(await palette.getByRole('option', { name: /Data model/ }).count(), 0, what('no settings command'));
    await page.keyboard.press('Escape');
    t.same(problems, [], what('no script errors and no CSP violations'));

    if (key !== 'auditor') {
      await page.locator('mosaic-sidebar').getByRole('link', { name: 'Payroll runs' }).waitFor();
      // A role change reaches the open page: promoted to member, the viewer gets edit controls, no reload.
      await page.evaluate(() => ((window as unknown as { sameDocument?: boolean }).sameDocument = true));
      await page.locator('mosaic-sidebar').getByRole('link', { name: 'Deals' }).click();
      await waitForColumn(page, 'name', ['Acme']);
      t.equal((await client.patch(`/api/workspace/members/${member.memberId}`, { role: 'member' })).status, 200);
      await page.locator('mosaic-toasts').getByText(/is now Member\./).waitFor();
      await page.getByRole('button', { name: /New deal/ }).waitFor();
      t.ok((await page.locator('mosaic-record-table td.editable').count()) > 0, what('promoted: cells are editable'));
      t.equal(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument), true, what('promoted without a reload'));
      continue;
    }

    // The field the role may not read: not a column, not on the record page, not in the timeline.
    const employeesChange = page.locator('mosaic-record-timeline li[data-type="record.updated"] li[data-field="employees"]');
    await employeesChange.waitFor();
    t.equal(await page.locator('mosaic-record-timeline li[data-field="margin_notes"]').count(), 0, 'no margin notes in the timeline');
    t.equal(await page.locator('mosaic-record-page dd[data-field="margin_notes"]').count(), 0, 'no margin notes on the record page');
    t.notMatch(await deepText(page), /TOP-SECRET|Margin notes/, 'neither its label nor its value anywhere on the record page');
    await page.goto(`${baseUrl}/objects/deal`);
    await waitForColumn(page, 'name', ['Acme']);
    t.equal(await page.locator('mosaic-record-table th[data-field="margin_notes"]').count(), 0, 'no margin notes column');
    t.notMatch(await deepText(page), /TOP-SECRET|Margin notes/, 'nor on the table');

    // Search finds the record by what the role may read, and not by the hidden field.
    await page.keyboard.press('Control+k');
    const box = palette.getByRole('combobox');
    await box.fill('acme');
    await palette.getByRole('option', { name: 'Acme' }).waitFor();
    await box.fill('TOP-SECRET');
    await palette.getByRole('status').filter({ hasText: /Nothing matches|0 records/ }).waitFor();
    t.equal(await palette.locator('[role="option"][data-object]').count(), 0, 'no record found through the hidden field');
    await page.keyboard.press('Escape');

    // An object the role may not read: not in the sidebar, not among the palette's commands or results.
    const sidebar = page.locator('mosaic-sidebar nav[aria-label="Objects"]');
    await sidebar.getByRole('link', { name: 'Deals' }).waitFor();
    t.same((await sidebar.locator('a > span:not(.icon)').allTextContents()).map((s) => s.trim()), ['Deals'], 'the sidebar lists deals only');
    await page.keyboard.press('Control+k');
    await box.fill('deals');
    await palette.getByRole('option', { name: 'Go to Deals' }).waitFor();
    await box.fill('payroll');
    await palette.getByRole('status').filter({ hasText: /Nothing matches|0 records/ }).waitFor();
    t.equal(await palette.getByRole('option').count(), 0, 'no command or record for "payroll"');
    await box.fill('Zyzzyva');
    await palette.getByRole('status').filter({ hasText: /Nothing matches|0 records/ }).waitFor();
    t.equal(await palette.locator('[role="option"][data-object]').count(), 0, 'search finds no payroll run');
    await page.keyboard.press('Escape');
    // Nor through a link: the object page and a record's page say there is nothing here to open.
    for (const path of ['/objects/payroll_run', `/objects/payroll_run/${payroll.id}`]) {
      await page.goto(`${baseUrl}${path}`);
      const notFound = page.locator('mosaic-not-found');
      await notFound.getByRole('heading', { name: 'Not found' }).waitFor();
      t.match(await notFound.locator('p').textContent(), /No object named “payroll_run” here/, `${path}: says so`);
      await notFound.getByRole('link', { name: 'Back to the workspace' }).waitFor();
      t.equal(await page.locator('mosaic-object-page, mosaic-record-page').count(), 0, `${path}: no table or record page`);
      t.notMatch(await deepText(page), /Zyzzyva|Payroll runs/, `${path}: nothing of the object shows`);
    }

  }
});
