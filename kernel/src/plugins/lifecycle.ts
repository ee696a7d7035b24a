import type { Knex } from '@mikro-orm/postgresql';
import semver from 'semver';
import type { KernelServices } from '../app/services.js';
import type { Actor } from '../auth/context.js';
import { MosaicError, isMosaicError } from '../errors/index.js';
import { insertEvents } from '../events/outbox.js';
import type { MetadataCaller } from '../metadata/service.js';
import { consentRequired, covers, grantedFor, type Grant } from './consent.js';
import { assertDependenciesEnabled, assertFits, dependants, dependedOn } from './dependencies.js';
import type { PluginCall } from './invoke.js';
import type { LoadedPlugin } from './loader.js';
import type { SandboxPool } from './sandboxes.js';
import { PluginSchema, type SchemaChanges } from './schema.js';
import { purgePluginState } from './state/index.js';
import {
  deleteInstallation,
  getInstallation,
  insertInstallation,
  listInstallations,
  revisionInUse,
  updateInstallation,
  type InstallationSource,
  type PluginInstallation,
} from './store.js';
import { syncSubscriptions } from './subscriptions.js';

/** What the lifecycle needs from the runtime around it. */
export interface LifecycleDeps {
  readonly services: KernelServices;
  readonly sandboxes: SandboxPool;
  readonly invoke: (call: PluginCall) => Promise<unknown>;
}

/** The outcome of an upgrade request. */
export interface UpgradeResult {
  /** `unchanged`: the same revision was offered; `pending`: it waits for the admin's consent. */
  readonly outcome: 'upgraded' | 'unchanged' | 'pending';
  readonly installation: PluginInstallation;
  readonly previousVersion: string;
  readonly changes: SchemaChanges | null;
}

/** A plugin event in the workspace's event stream, e.g. `plugin.installed`. */
type LifecycleEvent = 'plugin.installed' | 'plugin.upgraded' | 'plugin.enabled' | 'plugin.disabled' | 'plugin.uninstalled' | 'plugin.upgrade_pending';

/**
 * Install, upgrade, enable, disable and uninstall, per workspace, on a live kernel. Each step holds the
 * workspace's plugin lock (so two admins, or several kernel processes reconciling the config file at
 * boot, never interleave), writes the installation row, the bus subscriptions and a `plugin.*` event in
 * one transaction, and announces the change to every process, which then serve the new state.
 *
 * Schema changes go through the metadata engine, one metadata transaction each; if a later step (another
 * schema change, or the plugin's hook) fails, the recorded undo steps put the schema back and the
 * installation row is never written, so the old version keeps running.
 */
export class PluginLifecycle {
  readonly #deps: LifecycleDeps;
  readonly #schema: PluginSchema;

  constructor(deps: LifecycleDeps) {
    this.#deps = deps;
    this.#schema = new PluginSchema(deps.services);
  }

