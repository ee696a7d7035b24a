import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A signed-in browser session, ready to pass to `app.inject`. */
export interface Session {
  /** `mosaic_session=<token>`, the value of a Cookie header. */
  cookie: string;
  csrf: string;
  workspaceId: string;
  userId: string;
  memberId: string;
  /** Cookie and `x-csrf-token` headers, for any method. */
  headers: Record<string, string>;
}

/** The default password of helper-made accounts. */
export const TEST_PASSWORD = 'correct horse battery staple';

/** A unique email address per call, so tests sharing a kernel never collide. */
export function uniqueEmail(label = 'user'): string {
  return `${label}-${randomBytes(5).toString('hex')}@example.test`;
}

/** The session cookie a response set, as a Cookie header value. */
export function sessionCookieOf(res: LightMyRequestResponse): string {
  const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = set.find((c) => c.startsWith('mosaic_session='));
  if (!cookie) throw new Error(`no session cookie in response ${res.statusCode}: ${res.body}`);
  return cookie.split(';')[0]!;
}

/** Turns a sign-in/sign-up/invite-accept response into a {@link Session}. */
export function sessionFrom(res: LightMyRequestResponse): Session {
  if (res.statusCode >= 300) throw new Error(`expected a session, got ${res.statusCode}: ${res.body}`);
  const body = res.json() as { user: { id: string }; workspace: { id: string }; member: { id: string }; csrf_token: string };
  const cookie = sessionCookieOf(res);
  return {
    cookie,
    csrf: body.csrf_token,
    workspaceId: body.workspace.id,
    userId: body.user.id,
    memberId: body.member.id,
    headers: { cookie, 'x-csrf-token': body.csrf_token },
  };
}

/** Signs up a new user with a new workspace they own. */
export async function signUp(
  app: FastifyInstance,
  opts: { email?: string; password?: string; name?: string; workspace?: string } = {},
): Promise<Session> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-up',
    payload: {
      email: opts.email ?? uniqueEmail(),
      password: opts.password ?? TEST_PASSWORD,
      name: opts.name ?? 'Test User',
      workspace_name: opts.workspace ?? 'Test Workspace',
    },
  });
  return sessionFrom(res);
}

/** Creates an API key in the session's workspace with a role (default admin). */
export async function createApiKey(
  app: FastifyInstance,
  session: Session,
  role = 'admin',
): Promise<{ key: string; id: string; headers: { authorization: string } }> {
  const res = await app.inject({ method: 'POST', url: '/api/workspace/api-keys', headers: session.headers, payload: { name: `key ${role}`, role } });
  if (res.statusCode !== 201) throw new Error(`could not create an API key: ${res.statusCode} ${res.body}`);
  const { key, id } = res.json() as { key: string; id: string };
  return { key, id, headers: { authorization: `Bearer ${key}` } };
}

/** Invites a new user into the owner's workspace with `role` and accepts the invite as them. */
export async function inviteAndAccept(
  app: FastifyInstance,
  owner: Session,
  role: string,
  opts: { email?: string; password?: string; name?: string } = {},
): Promise<Session> {
  const email = opts.email ?? uniqueEmail(role);
  const invite = await app.inject({ method: 'POST', url: '/api/workspace/invites', headers: owner.headers, payload: { email, role } });
  if (invite.statusCode !== 201) throw new Error(`could not invite: ${invite.statusCode} ${invite.body}`);
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/invites/accept',
    payload: { token: invite.json().token, name: opts.name ?? `Invited ${role}`, password: opts.password ?? TEST_PASSWORD },
  });
  return sessionFrom(res);
}
