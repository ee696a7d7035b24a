import { Migration } from '@mikro-orm/migrations';

/**
 * One row per record event: the outbox row is also the record's history.
 *
 * Until now every record change wrote its event twice, to the outbox (`event`, pruned once delivered) and
 * to `record_history` (kept for the timeline). Writing rows is most of what a record write costs, so the
 * copy is gone: a record event keeps its outbox row for good, and the timeline reads it from there.
 *
 * - `object_id`: the object of a record event, set when the event names a record of an existing object.
 *   It is what makes an event part of a timeline (and follows the object through renames); events without
 *   it are the outbox's alone, and pruning takes only those.
 * - `merged_into`: the survivor a merge moved the event's timeline to. `record_id` stays the record the
 *   event is about, so events not yet delivered still say what they said.
 * - History whose outbox row was already pruned comes over with a negative position (minus its old
 *   sequence number): delivered long ago, it is below every subscriber's position and never sent again.
 * - `payload` becomes `json`: payloads are read whole (by the bus and the timeline), never queried inside,
 *   and building them as text rather than jsonb's binary form was a sixth of a bulk insert's time.
 */
export class Migration20261128140000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
      alter table event add column object_id uuid null, add column merged_into uuid null,
        alter column payload type json using payload::json, alter column payload set default '{}'::json;
      update event e set object_id = h.object_id, merged_into = nullif(h.record_id, e.record_id)
        from record_history h where h.event_id = e.id;
      insert into event (id, workspace_id, type, object, object_id, record_id, merged_into, actor, payload, created_at, pos)
        select h.event_id, h.workspace_id, h.type, h.object, h.object_id, h.record_id, null, h.actor, h.payload, h.occurred_at, -h.seq
          from record_history h where not exists (select 1 from event e where e.id = h.event_id);
      create index event_timeline_idx on event (workspace_id, object_id, (coalesce(merged_into, record_id)), created_at desc, seq desc) where object_id is not null;
      create index event_prunable_idx on event (seq) where object_id is null;
      drop table record_history;
    `);
  }

  override async down(): Promise<void> {
    this.addSql(`
      create table record_history (
        seq bigserial primary key,
        event_id uuid not null,
        workspace_id uuid not null,
        object_id uuid not null,
        object text not null,
        record_id uuid not null,
        type text not null,
        actor jsonb null,
        payload jsonb not null default '{}',
        occurred_at timestamptz(3) not null default now()
      );
      create index record_history_record_idx on record_history (workspace_id, object_id, record_id, occurred_at desc, seq desc);
      -- record_history kept only the changed fields of an update (a composite's columns together).
      insert into record_history (event_id, workspace_id, object_id, object, record_id, type, actor, payload, occurred_at)
        select e.id, e.workspace_id, e.object_id, e.object, coalesce(e.merged_into, e.record_id), e.type, e.actor,
               case when e.type <> 'record.updated' then p.doc else (
                 select jsonb_build_object('before', coalesce(jsonb_object_agg(d.key, d.b), '{}'::jsonb), 'after', coalesce(jsonb_object_agg(d.key, d.a), '{}'::jsonb))
                   from (select c.key, c.value as b, p.doc->'after'->c.key as a from jsonb_each(p.doc->'before') as c) as d
                  where split_part(d.key, '__', 1) in (select split_part(x.key, '__', 1) from jsonb_each(p.doc->'before') as x where x.value is distinct from p.doc->'after'->x.key))
               end,
               e.created_at
          from event e, lateral (select e.payload::jsonb as doc) p
         where e.object_id is not null order by e.seq;
      delete from event where pos < 0;
      drop index event_timeline_idx;
      drop index event_prunable_idx;
      alter table event drop column object_id, drop column merged_into,
        alter column payload type jsonb using payload::jsonb, alter column payload set default '{}'::jsonb;
    `);
  }
}
