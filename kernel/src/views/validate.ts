import { MosaicError, isMosaicError, type ErrorDetail } from '../errors/index.js';
import type { FieldDef } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import { compileFilter, orderByClause, parseFilter, parseOrderBy, type SortColumn } from '../records/query/index.js';
import { meAsAnyMember } from '../records/members.js';
import { leafResolver } from '../records/resolve.js';
import type { Access } from '../roles/index.js';

function invalid(path: string, message: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_VIEW_INVALID', message, [{ path, message }]);
}

/**
 * Checks a filter and an order_by exactly as record listing does — the same parser, the same resolver
 * (unknown and unreadable fields), the same sortability check — so a saved view never holds a query the
 * table would refuse, and the error codes are the listing's.
 */
export function assertQuery(object: ObjectDef, access: Access, filter: string, orderBy: string): void {
  const resolve = leafResolver(object, access);
  if (filter) compileFilter(meAsAnyMember(parseFilter(filter), object), resolve);
  if (orderBy) {
    const sorts: SortColumn[] = parseOrderBy(orderBy).map((entry) => ({ ...resolve(entry.path), direction: entry.direction, nulls: entry.nulls }));
    if (sorts.length > 0) orderByClause(sorts);
  }
}

/** What no longer applies in a stored view's query, for the caller (a field deleted, renamed or hidden). */
export function queryProblems(object: ObjectDef, access: Access, filter: string, orderBy: string): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  for (const [path, check] of [['filter', () => assertQuery(object, access, filter, '')], ['order_by', () => assertQuery(object, access, '', orderBy)]] as const) {
    try {
      check();
    } catch (err) {
      if (!isMosaicError(err)) throw err;
      problems.push({ path, code: err.code, message: err.message });
    }
  }
  return problems;
}

/** A field the caller may see, by name; fields a role hides are treated as absent, as metadata does. */
function visibleField(object: ObjectDef, access: Access, name: string): FieldDef | undefined {
  const field = object.fieldsByName.get(name);
  return field && access.fieldRead(object.name, field.name) ? field : undefined;
}

/** Resolves column names to the field ids stored, refusing unknown, hidden and repeated names. */
export function columnIds(object: ObjectDef, access: Access, columns: readonly string[]): string[] {
  const seen = new Set<string>();
  return columns.map((name, i) => {
    const field = visibleField(object, access, name);
    if (!field) throw invalid(`columns[${i}]`, `${object.name} has no field "${name}" to show as a column.`);
    if (seen.has(name)) throw invalid(`columns[${i}]`, `columns lists "${name}" more than once.`);
    seen.add(name);
    return field.id;
  });
}

/** Resolves a group-by name to its field id: it must be a select field the caller can read. */
export function groupById(object: ObjectDef, access: Access, name: string | null): string | null {
  if (name === null) return null;
  const field = visibleField(object, access, name);
  if (!field) throw invalid('group_by', `${object.name} has no field "${name}" to group by.`);
  if (field.type !== 'select') throw invalid('group_by', `"${name}" is a ${field.type} field; a view groups by a select field.`);
  return field.id;
}

/** A board needs a field to make its lanes from. */
export function assertLayout(layout: string, groupBy: string | null): void {
  if (layout === 'board' && groupBy === null) throw invalid('group_by', 'A board view needs group_by: the select field whose options make its lanes.');
}

/** A view name, trimmed; 1 to `max` characters. */
export function viewName(name: string, max: number): string {
  const trimmed = name.trim();
  if (trimmed.length < 1 || trimmed.length > max) throw new MosaicError('MOSAIC_ERR_REQUEST_INVALID', `A view name has 1 to ${max} characters.`, [{ path: 'name', message: `1 to ${max} characters` }]);
  return trimmed;
}
