import type { Knex } from '@mikro-orm/postgresql';

/** Who signed a stored package: the key that verified it, kept so any process can verify it again. */
export interface StoredSigner {
  readonly keyId: string;
  readonly publicKey: string;
  readonly publisher?: string;
}

/** A verified package archive in `plugin_package`. */
export interface StoredPackage {
  readonly pluginId: string;
  readonly version: string;
  readonly sha256: string;
  readonly bytes: Buffer;
  readonly signer: StoredSigner | null;
  readonly marketplace: string;
  /** Why the marketplace revoked this version, or null. */
  readonly revoked: string | null;
}

const TABLE = 'plugin_package';

/** Stores a verified archive; storing the same bytes again changes nothing. */
export async function savePackage(knex: Knex, pkg: Omit<StoredPackage, 'revoked'>): Promise<void> {
  await knex(TABLE)
    .insert({ plugin_id: pkg.pluginId, version: pkg.version, sha256: pkg.sha256, bytes: pkg.bytes, size: pkg.bytes.length, signer: pkg.signer ? JSON.stringify(pkg.signer) : null, marketplace: pkg.marketplace })
    .onConflict(['plugin_id', 'version', 'sha256'])
    .ignore();
}

/** The stored archives of a plugin version (normally one; a re-published version would differ by hash). */
export async function findPackages(knex: Knex, pluginId: string, version: string): Promise<StoredPackage[]> {
  const rows = (await knex(TABLE).where({ plugin_id: pluginId, version })) as { plugin_id: string; version: string; sha256: string; bytes: Buffer; signer: StoredSigner | null; marketplace: string; revoked: string | null }[];
  return rows.map((r) => ({ pluginId: r.plugin_id, version: r.version, sha256: r.sha256, bytes: r.bytes, signer: r.signer, marketplace: r.marketplace, revoked: r.revoked }));
}

/**
 * Records a marketplace's revocations on the packages taken from it (and lifts those it no longer lists),
 * so every process flags an installed revoked version without reading the marketplace itself.
 */
export async function recordRevocations(knex: Knex, marketplace: string, revoked: readonly { id: string; version: string; reason: string }[]): Promise<void> {
  await knex.transaction(async (trx) => {
    await trx(TABLE).where({ marketplace }).whereNotNull('revoked').update({ revoked: null });
    for (const r of revoked) await trx(TABLE).where({ marketplace, plugin_id: r.id, version: r.version }).update({ revoked: r.reason || 'revoked' });
  });
}

/** Revocation reasons of installed versions, keyed `<pluginId>@<version>`. */
export async function revokedVersions(knex: Knex, installed: readonly { pluginId: string; version: string }[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (installed.length === 0) return out;
  const rows = (await knex(TABLE)
    .whereNotNull('revoked')
    .whereIn(['plugin_id', 'version'], installed.map((i) => [i.pluginId, i.version]))
    .select('plugin_id', 'version', 'revoked')) as { plugin_id: string; version: string; revoked: string }[];
  for (const row of rows) out.set(`${row.plugin_id}@${row.version}`, row.revoked);
  return out;
}
