/** JSON over HTTP against a running kernel, as a client would call it. */

/** Sends `body` as JSON; any status from 300 up is an error carrying the answer. */
export async function call(baseUrl: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return res;
}

/** A new workspace's owner, signed in, and an admin API key of that workspace. */
export interface BenchAccount {
  readonly workspaceId: string;
  /** `Authorization: Bearer …` of an admin API key. */
  readonly authorization: string;
}

/**
 * Signs up a new user with a new workspace (which installs the plugins of `plugins.config.json`), then
 * creates an admin API key with the session, as kernel/test/helpers/auth.ts does through `inject`.
 */
export async function signUpWithApiKey(baseUrl: string, label: string): Promise<BenchAccount> {
  const signUp = await call(baseUrl, 'POST', '/api/auth/sign-up', {
    email: `${label}@example.test`,
    password: 'correct horse battery staple',
    name: 'Bench',
    workspace_name: label,
  });
  const session = (await signUp.json()) as { csrf_token: string; workspace: { id: string } };
  const cookie = signUp.headers.getSetCookie().find((c) => c.startsWith('mosaic_session='))?.split(';')[0];
  if (!cookie) throw new Error('sign-up set no session cookie');
  const keyRes = await call(baseUrl, 'POST', '/api/workspace/api-keys', { name: 'bench', role: 'admin' }, { cookie, 'x-csrf-token': session.csrf_token });
  const { key } = (await keyRes.json()) as { key: string };
  return { workspaceId: session.workspace.id, authorization: `Bearer ${key}` };
}
