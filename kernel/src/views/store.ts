import type { Knex } from '@mikro-orm/postgresql';
import type { ErrorDetail } from '../errors/index.js';
import type { ObjectDef } from '../metadata/model.js';
import type { Access } from '../roles/index.js';
import { queryProblems } from './validate.js';

/** A `saved_view` row as PostgreSQL returns it. Columns and group-by hold field ids. */
export interface SavedViewRow {
  readonly id: string;
  readonly workspace_id: string;
  readonly object_id: string;
  readonly name: string;
  readonly layout: 'table' | 'board';
  readonly filter: string;
  readonly order_by: string;
  readonly columns: string[];
  readonly group_by: string | null;
  readonly shared: boolean;
  readonly owner_member_id: string | null;
  readonly position: number;
  readonly created_at: string | Date;
  readonly updated_at: string | Date;
}

/** A saved view as the API returns it. */
export interface SavedView {
  readonly id: string;
  readonly object: string;
  readonly name: string;
  readonly layout: 'table' | 'board';
  readonly filter: string;
  readonly order_by: string;
  readonly columns: string[];
  readonly group_by: string | null;
  readonly shared: boolean;
  readonly owner_member_id: string | null;
  readonly position: number;
  readonly created_at: string;
  readonly updated_at: string;
  /**
   * What no longer applies for this caller: a filter or order_by naming a field since deleted, renamed or
   * hidden from the caller's role (with the listing's error code). Empty when the view applies as saved.
   */
  readonly problems: ErrorDetail[];
}

/** Who is looking: a member sees shared views and their own; an API key (no member) shared views only. */
export interface ViewViewer {
  readonly workspaceId: string;
  readonly memberId?: string;
  readonly access: Access;
}

/**
 * The public form of a row, with field ids turned back into the object's current field names. A column
 * whose field was deleted, or which the caller's role hides, is left out; so is such a group-by field.
 */
export function viewOf(row: SavedViewRow, object: ObjectDef, access: Access): SavedView {
  const byId = new Map(object.fields.map((f) => [f.id, f]));
  const name = (id: string | null) => {
    const field = id === null ? undefined : byId.get(id);
    return field && access.fieldRead(object.name, field.name) ? field.name : null;
  };
  const groupBy = name(row.group_by);
  const problems = queryProblems(object, access, row.filter, row.order_by);
  if (row.layout === 'board' && groupBy === null) problems.push({ path: 'group_by', code: 'MOSAIC_ERR_VIEW_INVALID', message: 'The field this board grouped by no longer exists or is hidden from your role.' });
  return {
    id: row.id,
    object: object.name,
    name: row.name,
    layout: row.layout,
    filter: row.filter,
    order_by: row.order_by,
    columns: row.columns.map(name).filter((n): n is string => n !== null),
    group_by: groupBy,
    shared: row.shared,
    owner_member_id: row.owner_member_id,
    position: row.position,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
    problems,
  };
}

/** Restricts a query to the views the viewer may see. */
function visibleTo(qb: Knex.QueryBuilder, viewer: ViewViewer): Knex.QueryBuilder {
  return qb.where((w) => {
    w.where('shared', true);
    if (viewer.memberId) w.orWhere('owner_member_id', viewer.memberId);
  });
}

/** The views of an object the viewer sees, ordered by position, then name. */
export async function listViews(knex: Knex, viewer: ViewViewer, objectId: string): Promise<SavedViewRow[]> {
  const qb = knex('saved_view').where({ workspace_id: viewer.workspaceId, object_id: objectId });
  return (await visibleTo(qb, viewer).orderBy([{ column: 'position' }, { column: 'name' }, { column: 'created_at' }])) as SavedViewRow[];
}

/** One view the viewer sees, or undefined (another workspace's, or another member's private view). */
export async function findView(knex: Knex, viewer: ViewViewer, id: string, forUpdate = false): Promise<SavedViewRow | undefined> {
  const qb = visibleTo(knex('saved_view').where({ id, workspace_id: viewer.workspaceId }), viewer).first();
  if (forUpdate) qb.forUpdate();
  return (await qb) as SavedViewRow | undefined;
}

/**
 * Whether a view name is taken for the views concerned: among the views the viewer sees, and — for a
 * shared view, which every member sees — among every view of the object. Case and outer spaces ignored.
 */
export async function nameTaken(knex: Knex, viewer: ViewViewer, objectId: string, name: string, shared: boolean, exceptId?: string): Promise<boolean> {
  const qb = knex('saved_view').where({ workspace_id: viewer.workspaceId, object_id: objectId }).whereRaw('lower(name) = lower(?)', [name]);
  if (exceptId) qb.whereNot('id', exceptId);
  if (!shared) visibleTo(qb, viewer);
  return (await qb.first('id')) !== undefined;
}

/**
 * Serialises view changes per object, so two members naming views at once cannot both pass the name
 * check. A transaction-scoped advisory lock: released at commit, no table lock, nothing to clean up.
 */
export async function lockObjectViews(trx: Knex.Transaction, objectId: string): Promise<void> {
  await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`saved_view:${objectId}`]);
}
