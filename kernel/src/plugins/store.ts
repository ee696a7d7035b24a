import type { Knex } from '@mikro-orm/postgresql';
import type { PluginManifest, PluginPermissions } from '@mosaic/plugin-sdk';

/** Where an installation came from: the admin API (or UI) or `plugins.config.json`. */
export type InstallationSource = 'api' | 'config';

/** A version that was offered but asks for more than the admin granted; it waits for consent. */
export interface PendingUpgrade {
  readonly version: string;
  readonly folder: string;
  readonly revision: string;
  readonly manifest: PluginManifest;
  readonly source: InstallationSource;
  readonly requested_at: string;
}

/** Why a plugin is not working as installed, for the admin (an event storm, a failing hook, …). */
export interface InstallationError {
  readonly code: string;
  readonly message: string;
  readonly at: string;
}

/** One plugin installed in one workspace, as stored in `plugin_installation`. */
export interface PluginInstallation {
  readonly workspaceId: string;
  readonly pluginId: string;
  readonly version: string;
  /** The running version's manifest; its permissions are covered by {@link granted}. */
  readonly manifest: PluginManifest;
  readonly folder: string;
  /** A hash of the manifest and bundles: a rebuilt plugin of the same version has a new revision. */
  readonly revision: string;
  readonly enabled: boolean;
  readonly source: InstallationSource;
  /** What the admin consented to. */
  readonly granted: PluginPermissions;
  readonly pending: PendingUpgrade | null;
  readonly error: InstallationError | null;
  readonly installedAt: Date;
  readonly updatedAt: Date;
}

interface InstallationRow {
  workspace_id: string;
  plugin_id: string;
  version: string;
  manifest: PluginManifest;
  folder: string;
  revision: string;
  enabled: boolean;
  source: InstallationSource;
  granted: PluginPermissions;
  pending: PendingUpgrade | null;
  error: InstallationError | null;
  installed_at: Date | string;
  updated_at: Date | string;
}

const TABLE = 'plugin_installation';

const fromRow = (row: InstallationRow): PluginInstallation => ({
  workspaceId: row.workspace_id,
  pluginId: row.plugin_id,
  version: row.version,
  manifest: row.manifest,
  folder: row.folder,
  revision: row.revision,
  enabled: row.enabled,
  source: row.source,
  granted: row.granted,
  pending: row.pending,
  error: row.error,
  installedAt: new Date(row.installed_at),
  updatedAt: new Date(row.updated_at),
});

/** The plugins installed in a workspace, oldest first. */
export async function listInstallations(knex: Knex, workspaceId: string): Promise<PluginInstallation[]> {
  const rows = (await knex(TABLE).where({ workspace_id: workspaceId }).orderBy([{ column: 'installed_at' }, { column: 'plugin_id' }])) as InstallationRow[];
  return rows.map(fromRow);
}

/** Every enabled installation that declares jobs, in every workspace (the job scheduler's view). */
export async function listEnabledWithJobs(knex: Knex): Promise<PluginInstallation[]> {
  const rows = (await knex(TABLE)
    .where({ enabled: true })
    .whereRaw(`jsonb_array_length(coalesce(manifest->'jobs', '[]'::jsonb)) > 0`)
    .orderBy(['workspace_id', 'plugin_id'])) as InstallationRow[];
  return rows.map(fromRow);
}

/** One installation; `forUpdate` locks its row until the transaction ends. */
export async function getInstallation(knex: Knex, workspaceId: string, pluginId: string, forUpdate = false): Promise<PluginInstallation | undefined> {
  const query = knex(TABLE).where({ workspace_id: workspaceId, plugin_id: pluginId }).first();
  const row = (await (forUpdate ? query.forUpdate() : query)) as InstallationRow | undefined;
  return row ? fromRow(row) : undefined;
}

/** The installation's fields that a lifecycle step writes. */
export interface InstallationWrite {
  readonly version?: string;
  readonly manifest?: PluginManifest;
  readonly folder?: string;
  readonly revision?: string;
  readonly enabled?: boolean;
  readonly source?: InstallationSource;
  readonly granted?: PluginPermissions;
  readonly pending?: PendingUpgrade | null;
  readonly error?: InstallationError | null;
}

function columns(write: InstallationWrite): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(write)) {
    if (value === undefined) continue;
    out[key] = (key === 'manifest' || key === 'granted' || key === 'pending' || key === 'error') && value !== null ? JSON.stringify(value) : value;
  }
  return out;
}

/** Inserts an installation row; a concurrent install of the same plugin fails on the primary key (23505). */
export async function insertInstallation(knex: Knex, workspaceId: string, pluginId: string, write: Required<Pick<InstallationWrite, 'version' | 'manifest' | 'folder' | 'revision' | 'source' | 'granted'>>): Promise<PluginInstallation> {
  const [row] = (await knex(TABLE).insert({ workspace_id: workspaceId, plugin_id: pluginId, enabled: true, ...columns(write) }).returning('*')) as InstallationRow[];
  return fromRow(row!);
}

/** Updates an installation row. */
export async function updateInstallation(knex: Knex, workspaceId: string, pluginId: string, write: InstallationWrite): Promise<PluginInstallation> {
  const [row] = (await knex(TABLE).where({ workspace_id: workspaceId, plugin_id: pluginId }).update({ ...columns(write), updated_at: knex.fn.now() }).returning('*')) as InstallationRow[];
  return fromRow(row!);
}

/** Removes an installation row. */
export async function deleteInstallation(knex: Knex, workspaceId: string, pluginId: string): Promise<void> {
  await knex(TABLE).where({ workspace_id: workspaceId, plugin_id: pluginId }).delete();
}

/** Whether any workspace still runs this revision of the plugin (so its sandbox is still needed). */
export async function revisionInUse(knex: Knex, pluginId: string, revision: string): Promise<boolean> {
  const row = await knex(TABLE).where({ plugin_id: pluginId, revision }).first('plugin_id');
  return row !== undefined;
}
