import type { FastifyInstance, FastifyReply } from 'fastify';
import type { KernelServices } from '../app/services.js';
import { verifyPassword } from '../auth/passwords.js';
import { normalizeEmail } from '../auth/schemas.js';
import { startSession } from '../auth/sessions.js';
import { errorPage, escapeHtml, sendPage } from './pages.js';
import { requestOrigin } from './origin.js';
import { bodyParams } from './protocol.js';

/** Only an authorization request of this server may be returned to: the form is no open redirect. */
const RETURN_TO = /^\/oauth\/authorize\?[\x21-\x7e]{1,4000}$/;

/**
 * The sign-in form of the authorize step, for a member who opens an application's authorization link
 * while signed out: it signs in (into the user's first workspace, like the API without `workspace_id`) and
 * comes straight back to the consent page. The shell's sign-in stays one link away for everything else.
 */
export function signInPage(reply: FastifyReply, status: number, client: string, returnTo: string, problem?: string): FastifyReply {
  return sendPage(
    reply,
    status,
    'Sign in',
    `<h1>Sign in to continue</h1><p><strong>${escapeHtml(client)}</strong> asks to connect to your Mosaic workspace.</p>` +
      (problem ? `<p role="alert"><strong>${escapeHtml(problem)}</strong></p>` : '') +
      `<form method="post" action="/oauth/sign-in">` +
      `<input type="hidden" name="return_to" value="${escapeHtml(returnTo)}">` +
      `<p><label>Email<br><input type="email" name="email" autocomplete="username" required></label></p>` +
      `<p><label>Password<br><input type="password" name="password" autocomplete="current-password" required></label></p>` +
      `<div class="actions"><button type="submit" class="primary">Sign in</button></div></form>` +
      `<p class="muted">This signs you in to your first workspace. To connect another one, <a href="/sign-in" target="_blank" rel="noopener">sign in to Mosaic</a>, ` +
      `switch to it, then <a href="${escapeHtml(returnTo)}">continue here</a>.</p>`,
  );
}

/**
 * `POST /oauth/sign-in` (form): email, password and the authorization request to return to. Rate limited
 * like the API's sign-in. The `Origin` header must be this server: without a session there is no CSRF
 * token yet, and a foreign page must not sign a browser into someone else's account (login CSRF).
 */
export async function signInRoutes(app: FastifyInstance, services: KernelServices): Promise<void> {
  app.post<{ Body: unknown }>(
    '/oauth/sign-in',
    { config: { auth: 'optional', csrf: false, rateLimit: { max: services.config.signInRateLimit, timeWindow: '1 minute' } } },
    async (request, reply) => {
      const params = bodyParams(request.body);
      const returnTo = params.return_to ?? '';
      if (!RETURN_TO.test(returnTo)) return errorPage(reply, 400, 'MOSAIC_ERR_OAUTH_REQUEST_INVALID', 'The sign-in form lost its authorization request; start again from the application.');
      if (request.headers.origin !== requestOrigin(request, services)) {
        return errorPage(reply, 403, 'MOSAIC_ERR_AUTH_CSRF', 'This sign-in form was not sent from this server’s page; start again from the application.');
      }
      const { knex } = services.db;
      const email = typeof params.email === 'string' && params.email.length <= 254 ? normalizeEmail(params.email) : '';
      const user = (await knex('app_user').where({ email }).first('id', 'password_hash')) as { id: string; password_hash: string } | undefined;
      const password = typeof params.password === 'string' ? params.password.slice(0, 512) : '';
      if (!(await verifyPassword(user?.password_hash, password)) || !user) {
        return signInPage(reply, 401, 'The application', returnTo, 'The email or password is wrong.');
      }
      const member = (await knex('member').where({ user_id: user.id }).orderBy('created_at').first('workspace_id')) as { workspace_id: string } | undefined;
      if (!member) return errorPage(reply, 403, 'MOSAIC_ERR_AUTH_NOT_A_MEMBER', 'You are not a member of any workspace; ask an owner for an invite.');
      await startSession(services, services.db.orm.em.fork(), request, reply, { userId: user.id, workspaceId: member.workspace_id });
      return reply.redirect(returnTo, 303);
    },
  );
}
