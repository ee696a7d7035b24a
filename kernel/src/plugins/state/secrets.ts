import type { Knex } from '@mikro-orm/postgresql';
import type { PluginManifest } from '@mosaic/plugin-sdk';
import type { SecretBox } from '../../crypto/index.js';
import { MosaicError } from '../../errors/index.js';
import { unstorableText } from './json.js';

/** Longest secret value accepted (an API token or a PEM key fits easily). */
export const MAX_SECRET_CHARS = 16 * 1024;

/** A stored secret as the admin API may show it: never its value. */
export interface SecretInfo {
  readonly name: string;
  readonly updatedAt: Date;
}

function assertDeclared(manifest: PluginManifest, name: string): void {
  if (!(manifest.secrets ?? []).includes(name)) {
    const declared = manifest.secrets?.length ? `it declares ${manifest.secrets.join(', ')}` : 'it declares none';
    throw new MosaicError('MOSAIC_ERR_PLUGIN_SECRET_UNKNOWN', `The plugin "${manifest.id}" declares no secret "${name.slice(0, 100)}"; ${declared}.`, [{ path: 'name', message: 'not declared in the manifest' }]);
  }
}

/**
 * Saves a secret the manifest declares (`secrets`), replacing its value. The value is encrypted with the
 * kernel's secret key (AES-256-GCM, see {@link SecretBox}) before it reaches the database, so neither the
 * database nor its backups hold it in the clear.
 */
export async function setSecret(knex: Knex, box: SecretBox, workspaceId: string, manifest: PluginManifest, name: string, value: unknown): Promise<SecretInfo> {
  assertDeclared(manifest, name);
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_SECRET_CHARS || unstorableText(value)) {
    throw new MosaicError('MOSAIC_ERR_REQUEST_INVALID', `A secret is a non-empty string of at most ${MAX_SECRET_CHARS} characters, without NUL characters.`, [
      { path: 'value', message: 'invalid secret value' },
    ]);
  }
  const [row] = (await knex('plugin_secret')
    .insert({ workspace_id: workspaceId, plugin_id: manifest.id, name, value: box.seal(value), updated_at: knex.fn.now() })
    .onConflict(['workspace_id', 'plugin_id', 'name'])
    .merge(['value', 'updated_at'])
    .returning(['name', 'updated_at'])) as { name: string; updated_at: Date | string }[];
  return { name: row!.name, updatedAt: new Date(row!.updated_at) };
}

/** Removes a secret; true when there was one. Works for names a newer version no longer declares. */
export async function deleteSecret(knex: Knex, workspaceId: string, pluginId: string, name: string): Promise<boolean> {
  const count = await knex('plugin_secret').where({ workspace_id: workspaceId, plugin_id: pluginId, name }).delete();
  return Number(count) > 0;
}

/** The names of the secrets saved for a plugin in a workspace, by name, with when each was last set. */
export async function listSecretNames(knex: Knex, workspaceId: string, pluginId: string): Promise<SecretInfo[]> {
  const rows = (await knex('plugin_secret').where({ workspace_id: workspaceId, plugin_id: pluginId }).orderByRaw('name collate "C"').select('name', 'updated_at')) as {
    name: string;
    updated_at: Date | string;
  }[];
  return rows.map((r) => ({ name: r.name, updatedAt: new Date(r.updated_at) }));
}

/**
 * A secret's value, or null when it was never set. Only the `secrets` host capability calls this: no
 * admin route returns secret values, so a saved secret is never shown again. Decrypted here, on use.
 */
export async function readSecret(knex: Knex, box: SecretBox, workspaceId: string, pluginId: string, name: string): Promise<string | null> {
  const row = (await knex('plugin_secret').where({ workspace_id: workspaceId, plugin_id: pluginId, name }).first('value')) as { value: string } | undefined;
  return row ? box.open(row.value) : null;
}
