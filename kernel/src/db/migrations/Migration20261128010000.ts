import { Migration } from '@mikro-orm/migrations';

/**
 * The event bus: commit-ordered positions on outbox events, one durable position per subscriber, dead
 * letters, and webhooks with their delivery history.
 */
export class Migration20261128010000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      -- seq is allocated at insert time, which is not commit order; pos is assigned by the sequencer after
      -- commit, so a subscriber reading "pos > my position" can never skip a late-committing event.
      alter table event add column pos bigint;
      create unique index event_pos_idx on event (pos) where pos is not null;
      create index event_unsequenced_idx on event (seq) where pos is null;
      create index event_created_idx on event (created_at);
      create table event_sequencer (id boolean primary key default true check (id), last_pos bigint not null default 0);
      insert into event_sequencer (id, last_pos) values (true, 0);
      -- No NOTIFY trigger on event: a transaction that notifies takes a cluster-wide lock until its commit
      -- is flushed, which would serialise every record write. The writing process wakes its own bus and
      -- tells the others with a debounced NOTIFY outside the write (see events/bus.ts).

      create table event_subscriber (
        id text primary key,
        workspace_id uuid references workspace(id) on delete cascade,
        kind text not null,
        filter jsonb not null default '{}',
        position bigint not null default 0,
        enabled boolean not null default true,
        attempts integer not null default 0,
        next_attempt_at timestamptz(3),
        last_error text,
        leased_by text,
        lease_until timestamptz(3),
        delivered_count bigint not null default 0,
        last_delivered_at timestamptz(3),
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now()
      );
      create index event_subscriber_workspace_idx on event_subscriber (workspace_id);

      create table dead_letter (
        id uuid primary key default gen_random_uuid(),
        subscriber_id text not null references event_subscriber(id) on delete cascade,
        workspace_id uuid references workspace(id) on delete cascade,
        event_id uuid not null,
        event_pos bigint not null,
        event jsonb not null,
        attempts integer not null,
        last_error text,
        created_at timestamptz(3) not null default now(),
        replayed_at timestamptz(3),
        replay_attempts integer not null default 0
      );
      create index dead_letter_workspace_idx on dead_letter (workspace_id, created_at desc);
      create index dead_letter_subscriber_idx on dead_letter (subscriber_id);

      create table webhook (
        id uuid primary key,
        workspace_id uuid not null references workspace(id) on delete cascade,
        url text not null,
        description text,
        secret text not null,
        event_types text[] not null default '{}',
        objects text[] not null default '{}',
        enabled boolean not null default true,
        created_by jsonb,
        created_at timestamptz(3) not null default now(),
        updated_at timestamptz(3) not null default now()
      );
      create index webhook_workspace_idx on webhook (workspace_id);
      create table webhook_delivery (
        id bigserial primary key,
        webhook_id uuid not null references webhook(id) on delete cascade,
        event_id uuid not null,
        event_type text not null,
        attempt integer not null,
        status_code integer,
        latency_ms integer,
        error text,
        created_at timestamptz(3) not null default now()
      );
      create index webhook_delivery_webhook_idx on webhook_delivery (webhook_id, id desc);
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      drop table if exists webhook_delivery, webhook, dead_letter, event_subscriber, event_sequencer cascade;
      alter table event drop column if exists pos;
    `);
  }
}
