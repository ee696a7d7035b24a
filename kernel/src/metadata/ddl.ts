import type { Knex } from '@mikro-orm/postgresql';
import { fieldType, relationColumn, type FieldDef, type RelationOptions } from './field-types/index.js';

/**
 * Runtime DDL for record tables. Every identifier goes through knex's `??` binding (quoted by the
 * driver's rules) and has already been checked against the naming rules; literal defaults are escaped
 * by knex. All statements run inside the metadata transaction, so a schema change and its metadata
 * rows commit together or not at all — PostgreSQL DDL is transactional.
 */

/** Short, stable index/constraint names: derived from the field id, so renames never touch them. */
function constraintName(prefix: 'ix' | 'ux' | 'fk', field: FieldDef): string {
  return `${prefix}_${field.id.replace(/-/g, '').slice(0, 24)}`;
}

/** An escaped SQL literal for a validated constant default. */
function literal(trx: Knex, value: unknown): string {
  return trx.raw('?', [value as Knex.Value]).toQuery();
}

/** The column definitions of one field, as a SQL fragment and its identifier bindings. */
function columnDefinitions(trx: Knex, field: FieldDef): { sql: string[]; bindings: string[] } {
  const sql: string[] = [];
  const bindings: string[] = [];
  for (const leaf of fieldType(field).leaves(field)) {
    let definition = `?? ${leaf.sqlType}`;
    if (field.defaultValue !== null && field.defaultValue !== undefined && leaf.sub === null) {
      // A constant default: PostgreSQL 11+ records it in the catalog instead of rewriting the table.
      definition += ` default ${literal(trx, field.defaultValue)}`;
      if (!field.isNullable) definition += ' not null';
    }
    sql.push(definition);
    bindings.push(leaf.column);
  }
  return { sql, bindings };
}

/** Creates a workspace's schema. */
export async function createWorkspaceSchema(trx: Knex, schema: string): Promise<void> {
  await trx.raw('create schema ??', [schema]);
}

/** Creates an object's table with the system columns and its declared fields. */
export async function createObjectTable(trx: Knex, schema: string, table: string, fields: readonly FieldDef[]): Promise<void> {
  const columns = [
    'id uuid primary key default gen_random_uuid()',
    'created_at timestamptz(3) not null default now()',
    'updated_at timestamptz(3) not null default now()',
    'deleted_at timestamptz(3)',
    'created_by__type text',
    'created_by__id text',
    'created_by__name text',
    'position double precision not null default 0',
  ];
  const bindings: string[] = [schema, table];
  for (const field of fields) {
    const defs = columnDefinitions(trx, field);
    columns.push(...defs.sql);
    bindings.push(...defs.bindings);
  }
  await trx.raw(`create table ??.?? (${columns.join(', ')})`, bindings);
  // Lists default to newest first; this keeps that cheap on large tables.
  await trx.raw('create index ?? on ??.?? (created_at desc, id desc)', [`ix_${table}_created`.slice(0, 63), schema, table]);
  for (const field of fields) await addFieldConstraints(trx, schema, table, field);
}

/** Adds a field's columns to an existing table. Nullable or constant-default columns never rewrite it. */
export async function addFieldColumns(trx: Knex, schema: string, table: string, field: FieldDef): Promise<void> {
  const defs = columnDefinitions(trx, field);
  if (defs.sql.length === 0) return;
  await trx.raw(`alter table ??.?? ${defs.sql.map((d) => `add column ${d}`).join(', ')}`, [schema, table, ...defs.bindings]);
  await addFieldConstraints(trx, schema, table, field);
}

/** Foreign key, unique and plain indexes of a field. */
export async function addFieldConstraints(trx: Knex, schema: string, table: string, field: FieldDef): Promise<void> {
  if (field.type === 'relation') {
    const options = field.options as unknown as RelationOptions;
    const onDelete = { set_null: 'set null', cascade: 'cascade', restrict: 'restrict' }[options.on_delete ?? 'set_null'];
    // NOT VALID: the column is new and holds only NULLs, so there is nothing to check and no reason to
    // scan a large table under lock. New and changed rows are checked as usual.
    await trx.raw(`alter table ??.?? add constraint ?? foreign key (??) references ??.?? (id) on delete ${onDelete} not valid`, [
      schema, table, constraintName('fk', field), relationColumn(field), schema, options.target,
    ]);
    await trx.raw('create index ?? on ??.?? (??)', [constraintName('ix', field), schema, table, relationColumn(field)]);
  }
  await setFieldUnique(trx, schema, table, field, field.isUnique);
  if (field.type !== 'relation') await setFieldIndexed(trx, schema, table, field, field.isIndexed && !field.isUnique);
}

