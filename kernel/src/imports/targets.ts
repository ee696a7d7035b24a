import { MosaicError } from '../errors/index.js';
import { fieldType, type FieldDef } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import type { Access } from '../roles/index.js';
import type { Knex } from '@mikro-orm/postgresql';
import { memberDirectory } from '../workspaces/directory.js';
import { cellReader, importable, parseMoney, unguard, type Coerced, type CoerceOptions, type DateOrder } from './coerce.js';

/** Where a CSV column can go: a field (`name`, `company_id`, `id`) or a composite's sub-field (`address.city`). */
export interface ImportTarget {
  readonly key: string;
  readonly label: string;
  readonly type: string;
  /** The record key the value is written under, and the sub-field inside it for composites. */
  readonly field: FieldDef;
  readonly recordKey: string;
  readonly sub: string | null;
  /** True for a currency field named alone: the cell carries amount and maybe code (`€1,500`). */
  readonly money?: boolean;
}

const words = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).replaceAll('_', ' ');

/**
 * The targets a caller may import into: every stored field their role may write (so a role that cannot
 * set `revenue` is not offered it), each sub-field of composites, and `id` (to keep ids or upsert on them).
 */
export function importTargets(object: ObjectDef, access: Access): ImportTarget[] {
  const targets: ImportTarget[] = [];
  for (const field of object.fields) {
    if (!importable(field) || (field.name !== 'id' && !access.fieldUpdate(object.name, field.name))) continue;
    const type = fieldType(field);
    const recordKey = type.recordKey(field);
    const label = field.label || words(field.name);
    const leaves = type.leaves(field);
    if (leaves.length === 1 && leaves[0].sub === null) {
      targets.push({ key: recordKey, label, type: field.type, field, recordKey, sub: null });
      continue;
    }
    if (field.type === 'currency') targets.push({ key: recordKey, label, type: field.type, field, recordKey, sub: null, money: true });
    for (const leaf of leaves) targets.push({ key: `${recordKey}.${leaf.sub}`, label: `${label}: ${words(leaf.sub!)}`, type: `${field.type}.${leaf.sub}`, field, recordKey, sub: leaf.sub });
  }
  return targets;
}

const fold = (text: string) => text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]/g, '');

/**
 * Suggests a target for each header: the first whose key, name or label matches once case, accents,
 * spaces and punctuation are set aside (`E-mail` → `email`, `Address: City` → `address.city`), then a
 * composite sub-field named alone when only one field has it (`City`). A target is suggested once.
 */
export function suggestMapping(headers: readonly string[], targets: readonly ImportTarget[]): (string | null)[] {
  const used = new Set<string>();
  const byName = new Map<string, ImportTarget>();
  for (const t of targets) {
    for (const name of [t.key, t.label, t.sub === null ? t.field.name : `${t.field.name}${t.sub}`]) if (!byName.has(fold(name))) byName.set(fold(name), t);
  }
  const subs = new Map<string, ImportTarget[]>();
  for (const t of targets) if (t.sub) subs.set(fold(t.sub), [...(subs.get(fold(t.sub)) ?? []), t]);
  return headers.map((header) => {
    const key = fold(header);
    let target = byName.get(key);
    if (!target && subs.get(key)?.length === 1) target = subs.get(key)![0];
    if (!target || used.has(target.key)) return null;
    used.add(target.key);
    return target.key;
  });
}

/** One mapped column: its index in the row and how its cells become a value. */
interface MappedColumn {
  readonly index: number;
  readonly header: string;
  readonly target: ImportTarget;
  readonly read: (cell: string) => Coerced;
}

/** A problem with one cell, for the report: 1-based CSV line, column header, target field and reason. */
export interface CellProblem {
  readonly row: number;
  readonly column: string | null;
  readonly field: string | null;
  readonly reason: string;
}

/**
 * Checks a mapping (one target key or null per header, in header order) against the targets and returns
 * a function that turns a row into a record body, or the problems of that row. An empty cell is not
 * sent: it leaves the field as it is on update and takes its default on create.
 */
export function compileMapping(headers: readonly string[], mapping: readonly (string | null)[], targets: readonly ImportTarget[], options: CoerceOptions) {
  if (mapping.length !== headers.length) {
    throw new MosaicError('MOSAIC_ERR_IMPORT_MAPPING_INVALID', `The mapping has ${mapping.length} entries; the file has ${headers.length} columns. Send one target (or null) per column.`, [{ path: 'mapping', message: 'wrong length' }]);
  }
  const byKey = new Map(targets.map((t) => [t.key, t]));
  const columns: MappedColumn[] = [];
  const problems: { path: string; message: string }[] = [];
  const seen = new Map<string, number>();
  mapping.forEach((key, index) => {
    if (key === null || key === '') return;
    const target = byKey.get(key);
    if (!target) return problems.push({ path: `mapping[${index}]`, message: `"${key}" is not a field you can import into` });
    if (seen.has(key)) return problems.push({ path: `mapping[${index}]`, message: `"${key}" is already the target of column ${seen.get(key)! + 1}` });
    seen.set(key, index);
    columns.push({ index, header: headers[index], target, read: target.money ? moneyReader : cellReader(target.field, target.sub, options) });
  });
  if (problems.length > 0) throw new MosaicError('MOSAIC_ERR_IMPORT_MAPPING_INVALID', 'The column mapping names fields that cannot be imported into.', problems);
  if (columns.length === 0) throw new MosaicError('MOSAIC_ERR_IMPORT_MAPPING_INVALID', 'Map at least one column to a field.', [{ path: 'mapping', message: 'nothing mapped' }]);

  return (cells: readonly string[], line: number): { body: Record<string, unknown> } | { problems: CellProblem[] } => {
    const body: Record<string, unknown> = {};
    let rowProblems: CellProblem[] | undefined;
    for (const column of columns) {
      let cell = cells[column.index];
      if (cell === undefined) continue;
      if (cell.length > 1 && cell.charCodeAt(0) === 39) cell = unguard(cell);
      const trimmed = cell.trim();
      if (trimmed === '') continue;
      const result = column.read(column.target.type.startsWith('long_text') || column.target.type === 'text' ? cell : trimmed);
      if (!result.ok) {
        (rowProblems ??= []).push({ row: line, column: column.header, field: column.target.key, reason: result.reason });
        continue;
      }
      const { recordKey, sub } = column.target;
      if (column.target.money) {
        const money = result.value as { amount: number; currency: string | null };
        const current = (body[recordKey] ??= {}) as Record<string, unknown>;
        current.amount = money.amount;
        if (money.currency) current.currency ??= money.currency;
      } else if (sub === null) body[recordKey] = result.value;
      else ((body[recordKey] ??= {}) as Record<string, unknown>)[sub] = result.value;
    }
    return rowProblems ? { problems: rowProblems } : { body };
  };
}

function moneyReader(cell: string): Coerced {
  const money = parseMoney(cell);
  return money ? { ok: true, value: money } : { ok: false, reason: `"${cell.slice(0, 60)}" is not an amount` };
}


/** How cells are read for an object: the date order, and the workspace's members when it has member fields. */
export async function coerceOptions(knex: Knex, object: ObjectDef, workspaceId: string, dateOrder: DateOrder): Promise<CoerceOptions> {
  if (!object.fields.some((f) => f.type === 'member')) return { dateOrder };
  return { dateOrder, members: await memberDirectory(knex, workspaceId) };
}
