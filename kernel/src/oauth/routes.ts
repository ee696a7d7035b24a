import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { authorizeRoutes } from './authorize.js';
import { connectedAppRoutes } from './connected-apps-routes.js';
import { discoveryRoutes } from './discovery.js';
import { PAGE_CSS } from './pages.js';
import { allowAnyOrigin, parseForm, useOAuthErrors } from './protocol.js';
import { registerRoutes } from './register.js';
import { revokeRoutes } from './revoke.js';
import { signInRoutes } from './sign-in.js';
import { tokenRoutes } from './token.js';

function formBodies(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseForm(body as string));
    } catch (err) {
      done(err as Error, undefined);
    }
  });
}

/**
 * The authorization server's routes. The machine endpoints (metadata, JWKS, token, registration,
 * revocation) answer OAuth-shaped errors and allow any origin, since they never read cookies; the
 * authorize endpoint is a browser page on the member's session and keeps the kernel's same-origin rules.
 * The connected-apps routes are plain API routes, with the kernel's own error shape.
 */
export async function oauthRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  await app.register(async (machine) => {
    formBodies(machine);
    useOAuthErrors(machine);
    allowAnyOrigin(machine);
    await machine.register(rateLimit, { global: false });
    for (const path of ['/.well-known/oauth-authorization-server', '/oauth/jwks', '/oauth/token', '/oauth/register', '/oauth/revoke']) {
      machine.options(path, { config: { auth: 'optional' } }, async (_request, reply) => reply.status(204).send());
    }
    await discoveryRoutes(machine, services);
    await tokenRoutes(machine, services);
    await registerRoutes(machine, services);
    await revokeRoutes(machine, services);
  });
  await app.register(async (browser) => {
    formBodies(browser);
    useOAuthErrors(browser);
    await browser.register(rateLimit, { global: false });
    browser.get('/oauth/page.css', { config: { auth: 'optional' } }, async (_request, reply) =>
      reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(PAGE_CSS),
    );
    await authorizeRoutes(browser, services);
    await signInRoutes(browser, services);
  });
  await app.register(async (api) => connectedAppRoutes(api, services));
}
