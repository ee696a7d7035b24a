import { Migration } from '@mikro-orm/migrations';

/**
 * The plugin lifecycle's state:
 * - on `plugin_installation`: the permissions the admin granted, where the installation came from
 *   (`api` or `config`), the revision (a hash of manifest and bundles, so a rebuilt plugin of the same
 *   version is reloaded), an upgrade waiting for consent, and the failure the admin must see;
 * - the plugin's own data, kept when it is uninstalled without purge: its settings, its secrets and its
 *   key-value store, per workspace;
 * - `plugin_job_run`: one row per job per schedule slot, so that of several kernel processes only the one
 *   that inserts the row runs the job.
 */
export class Migration20261128070000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table plugin_installation
        add column granted jsonb not null default '{}'::jsonb,
        add column source text not null default 'api' check (source in ('api', 'config')),
        add column revision text not null default '',
        add column pending jsonb null,
        add column error jsonb null,
        add column updated_at timestamptz(3) not null default now();
    `);
    this.addSql(`
      create table plugin_settings (
        workspace_id uuid not null references workspace(id) on delete cascade,
        plugin_id text not null,
        value jsonb not null default '{}'::jsonb,
        updated_at timestamptz(3) not null default now(),
        primary key (workspace_id, plugin_id)
      );
    `);
    this.addSql(`
      create table plugin_secret (
        workspace_id uuid not null references workspace(id) on delete cascade,
        plugin_id text not null,
        name text not null,
        value text not null,
        updated_at timestamptz(3) not null default now(),
        primary key (workspace_id, plugin_id, name)
      );
    `);
    this.addSql(`
      create table plugin_kv (
        workspace_id uuid not null references workspace(id) on delete cascade,
        plugin_id text not null,
        key text not null,
        value jsonb not null,
        expires_at timestamptz(3) null,
        updated_at timestamptz(3) not null default now(),
        primary key (workspace_id, plugin_id, key)
      );
    `);
    this.addSql(`create index plugin_kv_expires_idx on plugin_kv (expires_at) where expires_at is not null;`);
    this.addSql(`
      create table plugin_job_run (
        workspace_id uuid not null references workspace(id) on delete cascade,
        plugin_id text not null,
        job text not null,
        scheduled_for timestamptz(3) not null,
        owner text not null,
        started_at timestamptz(3) not null default now(),
        finished_at timestamptz(3) null,
        error text null,
        primary key (workspace_id, plugin_id, job, scheduled_for)
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists plugin_job_run;');
    this.addSql('drop table if exists plugin_kv;');
    this.addSql('drop table if exists plugin_secret;');
    this.addSql('drop table if exists plugin_settings;');
    this.addSql('alter table plugin_installation drop column granted, drop column source, drop column revision, drop column pending, drop column error, drop column updated_at;');
  }
}
