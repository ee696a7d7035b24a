import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { readPluginsConfigFile, type ConfiguredMarketplacePlugin } from '../plugins/config-file.js';
import { installConfigured } from './boot.js';
import { PackageCache } from './cache.js';
import { MarketplaceInstaller } from './installer.js';
import { recordRevocations } from './package-store.js';
import { registerMarketplaceRoutes } from './routes.js';
import { loadAll, type MarketplaceSettings } from './sources.js';

export { revokedVersions } from './package-store.js';
export type { MarketplaceSettings } from './sources.js';

/** How often configured marketplaces are read again for revocations, so the admin sees them unprompted. */
const REVOCATION_REFRESH_MS = 10 * 60 * 1000;

/**
 * The folder marketplace packages are extracted to: `plugin-packages` beside the data folder
 * (`MOSAIC_DATA_DIR`), so processes sharing that setting share the path their installation rows name.
 */
export function packageCacheRoot(dataDir: string): string {
  return join(dirname(dataDir), 'plugin-packages');
}

/**
 * The marketplace module: configured marketplaces and trusted keys (environment plus
 * `plugins.config.json`), the install/upgrade API, the `id@range` entries of the config file at boot,
 * and this process's package cache, kept in step with installations made by any process through the
 * `plugins` invalidation topic.
 */
export async function marketplaceModule(app: FastifyInstance, { services }: ModuleOptions): Promise<void> {
  const { config, db, log } = services;
  const file = config.pluginsConfig ? await readPluginsConfigFile(config.pluginsConfig) : null;
  const settings: MarketplaceSettings = {
    locations: [...new Set([...config.marketplaces, ...(file?.marketplaces ?? [])])],
    trustedKeys: [...config.trustedPublisherKeys, ...(file?.trustedKeys ?? [])],
    allowUnsigned: config.allowUnsignedPlugins,
  };
  const configured: readonly ConfiguredMarketplacePlugin[] = file?.marketplacePlugins ?? [];
  if (settings.allowUnsigned) log.warn('ALLOW_UNSIGNED_PLUGINS is on: unsigned marketplace packages can be installed (development only)');

  const cache = new PackageCache(packageCacheRoot(config.dataDir), log);
  const installer = new MarketplaceInstaller(services, cache, () => settings);
  // Another process installed or upgraded a marketplace plugin: extract its package here too. The folder
  // is written aside and renamed, so nothing loads a half-written copy.
  const off = services.invalidation.on('plugins', (workspaceId) => {
    cache.sync(db.knex, workspaceId).catch((err: unknown) => log.warn({ err, workspaceId }, 'could not bring the plugin package cache up to date'));
  });

  let timer: NodeJS.Timeout | undefined;
  const refresh = async () => {
    const { loaded } = await loadAll(settings);
    for (const market of loaded) await recordRevocations(db.knex, market.location, market.index.revoked);
  };
  // A new workspace gets the config file's marketplace plugins too, once its owner exists: the sign-up
  // itself installs only the folder plugins, so this follows it through the event bus (one process
  // takes each event; a failed step is retried, and installing is idempotent).
  if (configured.length > 0) {
    services.bus.subscribe('member.added', {}, async (event) => {
      if (event.payload.role !== 'owner') return;
      const present = await db.knex('member').where({ workspace_id: event.workspace_id }).count<{ count: string }[]>({ count: '*' });
      if (Number(present[0]?.count ?? 0) !== 1) return;
      await installConfigured(services, installer, settings, configured, [event.workspace_id]);
    }, { name: 'marketplace:new-workspace' });
  }
  app.addHook('onReady', async () => {
    await cache.sync(db.knex, '*');
    if (configured.length > 0) {
      await db.knex.transaction(async (trx) => {
        // Several processes starting at once take turns, as the folder plugins' reconciliation does.
        await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['plugins:reconcile']);
        await installConfigured(services, installer, settings, configured);
      });
    }
    if (settings.locations.length > 0) {
      timer = setInterval(() => void refresh().catch((err: unknown) => log.warn({ err }, 'marketplace revocation refresh failed')), REVOCATION_REFRESH_MS);
      timer.unref();
    }
  });
  app.addHook('onClose', async () => {
    off();
    clearInterval(timer);
  });
  await registerMarketplaceRoutes(app, { services, installer, settings: () => settings });
}
