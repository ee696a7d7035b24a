import type { PluginPermissions } from '@mosaic/plugin-sdk';
import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import { MosaicError } from '../errors/index.js';
import { revokedVersions } from '../marketplace/index.js';
import { consentRequired, type Grant } from './consent.js';
import { presentInstallation, presentPublic } from './present.js';
import { deleteSecret, listSecretNames, readSettings, setSecret, writeSettings } from './state/index.js';

const PLUGIN_ID = { type: 'string', minLength: 2, maxLength: 98, pattern: '^[a-z][a-z0-9.-]*$' } as const;
const grant = { oneOf: [{ const: 'requested' }, { type: 'object' }] } as const;
const params = { type: 'object', required: ['pluginId'], properties: { pluginId: PLUGIN_ID } } as const;

const installBody = {
  type: 'object',
  required: ['path'],
  additionalProperties: false,
  properties: { path: { type: 'string', minLength: 1, maxLength: 4096 }, grant, settings: { type: 'object' } },
} as const;

const patchBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    enabled: { type: 'boolean' },
    settings: { type: 'object' },
    secrets: { type: 'object', additionalProperties: { type: ['string', 'null'] } },
    reset: { const: true },
  },
} as const;

interface InstallBody { path: string; grant?: Grant; settings?: Record<string, unknown> }
interface PatchBody { enabled?: boolean; settings?: Record<string, unknown>; secrets?: Record<string, string | null>; reset?: true }
type Params = { pluginId: string };

/**
 * The plugin admin API (capability `plugins`, except the list, which every member reads for the views
 * it may mount): install with consent, upgrade, enable/disable, settings, secrets, reset, uninstall.
 */
export async function pluginAdminRoutes(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const { plugins } = services;
  const { knex } = services.db;

  const detail = async (workspaceId: string, pluginId: string) => {
    const installation = await plugins.installation(workspaceId, pluginId);
    if (!installation) throw new MosaicError('MOSAIC_ERR_PLUGIN_NOT_INSTALLED', `No plugin "${pluginId}" is installed in this workspace.`);
    return {
      ...presentInstallation(installation, plugins.sandboxes),
      settings: await readSettings(knex, workspaceId, installation.manifest),
      secrets_set: await listSecretNames(knex, workspaceId, pluginId),
      job_runs: await plugins.jobs.recentRuns(workspaceId, pluginId),
    };
  };

  app.get('/api/plugins', async (request) => {
    const auth = requireAuth(request);
    const all = await plugins.installations(auth.workspaceId);
    // Views on "*" (every object) are listed on each object this member reads, as the shell mounts them.
    const metadata = await services.metadata.get(auth.workspaceId);
    const scope = { readable: [...metadata.objects.keys()].filter((object) => auth.access.object(object, 'read')) };
    if (auth.access.can('plugins')) {
      // A version its marketplace revoked is flagged with the reason (see kernel/src/marketplace).
      const revoked = await revokedVersions(knex, all);
      return { data: all.map((i) => ({ ...presentInstallation(i, plugins.sandboxes, scope), revoked: revoked.get(`${i.pluginId}@${i.version}`) ?? null })) };
    }
    return { data: all.filter((i) => i.enabled).map((i) => presentPublic(i, scope)) };
  });

  app.post<{ Body: InstallBody }>('/api/plugins', { schema: { body: installBody } }, async (request, reply) => {
    const auth = requireAuth(request);
    auth.access.assertCan('plugins');
    const installation = await plugins.install(auth.workspaceId, auth.actor, request.body.path, request.body.grant as Grant | undefined);
    if (request.body.settings) await writeSettings(knex, auth.workspaceId, installation.manifest, request.body.settings);
    request.log.info({ pluginId: installation.pluginId, version: installation.version }, 'plugin installed');
    return reply.code(201).send(await detail(auth.workspaceId, installation.pluginId));
  });

  app.get<{ Params: Params }>('/api/plugins/:pluginId', { schema: { params } }, async (request) => {
    const auth = requireAuth(request);
    auth.access.assertCan('plugins');
    return detail(auth.workspaceId, request.params.pluginId);
  });

  app.put<{ Params: Params; Body: { path: string; grant?: Grant } }>(
    '/api/plugins/:pluginId',
    { schema: { params, body: { ...installBody, properties: { path: installBody.properties.path, grant } } } },
    async (request, reply) => {
      const auth = requireAuth(request);
      auth.access.assertCan('plugins');
      const { pluginId } = request.params;
      const result = await plugins.upgrade(auth.workspaceId, auth.actor, pluginId, request.body.path, request.body.grant as Grant | undefined);
      if (result.outcome === 'pending') {
        const pending = result.installation.pending!;
        request.log.info({ pluginId, version: pending.version }, 'plugin upgrade waits for consent');
        // The upgrade is recorded as pending (the admin sees it in the plugin list); the old version runs on.
        throw consentRequired(pending.manifest, result.installation.granted as PluginPermissions);
      }
      request.log.info({ pluginId, from: result.previousVersion, to: result.installation.version, outcome: result.outcome }, 'plugin upgrade');
      return reply.send({ outcome: result.outcome, previous_version: result.previousVersion, changes: result.changes, plugin: await detail(auth.workspaceId, pluginId) });
    },
  );

  app.patch<{ Params: Params; Body: PatchBody }>('/api/plugins/:pluginId', { schema: { params, body: patchBody } }, async (request) => {
    const auth = requireAuth(request);
    auth.access.assertCan('plugins');
    const { pluginId } = request.params;
    const installation = await plugins.installation(auth.workspaceId, pluginId);
    if (!installation) throw new MosaicError('MOSAIC_ERR_PLUGIN_NOT_INSTALLED', `No plugin "${pluginId}" is installed in this workspace.`);
    const body = request.body;
    if (body.settings) await writeSettings(knex, auth.workspaceId, installation.manifest, body.settings);
    for (const [name, value] of Object.entries(body.secrets ?? {})) {
      if (value === null) await deleteSecret(knex, auth.workspaceId, pluginId, name);
      else await setSecret(knex, services.secretBox, auth.workspaceId, installation.manifest, name, value);
    }
    if (body.reset) await plugins.reset(auth.workspaceId, pluginId);
    if (body.enabled !== undefined) await plugins.lifecycle.setEnabled(auth.workspaceId, auth.actor, pluginId, body.enabled);
    return detail(auth.workspaceId, pluginId);
  });

  app.delete<{ Params: Params; Querystring: { purge?: boolean } }>(
    '/api/plugins/:pluginId',
    { schema: { params, querystring: { type: 'object', additionalProperties: false, properties: { purge: { type: 'boolean' } } } } },
    async (request, reply) => {
      const auth = requireAuth(request);
      auth.access.assertCan('plugins');
      await plugins.lifecycle.uninstall(auth.workspaceId, auth.actor, request.params.pluginId, { purge: request.query.purge === true });
      request.log.info({ pluginId: request.params.pluginId, purge: request.query.purge === true }, 'plugin uninstalled');
      return reply.code(204).send();
    },
  );
}
