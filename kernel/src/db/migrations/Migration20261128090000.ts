import { Migration } from '@mikro-orm/migrations';

/**
 * CSV imports (`kernel/src/imports`).
 *
 * - `import_job`: one uploaded file and what became of it: its columns and row count as analysed on
 *   upload, the mapping and options it was started with, live progress (rows processed, created, updated,
 *   failed) and the per-row report. The member or API key that uploaded it (`created_by`) is the only
 *   one who sees it and on whose role it runs. A job prepared by a plugin for a member
 *   (`ctx.host.imports.prepare`) waits for its file (`awaiting_file`) under a one-time upload token, kept
 *   hashed, that expires after an hour. `updated_at` moves with every progress write: a running import
 *   whose process stopped is recognised by it and reported as interrupted.
 * - `import_chunk`: the file itself, as checked UTF-8 text in pieces of about 1 MiB, so any kernel
 *   process can run the import and nothing lives on one machine's disk. Deleted once the import ends.
 */
export class Migration20261128090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table import_job (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspace(id) on delete cascade,
        object text not null,
        status text not null check (status in ('awaiting_file', 'uploaded', 'running', 'completed', 'failed')),
        upload_token_hash text null,
        upload_expires_at timestamptz(3) null,
        created_by jsonb not null,
        file_name text null,
        file_bytes bigint not null default 0,
        headers jsonb not null default '[]'::jsonb,
        row_count integer not null default 0,
        preview jsonb not null default '[]'::jsonb,
        settings jsonb null,
        processed integer not null default 0,
        created integer not null default 0,
        updated integer not null default 0,
        failed integer not null default 0,
        errors jsonb not null default '[]'::jsonb,
        message text null,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        started_at timestamptz(3) null,
        finished_at timestamptz(3) null
      );
    `);
    this.addSql(`create index import_job_workspace_idx on import_job (workspace_id, created_at desc);`);
    this.addSql(`
      create table import_chunk (
        import_id uuid not null references import_job(id) on delete cascade,
        seq integer not null,
        text text not null,
        primary key (import_id, seq)
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists import_chunk;');
    this.addSql('drop table if exists import_job;');
  }
}
