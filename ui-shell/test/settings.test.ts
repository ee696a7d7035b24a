import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import t from 'tap';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { api } from '../../kernel/test/helpers/api.js';
import { inviteAndAccept, signUp, TEST_PASSWORD, uniqueEmail } from '../../kernel/test/helpers/auth.js';
import { CHROMIUM, DEAL_OBJECT, openSignedInPage } from './browser.js';

/** A receiver on this machine for the webhook (private addresses are allowed for this kernel only). */
async function startReceiver(t: { teardown(fn: () => unknown): void }) {
  const received: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push(body);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => server.close(resolve)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

t.test('an admin manages members, roles, API keys and webhooks; a member sees only what their role allows', async (t) => {
  const kernel = await startTestKernel(t, { WEBHOOK_ALLOW_PRIVATE: 'true' });
  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const baseUrl = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'], headless: true });
  t.teardown(() => browser.close());

  const admin = await signUp(kernel.app, { name: 'Ada Admin' });
  const client = api(kernel.app, admin);
  t.equal((await client.post('/api/metadata/objects', DEAL_OBJECT)).status, 201);
  const miaEmail = uniqueEmail('mia');
  const miaSession = await inviteAndAccept(kernel.app, admin, 'member', { email: miaEmail, name: 'Mia Member' });

  const { page, problems } = await openSignedInPage(browser, baseUrl, admin.cookie);
  await page.goto(`${baseUrl}/settings/members`);
  const settingsNav = page.locator('mosaic-sidebar nav[aria-label="Settings"]');
  await settingsNav.getByRole('link', { name: 'Members' }).waitFor();
  t.same((await settingsNav.locator('a span:not(.icon)').allTextContents()).map((s) => s.trim()), ['Data model', 'Members', 'Roles', 'API keys', 'Connected apps', 'Webhooks', 'Plugins', 'Marketplace'], 'an admin sees every settings page');

  // Invite by email: the link the API returns is shown once, and it works.
  const members = page.locator('mosaic-members-page');
  await members.getByRole('row', { name: /Mia Member/ }).waitFor();
  const graceEmail = uniqueEmail('grace');
  await members.getByLabel('Email').fill(graceEmail);
  await members.getByLabel('Role', { exact: true }).selectOption({ label: 'Viewer' });
  await members.getByRole('button', { name: 'Create invite' }).click();
  const link = await members.locator('mosaic-secret-once').getByLabel('Invite link').inputValue();
  t.match(link, new RegExp(`^${baseUrl}/accept-invite#token=.+`), 'the invite link, on this server');
  await members.getByRole('table', { name: 'Pending invites' }).getByRole('cell', { name: graceEmail }).waitFor();
  const accepted = await kernel.app.inject({ method: 'POST', url: '/api/auth/invites/accept', payload: { token: link.split('#token=')[1], name: 'Grace Viewer', password: TEST_PASSWORD } });
  t.equal(accepted.statusCode, 200, 'the invite link redeems');

  // A custom role: capabilities and record access per object.
  await settingsNav.getByRole('link', { name: 'Roles' }).click();
  const roles = page.locator('mosaic-roles-page');
  await roles.getByRole('row', { name: /Viewer/ }).waitFor();
  await roles.getByRole('button', { name: '+ New role' }).click();
  const editor = roles.locator('mosaic-role-editor');
  await editor.getByLabel('Role name').fill('Sales lead');
  await editor.getByLabel('Invite, remove and change members').check();
  await editor.getByLabel('Deals: create').check();
  await editor.getByLabel('Deals: update').check();
  await editor.getByRole('button', { name: 'Create role' }).click();
  await roles.getByRole('row', { name: /Sales lead/ }).waitFor();
  const created = (await client.get('/api/workspace/roles')).body.roles.find((r: { key: string }) => r.key === 'sales_lead');
  t.same(created?.permissions, {
    workspace: ['members'],
    objects: { '*': { read: true, create: false, update: false, delete: false }, deal: { read: true, create: true, update: true, delete: false } },
    fields: {},
  }, 'the role as the editor showed it');

  // Edit it: deals may be deleted too.
  await roles.getByRole('row', { name: /Sales lead/ }).getByRole('button', { name: 'Edit' }).click();
  await editor.getByLabel('Deals: delete').check();
  await editor.getByRole('button', { name: 'Save role' }).click();
  await editor.waitFor({ state: 'detached' });
  t.equal((await client.get('/api/workspace/roles')).body.roles.find((r: { key: string }) => r.key === 'sales_lead')?.permissions.objects.deal.delete, true);

  // Change Mia's role to the new one.
  await settingsNav.getByRole('link', { name: 'Members' }).click();
  await members.getByRole('row', { name: /Grace Viewer/ }).waitFor();
  await members.getByLabel('Role of Mia Member').selectOption({ label: 'Sales lead' });
  await page.locator('mosaic-toasts').getByText("Mia Member's role changed.").waitFor();
  const listed = (await client.get('/api/workspace/members')).body.members as { email: string; role: string }[];
  t.equal(listed.find((m) => m.email === miaEmail)?.role, 'sales_lead', 'the role changed in the workspace');

  // Remove Grace, with a confirmation.
  const grace = members.getByRole('row', { name: /Grace Viewer/ });
  await grace.getByRole('button', { name: 'Remove' }).click();
  await grace.getByRole('button', { name: 'Confirm removal' }).click();
  await grace.waitFor({ state: 'detached' });
  t.notOk(((await client.get('/api/workspace/members')).body.members as { email: string }[]).some((m) => m.email === graceEmail), 'Grace is no longer a member');

  // API keys: the secret once, it works, then revoke it.
  await settingsNav.getByRole('link', { name: 'API keys' }).click();
  const keys = page.locator('mosaic-api-keys-page');
  await keys.getByLabel('Key name').fill('Nightly import');
  await keys.getByLabel('Role').selectOption({ label: 'Member' });
  await keys.getByRole('button', { name: 'Create key' }).click();
  const secret = await keys.locator('mosaic-secret-once').getByRole('textbox').inputValue();
  t.match(secret, /^mk_/, 'the key, shown once');
  const bearer = { authorization: `Bearer ${secret}` };
  t.equal((await kernel.app.inject({ method: 'GET', url: '/api/objects/deal', headers: bearer })).statusCode, 200, 'the key works');
  await keys.locator('mosaic-secret-once').getByRole('button', { name: 'Done' }).click();
  t.equal(await keys.locator('mosaic-secret-once').count(), 0, 'dismissed, the secret is gone from the page');
  const keyRow = keys.getByRole('row', { name: /Nightly import/ });
  t.match(await keyRow.textContent(), secret.slice(0, 8), 'listed by its prefix');
  await keyRow.getByRole('button', { name: 'Revoke' }).click();
  await keyRow.getByRole('button', { name: 'Confirm revoke' }).click();
  await keys.getByText('No API keys yet.').waitFor();
  t.equal((await kernel.app.inject({ method: 'GET', url: '/api/objects/deal', headers: bearer })).statusCode, 401, 'a revoked key is refused');

  // Webhooks: filters, the signing secret once, a test delivery in the history, deletion.
  const receiver = await startReceiver(t);
  await settingsNav.getByRole('link', { name: 'Webhooks' }).click();
  const hooks = page.locator('mosaic-webhooks-page');
  await hooks.getByLabel('Endpoint URL').fill(receiver.url);
  await hooks.getByLabel('Event types').fill('record.created, record.updated');
  await hooks.getByLabel('Deals').check();
  await hooks.getByRole('button', { name: 'Create webhook' }).click();
  t.match(await hooks.locator('mosaic-secret-once').getByLabel('Signing secret').inputValue(), /^whsec_/, 'the signing secret, shown once');
  const stored = (await client.get('/api/webhooks')).body.data[0];
  t.same([stored.url, stored.event_types, stored.objects], [receiver.url, ['record.created', 'record.updated'], ['deal']], 'the webhook with its filters');
  const hook = hooks.locator(`section[data-webhook="${receiver.url}"]`);
  await hook.getByText('Receives record.created, record.updated · deal').waitFor();
  await hook.getByRole('button', { name: 'Send test' }).click();
  await hook.getByRole('table', { name: 'Delivery history' }).getByRole('cell', { name: 'webhook.test' }).waitFor();
  t.match(await hook.getByRole('table', { name: 'Delivery history' }).textContent(), /200/, 'the delivery with its status');
  t.equal(receiver.received.length, 1, 'the receiver got the test event');
  await hook.getByRole('button', { name: 'Delete' }).click();
  await hook.getByRole('button', { name: 'Confirm delete' }).click();
  await hooks.getByText('No webhooks yet.').waitFor();
  t.same((await client.get('/api/webhooks')).body.data, []);
  t.same(problems, [], 'no script errors and no CSP violations');

  // Mia (Sales lead: members only) sees the Members page and nothing else; other pages refuse.
  const mia = await openSignedInPage(browser, baseUrl, miaSession.cookie);
  await mia.page.goto(`${baseUrl}/settings/api-keys`);
  await mia.page.locator('mosaic-api-keys-page').getByRole('alert').getByText(/cannot manage api keys/).waitFor();
  t.equal(await mia.page.locator('mosaic-api-keys-page').getByRole('button', { name: 'Create key' }).count(), 0, 'no key form');
  const miaNav = mia.page.locator('mosaic-sidebar nav[aria-label="Settings"]');
  t.same((await miaNav.locator('a span:not(.icon)').allTextContents()).map((s) => s.trim()), ['Members', 'Connected apps'], 'only the settings her role allows, and her connected apps');
  await mia.page.goto(`${baseUrl}/settings/plugins`);
  await mia.page.locator('mosaic-plugins-page').getByRole('alert').waitFor();
  await mia.page.goto(`${baseUrl}/settings/data-model`);
  await mia.page.locator('mosaic-data-model').getByRole('alert').getByText(/cannot manage data model/).waitFor();
  t.equal(await mia.page.locator('mosaic-data-model').getByRole('button', { name: 'Create object' }).count(), 0, 'no object form');
  t.same(mia.problems, []);
});

