import { Migration } from '@mikro-orm/migrations';

/**
 * Saved views and the durable record history.
 *
 * - `saved_view`: a named table or board setup of one object. It points at the object by id and keeps its
 *   columns and group-by field as field ids, so renaming an object or a field never breaks a view, and
 *   deleting one simply drops it from the views (the object's views go with it, by cascade). Filter and
 *   order_by stay text in the API grammar; the API reports them as problems when they no longer apply.
 *   `owner_member_id` is null for views an API key created; a removed member's shared views stay.
 * - `record_history`: every record-scoped event, written in the same statement as its outbox row, kept
 *   after the bus prunes delivered events. A record's timeline reads it newest first; merging duplicates
 *   re-points rows with one `update … set record_id`.
 */
export class Migration20261128080000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table saved_view (
        id uuid primary key default gen_random_uuid(),
        workspace_id uuid not null references workspace(id) on delete cascade,
        object_id uuid not null references object_metadata(id) on delete cascade,
        name text not null,
        layout text not null default 'table' check (layout in ('table', 'board')),
        filter text not null default '',
        order_by text not null default '',
        columns text[] not null default '{}',
        group_by text null,
        shared boolean not null default false,
        owner_member_id uuid null references member(id) on delete set null,
        position integer not null default 0,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now()
      );
    `);
    this.addSql(`create index saved_view_object_idx on saved_view (workspace_id, object_id, position);`);
    this.addSql(`
      create table record_history (
        seq bigserial primary key,
        event_id uuid not null,
        workspace_id uuid not null references workspace(id) on delete cascade,
        object_id uuid not null references object_metadata(id) on delete cascade,
        object text not null,
        record_id uuid not null,
        type text not null,
        actor jsonb null,
        payload jsonb not null default '{}',
        occurred_at timestamptz(3) not null default now()
      );
    `);
    this.addSql(`create index record_history_record_idx on record_history (workspace_id, object_id, record_id, occurred_at desc, seq desc);`);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists record_history;');
    this.addSql('drop table if exists saved_view;');
  }
}
