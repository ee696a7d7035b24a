import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KernelServices } from '../app/services.js';
import { safeEqual } from '../auth/tokens.js';
import { isMosaicError, MosaicError } from '../errors/index.js';
import { checkRequest, errorRedirect, redirectTo, resolveTarget, type AuthorizationRequest, type ClientTarget } from './authorize-request.js';
import { createCode } from './grants.js';
import { errorPage, escapeHtml, sendPage } from './pages.js';
import { bodyParams, oauthErrorName, queryParams, type Params } from './protocol.js';
import { formActionSource } from './redirect-uri.js';
import { describeScope } from './scopes.js';
import { signInPage } from './sign-in.js';

/** The signed-in member of a browser session, or undefined. */
function member(request: FastifyRequest): { workspaceId: string; userId: string; memberId: string; sessionId: string } | undefined {
  const auth = request.auth;
  if (!auth || auth.via !== 'session' || !auth.userId || !auth.memberId || !auth.sessionId) return undefined;
  return { workspaceId: auth.workspaceId, userId: auth.userId, memberId: auth.memberId, sessionId: auth.sessionId };
}

/** Resolves the client stage; a failure becomes a page, because nothing may be sent to an unverified URI. */
async function target(services: KernelServices, request: FastifyRequest, reply: FastifyReply, params: Params): Promise<ClientTarget | undefined> {
  try {
    return await resolveTarget(services, request, params);
  } catch (err) {
    if (!isMosaicError(err)) throw err;
    errorPage(reply, err.statusCode === 401 ? 400 : err.statusCode, err.code, err.message);
    return undefined;
  }
}

async function consentPage(services: KernelServices, reply: FastifyReply, req: AuthorizationRequest, who: NonNullable<ReturnType<typeof member>>): Promise<FastifyReply> {
  const { knex } = services.db;
  const [workspace, user, session] = (await Promise.all([
    knex('workspace').where({ id: who.workspaceId }).first('name'),
    knex('app_user').where({ id: who.userId }).first('name', 'email'),
    knex('session').where({ id: who.sessionId }).first('csrf_token'),
  ])) as [{ name: string }, { name: string; email: string }, { csrf_token: string }];
  const { client } = req;
  const identity =
    client.kind === 'document'
      ? `identified by its metadata at <strong>${escapeHtml(new URL(client.id).host)}</strong>`
      : `a client registered with this server (<code>${escapeHtml(client.id)}</code>); its name is self-declared`;
  const hidden = {
    response_type: 'code',
    client_id: client.id,
    redirect_uri: req.redirectUri,
    scope: req.scopes.join(' '),
    resource: req.resource,
    code_challenge: req.codeChallenge,
    code_challenge_method: 'S256',
    csrf: session.csrf_token,
    ...(req.state !== undefined ? { state: req.state } : {}),
  };
  const redirectHost = (() => {
    const url = new URL(req.redirectUri);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : `${url.protocol}//${url.host}`;
  })();
  return sendPage(
    reply,
    200,
    'Authorize access',
    `<h1>Allow ${escapeHtml(client.name)} to access ${escapeHtml(workspace.name)}?</h1>` +
      `<p><strong>${escapeHtml(client.name)}</strong> is ${identity}.</p>` +
      `<p>It will act as you (${escapeHtml(user.name)}, ${escapeHtml(user.email)}) in the workspace <strong>${escapeHtml(workspace.name)}</strong>, ` +
      `never beyond what your role allows, and may:</p><ul>` +
      req.scopes.map((s) => `<li>${escapeHtml(describeScope(s))} <span class="muted">(<code>${escapeHtml(s)}</code>)</span></li>`).join('') +
      `</ul><p class="muted">After your answer you go back to ${escapeHtml(redirectHost)}.</p>` +
      `<form method="post" action="/oauth/authorize">` +
      Object.entries(hidden).map(([k, v]) => `<input type="hidden" name="${k}" value="${escapeHtml(v)}">`).join('') +
      `<div class="actions"><button type="submit" name="decision" value="allow" class="primary">Allow</button>` +
      `<button type="submit" name="decision" value="deny">Deny</button></div></form>`,
    formActionSource(req.redirectUri),
  );
}

/**
 * `GET /oauth/authorize` shows the consent page to the signed-in member (or a sign-in prompt);
 * `POST /oauth/authorize` is the form's answer: Allow issues a code, Deny sends `access_denied` back.
 * Both re-check the whole request, since the form's fields come back from the browser.
 */
export async function authorizeRoutes(app: FastifyInstance, services: KernelServices): Promise<void> {
  const config = { auth: 'optional' as const, csrf: false as const };

  app.get('/oauth/authorize', { config }, async (request, reply) => {
    let params: Params;
    try {
      params = queryParams(request.query);
    } catch (err) {
      return errorPage(reply, 400, (err as MosaicError).code, (err as MosaicError).message);
    }
    const to = await target(services, request, reply, params);
    if (!to) return reply;
    let req: AuthorizationRequest;
    try {
      req = checkRequest(to, params);
    } catch (err) {
      if (!isMosaicError(err)) throw err;
      return reply.redirect(errorRedirect(to, err, oauthErrorName(err)), 302);
    }
    const who = member(request);
    if (!who) return signInPage(reply, 200, to.client.name, request.url);
    return consentPage(services, reply, req, who);
  });

  app.post<{ Body: unknown }>('/oauth/authorize', { config }, async (request, reply) => {
    const params = bodyParams(request.body);
    const to = await target(services, request, reply, params);
    if (!to) return reply;
    const who = member(request);
    if (!who) return errorPage(reply, 401, 'MOSAIC_ERR_AUTH_REQUIRED', 'Your session ended; sign in and start the authorization again from the application.');
    // The form carries the session's CSRF token: a page elsewhere cannot read it, so it cannot post this form.
    const session = (await services.db.knex('session').where({ id: who.sessionId }).first('csrf_token')) as { csrf_token: string } | undefined;
    if (!session || typeof params.csrf !== 'string' || !safeEqual(params.csrf, session.csrf_token)) {
      return errorPage(reply, 403, 'MOSAIC_ERR_AUTH_CSRF', 'This form did not come from your Mosaic session; start the authorization again.');
    }
    if (params.decision !== 'allow') {
      return reply.redirect(redirectTo(to, { error: 'access_denied', error_description: 'The member denied the request.' }), 303);
    }
    let req: AuthorizationRequest;
    try {
      req = checkRequest(to, params);
    } catch (err) {
      if (!isMosaicError(err)) throw err;
      return reply.redirect(errorRedirect(to, err, oauthErrorName(err)), 303);
    }
    const code = await createCode(services, {
      clientId: req.client.id,
      workspaceId: who.workspaceId,
      memberId: who.memberId,
      userId: who.userId,
      redirectUri: req.redirectUri,
      codeChallenge: req.codeChallenge,
      scopes: req.scopes,
      resource: req.resource,
    });
    return reply.redirect(redirectTo(to, { code }), 303);
  });
}
