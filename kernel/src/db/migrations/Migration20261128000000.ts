import { Migration } from '@mikro-orm/migrations';

/**
 * The kernel's first schema: tenants, identities, roles, metadata and the event outbox.
 * CRM records are not here: they live in one PostgreSQL schema per workspace, created at runtime.
 */
export class Migration20261128000000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table workspace (
        id uuid primary key,
        name text not null,
        schema_name text not null unique,
        created_at timestamptz(3) not null default now()
      );
      create table app_user (
        id uuid primary key,
        email text not null unique,
        name text not null,
        password_hash text not null,
        created_at timestamptz(3) not null default now()
      );
      create table role (
        id uuid primary key,
        workspace_id uuid not null references workspace(id) on delete cascade,
        key text not null,
        name text not null,
        built_in boolean not null default false,
        permissions jsonb not null,
        created_at timestamptz(3) not null default now(),
        unique (workspace_id, key)
      );
      create table member (
        id uuid primary key,
        workspace_id uuid not null references workspace(id) on delete cascade,
        user_id uuid not null references app_user(id) on delete cascade,
        role_id uuid not null references role(id),
        created_at timestamptz(3) not null default now(),
        unique (workspace_id, user_id)
      );
      create index member_user_idx on member (user_id);
      create table session (
        id uuid primary key,
        token_hash text not null unique,
        user_id uuid not null references app_user(id) on delete cascade,
        workspace_id uuid not null references workspace(id) on delete cascade,
        csrf_token text not null,
        created_at timestamptz(3) not null default now(),
        expires_at timestamptz(3) not null,
        revoked_at timestamptz(3),
        user_agent text
      );
      create index session_user_idx on session (user_id);
      create table api_key (
        id uuid primary key,
        workspace_id uuid not null references workspace(id) on delete cascade,
        name text not null,
        prefix text not null,
        token_hash text not null unique,
        role_id uuid not null references role(id),
        created_by_member_id uuid references member(id) on delete set null,
        created_at timestamptz(3) not null default now(),
        last_used_at timestamptz(3),
        expires_at timestamptz(3),
        revoked_at timestamptz(3)
      );
      create index api_key_workspace_idx on api_key (workspace_id);
      create table invite (
        id uuid primary key,
        workspace_id uuid not null references workspace(id) on delete cascade,
        email text not null,
        role_id uuid not null references role(id),
        token_hash text not null unique,
        invited_by_member_id uuid references member(id) on delete set null,
        created_at timestamptz(3) not null default now(),
        expires_at timestamptz(3) not null,
        accepted_at timestamptz(3),
        revoked_at timestamptz(3)
      );
      create index invite_workspace_idx on invite (workspace_id);
      create table object_metadata (
        id uuid primary key,
        workspace_id uuid not null references workspace(id) on delete cascade,
        name text not null,
        label_singular text not null,
        label_plural text not null,
        description text,
        icon text,
        label_field text,
        plugin_id text,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        unique (workspace_id, name)
      );
      create table field_metadata (
        id uuid primary key,
        workspace_id uuid not null references workspace(id) on delete cascade,
        object_id uuid not null references object_metadata(id) on delete cascade,
        name text not null,
        label text not null,
        description text,
        type text not null,
        options jsonb not null default '{}',
        is_nullable boolean not null default true,
        is_unique boolean not null default false,
        is_indexed boolean not null default false,
        default_value jsonb,
        position integer not null default 0,
        plugin_id text,
        relation_field_id uuid references field_metadata(id) on delete cascade,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now(),
        unique (object_id, name)
      );
      create index field_metadata_workspace_idx on field_metadata (workspace_id);
      -- The outbox: every record write inserts its event here in the same statement or transaction.
      create table event (
        seq bigserial primary key,
        id uuid not null unique default gen_random_uuid(),
        workspace_id uuid not null references workspace(id) on delete cascade,
        type text not null,
        object text,
        record_id uuid,
        actor jsonb,
        payload jsonb not null default '{}',
        created_at timestamptz(3) not null default now()
      );
      create index event_workspace_idx on event (workspace_id, seq);
      create index event_record_idx on event (workspace_id, record_id, seq) where record_id is not null;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop table if exists event, field_metadata, object_metadata, invite, api_key, session, member, role, app_user, workspace cascade;
    `);
  }
}
