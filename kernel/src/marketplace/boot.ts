import semver from 'semver';
import type { KernelServices } from '../app/services.js';
import type { Actor } from '../auth/context.js';
import { isMosaicError } from '../errors/index.js';
import type { ConfiguredMarketplacePlugin } from '../plugins/config-file.js';
import type { ReconcileAction } from '../plugins/runtime.js';
import { writeSettings } from '../plugins/state/index.js';
import { listInstallations } from '../plugins/store.js';
import type { InstallRequest, MarketplaceInstaller } from './installer.js';
import { installableVersions } from './plan.js';
import { findPlugin, type MarketplaceSettings } from './sources.js';

/** The kernel itself, as the actor of changes made from the config file. */
const SYSTEM: Actor = { type: 'system', id: 'plugins.config.json', name: 'plugins.config.json' };

/**
 * Installs the marketplace plugins `plugins.config.json` names as `id@range` into every workspace: the
 * highest installable version in the range, with its dependencies, under the entry's grant (`requested`
 * trusts what the plan asks for; a permissions object must equal it; none leaves it waiting for an
 * admin). An installed lower version is upgraded. Each failure is reported and the rest still runs.
 * `only` limits it to some workspaces (a new one).
 */
export async function installConfigured(
  services: KernelServices,
  installer: MarketplaceInstaller,
  settings: MarketplaceSettings,
  entries: readonly ConfiguredMarketplacePlugin[],
  only?: readonly string[],
): Promise<ReconcileAction[]> {
  const actions: ReconcileAction[] = [];
  if (entries.length === 0) return actions;
  const { knex } = services.db;
  const workspaces = only ? [...only] : ((await knex('workspace').pluck('id')) as string[]);
  for (const entry of entries) {
    let version: string | undefined;
    try {
      const { market } = await findPlugin(settings, entry.id, entry.marketplace);
      version = installableVersions(market.index, entry.id).find((v) => semver.satisfies(v, entry.range, { includePrerelease: true }));
      if (version === undefined) throw new Error(`no installable version of ${entry.id} is in ${entry.range}`);
    } catch (error) {
      for (const workspaceId of workspaces) actions.push({ workspace_id: workspaceId, plugin: entry.label, action: 'failed', detail: (error as Error).message });
      continue;
    }
    for (const workspaceId of workspaces) {
      const report = (action: ReconcileAction['action'], detail?: string) => actions.push({ workspace_id: workspaceId, plugin: entry.label, action, ...(detail ? { detail } : {}) });
      try {
        const request: InstallRequest = {
          id: entry.id,
          version,
          ...(entry.marketplace !== undefined ? { marketplace: entry.marketplace } : {}),
          ...(entry.grant === 'requested' ? { consent: 'requested' as const } : entry.grant !== undefined ? { consent: { [entry.id]: entry.grant } } : {}),
        };
        let current = (await listInstallations(knex, workspaceId)).find((i) => i.pluginId === entry.id);
        if (!current) {
          await installer.install(workspaceId, SYSTEM, request);
          report('installed', version);
        } else if (semver.valid(current.version) !== null && semver.gt(version, current.version)) {
          await installer.upgrade(workspaceId, SYSTEM, request);
          report('upgraded', `${current.version} → ${version}`);
        }
        current = (await listInstallations(knex, workspaceId)).find((i) => i.pluginId === entry.id);
        if (!current) continue;
        if (entry.settings) {
          await writeSettings(knex, workspaceId, current.manifest, entry.settings);
          report('settings');
        }
        if (current.enabled !== entry.enabled) {
          await services.plugins.lifecycle.setEnabled(workspaceId, SYSTEM, entry.id, entry.enabled);
          report(entry.enabled ? 'enabled' : 'disabled');
        }
      } catch (error) {
        const code = isMosaicError(error) ? error.code : 'MOSAIC_ERR_INTERNAL';
        const waits = code === 'MOSAIC_ERR_MARKETPLACE_CONSENT_REQUIRED' || code === 'MOSAIC_ERR_PLUGIN_CONSENT_REQUIRED';
        report(waits ? 'pending_consent' : 'failed', `${code}: ${(error as Error).message}`);
      }
    }
  }
  for (const action of actions) {
    const level = action.action === 'failed' || action.action === 'pending_consent' ? 'warn' : 'info';
    services.log[level]({ workspaceId: action.workspace_id, plugin: action.plugin, detail: action.detail }, `plugins.config.json (marketplace): ${action.action}`);
  }
  return actions;
}
