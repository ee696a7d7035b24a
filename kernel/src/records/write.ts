import type { Knex } from '@mikro-orm/postgresql';
import { MosaicError } from '../errors/index.js';
import type { ObjectDef } from '../metadata/model.js';
import type { RecordCaller } from './caller.js';
import { assertWritable, readableFields, toColumns, toRecord, type RecordData } from './mapper.js';
import { assertMembers } from './members.js';
import { validateBody } from './validation.js';
import { actorColumns, deletedAtStatement, destroyStatement, insertStatement, run, updateStatement } from './write-sql.js';

/** The record as the caller may see it after a write. */
function visible(object: ObjectDef, caller: RecordCaller, row: Record<string, unknown>): RecordData {
  return toRecord(readableFields(object, caller.access), row);
}

function notFound(object: ObjectDef, id: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_RECORD_NOT_FOUND', `No ${object.name} record with id ${id}.`);
}

/** Creates one record (and its event, in the same statement). */
export async function createRecord(knex: Knex, object: ObjectDef, caller: RecordCaller, body: unknown): Promise<RecordData> {
  caller.access.assertObject(object.name, 'create');
  validateBody(object, body, 'create');
  assertWritable(object, caller.access, body);
  await assertMembers(knex, object, caller.workspaceId, body);
  const values = { ...toColumns(object, body, false), ...actorColumns(caller.actor) };
  const [row] = await run(knex, insertStatement(object, caller.workspaceId, caller.actor, [values]));
  return visible(object, caller, row);
}

/** Updates the given fields of one live record. */
export async function updateRecord(knex: Knex, object: ObjectDef, caller: RecordCaller, id: string, body: unknown): Promise<RecordData> {
  caller.access.assertObject(object.name, 'update');
  validateBody(object, body, 'update');
  assertWritable(object, caller.access, body);
  await assertMembers(knex, object, caller.workspaceId, body);
  const [row] = await run(knex, updateStatement(object, caller.workspaceId, caller.actor, id, toColumns(object, body, true)));
  if (!row) throw notFound(object, id);
  return visible(object, caller, row);
}

/** Soft-deletes a record, or with `destroy` removes it for good. */
export async function deleteRecord(knex: Knex, object: ObjectDef, caller: RecordCaller, id: string, destroy: boolean): Promise<RecordData> {
  caller.access.assertObject(object.name, 'delete');
  const statement = destroy
    ? destroyStatement(object, caller.workspaceId, caller.actor, id)
    : deletedAtStatement(object, caller.workspaceId, caller.actor, id, 'delete');
  const [row] = await run(knex, statement);
  if (!row) throw notFound(object, id);
  return visible(object, caller, row);
}

/** Brings back a soft-deleted record; its unique values are checked again. */
export async function restoreRecord(knex: Knex, object: ObjectDef, caller: RecordCaller, id: string): Promise<RecordData> {
  caller.access.assertObject(object.name, 'delete');
  const [row] = await run(knex, deletedAtStatement(object, caller.workspaceId, caller.actor, id, 'restore'));
  if (!row) throw new MosaicError('MOSAIC_ERR_RECORD_NOT_FOUND', `No deleted ${object.name} record with id ${id}.`);
  return visible(object, caller, row);
}