  /** Installs a loaded plugin into a workspace; refused without a grant that covers its permissions. */
  async install(workspaceId: string, actor: Actor, plugin: LoadedPlugin, options: { grant?: Grant; source: InstallationSource }): Promise<PluginInstallation> {
    const { manifest } = plugin;
    return this.#exclusive(workspaceId, async (trx) => {
      const installed = await listInstallations(trx, workspaceId);
      if (installed.some((i) => i.pluginId === manifest.id)) {
        throw new MosaicError('MOSAIC_ERR_PLUGIN_ALREADY_INSTALLED', `The plugin "${manifest.id}" is already installed in this workspace; upgrade it instead.`);
      }
      const granted = grantedFor(manifest, options.grant);
      if (!covers(granted, manifest)) throw consentRequired(manifest, granted);
      assertFits(manifest, installed, await this.#deps.services.metadata.get(workspaceId));

      const caller = this.#caller(workspaceId, actor, manifest.id);
      const undo = await this.#schema.install(caller, manifest);
      try {
        const installation = await insertInstallation(trx, workspaceId, manifest.id, {
          version: manifest.version, manifest, folder: plugin.folder, revision: plugin.revision, source: options.source, granted: granted ?? {},
        });
        await this.#hook(installation, 'onInstall', {});
        await this.#announce(trx, installation, 'plugin.installed', actor, { version: manifest.version });
        return installation;
      } catch (error) {
        await this.#schema.rollback(undo, { pluginId: manifest.id, workspaceId });
        throw error;
      }
    });
  }

  /**
   * Replaces the installed version with `plugin` (or reloads it when only the files changed). An upgrade
   * whose permissions grow beyond the grant is stored as pending and reported; the old version runs on.
   */
  async upgrade(workspaceId: string, actor: Actor, pluginId: string, plugin: LoadedPlugin, options: { grant?: Grant; source: InstallationSource }): Promise<UpgradeResult> {
    const { manifest } = plugin;
    if (manifest.id !== pluginId) {
      throw new MosaicError('MOSAIC_ERR_PLUGIN_UPGRADE_INVALID', `The folder holds plugin "${manifest.id}", not "${pluginId}".`, [{ path: 'path', message: `manifest id is ${manifest.id}` }]);
    }
    const result = await this.#exclusive(workspaceId, async (trx): Promise<UpgradeResult> => {
      const current = await this.#require(trx, workspaceId, pluginId);
      const previousVersion = current.version;
      if (current.revision === plugin.revision) {
        const installation = current.pending ? await updateInstallation(trx, workspaceId, pluginId, { pending: null }) : current;
        return { outcome: 'unchanged', installation, previousVersion, changes: null };
      }
      if (semver.lt(manifest.version, current.version)) {
        throw new MosaicError('MOSAIC_ERR_PLUGIN_UPGRADE_INVALID', `${manifest.version} is older than the installed ${current.version}; to go back, uninstall (keeping data) and install the older version.`, [{ path: 'version', message: 'older than installed' }]);
      }
      const granted = grantedFor(manifest, options.grant, current.granted);
      if (!covers(granted, manifest)) {
        const pending = { version: manifest.version, folder: plugin.folder, revision: plugin.revision, manifest, source: options.source, requested_at: new Date().toISOString() };
        const installation = await updateInstallation(trx, workspaceId, pluginId, { pending });
        await this.#announce(trx, installation, 'plugin.upgrade_pending', actor, { version: manifest.version, from: previousVersion });
        return { outcome: 'pending', installation, previousVersion, changes: null };
      }
      const installed = await listInstallations(trx, workspaceId);
      const broken = dependants(pluginId, installed, manifest.version);
      if (broken.length > 0) {
        throw new MosaicError('MOSAIC_ERR_PLUGIN_UPGRADE_INVALID', `${manifest.version} is outside the range that ${broken.map((i) => i.pluginId).join(', ')} depend${broken.length === 1 ? 's' : ''} on.`, broken.map((i) => ({ path: i.pluginId, message: `needs ${pluginId} ${i.manifest.dependencies?.[pluginId]}` })));
      }
      assertFits(manifest, installed, await this.#deps.services.metadata.get(workspaceId));

      const caller = this.#caller(workspaceId, actor, pluginId);
      const { undo, changes } = await this.#schema.upgrade(caller, current.manifest, manifest);
      try {
        const next: PluginInstallation = { ...current, version: manifest.version, manifest, folder: plugin.folder, revision: plugin.revision };
        if (current.enabled) await this.#hook(next, 'onUpgrade', { previous_version: previousVersion });
        const installation = await updateInstallation(trx, workspaceId, pluginId, {
          version: manifest.version, manifest, folder: plugin.folder, revision: plugin.revision, granted: granted ?? {}, pending: null, error: null,
          ...(current.source === 'config' || options.source === 'config' ? { source: options.source } : {}),
        });
        await this.#announce(trx, installation, 'plugin.upgraded', actor, { version: manifest.version, from: previousVersion, changes });
        return { outcome: 'upgraded', installation, previousVersion, changes };
      } catch (error) {
        await this.#schema.rollback(undo, { pluginId, workspaceId });
        throw error;
      }
    });
    if (result.outcome === 'upgraded') await this.#retire(pluginId);
    return result;
  }

  /** Enables or disables an installed plugin. Disabling is refused while enabled plugins depend on it. */
  async setEnabled(workspaceId: string, actor: Actor, pluginId: string, enabled: boolean): Promise<PluginInstallation> {
    return this.#exclusive(workspaceId, async (trx) => {
      const current = await this.#require(trx, workspaceId, pluginId);
      if (current.enabled === enabled) return current;
      const installed = await listInstallations(trx, workspaceId);
      if (enabled) assertDependenciesEnabled(current.manifest, installed);
      else {
        const by = dependants(pluginId, installed);
        if (by.length > 0) throw dependedOn(pluginId, 'disabled', by);
      }
      const installation = await updateInstallation(trx, workspaceId, pluginId, { enabled, error: null });
      await this.#announce(trx, installation, enabled ? 'plugin.enabled' : 'plugin.disabled', actor, {});
      return installation;
    });
  }

  /**
   * Uninstalls a plugin after its `onUninstall` hook. Its objects, fields, records, settings, secrets and
   * key-value data stay unless `purge` is set, so installing it again finds them.
   */
  async uninstall(workspaceId: string, actor: Actor, pluginId: string, options: { purge: boolean }): Promise<void> {
    await this.#exclusive(workspaceId, async (trx) => {
      const current = await this.#require(trx, workspaceId, pluginId);
      const by = dependants(pluginId, await listInstallations(trx, workspaceId));
      if (by.length > 0) throw dependedOn(pluginId, 'uninstalled', by);
      if (current.enabled) await this.#hook(current, 'onUninstall', { purge: options.purge });
      if (options.purge) {
        await this.#schema.purge(this.#caller(workspaceId, actor, pluginId));
        await purgePluginState(trx, workspaceId, pluginId);
      }
      await deleteInstallation(trx, workspaceId, pluginId);
      await this.#announce(trx, { ...current, enabled: false }, 'plugin.uninstalled', actor, { version: current.version, purged: options.purge });
    });
    await this.#retire(pluginId);
  }

  /** Records why a plugin is not working (an event storm), or clears it; the admin sees it in the plugin list. */
  async setError(workspaceId: string, pluginId: string, error: { code: string; message: string } | null): Promise<void> {
    await this.#exclusive(workspaceId, async (trx) => {
      if (!(await getInstallation(trx, workspaceId, pluginId))) return;
      await updateInstallation(trx, workspaceId, pluginId, { error: error ? { ...error, at: new Date().toISOString() } : null });
      await this.#deps.services.invalidation.publish(trx, 'plugins', workspaceId);
    });
  }

  #caller(workspaceId: string, actor: Actor, pluginId: string): MetadataCaller {
    return { workspaceId, actor, pluginId };
  }

  async #require(trx: Knex, workspaceId: string, pluginId: string): Promise<PluginInstallation> {
    const current = await getInstallation(trx, workspaceId, pluginId, true);
    if (!current) throw new MosaicError('MOSAIC_ERR_PLUGIN_NOT_INSTALLED', `No plugin "${pluginId}" is installed in this workspace.`);
    return current;
  }

  /**
   * Runs a lifecycle hook if the plugin's server code defines one. A plugin without server code or
   * without that hook has nothing to run; any other failure stops the step.
   */
  async #hook(installation: PluginInstallation, name: 'onInstall' | 'onUpgrade' | 'onUninstall', input: Record<string, unknown>): Promise<void> {
    if (installation.manifest.server === undefined) return;
    try {
      await this.#deps.invoke({ installation, kind: 'hooks', handler: name, input });
    } catch (error) {
      if (isMosaicError(error) && error.code === 'MOSAIC_ERR_PLUGIN_HANDLER_MISSING') return;
      const code = isMosaicError(error) ? error.code : 'MOSAIC_ERR_INTERNAL';
      throw new MosaicError('MOSAIC_ERR_PLUGIN_HOOK_FAILED', `${installation.manifest.name}'s ${name} hook failed (${code}): ${(error as Error).message}`, [{ path: name, message: (error as Error).message, code }], { cause: error });
    }
  }

  /** Subscriptions, the `plugin.*` event and the cross-process announcement, inside the step's transaction. */
  async #announce(trx: Knex, installation: PluginInstallation, type: LifecycleEvent, actor: Actor, payload: Record<string, unknown>): Promise<void> {
    const { workspaceId, pluginId } = installation;
    const existing = (await trx('event_subscriber').where('id', 'like', `plugin:${workspaceId}:${pluginId}:%`).pluck('id')) as string[];
    const live = type === 'plugin.uninstalled' ? undefined : installation;
    await syncSubscriptions(trx, live, workspaceId, pluginId, existing);
    await insertEvents(trx, [{ workspaceId, type, actor, payload: { plugin_id: pluginId, ...payload } }]);
    await this.#deps.services.invalidation.publish(trx, 'plugins', workspaceId);
  }

  /** Holds the workspace's plugin lock for one lifecycle step; the step's row writes commit together. */
  async #exclusive<T>(workspaceId: string, step: (trx: Knex) => Promise<T>): Promise<T> {
    const result = await this.#deps.services.db.knex.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`plugins:${workspaceId}`]);
      return step(trx);
    });
    this.#deps.services.bus.written();
    return result;
  }

  /** Stops this process's sandboxes of revisions no workspace runs any more. */
  async #retire(pluginId: string): Promise<void> {
    await this.#deps.sandboxes.retire(pluginId, (revision) => revisionInUse(this.#deps.services.db.knex, pluginId, revision));
  }
}
