import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { signUp, type Session } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** A kernel listening on loopback, its base URL, and a signed-up owner. */
export async function listeningKernel(t: Teardown, env: Record<string, string> = {}) {
  const kernel = await startTestKernel(t, env);
  await kernel.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(kernel.app.server.address() as AddressInfo).port}`;
  const owner = await signUp(kernel.app, { name: 'Ada Owner', workspace: 'Acme Workspace' });
  return { kernel, base, owner };
}

/** A PKCE verifier and its S256 challenge. */
export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** POSTs a form; returns status, parsed JSON and headers. */
export async function postForm(url: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params).toString(), redirect: 'manual' });
  const text = await res.text();
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

/** Registers a client through DCR and returns the answer. */
export async function register(base: string, metadata: Record<string, unknown>) {
  const res = await fetch(`${base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) });
  return { status: res.status, body: (await res.json()) as any };
}

/** GETs an authorize URL as the member's browser (or anonymously): status, Location, HTML and headers. */
export async function openAuthorize(base: string, params: Record<string, string>, session?: Session) {
  const res = await fetch(`${base}/oauth/authorize?${new URLSearchParams(params)}`, { headers: session ? { cookie: session.cookie } : {}, redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), html: await res.text(), headers: res.headers };
}

/** The hidden fields of the consent form. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const m of html.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)) fields[m[1]!] = unescape(m[2]!);
  return fields;
}

/** Answers the consent page: opens it, then posts its form with Allow or Deny; returns the redirect URL. */
export async function consent(base: string, session: Session, params: Record<string, string>, decision: 'allow' | 'deny' = 'allow'): Promise<URL> {
  const page = await openAuthorize(base, params, session);
  if (page.status !== 200) throw new Error(`consent page: ${page.status} ${page.location ?? page.html.slice(0, 300)}`);
  const answer = await postForm(`${base}/oauth/authorize`, { ...hiddenFields(page.html), decision }, { cookie: session.cookie });
  const location = answer.headers.get('location');
  if (answer.status !== 303 || !location) throw new Error(`consent answer: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
  return new URL(location);
}

/** The whole authorization for a client: consent, then the code exchange. Returns the token answer. */
export async function authorizeAndExchange(base: string, session: Session, client: { client_id: string; redirect_uri: string; scope?: string; resource?: string }) {
  const { verifier, challenge } = pkce();
  const redirect = await consent(base, session, {
    response_type: 'code',
    client_id: client.client_id,
    redirect_uri: client.redirect_uri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'st',
    ...(client.scope ? { scope: client.scope } : {}),
    ...(client.resource ? { resource: client.resource } : {}),
  });
  const code = redirect.searchParams.get('code');
  if (!code) throw new Error(`no code in ${redirect.href}`);
  return postForm(`${base}/oauth/token`, { grant_type: 'authorization_code', code, redirect_uri: client.redirect_uri, client_id: client.client_id, code_verifier: verifier });
}
