import type { Knex } from '@mikro-orm/postgresql';
import type { Actor } from '../auth/context.js';
import type { ColumnValues } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import { execute, ident } from './execute.js';

/**
 * A statement in PostgreSQL's native form: `$n` placeholders, each used once and in order. Written
 * directly rather than through knex's raw binding pass, which cost more than the rest of a create.
 * Identifiers come from metadata (validated names) and are quoted with `ident`.
 */
export interface Statement {
  readonly text: string;
  readonly values: unknown[];
}

/** Collects values and hands out their placeholders. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

function table(object: ObjectDef): string {
  return `${ident(object.schema)}.${ident(object.name)}`;
}

/**
 * The outbox insert that rides along with a write, as a data-modifying CTE: the record change and its
 * event are one statement, hence atomic without an explicit transaction and one round trip. The
 * payload keeps the raw rows; the event bus shapes them (and computes changed fields) at delivery.
 * The record's durable history row rides along in the same statement.
 */
export function eventCte(p: Params, type: string, object: ObjectDef, workspaceId: string, actor: Actor, payload: string, from: string): string {
  const event = `e as (insert into "event" (workspace_id, type, object, record_id, actor, payload) select ${p.add(workspaceId)}, ${p.add(type)}, ${p.add(object.name)}, r.id, ${p.add(JSON.stringify(actor))}::jsonb, ${payload} from ${from} returning id, record_id, payload, created_at)`;
  return `${event}, ${historyCte(p, type, object, workspaceId, actor)}`;
}

/**
 * The changed part of an update's raw rows, `{ before, after }`. Columns are grouped by field (a
 * composite's columns are `<field>__<sub>`, and field names never hold `__`), so a changed first name
 * keeps the whole name on both sides.
 */
const UPDATE_DIFF = `(select jsonb_build_object('before', coalesce(jsonb_object_agg(d.key, d.b), '{}'::jsonb), 'after', coalesce(jsonb_object_agg(d.key, d.a), '{}'::jsonb))
  from (select c.key, c.value as b, e.payload->'after'->c.key as a from jsonb_each(e.payload->'before') as c) as d
  where split_part(d.key, '__', 1) in (select split_part(x.key, '__', 1) from jsonb_each(e.payload->'before') as x where x.value is distinct from e.payload->'after'->x.key))`;

/**
 * The durable history row of a record event (see `timeline/`), in the same statement as the outbox row,
 * so a record's timeline is never behind its events and outlives the bus's pruning. Updates keep only
 * the fields that changed; the other events keep their row as the outbox does.
 */
function historyCte(p: Params, type: string, object: ObjectDef, workspaceId: string, actor: Actor): string {
  const payload = type === 'record.updated' ? UPDATE_DIFF : 'e.payload';
  return `h as (insert into record_history (event_id, workspace_id, object_id, object, record_id, type, actor, payload, occurred_at) select e.id, ${p.add(workspaceId)}, ${p.add(object.id)}::uuid, ${p.add(object.name)}, e.record_id, ${p.add(type)}, ${p.add(JSON.stringify(actor))}::jsonb, ${payload}, e.created_at from e)`;
}

/** The `created_by` columns of a new record. */
export function actorColumns(actor: Actor): ColumnValues {
  return { created_by__type: actor.type, created_by__id: actor.id, created_by__name: actor.name };
}

/** INSERT one or more rows and their `record.created` events; columns missing from a row take DEFAULT. */
export function insertStatement(object: ObjectDef, workspaceId: string, actor: Actor, rows: readonly ColumnValues[]): Statement {
  const p = new Params();
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const tuples = rows.map((row) => `(${columns.map((c) => (c in row ? p.add(row[c]) : 'default')).join(', ')})`);
  const insert = `insert into ${table(object)} (${columns.map(ident).join(', ')}) values ${tuples.join(', ')} returning *`;
  const event = eventCte(p, 'record.created', object, workspaceId, actor, "jsonb_build_object('after', to_jsonb(r))", 'r');
  return { text: `with r as (${insert}), ${event} select * from r`, values: p.values };
}

/** UPDATE one live record and emit `record.updated` with the rows before and after. */
export function updateStatement(object: ObjectDef, workspaceId: string, actor: Actor, id: string, values: ColumnValues): Statement {
  const p = new Params();
  const old = `old as (select * from ${table(object)} where id = ${p.add(id)} and deleted_at is null for update)`;
  const sets = [...Object.keys(values).map((c) => `${ident(c)} = ${p.add(values[c])}`), 'updated_at = now()'].join(', ');
  const update = `r as (update ${table(object)} as t set ${sets} from old where t.id = old.id returning t.*)`;
  const event = eventCte(p, 'record.updated', object, workspaceId, actor, "jsonb_build_object('before', to_jsonb(old), 'after', to_jsonb(r))", 'r, old');
  return { text: `with ${old}, ${update}, ${event} select * from r`, values: p.values };
}

/** Soft-deletes or restores one record, with its `record.deleted` / `record.restored` event. */
export function deletedAtStatement(object: ObjectDef, workspaceId: string, actor: Actor, id: string, mode: 'delete' | 'restore'): Statement {
  const p = new Params();
  const set = mode === 'delete' ? 'deleted_at = now(), updated_at = now()' : 'deleted_at = null, updated_at = now()';
  const where = mode === 'delete' ? 'deleted_at is null' : 'deleted_at is not null';
  const update = `r as (update ${table(object)} set ${set} where id = ${p.add(id)} and ${where} returning *)`;
  const event = mode === 'delete'
    ? eventCte(p, 'record.deleted', object, workspaceId, actor, "jsonb_build_object('before', to_jsonb(r))", 'r')
    : eventCte(p, 'record.restored', object, workspaceId, actor, "jsonb_build_object('after', to_jsonb(r))", 'r');
  return { text: `with ${update}, ${event} select * from r`, values: p.values };
}

/** Removes one record for good (soft-deleted or not), with its `record.destroyed` event. */
export function destroyStatement(object: ObjectDef, workspaceId: string, actor: Actor, id: string): Statement {
  const p = new Params();
  const remove = `r as (delete from ${table(object)} where id = ${p.add(id)} returning *)`;
  const event = eventCte(p, 'record.destroyed', object, workspaceId, actor, "jsonb_build_object('before', to_jsonb(r))", 'r');
  return { text: `with ${remove}, ${event} select * from r`, values: p.values };
}

/**
 * Runs a statement and returns its rows: straight on a pooled connection outside a transaction (see
 * `execute.ts`), through the transaction inside one. knex's raw form wants `?`; each `$n` is used once
 * and in order, so the rewrite is positional.
 */
export async function run(knex: Knex, statement: Statement): Promise<Record<string, unknown>[]> {
  if ((knex as Knex & { isTransaction?: boolean }).isTransaction) {
    const text = statement.text.replace(/\$\d+/g, '?');
    const result = (await knex.raw(text, statement.values as Knex.RawBinding[])) as { rows: Record<string, unknown>[] };
    return result.rows;
  }
  return execute(knex, statement.text, statement.values);
}
