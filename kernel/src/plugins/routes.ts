import { createReadStream } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import { MosaicError } from '../errors/index.js';
import { pluginAdminRoutes } from './admin-routes.js';
import { loadPlugin } from './loader.js';
import { matchRoute } from './match.js';
import { sendPluginResult } from './response.js';
import { pluginViewMemberRoutes } from './view-members.js';
import { pluginViewRecordRoutes } from './view-records.js';

/**
 * The plugin module: the admin API (`/api/plugins`), the plugins' own routes under
 * `/api/plugins/:pluginId/*` answered by their sandboxes, and their view bundles for the UI shell.
 */
export async function pluginRoutes(app: FastifyInstance, options: ModuleOptions): Promise<void> {
  const { services } = options;
  const { plugins } = services;
  await app.register(pluginAdminRoutes, options);
  await app.register(pluginViewRecordRoutes, options);
  await app.register(pluginViewMemberRoutes, options);

  app.route<{ Params: { pluginId: string; '*': string } }>({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/api/plugins/:pluginId/*',
    handler: async (request, reply) => {
      const auth = requireAuth(request);
      const { pluginId } = request.params;
      const installation = await plugins.installation(auth.workspaceId, pluginId);
      if (!installation) throw new MosaicError('MOSAIC_ERR_PLUGIN_NOT_INSTALLED', `No plugin "${pluginId}" is installed in this workspace.`);
      if (!installation.enabled) throw new MosaicError('MOSAIC_ERR_PLUGIN_DISABLED', `The plugin "${pluginId}" is disabled in this workspace.`);
      const path = `/${request.params['*']}`;
      const match = matchRoute(installation.manifest.routes ?? [], request.method, path);
      if (!match) throw new MosaicError('MOSAIC_ERR_PLUGIN_ROUTE_NOT_FOUND', `The plugin "${pluginId}" has no route ${request.method} ${path}.`);
      // The route acts with the plugin's grant; what it declares the caller must hold is checked here.
      for (const [object, operations] of Object.entries(match.route.access?.records ?? {})) {
        for (const operation of operations) {
          if (!auth.access.object(object, operation)) {
            throw new MosaicError('MOSAIC_ERR_FORBIDDEN', `${request.method} ${path} of plugin "${pluginId}" needs permission to ${operation} ${object} records, which your role does not give.`);
          }
        }
      }
      const result = await plugins.invoke({
        installation,
        kind: 'routes',
        handler: match.route.handler,
        input: { method: request.method, path, params: match.params, query: request.query ?? {}, body: request.body ?? null },
        caller: auth.actor,
        member: auth,
      });
      return sendPluginResult(reply, result);
    },
  });

  // The view bundle of the revision a workspace runs; the URL changes with the revision, so it is cached for good.
  app.get<{ Params: { pluginId: string; revision: string } }>('/plugin-assets/:pluginId/:revision/views.js', async (request, reply) => {
    const auth = requireAuth(request);
    const { pluginId, revision } = request.params;
    const installation = await plugins.installation(auth.workspaceId, pluginId);
    if (!installation?.enabled) throw new MosaicError('MOSAIC_ERR_PLUGIN_NOT_INSTALLED', `No plugin "${pluginId}" is enabled in this workspace.`);
    if (installation.revision !== revision) throw new MosaicError('MOSAIC_ERR_PLUGIN_VIEWS_MISSING', `The workspace runs another revision of "${pluginId}".`);
    const plugin = await loadPlugin(installation.folder);
    if (plugin.revision !== revision) throw new MosaicError('MOSAIC_ERR_PLUGIN_CHANGED', `The files of plugin "${pluginId}" changed on disk since it was installed.`);
    if (!plugin.uiPath) throw new MosaicError('MOSAIC_ERR_PLUGIN_VIEWS_MISSING', `The plugin "${pluginId}" has no view bundle.`);
    return reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'private, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(createReadStream(plugin.uiPath));
  });
}
