import { describePermissions } from '@mosaic/plugin-sdk';
import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import { MosaicError } from '../errors/index.js';
import { RecordService } from '../records/service.js';
import { createHostBridge } from './host/bridge.js';
import { pluginActor } from './host/records.js';
import { matchRoute } from './match.js';
import { PluginRegistry, type PluginInstallation } from './registry.js';

const installBody = {
  type: 'object',
  required: ['path'],
  additionalProperties: false,
  properties: { path: { type: 'string', minLength: 1, maxLength: 4096 } },
} as const;

function present(installation: PluginInstallation) {
  const { manifest } = installation;
  return {
    id: installation.pluginId,
    name: manifest.name,
    version: installation.version,
    description: manifest.description ?? null,
    enabled: installation.enabled,
    installed_at: installation.installedAt.toISOString(),
    permissions: describePermissions(manifest),
    objects: (manifest.objects ?? []).map((o) => o.name),
    routes: (manifest.routes ?? []).map((r) => ({ method: r.method, path: `/api/plugins/${installation.pluginId}${r.path}`, description: r.description ?? null })),
  };
}

/**
 * `/api/plugins`: list and install plugins (capability `plugins`), and the plugins' own routes under
 * `/api/plugins/:pluginId/*`, answered by the plugin's sandbox with the host API bound to the plugin's
 * grants in the caller's workspace.
 */
export async function pluginRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const registry = new PluginRegistry(services);
  const records = new RecordService(services);
  app.addHook('onClose', () => registry.close());

  app.get('/api/plugins', async (request) => {
    const auth = requireAuth(request);
    auth.access.assertCan('plugins');
    return { data: (await registry.list(auth.workspaceId)).map(present) };
  });

  app.post<{ Body: { path: string } }>('/api/plugins', { schema: { body: installBody } }, async (request, reply) => {
    const auth = requireAuth(request);
    auth.access.assertCan('plugins');
    const installation = await registry.install(auth.workspaceId, request.body.path, auth.actor);
    request.log.info({ pluginId: installation.pluginId, version: installation.version }, 'plugin installed');
    return reply.code(201).send(present(installation));
  });

  app.route<{ Params: { pluginId: string; '*': string } }>({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/api/plugins/:pluginId/*',
    handler: async (request, reply) => {
      const auth = requireAuth(request);
      const { pluginId } = request.params;
      const installation = await registry.get(auth.workspaceId, pluginId);
      if (!installation || !installation.enabled) {
        throw new MosaicError('MOSAIC_ERR_PLUGIN_NOT_INSTALLED', `No plugin "${pluginId}" is installed in this workspace.`);
      }
      const match = matchRoute(installation.manifest.routes ?? [], request.method, `/${request.params['*']}`);
      if (!match) {
        throw new MosaicError('MOSAIC_ERR_PLUGIN_ROUTE_NOT_FOUND', `The plugin "${pluginId}" has no route ${request.method} /${request.params['*']}.`);
      }
      const sandbox = await registry.sandbox(installation);
      const result = await sandbox.invoke({
        workspaceId: auth.workspaceId,
        kind: 'routes',
        handler: match.route.handler,
        input: { params: match.params, query: request.query ?? {}, body: request.body ?? null },
        actor: auth.actor,
        host: createHostBridge({
          services,
          records,
          manifest: installation.manifest,
          workspaceId: auth.workspaceId,
          actor: pluginActor(installation.manifest),
          invocation: { kind: 'routes', handler: match.route.handler },
        }),
      });
      // Serialised here so a string result is still answered as JSON, not as text/plain.
      return reply.type('application/json; charset=utf-8').send(JSON.stringify(result ?? null));
    },
  });
}
