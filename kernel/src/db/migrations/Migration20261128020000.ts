import { Migration } from '@mikro-orm/migrations';

/**
 * Realtime across processes: `@socket.io/postgres-adapter` sends broadcasts as `NOTIFY` and parks payloads
 * over the 8,000-byte NOTIFY limit in this table (its default name), deleting rows older than 30 s itself.
 */
export class Migration20261128020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table if not exists socket_io_attachments (
        id bigserial primary key,
        created_at timestamptz default now(),
        payload bytea
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists socket_io_attachments;');
  }
}
