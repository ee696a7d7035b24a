import t from 'tap';
import { TEST_PASSWORD, signUp, uniqueEmail } from '../helpers/auth.js';
import { listeningKernel, openAuthorize, pkce, postForm, register } from './helpers.js';

t.test('signing in from the authorize step returns to the consent page', async (t) => {
  const { base, kernel } = await listeningKernel(t);
  const email = uniqueEmail('signin');
  await signUp(kernel.app, { email, name: 'Sam Signin', workspace: 'Sam Co' });
  const { body: client } = await register(base, { client_name: 'Agent', redirect_uris: ['http://127.0.0.1:7777/cb'], token_endpoint_auth_method: 'none' });
  const params = { response_type: 'code', client_id: client.client_id, redirect_uri: 'http://127.0.0.1:7777/cb', code_challenge: pkce().challenge, code_challenge_method: 'S256' };

  const anonymous = await openAuthorize(base, params);
  t.equal(anonymous.status, 200);
  t.match(anonymous.html, /<form method="post" action="\/oauth\/sign-in">/);
  const returnTo = /name="return_to" value="([^"]+)"/.exec(anonymous.html)![1]!.replace(/&amp;/g, '&');
  t.match(returnTo, /^\/oauth\/authorize\?/);

  const signIn = (fields: Record<string, string>, headers: Record<string, string> = { origin: base }) => postForm(`${base}/oauth/sign-in`, fields, headers);
  const noOrigin = await signIn({ return_to: returnTo, email, password: TEST_PASSWORD }, {});
  t.equal(noOrigin.status, 403, 'no Origin: refused (login CSRF)');
  t.match(noOrigin.body, /MOSAIC_ERR_AUTH_CSRF/);
  t.equal(noOrigin.headers.get('set-cookie'), null);
  const foreign = await signIn({ return_to: returnTo, email, password: TEST_PASSWORD }, { origin: 'https://evil.example' });
  t.equal(foreign.status, 403, 'a foreign Origin: refused');
  const elsewhere = await signIn({ return_to: 'https://evil.example/', email, password: TEST_PASSWORD });
  t.equal(elsewhere.status, 400, 'the form returns only to an authorization request');
  t.match(elsewhere.body, /MOSAIC_ERR_OAUTH_REQUEST_INVALID/);
  const wrong = await signIn({ return_to: returnTo, email, password: 'not the password' });
  t.equal(wrong.status, 401);
  t.match(wrong.body, /The email or password is wrong/);
  t.equal(wrong.headers.get('set-cookie'), null);

  const ok = await signIn({ return_to: returnTo, email, password: TEST_PASSWORD });
  t.equal(ok.status, 303);
  t.equal(ok.headers.get('location'), returnTo);
  const cookie = ok.headers.get('set-cookie')!.split(';')[0]!;
  t.match(cookie, /^mosaic_session=/);
  const page = await fetch(`${base}${returnTo}`, { headers: { cookie } });
  t.equal(page.status, 200);
  const html = await page.text();
  t.match(html, /Allow Agent to access Sam Co\?/, 'the consent page, for the workspace just signed in to');
});
