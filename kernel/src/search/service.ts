import type { Knex } from '@mikro-orm/postgresql';
import type { KernelServices } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import type { ObjectDef } from '../metadata/model.js';
import type { RecordCaller } from '../records/caller.js';
import { ident } from '../records/execute.js';
import { searchedValues } from './columns.js';

/** One search hit. */
export interface SearchHit {
  readonly object: string;
  readonly id: string;
  readonly label: string;
  readonly match: { readonly field: string; readonly value: string };
}

/** A search request, checked. */
export interface SearchQuery {
  readonly q: string;
  readonly limit: number;
  readonly objects?: readonly string[];
}

/** Objects searched at once: each is one query on its own table; more at once would crowd the pool. */
const PARALLEL = 4;

interface Row {
  id: string;
  label: string | null;
  field: string;
  value: string;
  prefix: boolean;
}

/** `%`, `_` and `\` are LIKE syntax; a user typing them means the characters. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The search of one object: rows not soft-deleted with a searched value containing `q` (case
 * insensitive), each with its first matching field, label-prefix matches first, then by label.
 */
function objectQuery(knex: Knex, object: ObjectDef, caller: RecordCaller, q: string, limit: number): Knex.Raw | undefined {
  const { values, label } = searchedValues(object, caller.access);
  if (values.length === 0) return undefined;
  const contains = `%${escapeLike(q)}%`;
  const arrayBindings: Knex.RawBinding[] = [];
  const candidates = values.map((v, i) => {
    if (!v.array) return `(${i}, '${v.field}', ${v.sql})`;
    arrayBindings.push(contains);
    return `(${i}, '${v.field}', (select x from unnest(${v.sql}) as x where x ilike ? limit 1))`;
  });
  // The same test on the plain columns, OR-ed, so that trigram indexes on them (where an administrator
  // made some) can narrow the scan before the per-row match above.
  const prefilterBindings: Knex.RawBinding[] = [];
  const prefilter = values
    .map((v) => {
      prefilterBindings.push(contains);
      return v.array ? `exists (select 1 from unnest(${v.sql}) as y where y ilike ?)` : `${v.sql} ilike ?`;
    })
    .join(' or ');
  const labelSql = label ?? 'null::text';
  // Field names are validated lower snake_case, so writing them as literals above is safe.
  const sql = `select t.id, ${labelSql} as label, m.field, m.value, coalesce(${labelSql} ilike ?, false) as prefix
    from ${ident(object.schema)}.${ident(object.name)} as t
    cross join lateral (
      select c.field, c.value from (values ${candidates.join(', ')}) as c(ord, field, value)
      where c.value ilike ? order by c.ord limit 1
    ) as m
    where t.deleted_at is null and (${prefilter})
    order by prefix desc, lower(${labelSql}) asc nulls last, t.id
    limit ?`;
  // Bindings in the order their placeholders appear: label prefix, array matches, the match, the prefilter, the limit.
  return knex.raw(sql, [`${escapeLike(q)}%`, ...arrayBindings, contains, ...prefilterBindings, limit]);
}

/**
 * Global search: every object the caller can read (or the ones named), in the fields the caller can read.
 * One query per object on its own table, merged by the same ranking: label-prefix matches first, then
 * by label.
 */
export class SearchService {
  readonly #services: KernelServices;

  constructor(services: KernelServices) {
    this.#services = services;
  }

  async search(caller: RecordCaller, query: SearchQuery): Promise<SearchHit[]> {
    try {
      return await this.#search(caller, query);
    } catch (err) {
      // A schema change committed between reading metadata and querying: retry once with fresh metadata.
      const code = (err as { code?: string }).code;
      if (code !== '42703' && code !== '42P01') throw err;
      this.#services.metadata.evict(caller.workspaceId);
      return this.#search(caller, query);
    }
  }

  async #search(caller: RecordCaller, query: SearchQuery): Promise<SearchHit[]> {
    const q = query.q.trim();
    if (q.length === 0) throw new MosaicError('MOSAIC_ERR_REQUEST_INVALID', 'q needs at least one character that is not a space.', [{ path: 'q', message: 'blank' }]);
    const workspace = await this.#services.metadata.get(caller.workspaceId);
    let objects: ObjectDef[];
    if (query.objects) {
      objects = [...new Set(query.objects)].map((name) => {
        caller.access.assertObject(name, 'read');
        const object = workspace.objects.get(name);
        if (!object) throw new MosaicError('MOSAIC_ERR_OBJECT_NOT_FOUND', `No object named "${name}" in this workspace.`, [{ path: 'objects', message: `unknown object ${name}` }]);
        return object;
      });
    } else {
      objects = [...workspace.objects.values()].filter((o) => caller.access.object(o.name, 'read'));
    }

    const knex = this.#services.db.knex;
    const hits: (SearchHit & { prefix: boolean })[] = [];
    for (let i = 0; i < objects.length; i += PARALLEL) {
      const batch = objects.slice(i, i + PARALLEL);
      const results = await Promise.all(batch.map(async (object) => {
        const raw = objectQuery(knex, object, caller, q, query.limit);
        if (!raw) return [];
        const { rows } = (await raw) as unknown as { rows: Row[] };
        return rows.map((r) => ({ object: object.name, id: r.id, label: r.label ?? r.value, match: { field: r.field, value: r.value }, prefix: r.prefix }));
      }));
      for (const list of results) hits.push(...list);
    }
    hits.sort((a, b) => Number(b.prefix) - Number(a.prefix) || a.label.toLowerCase().localeCompare(b.label.toLowerCase()) || a.object.localeCompare(b.object));
    return hits.slice(0, query.limit).map(({ prefix: _prefix, ...hit }) => hit);
  }
}
