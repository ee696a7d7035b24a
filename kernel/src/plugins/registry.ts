import type { PluginManifest } from '@mosaic/plugin-sdk';
import type { KernelServices } from '../app/services.js';
import type { Actor } from '../auth/context.js';
import { MosaicError } from '../errors/index.js';
import { MetadataService, type MetadataCaller } from '../metadata/service.js';
import { PluginSandbox } from '../sandbox/index.js';
import { loadPlugin, resolvePluginFolder } from './loader.js';

/** One plugin installed in one workspace, as stored in `plugin_installation`. */
export interface PluginInstallation {
  readonly workspaceId: string;
  readonly pluginId: string;
  readonly version: string;
  readonly manifest: PluginManifest;
  readonly folder: string;
  readonly enabled: boolean;
  readonly installedAt: Date;
}

interface InstallationRow {
  workspace_id: string;
  plugin_id: string;
  version: string;
  manifest: PluginManifest;
  folder: string;
  enabled: boolean;
  installed_at: Date | string;
}

const fromRow = (row: InstallationRow): PluginInstallation => ({
  workspaceId: row.workspace_id,
  pluginId: row.plugin_id,
  version: row.version,
  manifest: row.manifest,
  folder: row.folder,
  enabled: row.enabled,
  installedAt: new Date(row.installed_at),
});

/**
 * Installed plugins: installation (contributed objects and fields, then the installation row), lookup,
 * and one sandbox per plugin id per process, started on first use.
 */
export class PluginRegistry {
  readonly #services: KernelServices;
  readonly #metadata: MetadataService;
  readonly #sandboxes = new Map<string, { version: string; folder: string; sandbox: Promise<PluginSandbox> }>();

  constructor(services: KernelServices) {
    this.#services = services;
    this.#metadata = new MetadataService(services);
  }

  /**
   * Installs the plugin in `folder` (which must lie under a `PLUGIN_DIRS` directory) into a workspace.
   * Contributed objects are created first, then fields on other objects, all marked with the plugin id.
   * If a step fails, what was created is removed again, so a failed install leaves nothing behind.
   */
  async install(workspaceId: string, folder: string, actor: Actor): Promise<PluginInstallation> {
    const plugin = await loadPlugin(await resolvePluginFolder(folder, this.#services.config.pluginDirs));
    const { manifest } = plugin;
    if (await this.get(workspaceId, manifest.id)) {
      throw new MosaicError('MOSAIC_ERR_PLUGIN_ALREADY_INSTALLED', `The plugin "${manifest.id}" is already installed in this workspace.`);
    }
    const caller: MetadataCaller = { workspaceId, actor, pluginId: manifest.id };
    const undo: (() => Promise<unknown>)[] = [];
    try {
      for (const object of manifest.objects ?? []) {
        await this.#metadata.createObject(caller, object);
        undo.push(() => this.#metadata.deleteObject(caller, object.name));
      }
      for (const { object, field } of manifest.fields ?? []) {
        await this.#metadata.addField(caller, object, field);
        undo.push(() => this.#metadata.deleteField(caller, object, storedFieldName(field)));
      }
      const [row] = (await this.#services.db
        .knex('plugin_installation')
        .insert({ workspace_id: workspaceId, plugin_id: manifest.id, version: manifest.version, manifest: JSON.stringify(manifest), folder: plugin.folder, enabled: true })
        .returning('*')) as InstallationRow[];
      return fromRow(row!);
    } catch (error) {
      for (const step of undo.reverse()) {
        await step().catch((err: unknown) => this.#services.log.error({ err, pluginId: manifest.id, workspaceId }, 'could not undo a failed plugin install step'));
      }
      if ((error as { code?: string }).code === '23505') {
        throw new MosaicError('MOSAIC_ERR_PLUGIN_ALREADY_INSTALLED', `The plugin "${manifest.id}" is already installed in this workspace.`);
      }
      throw error;
    }
  }

  /** The plugins installed in a workspace, oldest first. */
  async list(workspaceId: string): Promise<PluginInstallation[]> {
    const rows = (await this.#services.db.knex('plugin_installation').where({ workspace_id: workspaceId }).orderBy([{ column: 'installed_at' }, { column: 'plugin_id' }])) as InstallationRow[];
    return rows.map(fromRow);
  }

  /** One installation, or undefined when the plugin is not installed in the workspace. */
  async get(workspaceId: string, pluginId: string): Promise<PluginInstallation | undefined> {
    const row = (await this.#services.db.knex('plugin_installation').where({ workspace_id: workspaceId, plugin_id: pluginId }).first()) as InstallationRow | undefined;
    return row ? fromRow(row) : undefined;
  }

  /**
   * The process's sandbox for an installed plugin, started on first use from the installation's folder.
   * A workspace on another version or folder replaces it.
   */
  sandbox(installation: PluginInstallation): Promise<PluginSandbox> {
    const current = this.#sandboxes.get(installation.pluginId);
    if (current && current.version === installation.version && current.folder === installation.folder) return current.sandbox;
    if (current) void current.sandbox.then((s) => s.dispose(), () => undefined);
    const sandbox = loadPlugin(installation.folder).then((plugin) => {
      if (plugin.script === null) throw new MosaicError('MOSAIC_ERR_PLUGIN_HANDLER_MISSING', `The plugin "${installation.pluginId}" has no server code.`);
      return new PluginSandbox({
        pluginId: installation.pluginId,
        script: plugin.script,
        log: this.#services.log,
        onCatastrophicError: (message) => this.#services.log.fatal({ pluginId: installation.pluginId, message }, 'plugin isolate lost control'),
      });
    });
    // A failed start is not cached, so fixing the folder and retrying works without a restart.
    sandbox.catch(() => {
      if (this.#sandboxes.get(installation.pluginId)?.sandbox === sandbox) this.#sandboxes.delete(installation.pluginId);
    });
    this.#sandboxes.set(installation.pluginId, { version: installation.version, folder: installation.folder, sandbox });
    return sandbox;
  }

  /** Stops every sandbox this process started. */
  async close(): Promise<void> {
    const all = [...this.#sandboxes.values()];
    this.#sandboxes.clear();
    for (const entry of all) (await entry.sandbox.catch(() => null))?.dispose();
  }
}

/** A relation field named `company` is stored as `company_id`; other fields keep their name. */
function storedFieldName(field: { name: string; type: string }): string {
  return field.type === 'relation' && !field.name.endsWith('_id') ? `${field.name}_id` : field.name;
}
