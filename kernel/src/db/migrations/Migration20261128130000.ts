import { Migration } from '@mikro-orm/migrations';

/**
 * The outbox (`event`) and the record history (`record_history`) lose their foreign keys.
 *
 * Both are append-only logs written once per record change, in the statement of the change. A foreign
 * key costs a trigger per inserted row (a lookup and a row lock on the workspace or object); measured on
 * a 5,000-row batch write (bench/import), the three checks took about a fifth of the statement. They
 * guarded nothing the kernel does not already know: rows are written only for a workspace and an object
 * the same statement just wrote to. What the cascades did is now explicit: deleting an object deletes
 * its history in the same transaction (metadata/service.ts). Workspaces are never deleted.
 */
export class Migration20261128130000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table event drop constraint if exists event_workspace_id_fkey;
      alter table record_history drop constraint if exists record_history_workspace_id_fkey;
      alter table record_history drop constraint if exists record_history_object_id_fkey;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      delete from record_history h where not exists (select 1 from object_metadata o where o.id = h.object_id);
      alter table event add constraint event_workspace_id_fkey foreign key (workspace_id) references workspace(id) on delete cascade;
      alter table record_history add constraint record_history_workspace_id_fkey foreign key (workspace_id) references workspace(id) on delete cascade;
      alter table record_history add constraint record_history_object_id_fkey foreign key (object_id) references object_metadata(id) on delete cascade;
    `);
  }
}
