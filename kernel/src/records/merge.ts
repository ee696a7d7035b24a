import type { Knex } from '@mikro-orm/postgresql';
import type { Actor } from '../auth/context.js';
import { MosaicError } from '../errors/index.js';
import { relationColumn } from '../metadata/field-types/relation.js';
import type { FieldDef } from '../metadata/field-types/index.js';
import type { ObjectDef, WorkspaceMetadata } from '../metadata/model.js';
import type { RecordCaller } from './caller.js';
import { ident } from './execute.js';
import { assertWritable, readableFields, toColumns, toRecord, type RecordData } from './mapper.js';
import { validateBody } from './validation.js';
import { moveTimelines } from '../events/outbox.js';
import { eventCte, jsonObject, Params, rowJson, run, updateStatement, type Statement } from './write-sql.js';

/** Most records merged into one survivor per call. */
export const MAX_MERGE = 9;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A merge: the survivor, the records merged into it, and field values to set on the survivor. */
export interface MergeInput {
  readonly into: string;
  readonly from: readonly string[];
  readonly values?: Readonly<Record<string, unknown>>;
}

/** What a merge did. `repointed` counts, per object, the records whose relation now names the survivor. */
export interface MergeResult {
  readonly data: RecordData;
  readonly merged_ids: string[];
  readonly repointed: Record<string, number>;
}

/** A relation field of some object that targets the merged object. */
interface Incoming {
  readonly object: ObjectDef;
  readonly field: FieldDef;
}

function invalid(message: string, path: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_MERGE_INVALID', message, [{ path, message }]);
}

/** Checks the shape of a merge request before anything is read or locked. */
function checkInput(input: MergeInput): void {
  if (typeof input.into !== 'string' || !UUID.test(input.into)) throw invalid('into must be the id (a UUID) of the record that survives.', 'into');
  if (!Array.isArray(input.from) || input.from.length === 0) throw invalid('from must list the ids of 1 to 9 records to merge into the survivor.', 'from');
  if (input.from.length > MAX_MERGE) throw new MosaicError('MOSAIC_ERR_MERGE_TOO_MANY', `A merge takes at most ${MAX_MERGE} records into one survivor; this one names ${input.from.length}.`, [{ path: 'from', message: `more than ${MAX_MERGE}` }]);
  input.from.forEach((id, i) => {
    if (typeof id !== 'string' || !UUID.test(id)) throw invalid(`from[${i}] is not a record id (a UUID).`, `from[${i}]`);
  });
  const lower = input.from.map((id) => id.toLowerCase());
  if (lower.includes(input.into.toLowerCase())) {
    throw new MosaicError('MOSAIC_ERR_MERGE_SAME_RECORD', 'into is also listed in from: a record cannot be merged into itself.', [{ path: 'from', message: 'contains into' }]);
  }
  const twice = lower.filter((id, i) => lower.indexOf(id) !== i);
  if (twice.length > 0) {
    throw new MosaicError('MOSAIC_ERR_MERGE_SAME_RECORD', `from lists the same id more than once: ${[...new Set(twice)].join(', ')}.`, [{ path: 'from', message: 'duplicate id' }]);
  }
  if (input.values !== undefined && (typeof input.values !== 'object' || input.values === null || Array.isArray(input.values))) {
    throw invalid('values must be an object of field values to set on the survivor.', 'values');
  }
}

/** Every relation field in the workspace that targets `object` (its own self-relations included). */
function incomingRelations(workspace: WorkspaceMetadata, object: ObjectDef): Incoming[] {
  return object.reverseRelations.flatMap((reverse) => {
    const source = workspace.objects.get(reverse.sourceObject);
    const field = source?.fieldsByName.get(reverse.sourceField.name);
    return source && field ? [{ object: source, field }] : [];
  });
}

/**
 * A list of ids as a PostgreSQL array literal: knex would expand a JS array binding into a value list.
 * The ids are checked UUIDs, so nothing needs quoting.
 */
const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

/**
 * Runs a statement in the transaction. The statements here number their placeholders as values are
 * added, which is not always text order, so each `$n` becomes a positional `?` with its value.
 */
async function query(trx: Knex, statement: Statement): Promise<Record<string, unknown>[]> {
  const values: unknown[] = [];
  const text = statement.text.replace(/\$(\d+)/g, (_, n: string) => (values.push(statement.values[Number(n) - 1]), '?'));
  const result = (await trx.raw(text, values as Knex.RawBinding[])) as { rows: Record<string, unknown>[] };
  return result.rows;
}

const table = (object: ObjectDef) => `${ident(object.schema)}.${ident(object.name)}`;

/**
 * Points a relation column from the merged ids to the survivor on every record that has one (soft-deleted
 * ones too, so restoring one later keeps its link), each with its `record.updated` event.
 */
function repointStatement(incoming: Incoming, workspaceId: string, actor: Actor, from: readonly string[], into: string): Statement {
  const p = new Params();
  const name = relationColumn(incoming.field);
  const column = ident(name);
  const old = `old as (select * from ${table(incoming.object)} where ${column} = any(${p.add(uuidArray(from))}::uuid[]) for update)`;
  const update = `r as (update ${table(incoming.object)} as t set ${column} = ${p.add(into)}::uuid, updated_at = now() from old where t.id = old.id returning t.*)`;
  const payload = jsonObject({ before: rowJson('old'), after: rowJson('r') });
  const event = eventCte(p, 'record.updated', incoming.object, workspaceId, actor, payload, 'r join old on old.id = r.id');
  return { text: `with ${old}, ${update}, ${event} select r.id from r`, values: p.values };
}

