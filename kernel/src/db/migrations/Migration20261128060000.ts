import { Migration } from '@mikro-orm/migrations';

/**
 * Plugin installations: which plugin, at which version and from which folder, each workspace runs. The
 * manifest is stored as installed, so the kernel answers routes and describes permissions without
 * re-reading the folder, and a later upgrade can diff what the admin consented to.
 */
export class Migration20261128060000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table plugin_installation (
        workspace_id uuid not null references workspace(id) on delete cascade,
        plugin_id text not null,
        version text not null,
        manifest jsonb not null,
        folder text not null,
        enabled boolean not null default true,
        installed_at timestamptz(3) not null default now(),
        primary key (workspace_id, plugin_id)
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists plugin_installation;');
  }
}
