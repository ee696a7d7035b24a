import type { Knex } from '@mikro-orm/postgresql';
import type { Actor } from '../auth/context.js';
import type { ColumnValues } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import { execute, toNative } from './execute.js';

/** A SQL statement in knex raw form. */
export interface Statement {
  readonly sql: string;
  readonly bindings: Knex.RawBinding[];
}

/**
 * The outbox insert that rides along with a write, as a data-modifying CTE: the record change and its
 * event are one statement, hence atomic without an explicit transaction and one round trip. The
 * payload keeps the raw rows; the event bus shapes them (and computes changed fields) at delivery.
 */
function eventCte(type: string, object: ObjectDef, workspaceId: string, actor: Actor, payload: string, from: string): Statement {
  return {
    sql: `e as (insert into "event" (workspace_id, type, object, record_id, actor, payload) select ?, ?, ?, r.id, ?::jsonb, ${payload} from ${from})`,
    bindings: [workspaceId, type, object.name, JSON.stringify(actor)],
  };
}

/** The `created_by` columns of a new record. */
export function actorColumns(actor: Actor): ColumnValues {
  return { created_by__type: actor.type, created_by__id: actor.id, created_by__name: actor.name };
}

/** INSERT one or more rows and their `record.created` events; columns missing from a row take DEFAULT. */
export function insertStatement(object: ObjectDef, workspaceId: string, actor: Actor, rows: readonly ColumnValues[]): Statement {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const bindings: Knex.RawBinding[] = [object.schema, object.name, ...columns];
  const tuples = rows.map((row) => {
    const parts = columns.map((c) => {
      if (!(c in row)) return 'default';
      bindings.push(row[c] as Knex.RawBinding);
      return '?';
    });
    return `(${parts.join(', ')})`;
  });
  const event = eventCte('record.created', object, workspaceId, actor, "jsonb_build_object('after', to_jsonb(r))", 'r');
  return {
    sql: `with r as (insert into ??.?? (${columns.map(() => '??').join(', ')}) values ${tuples.join(', ')} returning *), ${event.sql} select * from r`,
    bindings: [...bindings, ...event.bindings],
  };
}

/** UPDATE one live record and emit `record.updated` with the rows before and after. */
export function updateStatement(object: ObjectDef, workspaceId: string, actor: Actor, id: string, values: ColumnValues): Statement {
  const columns = Object.keys(values);
  const sets = columns.map(() => '?? = ?').join(', ');
  const event = eventCte('record.updated', object, workspaceId, actor, "jsonb_build_object('before', to_jsonb(old), 'after', to_jsonb(r))", 'r, old');
  return {
    sql:
      `with old as (select * from ??.?? where id = ? and deleted_at is null for update), ` +
      `r as (update ??.?? as t set ${sets}${columns.length > 0 ? ', ' : ''}updated_at = now() from old where t.id = old.id returning t.*), ` +
      `${event.sql} select * from r`,
    bindings: [object.schema, object.name, id, object.schema, object.name, ...columns.flatMap((c) => [c, values[c] as Knex.RawBinding]), ...event.bindings],
  };
}

/** Soft-deletes or restores one record, with its `record.deleted` / `record.restored` event. */
export function deletedAtStatement(object: ObjectDef, workspaceId: string, actor: Actor, id: string, mode: 'delete' | 'restore'): Statement {
  const event = mode === 'delete'
    ? eventCte('record.deleted', object, workspaceId, actor, "jsonb_build_object('before', to_jsonb(r))", 'r')
    : eventCte('record.restored', object, workspaceId, actor, "jsonb_build_object('after', to_jsonb(r))", 'r');
  const set = mode === 'delete' ? 'deleted_at = now(), updated_at = now()' : 'deleted_at = null, updated_at = now()';
  const where = mode === 'delete' ? 'deleted_at is null' : 'deleted_at is not null';
  return {
    sql: `with r as (update ??.?? set ${set} where id = ? and ${where} returning *), ${event.sql} select * from r`,
    bindings: [object.schema, object.name, id, ...event.bindings],
  };
}

/** Removes one record for good (soft-deleted or not), with its `record.destroyed` event. */
export function destroyStatement(object: ObjectDef, workspaceId: string, actor: Actor, id: string): Statement {
  const event = eventCte('record.destroyed', object, workspaceId, actor, "jsonb_build_object('before', to_jsonb(r))", 'r');
  return {
    sql: `with r as (delete from ??.?? where id = ? returning *), ${event.sql} select * from r`,
    bindings: [object.schema, object.name, id, ...event.bindings],
  };
}

/**
 * Runs a statement and returns its rows. Outside a transaction it goes straight to a pooled connection
 * (see `execute.ts`); inside one, through the transaction.
 */
export async function run(knex: Knex, statement: Statement): Promise<Record<string, unknown>[]> {
  if ((knex as Knex & { isTransaction?: boolean }).isTransaction) {
    const result = (await knex.raw(statement.sql, statement.bindings)) as { rows: Record<string, unknown>[] };
    return result.rows;
  }
  const native = toNative(knex, statement.sql, statement.bindings);
  return execute(knex, native.text, native.values);
}
