import type { Actor } from '../auth/context.js';
import type { ColumnValues } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import { ident } from './execute.js';
import { actorColumns, eventCte, jsonObject, Params, rowJson, type Statement } from './write-sql.js';

/**
 * Set-based writes of many records: the rows travel as ONE json parameter that PostgreSQL expands with
 * `json_populate_recordset` against the table's own row type, so every value is converted by the
 * column's type exactly as a bound parameter would be. `json`, not `jsonb`: the document is read once,
 * so building jsonb's binary form of it first (about a tenth of a 5,000-row import statement) buys
 * nothing. One statement writes all the rows and their events (which are also their history), whatever
 * the batch size: no 65,535-parameter limit, no per-value placeholder text to build, parse or rewrite.
 */

function table(object: ObjectDef): string {
  return `${ident(object.schema)}.${ident(object.name)}`;
}

/** The columns of `json` fields: their values arrive stringified (for a bound parameter) and travel here as JSON. */
function jsonColumns(object: ObjectDef): Set<string> {
  return new Set(object.fields.filter((f) => f.type === 'json').map((f) => f.name));
}

/** The rows as the json document `json_populate_recordset` reads: one object per row, keyed by column. */
export function rowsDocument(object: ObjectDef, rows: readonly ColumnValues[]): string {
  const json = jsonColumns(object);
  if (json.size === 0) return JSON.stringify(rows);
  return JSON.stringify(rows.map((row) => {
    const copy: Record<string, unknown> = { ...row };
    for (const column of json) if (typeof copy[column] === 'string') copy[column] = JSON.parse(copy[column] as string);
    return copy;
  }));
}

/**
 * INSERT many rows with their `record.created` events. `document` is the rows'
 * {@link rowsDocument}. Every row must carry the same columns, `id` included (the caller fills defaults:
 * a column left out of a row is NULL here, not its DEFAULT); the `created_by` columns come from `actor`.
 * With `returning`, the statement returns the written rows; without, a single `count`.
 */
export function bulkInsertStatement(object: ObjectDef, workspaceId: string, actor: Actor, columns: readonly string[], document: string, returning: boolean): Statement {
  const p = new Params();
  const constants = Object.entries(actorColumns(actor));
  const list = [...columns, ...constants.map(([c]) => c)].map(ident).join(', ');
  // Placeholders are numbered in the order they appear in the text (see `run`): the select list first.
  const values = [...columns.map((c) => `s.${ident(c)}`), ...constants.map(([, v]) => p.add(v))].join(', ');
  const source = `json_populate_recordset(null::${table(object)}, ${p.add(document)}::json) with ordinality as s`;
  const insert = `r as (insert into ${table(object)} (${list}) select ${values} from ${source} order by s.ordinality returning *)`;
  const event = eventCte(p, 'record.created', object, workspaceId, actor, jsonObject({ after: rowJson('r') }), 'r');
  return { text: `with ${insert}, ${event} ${returning ? 'select * from r' : 'select count(*)::int as count from r'}`, values: p.values };
}

/**
 * UPDATE many live records, each by `id`, setting the same `columns` on each (rows that set different
 * columns go in different statements), with their `record.updated` events holding before and after.
 * A row whose record is gone (deleted meanwhile) is simply not written; the caller compares counts.
 */
export function bulkUpdateStatement(object: ObjectDef, workspaceId: string, actor: Actor, columns: readonly string[], rows: readonly ColumnValues[], returning: boolean): Statement {
  const p = new Params();
  const src = `src as (select * from json_populate_recordset(null::${table(object)}, ${p.add(rowsDocument(object, rows))}::json))`;
  const old = `old as (select t.* from ${table(object)} as t join src on src.id = t.id where t.deleted_at is null for update of t)`;
  const sets = [...columns.filter((c) => c !== 'id').map((c) => `${ident(c)} = src.${ident(c)}`), 'updated_at = now()'].join(', ');
  const update = `r as (update ${table(object)} as t set ${sets} from src join old on old.id = src.id where t.id = src.id returning t.*)`;
  const event = eventCte(p, 'record.updated', object, workspaceId, actor, jsonObject({ before: rowJson('old'), after: rowJson('r') }), 'r join old on old.id = r.id');
  return { text: `with ${src}, ${old}, ${update}, ${event} ${returning ? 'select * from r' : 'select count(*)::int as count from r'}`, values: p.values };
}
