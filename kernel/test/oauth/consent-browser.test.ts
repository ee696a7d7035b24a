import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import t from 'tap';
import { listeningKernel, pkce, postForm, register } from './helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

t.test('a member allows and denies in a real browser, under the CSP, and the client gets its answer', async (t) => {
  const { base, owner } = await listeningKernel(t);

  // The client's redirect target: a real listener on loopback, as a native app runs one.
  const callback = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('You can close this window.'));
  await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise((resolve) => callback.close(resolve)));
  const redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
  const { body: client } = await register(base, { client_name: 'Browser Agent', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' });

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  t.teardown(() => browser.close());
  const context = await browser.newContext();
  const [name, value] = owner.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: base, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });

  const { verifier, challenge } = pkce();
  const query = new URLSearchParams({ response_type: 'code', client_id: client.client_id, redirect_uri: redirectUri, state: 'browser-state', code_challenge: challenge, code_challenge_method: 'S256', scope: 'records:read' });
  await page.goto(`${base}/oauth/authorize?${query}`);
  t.match(await page.locator('h1').textContent(), /Allow Browser Agent to access Acme Workspace\?/);
  t.match(await page.locator('li').allTextContents(), [/Read the records your role can see/]);
  await page.getByRole('button', { name: 'Allow' }).click();
  await page.waitForURL((url) => url.href.startsWith(redirectUri));
  const allowed = new URL(page.url());
  t.equal(allowed.searchParams.get('state'), 'browser-state');
  t.equal(allowed.searchParams.get('iss'), base);
  const code = allowed.searchParams.get('code');
  t.ok(code, 'the browser arrived at the client with a code');
  const tokens = await postForm(`${base}/oauth/token`, { grant_type: 'authorization_code', code: code!, redirect_uri: redirectUri, client_id: client.client_id, code_verifier: verifier });
  t.equal(tokens.status, 200, 'and the code is good');

  await page.goto(`${base}/oauth/authorize?${query}`);
  await page.getByRole('button', { name: 'Deny' }).click();
  await page.waitForURL((url) => url.href.startsWith(redirectUri));
  const denied = new URL(page.url());
  t.equal(denied.searchParams.get('error'), 'access_denied');
  t.equal(denied.searchParams.get('iss'), base);

  t.same(problems, [], 'no script errors and no CSP violations');
});

t.test('a signed-out member signs in on the authorize step in a real browser and lands on the consent page', async (t) => {
  const { base, kernel } = await listeningKernel(t);
  const { signUp, uniqueEmail, TEST_PASSWORD } = await import('../helpers/auth.js');
  const email = uniqueEmail('browser');
  await signUp(kernel.app, { email, name: 'Bea Browser', workspace: 'Bea Co' });
  const { body: client } = await register(base, { client_name: 'Signed-out Agent', redirect_uris: ['http://127.0.0.1:7777/cb'], token_endpoint_auth_method: 'none' });

  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  t.teardown(() => browser.close());
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(20_000);
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (/Content.Security.Policy|Refused to/i.test(msg.text())) problems.push(`console: ${msg.text()}`);
  });
  const query = new URLSearchParams({ response_type: 'code', client_id: client.client_id, redirect_uri: 'http://127.0.0.1:7777/cb', code_challenge: pkce().challenge, code_challenge_method: 'S256' });
  await page.goto(`${base}/oauth/authorize?${query}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The consent form (its Allow button) exists only on the consent page: wait for it, not for a URL the page already had.
  await page.getByRole('button', { name: 'Allow' }).waitFor();
  t.equal(new URL(page.url()).pathname, '/oauth/authorize', 'back on the authorization request');
  t.match(await page.locator('h1').textContent(), /Allow Signed-out Agent to access Bea Co\?/);
  t.same(problems, [], 'no script errors and no CSP violations');
});
