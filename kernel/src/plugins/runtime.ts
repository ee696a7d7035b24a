import type { KernelServices } from '../app/services.js';
import type { Actor } from '../auth/context.js';
import { isMosaicError } from '../errors/index.js';
import type { BusEvent } from '../events/types.js';
import { RecordService } from '../records/service.js';
import { readPluginsConfig, type ConfiguredPlugin } from './config-file.js';
import { pluginAccess } from './host/records.js';
import type { Grant } from './consent.js';
import { invokePlugin, type PluginCall } from './invoke.js';
import { JobScheduler } from './jobs.js';
import { PluginLifecycle, type UpgradeResult } from './lifecycle.js';
import { loadPlugin, resolvePluginFolder, type LoadedPlugin } from './loader.js';
import { SandboxPool } from './sandboxes.js';
import { writeSettings } from './state/index.js';
import { StormBreaker } from './storm.js';
import { listInstallations, type InstallationSource, type PluginInstallation } from './store.js';
import { MAX_HANDLER_CHAIN, PLUGIN_SUBSCRIBER_KIND, nextChain, pluginDeliverers } from './subscriptions.js';

/** One line of what reconciling with `plugins.config.json` did. */
export interface ReconcileAction {
  readonly workspace_id: string;
  readonly plugin: string;
  readonly action: 'installed' | 'upgraded' | 'enabled' | 'disabled' | 'settings' | 'pending_consent' | 'failed';
  readonly detail?: string;
}

/** The kernel itself, as the actor of changes made from the config file. */
const SYSTEM: Actor = { type: 'system', id: 'plugins.config.json', name: 'plugins.config.json' };

/**
 * The plugin runtime of one kernel process: installations (cached per workspace, evicted across processes
 * through the `plugins` invalidation topic), the lifecycle, the sandboxes, event delivery to plugin
 * handlers, the job scheduler, and reconciliation with `plugins.config.json`.
 */
export class PluginRuntime {
  readonly #services: KernelServices;
  readonly #records: RecordService;
  readonly #cache = new Map<string, Promise<PluginInstallation[]>>();
  readonly #storms: StormBreaker;
  readonly sandboxes: SandboxPool;
  readonly lifecycle: PluginLifecycle;
  readonly jobs: JobScheduler;
  #configured: ConfiguredPlugin[] = [];
  /** What the last boot's reconciliation did. */
  lastReconcile: ReconcileAction[] = [];

