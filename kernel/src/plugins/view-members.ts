import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import { MosaicError } from '../errors/index.js';
import { memberDirectory } from '../workspaces/directory.js';
import { enabledInstallation, pluginParam } from './view-records.js';

/**
 * `GET /api/plugin-views/:pluginId/members`: the workspace's member directory (id, name, email) as a
 * plugin's views read it — the same list every member sees at `/api/workspace/directory`, but only for
 * an enabled plugin whose manifest asks for `members`, since the admin consented to that and nothing more.
 */
export async function pluginViewMemberRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const params = { type: 'object', required: ['pluginId'], additionalProperties: false, properties: pluginParam } as const;
  app.get<{ Params: { pluginId: string } }>('/api/plugin-views/:pluginId/members', { schema: { params } }, async (request) => {
    const auth = requireAuth(request);
    const { pluginId } = request.params;
    const installation = await enabledInstallation(services, auth.workspaceId, pluginId);
    if (installation.manifest.permissions?.members !== true) {
      throw new MosaicError('MOSAIC_ERR_PLUGIN_PERMISSION', `The plugin "${pluginId}" was not granted the member directory (permissions.members), so its views cannot list members.`);
    }
    return { data: await memberDirectory(services.db.knex, auth.workspaceId) };
  });
}