/** Soft-deletes the merged records, each with a `record.deleted` event naming the survivor (`merged_into`). */
function softDeleteStatement(object: ObjectDef, workspaceId: string, actor: Actor, from: readonly string[], into: string): Statement {
  const p = new Params();
  const update = `r as (update ${table(object)} set deleted_at = now(), updated_at = now() where id = any(${p.add(uuidArray(from))}::uuid[]) and deleted_at is null returning *)`;
  const payload = jsonObject({ before: rowJson('r'), merged_into: `${p.add(into)}::text` });
  return { text: `with ${update}, ${eventCte(p, 'record.deleted', object, workspaceId, actor, payload, 'r')} select r.id from r`, values: p.values };
}

/** The survivor's `record.merged` event (and timeline entry), with the merged ids and the values applied. */
function mergedStatement(object: ObjectDef, workspaceId: string, actor: Actor, into: string, from: readonly string[], applied: Record<string, unknown>): Statement {
  const p = new Params();
  const r = `r as (select * from ${table(object)} where id = ${p.add(into)})`;
  const payload = jsonObject({ after: rowJson('r'), merged_ids: `${p.add(JSON.stringify(from))}::json`, values: `${p.add(JSON.stringify(applied))}::json` });
  return { text: `with ${r}, ${eventCte(p, 'record.merged', object, workspaceId, actor, payload, 'r')} select r.* from r`, values: p.values };
}

/**
 * Merges records of one object into a survivor, in one transaction: locks them, re-points every
 * relation field of the workspace that names a merged record, moves the merged records' timeline to the
 * survivor, soft-deletes them (freeing their unique values), then applies `values` to the survivor —
 * so a merged record's unique value can move to it. Needs update and delete on the object, and update
 * on every object (and relation field) whose records get re-pointed.
 */
export async function mergeRecords(knex: Knex, workspace: WorkspaceMetadata, object: ObjectDef, caller: RecordCaller, input: MergeInput): Promise<MergeResult> {
  caller.access.assertObject(object.name, 'update');
  caller.access.assertObject(object.name, 'delete');
  checkInput(input);
  const into = input.into.toLowerCase();
  const from = input.from.map((id) => id.toLowerCase());
  const values = input.values ?? {};
  if (Object.keys(values).length > 0) {
    validateBody(object, values, 'update');
    assertWritable(object, caller.access, values);
  }

  return knex.transaction(async (trx) => {
    // Locked in id order, so two merges over the same records queue rather than deadlock.
    const ids = [into, ...from].sort();
    const locked = await query(trx, { text: `select id from ${table(object)} where id = any($1::uuid[]) and deleted_at is null order by id for update`, values: [uuidArray(ids)] });
    const found = new Set(locked.map((row) => String(row.id)));
    const missing = [into, ...from].filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new MosaicError('MOSAIC_ERR_RECORD_NOT_FOUND', `No live ${object.name} record with id ${missing.join(', ')}; nothing was merged.`, missing.map((id) => ({ path: id === into ? 'into' : `from[${from.indexOf(id)}]`, message: 'not found' })));
    }

    // Which objects have records to re-point, checked before anything is written.
    const incoming = incomingRelations(workspace, object);
    const pending: Incoming[] = [];
    for (const relation of incoming) {
      const column = ident(relationColumn(relation.field));
      const [hit] = await query(trx, { text: `select 1 from ${table(relation.object)} where ${column} = any($1::uuid[]) limit 1`, values: [uuidArray(from)] });
      if (!hit) continue;
      const { access } = caller;
      if (!access.object(relation.object.name, 'update') || !access.fieldUpdate(relation.object.name, relation.field.name)) {
        throw new MosaicError('MOSAIC_ERR_FORBIDDEN', `Merging needs to re-point ${relation.object.name}.${relation.field.name} to the surviving ${object.name}, and your role (${access.roleKey}) cannot update ${relation.object.name} records${access.object(relation.object.name, 'update') ? `' ${relation.field.name}` : ''}. Nothing was merged.`, [{ path: `${relation.object.name}.${relation.field.name}`, message: 'update needed' }]);
      }
      pending.push(relation);
    }

    const repointed: Record<string, number> = {};
    for (const relation of pending) {
      const rows = await query(trx, repointStatement(relation, caller.workspaceId, caller.actor, from, into));
      repointed[relation.object.name] = (repointed[relation.object.name] ?? 0) + rows.length;
    }

    // The merged records' timeline becomes the survivor's (their events keep naming them, for delivery);
    // their own deletion below stays theirs.
    await moveTimelines(trx, caller.workspaceId, object.id, from, into);
    await query(trx, softDeleteStatement(object, caller.workspaceId, caller.actor, from, into));
    if (Object.keys(values).length > 0) await run(trx, updateStatement(object, caller.workspaceId, caller.actor, into, toColumns(object, values, true)));
    const [row] = await query(trx, mergedStatement(object, caller.workspaceId, caller.actor, into, from, { ...values }));
    return { data: toRecord(readableFields(object, caller.access), row!), merged_ids: from, repointed };
  });
}
