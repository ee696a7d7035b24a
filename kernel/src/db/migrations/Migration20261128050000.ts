import { Migration } from '@mikro-orm/migrations';

/**
 * Realtime presence: which kernel processes hold live sockets of which workspace. The realtime
 * deliverer skips workspaces nobody watches, so API-only workloads do not pay for publishing every
 * event through the socket.io adapter.
 */
export class Migration20261128050000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      create table realtime_presence (
        workspace_id uuid not null references workspace(id) on delete cascade,
        owner text not null,
        expires_at timestamptz(3) not null,
        primary key (workspace_id, owner)
      );
    `);
  }

  override async down(): Promise<void> {
    this.addSql('drop table if exists realtime_presence;');
  }
}
