import type { Knex } from '@mikro-orm/postgresql';

/** How many rows {@link purgePluginState} removed from each store. */
export interface PurgedState {
  readonly settings: number;
  readonly secrets: number;
  readonly kv: number;
}

/**
 * Deletes everything a plugin keeps in a workspace: its settings, its secrets and its key-value store,
 * in one transaction. Uninstalling without purge keeps them, so a reinstall finds them again.
 */
export async function purgePluginState(knex: Knex, workspaceId: string, pluginId: string): Promise<PurgedState> {
  return knex.transaction(async (trx) => {
    const where = { workspace_id: workspaceId, plugin_id: pluginId };
    const settings = await trx('plugin_settings').where(where).delete();
    const secrets = await trx('plugin_secret').where(where).delete();
    const kv = await trx('plugin_kv').where(where).delete();
    return { settings: Number(settings), secrets: Number(secrets), kv: Number(kv) };
  });
}
