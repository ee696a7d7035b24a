import t from 'tap';
import { signUp, TEST_PASSWORD, uniqueEmail } from '../../kernel/test/helpers/auth.js';
import { openPage, startBrowserKernel } from './browser.js';

t.test('an invite link from Settings → Members opens a page that joins the workspace', async (t) => {
  const { kernel, browser, baseUrl } = await startBrowserKernel(t);
  const owner = await signUp(kernel.app, { workspace: 'Analytical Engines' });
  const invite = async (email: string) => {
    const res = await kernel.app.inject({ method: 'POST', url: '/api/workspace/invites', headers: owner.headers, payload: { email, role: 'member' } });
    t.equal(res.statusCode, 201);
    return (res.json() as { accept_path: string }).accept_path;
  };

  const { page, problems } = await openPage(browser);
  await page.goto(`${baseUrl}${await invite(uniqueEmail('new'))}`);
  await page.getByRole('heading', { name: 'Join the workspace' }).waitFor();
  await page.getByLabel('Password').fill('short');
  await page.getByLabel('Your name').fill('Grace');
  await page.getByLabel('Password').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.locator('mosaic-sidebar').waitFor();
  t.notMatch(page.url(), /token=/, 'the spent token leaves the address bar');
  const session = await page.evaluate(async () => (await fetch('/api/auth/session')).json());
  t.match(session, { user: { name: 'Grace' }, workspace: { name: 'Analytical Engines' }, member: { role: 'member' } }, 'signed in as the new member');

  // A spent link says so, with the API's message, and signs nobody in.
  const spent = await openPage(browser);
  const path = await invite(uniqueEmail('twice'));
  await spent.page.goto(`${baseUrl}${path}`);
  await spent.page.getByLabel('Your name').fill('First');
  await spent.page.getByLabel('Password').fill(TEST_PASSWORD);
  await spent.page.getByRole('button', { name: 'Join' }).click();
  await spent.page.locator('mosaic-sidebar').waitFor();
  const again = await openPage(browser);
  await again.page.goto(`${baseUrl}${path}`);
  await again.page.getByLabel('Your name').fill('Second');
  await again.page.getByLabel('Password').fill(TEST_PASSWORD);
  await again.page.getByRole('button', { name: 'Join' }).click();
  await again.page.locator('mosaic-accept-invite [role="alert"]').waitFor();
  t.match(await again.page.locator('mosaic-accept-invite [role="alert"]').textContent(), /invite/i);

  const incomplete = await openPage(browser);
  await incomplete.page.goto(`${baseUrl}/accept-invite`);
  await incomplete.page.getByRole('heading', { name: 'This invite link is incomplete' }).waitFor();
  t.same([...problems, ...spent.problems, ...again.problems, ...incomplete.problems], [], 'no script errors or CSP violations');
});
