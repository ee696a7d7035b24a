import { Migration } from '@mikro-orm/migrations';

/**
 * Slims the outbox's indexes. Every record write inserts an event and the sequencer then updates it (a
 * non-HOT update, since `pos` is indexed), so each index costs two entries per write. Only the indexes
 * the bus reads through remain: the primary key (seq), positions (subscribers read `pos > x`), and the
 * unpositioned events (the sequencer's scan). Pruning walks the primary key from the oldest event.
 */
export class Migration20261128040000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      drop index if exists event_workspace_idx;
      drop index if exists event_record_idx;
      drop index if exists event_created_idx;
      alter table event drop constraint if exists event_id_key;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      alter table event add constraint event_id_key unique (id);
      create index event_workspace_idx on event (workspace_id, seq);
      create index event_record_idx on event (workspace_id, record_id, seq) where record_id is not null;
      create index event_created_idx on event (created_at);
    `);
  }
}