function indexColumn(field: FieldDef): string | undefined {
  const type = fieldType(field);
  const leaves = type.leaves(field);
  const leaf = leaves.find((l) => l.sub === (type.defaultSub ?? null)) ?? leaves[0];
  return leaf?.column;
}

/**
 * Creates or drops a unique index. Soft-deleted records are left out, so deleting a record frees its
 * unique values; restoring it checks them again.
 */
export async function setFieldUnique(trx: Knex, schema: string, table: string, field: FieldDef, unique: boolean): Promise<void> {
  const column = indexColumn(field);
  if (!column) return;
  if (unique) {
    await trx.raw('create unique index ?? on ??.?? (??) where deleted_at is null', [constraintName('ux', field), schema, table, column]);
  } else {
    await trx.raw('drop index if exists ??.??', [schema, constraintName('ux', field)]);
  }
}

/** Creates or drops a plain index for fields that are filtered or sorted often. */
export async function setFieldIndexed(trx: Knex, schema: string, table: string, field: FieldDef, indexed: boolean): Promise<void> {
  const column = indexColumn(field);
  if (!column || field.type === 'relation') return;
  if (indexed) {
    const using = field.type === 'multi_select' ? 'using gin ' : '';
    await trx.raw(`create index ?? on ??.?? ${using}(??)`, [constraintName('ix', field), schema, table, column]);
  } else {
    await trx.raw('drop index if exists ??.??', [schema, constraintName('ix', field)]);
  }
}

/** Changes the constant default of a scalar field (catalog only, no rewrite). */
export async function setFieldDefault(trx: Knex, schema: string, table: string, field: FieldDef, value: unknown): Promise<void> {
  if (value === null || value === undefined) {
    await trx.raw('alter table ??.?? alter column ?? drop default', [schema, table, field.name]);
  } else {
    await trx.raw(`alter table ??.?? alter column ?? set default ${literal(trx, value)}`, [schema, table, field.name]);
  }
}

/** Adds or drops NOT NULL (adding it checks existing rows and fails if any is empty). */
export async function setFieldNullable(trx: Knex, schema: string, table: string, field: FieldDef, nullable: boolean): Promise<void> {
  for (const leaf of fieldType(field).leaves(field)) {
    await trx.raw(`alter table ??.?? alter column ?? ${nullable ? 'drop' : 'set'} not null`, [schema, table, leaf.column]);
  }
}

/** Renames a field's columns from the old definition's names to the new one's. */
export async function renameFieldColumns(trx: Knex, schema: string, table: string, before: FieldDef, after: FieldDef): Promise<void> {
  const type = fieldType(before);
  const oldLeaves = type.leaves(before);
  const newLeaves = type.leaves(after);
  for (let i = 0; i < oldLeaves.length; i++) {
    await trx.raw('alter table ??.?? rename column ?? to ??', [schema, table, oldLeaves[i].column, newLeaves[i].column]);
  }
}

/** Drops a field's columns (their indexes and foreign keys go with them). */
export async function dropFieldColumns(trx: Knex, schema: string, table: string, field: FieldDef): Promise<void> {
  const leaves = fieldType(field).leaves(field);
  if (leaves.length === 0) return;
  await trx.raw(`alter table ??.?? ${leaves.map(() => 'drop column ??').join(', ')}`, [schema, table, ...leaves.map((l) => l.column)]);
}

/** Renames an object's table. */
export async function renameObjectTable(trx: Knex, schema: string, from: string, to: string): Promise<void> {
  await trx.raw('alter table ??.?? rename to ??', [schema, from, to]);
}

/** Drops an object's table. */
export async function dropObjectTable(trx: Knex, schema: string, table: string): Promise<void> {
  await trx.raw('drop table ??.??', [schema, table]);
}
