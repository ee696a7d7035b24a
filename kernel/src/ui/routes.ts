import type { FastifyInstance, FastifyReply } from 'fastify';
import { buildShell, type ShellBuild } from '@mosaic/ui-shell';
import type { ModuleOptions } from '../app/services.js';
import { MosaicError } from '../errors/index.js';

/**
 * The policy every shell response carries. The page holds no inline script or style; Lit's styles are
 * constructed stylesheets, which `style-src 'self'` allows. Plugin view bundles come from the same origin
 * (`/plugin-assets/…`), so `script-src 'self'` covers them.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Paths that belong to other modules: the page fallback answers them with the API's 404, never HTML. */
const RESERVED = /^\/(?:api|plugin-assets|socket\.io|assets)(?:\/|$)|^\/(?:healthz|readyz)$/;

/**
 * One build per process, shared by every kernel the process runs (tests start hundreds), started by the
 * first page request rather than at boot so a kernel that never serves a browser never pays for it.
 */
let shellBuild: Promise<ShellBuild> | undefined;

function shell(): Promise<ShellBuild> {
  shellBuild ??= buildShell().catch((err: unknown) => {
    shellBuild = undefined; // the next request tries again (a source fixed in development, say)
    throw err;
  });
  return shellBuild;
}

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONTENT_SECURITY_POLICY)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'DENY');
}

/**
 * The UI shell: `GET /assets/<hash>.js` cached for good, and `index.html` for `/` and, for browsers
 * (`Accept: text/html`), every client route (history API fallback) that is not another module's path.
 */
export async function uiRoutes(app: FastifyInstance, _options: ModuleOptions): Promise<void> {
  // An expired cookie must not turn the sign-in page into a 401: authentication is optional here.
  const config = { auth: 'optional' as const };

  app.get<{ Params: { name: string } }>('/assets/:name', { config, logLevel: 'warn' }, async (request, reply) => {
    const asset = (await shell()).assets.get(request.params.name);
    if (!asset) throw new MosaicError('MOSAIC_ERR_ROUTE_NOT_FOUND', `No asset ${request.params.name}.`);
    return securityHeaders(reply)
      .header('content-type', asset.contentType)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(asset.body);
  });

  const page = async (url: string, accept: string | undefined, reply: FastifyReply) => {
    const path = url.split('?')[0]!;
    // Another module's path, a file name (`/favicon.ico`), or a client that is not a browser asking for
    // a page (scripts and API clients keep getting the API's coded 404): not the app.
    const wantsPage = path === '/' || (accept ?? '').includes('text/html');
    if (!wantsPage || RESERVED.test(path) || /\.[a-z0-9]+$/i.test(path)) {
      throw new MosaicError('MOSAIC_ERR_ROUTE_NOT_FOUND', `No route GET ${path}.`);
    }
    const { indexHtml } = await shell();
    return securityHeaders(reply).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
  };
  app.get('/', { config }, async (request, reply) => page(request.url, request.headers.accept, reply));
  // The lowest-priority route: every static or parametric route of another module wins over it.
  app.get('/*', { config }, async (request, reply) => page(request.url, request.headers.accept, reply));
}
