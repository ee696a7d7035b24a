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
 * The same row is the record's durable history (its `object_id` puts it in the record's timeline and
 * keeps pruning off it; see `timeline/`), so a record event is written once.
 */
export function eventCte(p: Params, type: string, object: ObjectDef, workspaceId: string, actor: Actor, payload: string, from: string): string {
  return `e as (insert into "event" (workspace_id, type, object, object_id, record_id, actor, payload) select ${p.add(workspaceId)}, ${p.add(type)}, ${p.add(object.name)}, ${p.add(object.id)}::uuid, r.id, ${p.add(JSON.stringify(actor))}::jsonb, ${payload} from ${from})`;
}

/**
 * An event payload: a `json` object of SQL expressions. Payloads are stored as `json`, built as text:
 * the bus and the timeline read them whole, so jsonb's binary form (a sixth of a bulk insert's time to
 * build) would buy nothing.
 */
export function jsonObject(entries: Readonly<Record<string, string>>): string {
  return `json_build_object(${Object.entries(entries).map(([key, sql]) => `'${key}', ${sql}`).join(', ')})`;
}

/** A row of a statement's CTE (`r`, `old`) as it goes into an event payload. */
export function rowJson(alias: string): string {
  return `to_json(${alias})`;
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
  const event = eventCte(p, 'record.created', object, workspaceId, actor, jsonObject({ after: rowJson('r') }), 'r');
  return { text: `with r as (${insert}), ${event} select * from r`, values: p.values };
}

/** UPDATE one live record and emit `record.updated` with the rows before and after. */
export function updateStatement(object: ObjectDef, workspaceId: string, actor: Actor, id: string, values: ColumnValues): Statement {
  const p = new Params();
  const old = `old as (select * from ${table(object)} where id = ${p.add(id)} and deleted_at is null for update)`;
  const sets = [...Object.keys(values).map((c) => `${ident(c)} = ${p.add(values[c])}`), 'updated_at = now()'].join(', ');
  const update = `r as (update ${table(object)} as t set ${sets} from old where t.id = old.id returning t.*)`;
  const event = eventCte(p, 'record.updated', object, workspaceId, actor, jsonObject({ before: rowJson('old'), after: rowJson('r') }), 'r, old');
  return { text: `with ${old}, ${update}, ${event} select * from r`, values: p.values };
}

/** Soft-deletes or restores one record, with its `record.deleted` / `record.restored` event. */
export function deletedAtStatement(object: ObjectDef, workspaceId: string, actor: Actor, id: string, mode: 'delete' | 'restore'): Statement {
  const p = new Params();
  const set = mode === 'delete' ? 'deleted_at = now(), updated_at = now()' : 'deleted_at = null, updated_at = now()';
  const where = mode === 'delete' ? 'deleted_at is null' : 'deleted_at is not null';
  const update = `r as (update ${table(object)} set ${set} where id = ${p.add(id)} and ${where} returning *)`;
  const event = mode === 'delete'
    ? eventCte(p, 'record.deleted', object, workspaceId, actor, jsonObject({ before: rowJson('r') }), 'r')
    : eventCte(p, 'record.restored', object, workspaceId, actor, jsonObject({ after: rowJson('r') }), 'r');
  return { text: `with ${update}, ${event} select * from r`, values: p.values };
}

/** Removes one record for good (soft-deleted or not), with its `record.destroyed` event. */
export function destroyStatement(object: ObjectDef, workspaceId: string, actor: Actor, id: string): Statement {
  const p = new Params();
  const remove = `r as (delete from ${table(object)} where id = ${p.add(id)} returning *)`;
  const event = eventCte(p, 'record.destroyed', object, workspaceId, actor, jsonObject({ before: rowJson('r') }), 'r');
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