  constructor(services: KernelServices) {
    this.#services = services;
    this.#records = new RecordService(services);
    this.#storms = new StormBreaker(services.config.pluginEventStormLimit);
    this.sandboxes = new SandboxPool(services.log, (source, error) => void this.#degraded(source, error));
    this.lifecycle = new PluginLifecycle({ services, sandboxes: this.sandboxes, invoke: (call) => this.invoke(call) });
    this.jobs = new JobScheduler({
      knex: services.db.knex,
      log: services.log,
      owner: services.bus.owner,
      run: async (installation, job, handler, scheduledFor) => {
        await this.invoke({ installation, kind: 'jobs', handler, input: { job, scheduled_for: scheduledFor } });
      },
    });
    services.invalidation.on('plugins', (workspaceId) => {
      if (workspaceId === '*') this.#cache.clear();
      else this.#cache.delete(workspaceId);
    });
  }

  /** Registers event delivery, reconciles with the config file and starts the job scheduler. */
  async start(): Promise<void> {
    this.#services.bus.registerKind(PLUGIN_SUBSCRIBER_KIND, pluginDeliverers((target, event) => this.#deliver(target, event)));
    const file = this.#services.config.pluginsConfig;
    this.#configured = file ? await readPluginsConfig(file) : [];
    this.lastReconcile = await this.reconcile();
    this.jobs.start();
  }

  /** The installations of a workspace (cached until a lifecycle change anywhere announces otherwise). */
  installations(workspaceId: string): Promise<PluginInstallation[]> {
    let entry = this.#cache.get(workspaceId);
    if (!entry) {
      entry = listInstallations(this.#services.db.knex, workspaceId);
      this.#cache.set(workspaceId, entry);
      entry.catch(() => this.#cache.delete(workspaceId));
    }
    return entry;
  }

  /** One installation, or undefined. */
  async installation(workspaceId: string, pluginId: string): Promise<PluginInstallation | undefined> {
    return (await this.installations(workspaceId)).find((i) => i.pluginId === pluginId);
  }

  /** Runs a plugin handler (route, event, job or hook) in its sandbox with its host API. */
  invoke(call: PluginCall): Promise<unknown> {
    const { installation } = call;
    // An administrator's reset on another process clears the recorded error after this sandbox paused:
    // then this process's copy is cleared too.
    const status = this.sandboxes.status(installation.pluginId, installation.revision);
    if (status?.state === 'degraded' && installation.error === null && status.lastErrorAt !== null && installation.updatedAt.getTime() > Date.parse(status.lastErrorAt)) {
      this.sandboxes.reset(installation.pluginId, installation.revision);
    }
    return invokePlugin({ services: this.#services, records: this.#records, sandboxes: this.sandboxes }, call);
  }

  /** Records a paused sandbox on every installation running that revision, so every process's admin sees it. */
  async #degraded(source: { pluginId: string; revision: string }, error: { code: string; message: string }): Promise<void> {
    const { knex } = this.#services.db;
    try {
      const recorded = { code: 'MOSAIC_ERR_PLUGIN_DEGRADED', message: `Paused after repeated failures; the last was ${error.code}: ${error.message}`, at: new Date().toISOString() };
      await knex.transaction(async (trx) => {
        const rows = (await trx('plugin_installation')
          .where({ plugin_id: source.pluginId, revision: source.revision })
          .update({ error: JSON.stringify(recorded), updated_at: trx.fn.now() })
          .returning('workspace_id')) as { workspace_id: string }[];
        for (const { workspace_id } of rows) await this.#services.invalidation.publish(trx, 'plugins', workspace_id);
      });
    } catch (err) {
      this.#services.log.error({ err, pluginId: source.pluginId }, 'could not record a degraded plugin');
    }
  }

  /** Reads a plugin folder an admin named: it must lie under `PLUGIN_DIRS`. */
  async load(path: string): Promise<LoadedPlugin> {
    return loadPlugin(await resolvePluginFolder(path, this.#services.config.pluginDirs));
  }

  /** Installs from a folder under `PLUGIN_DIRS`. */
  async install(workspaceId: string, actor: Actor, path: string, grant?: Grant): Promise<PluginInstallation> {
    return this.lifecycle.install(workspaceId, actor, await this.load(path), { source: 'api', ...(grant !== undefined ? { grant } : {}) });
  }

  /** Upgrades (or reloads) from a folder under `PLUGIN_DIRS`. */
  async upgrade(workspaceId: string, actor: Actor, pluginId: string, path: string, grant?: Grant): Promise<UpgradeResult> {
    return this.lifecycle.upgrade(workspaceId, actor, pluginId, await this.load(path), { source: 'api', ...(grant !== undefined ? { grant } : {}) });
  }

  /** Clears a plugin's recorded failure and its sandbox's degraded state (an admin's decision). */
  async reset(workspaceId: string, pluginId: string): Promise<void> {
    const installation = await this.installation(workspaceId, pluginId);
    if (!installation) return;
    this.sandboxes.reset(pluginId, installation.revision);
    this.#storms.reset(workspaceId, pluginId);
    await this.lifecycle.setError(workspaceId, pluginId, null);
  }

  /** Installs the configured plugins into a new workspace. */
  async provision(workspaceId: string): Promise<ReconcileAction[]> {
    const actions: ReconcileAction[] = [];
    await this.#reconcileWorkspace(workspaceId, actions, await this.#loadConfigured());
    return actions;
  }

  /**
   * Makes every workspace match `plugins.config.json`: configured plugins are installed, upgraded to the
   * configured folder's version, enabled or disabled, and given the configured settings; a plugin that
   * came from the file and is no longer listed is disabled (its data stays). Several processes booting
   * at once take turns through an advisory lock. Each failure is reported and the rest still runs.
   */
  async reconcile(): Promise<ReconcileAction[]> {
    const actions: ReconcileAction[] = [];
    const { knex } = this.#services.db;
    await knex.transaction(async (trx) => {
      await trx.raw('select pg_advisory_xact_lock(hashtext(?))', ['plugins:reconcile']);
      const workspaces = (await knex('workspace').pluck('id')) as string[];
      // Each configured folder is read and hashed once, not once per workspace.
      const loaded = await this.#loadConfigured();
      for (const workspaceId of workspaces) await this.#reconcileWorkspace(workspaceId, actions, loaded);
    });
    for (const action of actions) {
      const level = action.action === 'failed' || action.action === 'pending_consent' ? 'warn' : 'info';
      this.#services.log[level]({ workspaceId: action.workspace_id, plugin: action.plugin, detail: action.detail }, `plugins.config.json: ${action.action}`);
    }
    return actions;
  }

  /** The configured plugins read from their folders, each as the loaded plugin or why it could not be read. */
  async #loadConfigured(): Promise<(LoadedPlugin | Error)[]> {
    return Promise.all(this.#configured.map((entry) => loadPlugin(entry.folder).catch((error: unknown) => error as Error)));
  }

  async #reconcileWorkspace(workspaceId: string, actions: ReconcileAction[], loaded: readonly (LoadedPlugin | Error)[]): Promise<void> {
    const report = (plugin: string, action: ReconcileAction['action'], detail?: string) => actions.push({ workspace_id: workspaceId, plugin, action, ...(detail ? { detail } : {}) });
    const listed = new Set<string>();
    for (const [index, entry] of this.#configured.entries()) {
      try {
        const plugin = loaded[index]!;
        if (plugin instanceof Error) throw plugin;
        const { id } = plugin.manifest;
        listed.add(id);
        const options = { source: 'config' as InstallationSource, ...(entry.grant !== undefined ? { grant: entry.grant } : {}) };
        let installation = (await listInstallations(this.#services.db.knex, workspaceId)).find((i) => i.pluginId === id);
        if (!installation) {
          installation = await this.lifecycle.install(workspaceId, SYSTEM, plugin, options);
          report(id, 'installed', plugin.manifest.version);
        } else if (installation.revision !== plugin.revision) {
          const result = await this.lifecycle.upgrade(workspaceId, SYSTEM, id, plugin, options);
          installation = result.installation;
          if (result.outcome === 'pending') report(id, 'pending_consent', `${plugin.manifest.version} asks for more permissions than granted`);
          else if (result.outcome === 'upgraded') report(id, 'upgraded', `${result.previousVersion} → ${plugin.manifest.version}`);
        }
        if (entry.settings) {
          await writeSettings(this.#services.db.knex, workspaceId, installation.manifest, entry.settings);
          report(id, 'settings');
        }
        if (installation.enabled !== entry.enabled) {
          await this.lifecycle.setEnabled(workspaceId, SYSTEM, id, entry.enabled);
          report(id, entry.enabled ? 'enabled' : 'disabled');
        }
      } catch (error) {
        const code = isMosaicError(error) ? error.code : 'MOSAIC_ERR_INTERNAL';
        report(entry.label, code === 'MOSAIC_ERR_PLUGIN_CONSENT_REQUIRED' ? 'pending_consent' : 'failed', `${code}: ${(error as Error).message}`);
      }
    }
    for (const installation of await listInstallations(this.#services.db.knex, workspaceId)) {
      if (installation.source !== 'config' || !installation.enabled || listed.has(installation.pluginId)) continue;
      try {
        await this.lifecycle.setEnabled(workspaceId, SYSTEM, installation.pluginId, false);
        report(installation.pluginId, 'disabled', 'no longer in plugins.config.json');
      } catch (error) {
        report(installation.pluginId, 'failed', (error as Error).message);
      }
    }
  }

  /**
   * Delivers one event to one plugin handler. Throwing makes the bus retry with backoff and, after the
   * last attempt, dead-letter the event. Handler chains longer than {@link MAX_HANDLER_CHAIN} are not
   * delivered, and a plugin whose chained handlers run too often is paused (see {@link StormBreaker}).
   */
  async #deliver(target: { workspaceId: string; pluginId: string; handler: string; type: string }, event: BusEvent): Promise<void> {
    const { workspaceId, pluginId } = target;
    const installation = await this.installation(workspaceId, pluginId);
    if (!installation?.enabled) return;
    // A subscription on "*" has no object filter, so the grant is checked here: a record event carries the
    // record, and a plugin sees records only of objects it may read (always true for named subscriptions,
    // which the manifest validator ties to a read grant).
    if (event.object && event.type.startsWith('record.') && !pluginAccess(installation.manifest).object(event.object, 'read')) return;
    const chain = nextChain(event.actor);
    if (chain > MAX_HANDLER_CHAIN) {
      this.#services.log.warn({ pluginId, workspaceId, eventId: event.id, type: event.type, chain }, 'event not delivered to a plugin: handler chain too long');
      return;
    }
    if (chain > 1) {
      if (installation.error?.code === 'MOSAIC_ERR_PLUGIN_EVENT_STORM') return;
      if (this.#storms.trip(workspaceId, pluginId)) {
        const message = `${installation.manifest.name}'s event handlers triggered each other more than ${this.#storms.limit} times in a minute; handlers of events caused by plugins are paused until an administrator resets the plugin.`;
        this.#services.log.warn({ pluginId, workspaceId }, 'plugin event storm stopped');
        await this.lifecycle.setError(workspaceId, pluginId, { code: 'MOSAIC_ERR_PLUGIN_EVENT_STORM', message });
        return;
      }
    }
    await this.invoke({ installation, kind: 'events', handler: target.handler, input: event, chain });
  }

  /** Stops the scheduler and every sandbox. */
  async close(): Promise<void> {
    this.jobs.close();
    await this.sandboxes.close();
  }
}
