import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks remember their last pause as a window of event positions. A disabled webhook's subscriber
 * keeps its queue position, so without this, re-enabling would deliver everything that happened while it
 * was off; the deliverer skips events inside the window instead.
 */
export class Migration20261128030000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table webhook add column paused_after_pos bigint, add column resumed_at_pos bigint;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table webhook drop column if exists paused_after_pos, drop column if exists resumed_at_pos;`);
  }
}
