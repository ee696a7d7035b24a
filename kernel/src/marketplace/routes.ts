import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { KernelServices } from '../app/services.js';
import { requireAuth } from '../auth/index.js';
import { MosaicError } from '../errors/index.js';
import { presentInstallation } from '../plugins/present.js';
import { matches, presentDetail, presentSummary } from './catalog.js';
import { ConsentNeeded, type InstallOutcome, type InstallRequest, type MarketplaceInstaller } from './installer.js';
import { recordRevocations } from './package-store.js';
import { presentPlan } from './plan.js';
import { findPlugin, loadAll, type LoadedMarketplace, type MarketplaceSettings } from './sources.js';

const PLUGIN_ID = { type: 'string', minLength: 2, maxLength: 98, pattern: '^[a-z][a-z0-9.-]*$' } as const;
const VERSION = { type: 'string', minLength: 1, maxLength: 64 } as const;
const MARKETPLACE = { type: 'string', minLength: 1, maxLength: 2048 } as const;
const installBody = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: PLUGIN_ID, version: VERSION, marketplace: MARKETPLACE, consent: { type: 'object', additionalProperties: { type: 'object' } } },
} as const;

/** What the marketplace routes need. */
export interface MarketplaceRouteDeps {
  readonly services: KernelServices;
  readonly installer: MarketplaceInstaller;
  readonly settings: () => MarketplaceSettings;
}

/**
 * The marketplace API (capability `plugins`): browse and search the configured marketplaces, a plugin's
 * versions, install with one consent for the whole plan, upgrade. Uninstalling is the plugin API's
 * `DELETE /api/plugins/:id`.
 */
export async function registerMarketplaceRoutes(app: FastifyInstance, deps: MarketplaceRouteDeps): Promise<void> {
  const { services, installer, settings } = deps;
  const { knex } = services.db;

  /** Every fetch of an index refreshes what is recorded as revoked, for the flag in the plugin list. */
  const remember = async (loaded: readonly LoadedMarketplace[]) => {
    for (const market of loaded) await recordRevocations(knex, market.location, market.index.revoked);
  };

  app.get<{ Querystring: { q?: string; marketplace?: string } }>(
    '/api/marketplace/plugins',
    { schema: { querystring: { type: 'object', additionalProperties: false, properties: { q: { type: 'string', maxLength: 200 }, marketplace: MARKETPLACE } } } },
    async (request) => {
      const auth = requireAuth(request);
      auth.access.assertCan('plugins');
      const current = settings();
      const { loaded, failed } = await loadAll(current);
      await remember(loaded);
      const installed = await services.plugins.installations(auth.workspaceId);
      const q = (request.query.q ?? '').trim();
      const seen = new Set<string>();
      const data = [];
      for (const market of loaded) {
        if (request.query.marketplace !== undefined && market.index.name !== request.query.marketplace && market.location !== request.query.marketplace) continue;
        for (const id of Object.keys(market.index.plugins).sort()) {
          // The first configured marketplace offering an id wins, as it does for installs.
          if (seen.has(id) || !matches(market, id, q)) continue;
          seen.add(id);
          data.push(presentSummary(market, id, installed.find((i) => i.pluginId === id), current));
        }
      }
      return {
        data,
        marketplaces: [...loaded.map((m) => ({ name: m.index.name, location: m.location, error: null })), ...failed.map((f) => ({ name: null, location: f.location, error: f.error }))],
        allow_unsigned: current.allowUnsigned,
      };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { marketplace?: string } }>(
    '/api/marketplace/plugins/:id',
    { schema: { params: { type: 'object', required: ['id'], properties: { id: PLUGIN_ID } }, querystring: { type: 'object', additionalProperties: false, properties: { marketplace: MARKETPLACE } } } },
    async (request) => {
      const auth = requireAuth(request);
      auth.access.assertCan('plugins');
      const current = settings();
      const { market } = await findPlugin(current, request.params.id, request.query.marketplace);
      await remember([market]);
      return presentDetail(market, request.params.id, await services.plugins.installation(auth.workspaceId, request.params.id), current);
    },
  );

  app.get<{ Params: { id: string }; Querystring: { version?: string; marketplace?: string } }>(
    '/api/marketplace/plugins/:id/plan',
    { schema: { params: { type: 'object', required: ['id'], properties: { id: PLUGIN_ID } }, querystring: { type: 'object', additionalProperties: false, properties: { version: VERSION, marketplace: MARKETPLACE } } } },
    async (request) => {
      const auth = requireAuth(request);
      auth.access.assertCan('plugins');
      const { plan } = await installer.plan(auth.workspaceId, { id: request.params.id, ...request.query });
      // What installing would do and the consent to send back; nothing changes.
      return presentPlan(plan);
    },
  );

  const answer = async (request: FastifyRequest, reply: FastifyReply, run: () => Promise<InstallOutcome>, status: number) => {
    const auth = requireAuth(request);
    try {
      const outcome = await run();
      request.log.info({ plugins: outcome.plan.steps.map((s) => `${s.id}@${s.version}`) }, 'marketplace install');
      return reply.code(status).send({
        plan: presentPlan(outcome.plan),
        outcome: outcome.upgrade?.outcome ?? 'installed',
        previous_version: outcome.upgrade?.previousVersion ?? null,
        plugins: outcome.installed.map((i) => presentInstallation(i, services.plugins.sandboxes)),
      });
    } catch (error) {
      if (!(error instanceof ConsentNeeded)) throw error;
      // The plan travels with the refusal so the consent screen can show exactly what will be installed.
      const installation = await services.plugins.installation(auth.workspaceId, error.plan.steps[error.plan.steps.length - 1]!.id);
      return reply.code(409).send({ error: error.toJSON(), plan: presentPlan(error.plan), pending_version: installation?.pending?.version ?? null, request_id: request.id });
    }
  };

  app.post<{ Body: InstallRequest }>('/api/marketplace/install', { schema: { body: installBody } }, async (request, reply) => {
    const auth = requireAuth(request);
    auth.access.assertCan('plugins');
    return answer(request, reply, () => installer.install(auth.workspaceId, auth.actor, request.body), 201);
  });

  app.post<{ Body: InstallRequest }>('/api/marketplace/upgrade', { schema: { body: installBody } }, async (request, reply) => {
    const auth = requireAuth(request);
    auth.access.assertCan('plugins');
    if (!(await services.plugins.installation(auth.workspaceId, request.body.id))) {
      throw new MosaicError('MOSAIC_ERR_PLUGIN_NOT_INSTALLED', `No plugin "${request.body.id}" is installed in this workspace; install it instead.`);
    }
    return answer(request, reply, () => installer.upgrade(auth.workspaceId, auth.actor, request.body), 200);
  });
}
