import { Migration } from '@mikro-orm/migrations';

/**
 * Plugin packages installed from a marketplace (`kernel/src/marketplace`).
 *
 * - `plugin_package`: the verified archive of one plugin version, keyed by id, version and the archive's
 *   SHA-256, with who signed it, which marketplace it came from and, once that marketplace revokes it, why
 *   (`revoked`, so every process can flag an installed revoked version). Every kernel process extracts the
 *   same bytes into its own local cache folder, so an install on one process can run on all others
 *   without them fetching anything from the marketplace. Rows are kept after an uninstall (another
 *   workspace, or a reinstall, may use the same version); they are small and content-addressed.
 */
export class Migration20261128120000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table plugin_package (
        plugin_id text not null,
        version text not null,
        sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
        bytes bytea not null,
        size integer not null,
        signer jsonb null,
        marketplace text not null,
        revoked text null,
        created_at timestamptz(3) not null default now(),
        primary key (plugin_id, version, sha256)
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists plugin_package;');
  }
}
