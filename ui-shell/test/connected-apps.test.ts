import t from 'tap';
import { inviteAndAccept, signUp } from '../../kernel/test/helpers/auth.js';
import { authorizeAndExchange, postForm, register } from '../../kernel/test/oauth/helpers.js';
import { openSignedInPage, startBrowserKernel } from './browser.js';

const REDIRECT = 'http://127.0.0.1:7777/callback';

/** `tools/list` at /mcp with a bearer token: its HTTP status. */
async function mcpStatus(baseUrl: string, token: string): Promise<number> {
  const res = await fetch(`${baseUrl}/mcp`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  await res.body?.cancel();
  return res.status;
}

t.test('Settings → Connected apps: a member revokes her app, an admin revokes anyone’s and deletes unused clients', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const admin = await signUp(kernel.app, { name: 'Ada Admin' });
  const mia = await inviteAndAccept(kernel.app, admin, 'member', { name: 'Mia Member' });

  // The real OAuth flow (registration, consent with the member's session, PKCE code exchange).
  const claude = (await register(baseUrl, { client_name: 'Claude', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' })).body;
  const cursor = (await register(baseUrl, { client_name: 'Cursor', redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' })).body;
  const miaClaude = await authorizeAndExchange(baseUrl, mia, { client_id: claude.client_id, redirect_uri: REDIRECT, scope: 'records:read metadata:read' });
  const miaCursor = await authorizeAndExchange(baseUrl, mia, { client_id: cursor.client_id, redirect_uri: REDIRECT });
  const adaClaude = await authorizeAndExchange(baseUrl, admin, { client_id: claude.client_id, redirect_uri: REDIRECT });
  for (const res of [miaClaude, miaCursor, adaClaude]) t.equal(res.status, 200, res.status === 200 ? 'authorized' : JSON.stringify(res.body));
  t.equal(await mcpStatus(baseUrl, miaClaude.body.access_token), 200, 'the app works at /mcp');

  // Mia, a plain member: the page is in her settings, with her two apps and nothing of anyone else's.
  const { page, problems } = await openSignedInPage(browser, baseUrl, mia.cookie);
  await page.goto(`${baseUrl}/`);
  const nav = page.locator('mosaic-sidebar nav[aria-label="Settings"]');
  await nav.getByRole('link', { name: 'Connected apps' }).click();
  const apps = page.locator('mosaic-connected-apps-page');
  const mine = apps.getByRole('table', { name: 'Your connected apps' });
  await mine.getByRole('row', { name: /Claude/ }).waitFor();
  t.same((await nav.locator('a span:not(.icon)').allTextContents()).map((s) => s.trim()), ['Connected apps'], 'every member has this settings page');
  const claudeRow = mine.getByRole('row', { name: /Claude/ });
  t.match(await claudeRow.textContent(), /records:read.*metadata:read/, 'the scopes she granted');
  t.match(await claudeRow.textContent(), new RegExp(claude.client_id), 'the client id');
  t.match(await claudeRow.textContent(), /127\.0\.0\.1:7777/, 'where it redirects');
  t.equal(await mine.getByRole('row').count(), 3, 'a header and her two apps');
  t.equal(await apps.getByRole('table', { name: 'Connected apps of the workspace' }).count(), 0, 'no one else’s apps');

  // She revokes Claude, with a confirmation.
  await claudeRow.getByRole('button', { name: 'Revoke' }).click();
  await claudeRow.getByRole('button', { name: 'Cancel' }).click();
  t.equal(await mcpStatus(baseUrl, miaClaude.body.access_token), 200, 'cancelling changes nothing');
  await claudeRow.getByRole('button', { name: 'Revoke' }).click();
  await claudeRow.getByRole('button', { name: 'Confirm revoke' }).click();
  await page.locator('mosaic-toasts').getByText('“Claude” can no longer act for you.').waitFor();
  await claudeRow.waitFor({ state: 'detached' });
  const refused = await postForm(`${baseUrl}/oauth/token`, { grant_type: 'refresh_token', refresh_token: miaClaude.body.refresh_token, client_id: claude.client_id });
  t.same([refused.status, refused.body.code], [400, 'MOSAIC_ERR_OAUTH_GRANT_INVALID'], 'the client’s refresh token is refused');
  t.equal(await mcpStatus(baseUrl, miaClaude.body.access_token), 401, 'its access token too, at once');
  const adaRefresh = await postForm(`${baseUrl}/oauth/token`, { grant_type: 'refresh_token', refresh_token: adaClaude.body.refresh_token, client_id: claude.client_id });
  t.equal(adaRefresh.status, 200, 'the admin’s own authorization of Claude is untouched');
  t.same(problems, [], 'no script errors and no CSP violations');

  // The admin sees every member's apps and revokes Mia's Cursor.
  const adminView = await openSignedInPage(browser, baseUrl, admin.cookie);
  await adminView.page.goto(`${baseUrl}/settings/connected-apps`);
  const all = adminView.page.locator('mosaic-connected-apps-page').getByRole('table', { name: 'Connected apps of the workspace' });
  const miasCursor = all.locator('tr[data-member="Mia Member"][data-app="Cursor"]');
  await miasCursor.waitFor();
  t.equal(await all.locator('tr[data-member="Ada Admin"][data-app="Claude"]').count(), 1, 'the admin’s own app is listed too');
  t.equal(await all.locator('tr[data-member="Mia Member"][data-app="Claude"]').count(), 0, 'Mia’s revoked app is not');
  await miasCursor.getByRole('button', { name: 'Revoke' }).click();
  await miasCursor.getByRole('button', { name: 'Confirm revoke' }).click();
  await adminView.page.locator('mosaic-toasts').getByText('“Cursor” can no longer act for Mia Member.').waitFor();
  await miasCursor.waitFor({ state: 'detached' });
  const cursorRefused = await postForm(`${baseUrl}/oauth/token`, { grant_type: 'refresh_token', refresh_token: miaCursor.body.refresh_token, client_id: cursor.client_id });
  t.equal(cursorRefused.body.code, 'MOSAIC_ERR_OAUTH_GRANT_INVALID', 'Cursor’s refresh token is refused');

  // Cursor is connected by no one now: the admin deletes its registration.
  const idle = adminView.page.locator('mosaic-connected-apps-page').getByRole('table', { name: 'Unused registered clients' });
  const idleCursor = idle.locator('tr[data-client="Cursor"]');
  await idleCursor.getByRole('button', { name: 'Delete' }).click();
  await idleCursor.getByRole('button', { name: 'Confirm delete' }).click();
  await idleCursor.waitFor({ state: 'detached' });
  t.notOk(await kernel.services.db.knex('oauth_client').where({ id: cursor.client_id }).first(), 'the registration is gone');
  t.ok(await kernel.services.db.knex('oauth_client').where({ id: claude.client_id }).first(), 'Claude, still connected by the admin, stays');
  t.same(adminView.problems, []);
});
