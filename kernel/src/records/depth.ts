import type { Knex } from '@mikro-orm/postgresql';
import { relationColumn, type RelationOptions } from '../metadata/field-types/index.js';
import type { ObjectDef, WorkspaceMetadata } from '../metadata/model.js';
import type { RecordCaller } from './caller.js';
import { columnsOf, readableFields, toRecord, type RecordData } from './mapper.js';

/** Most related records embedded per one-to-many field and record. */
export const MAX_EMBEDDED = 50;

/**
 * Embeds related records one level deep (`depth=1`): the target of each many-to-one relation under the
 * field's name, and up to {@link MAX_EMBEDDED} records of each one-to-many side. One query per relation,
 * whatever the page size; related objects the caller cannot read are left out, and so are their
 * unreadable fields.
 */
export async function embedRelations(
  knex: Knex, workspace: WorkspaceMetadata, object: ObjectDef, caller: RecordCaller, records: RecordData[], rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (records.length === 0) return;
  const tasks: Promise<void>[] = [];
  for (const field of object.fields) {
    if (field.type !== 'relation' || !caller.access.fieldRead(object.name, field.name)) continue;
    const target = workspace.objects.get((field.options as unknown as RelationOptions).target);
    if (!target || !caller.access.object(target.name, 'read')) continue;
    const key = relationColumn(field);
    const ids = [...new Set(rows.map((r) => r[key]).filter((v): v is string => typeof v === 'string'))];
    tasks.push(
      (async () => {
        const fields = readableFields(target, caller.access);
        const targets = ids.length === 0 ? [] : ((await knex.withSchema(target.schema).from(target.name).select(columnsOf(fields)).whereIn('id', ids).whereNull('deleted_at')) as Record<string, unknown>[]);
        const byId = new Map(targets.map((row) => [String(row.id), toRecord(fields, row)]));
        records.forEach((record, i) => (record[field.name] = byId.get(String(rows[i][key])) ?? null));
      })(),
    );
  }
  for (const reverse of object.reverseRelations) {
    if (!caller.access.fieldRead(object.name, reverse.field.name)) continue;
    const source = workspace.objects.get(reverse.sourceObject);
    if (!source || !caller.access.object(source.name, 'read')) continue;
    const fk = relationColumn(reverse.sourceField);
    const ids = rows.map((r) => r.id as string);
    tasks.push(
      (async () => {
        const fields = readableFields(source, caller.access);
        const columns = [...new Set([...columnsOf(fields), fk])];
        const ranked = knex
          .withSchema(source.schema)
          .from(source.name)
          .select(columns)
          .select(knex.raw('row_number() over (partition by ?? order by created_at desc, id desc) as mosaic_rank', [fk]))
          .whereIn(fk, ids)
          .whereNull('deleted_at');
        const related = (await knex.from(ranked.as('ranked')).select(columns).where('mosaic_rank', '<=', MAX_EMBEDDED)) as Record<string, unknown>[];
        const grouped = new Map<string, RecordData[]>();
        for (const row of related) {
          const list = grouped.get(String(row[fk])) ?? [];
          list.push(toRecord(fields, row));
          grouped.set(String(row[fk]), list);
        }
        records.forEach((record, i) => (record[reverse.field.name] = grouped.get(String(rows[i].id)) ?? []));
      })(),
    );
  }
  await Promise.all(tasks);
}
