import type { Knex } from '@mikro-orm/postgresql';
import type { KernelServices } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import type { ObjectDef } from '../metadata/model.js';
import { MAX_VIEW_NAME } from './schemas.js';
import { findView, listViews, lockObjectViews, nameTaken, viewOf, type SavedView, type SavedViewRow, type ViewViewer } from './store.js';
import { assertLayout, assertQuery, columnIds, groupById, viewName } from './validate.js';

/** The settable parts of a view, as the API takes them. */
export interface ViewInput {
  readonly name?: string;
  readonly layout?: 'table' | 'board';
  readonly filter?: string;
  readonly order_by?: string;
  readonly columns?: string[];
  readonly group_by?: string | null;
  readonly shared?: boolean;
  /** Update only. */
  readonly position?: number;
}

function notFound(id: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_VIEW_NOT_FOUND', `No view with id ${id} that you can see.`);
}

/**
 * Saved views: named table or board setups of an object. Any member who can read the object keeps their
 * own (private) views; shared views are everyone's, and creating, changing or deleting one takes the
 * `metadata` capability. API keys have no private views.
 */
export class ViewService {
  readonly #services: KernelServices;

  constructor(services: KernelServices) {
    this.#services = services;
  }

  get #knex(): Knex {
    return this.#services.db.knex;
  }

  /** The object by name, if the viewer may read it (else `MOSAIC_ERR_OBJECT_NOT_FOUND`). */
  async #object(viewer: ViewViewer, name: string): Promise<ObjectDef> {
    viewer.access.assertObject(name, 'read');
    return this.#services.metadata.object(viewer.workspaceId, name);
  }

  /** The object a stored view belongs to; a view of an object the viewer cannot read looks absent. */
  async #objectOf(viewer: ViewViewer, row: SavedViewRow): Promise<ObjectDef> {
    const workspace = await this.#services.metadata.get(viewer.workspaceId);
    const object = [...workspace.objects.values()].find((o) => o.id === row.object_id);
    if (!object || !viewer.access.object(object.name, 'read')) throw notFound(row.id);
    return object;
  }

  #assertMayShare(viewer: ViewViewer): void {
    viewer.access.assertCan('metadata');
  }

  /** Shared views of the object plus the viewer's own. */
  async list(viewer: ViewViewer, objectName: string): Promise<SavedView[]> {
    const object = await this.#object(viewer, objectName);
    return (await listViews(this.#knex, viewer, object.id)).map((row) => viewOf(row, object, viewer.access));
  }

  /** One view the viewer sees. */
  async get(viewer: ViewViewer, id: string): Promise<SavedView> {
    const row = await findView(this.#knex, viewer, id);
    if (!row) throw notFound(id);
    return viewOf(row, await this.#objectOf(viewer, row), viewer.access);
  }

  /** Creates a view, placed after the object's other views. */
  async create(viewer: ViewViewer, input: ViewInput & { object: string; name: string }): Promise<SavedView> {
    const object = await this.#object(viewer, input.object);
    const shared = input.shared ?? false;
    if (shared) this.#assertMayShare(viewer);
    else if (!viewer.memberId) throw new MosaicError('MOSAIC_ERR_FORBIDDEN', 'An API key sees shared views only; pass "shared": true (its role needs the metadata capability).');
    const name = viewName(input.name, MAX_VIEW_NAME);
    const layout = input.layout ?? 'table';
    const filter = input.filter ?? '';
    const orderBy = input.order_by ?? '';
    assertQuery(object, viewer.access, filter, orderBy);
    const columns = columnIds(object, viewer.access, input.columns ?? []);
    const groupBy = groupById(object, viewer.access, input.group_by ?? null);
    assertLayout(layout, groupBy);

    const row = await this.#knex.transaction(async (trx) => {
      await lockObjectViews(trx, object.id);
      if (await nameTaken(trx, viewer, object.id, name, shared)) throw taken(name, object);
      const [{ next }] = (await trx('saved_view').where({ workspace_id: viewer.workspaceId, object_id: object.id }).select(trx.raw('coalesce(max(position) + 1, 0) as next'))) as { next: number }[];
      const [inserted] = (await trx('saved_view').insert(
        {
          workspace_id: viewer.workspaceId,
          object_id: object.id,
          name,
          layout,
          filter,
          order_by: orderBy,
          columns,
          group_by: groupBy,
          shared,
          owner_member_id: viewer.memberId ?? null,
          position: next,
        },
        '*',
      )) as SavedViewRow[];
      return inserted!;
    });
    return viewOf(row, object, viewer.access);
  }

  /**
   * Changes a view. Only what the patch names is checked again, so a view whose filter went stale (a
   * field was deleted) can still be renamed or given a new filter.
   */
  async update(viewer: ViewViewer, id: string, input: ViewInput): Promise<SavedView> {
    const row = await this.#knex.transaction(async (trx) => {
      const current = await findView(trx, viewer, id);
      if (!current) throw notFound(id);
      const object = await this.#objectOf(viewer, current);
      const shared = input.shared ?? current.shared;
      if (current.shared || shared) this.#assertMayShare(viewer);
      if (!shared && !viewer.memberId) throw new MosaicError('MOSAIC_ERR_FORBIDDEN', 'An API key cannot own a private view; keep "shared": true.');

      const patch: Record<string, unknown> = {};
      if (input.name !== undefined) patch.name = viewName(input.name, MAX_VIEW_NAME);
      if (input.filter !== undefined) {
        assertQuery(object, viewer.access, input.filter, '');
        patch.filter = input.filter;
      }
      if (input.order_by !== undefined) {
        assertQuery(object, viewer.access, '', input.order_by);
        patch.order_by = input.order_by;
      }
      if (input.columns !== undefined) patch.columns = columnIds(object, viewer.access, input.columns);
      if (input.group_by !== undefined) patch.group_by = groupById(object, viewer.access, input.group_by);
      if (input.layout !== undefined) patch.layout = input.layout;
      if (input.position !== undefined) patch.position = input.position;
      if (input.shared !== undefined && input.shared !== current.shared) {
        patch.shared = input.shared;
        // A shared view made private becomes the private view of whoever unshared it.
        if (!input.shared) patch.owner_member_id = viewer.memberId;
      }
      const layout = (patch.layout ?? current.layout) as string;
      // A group-by field deleted since counts as none: switching such a view to a board needs a new one.
      const groupBy = patch.group_by !== undefined ? (patch.group_by as string | null) : object.fields.some((f) => f.id === current.group_by) ? current.group_by : null;
      if (input.layout !== undefined || input.group_by !== undefined) assertLayout(layout, groupBy);

      await lockObjectViews(trx, object.id);
      const name = (patch.name as string | undefined) ?? current.name;
      if ((patch.name !== undefined || patch.shared !== undefined) && (await nameTaken(trx, viewer, object.id, name, shared, current.id))) throw taken(name, object);
      const [updated] = (await trx('saved_view').where({ id: current.id }).update({ ...patch, updated_at: trx.fn.now() }, '*')) as SavedViewRow[];
      return { updated: updated!, object };
    });
    return viewOf(row.updated, row.object, viewer.access);
  }

  /** Deletes a view. */
  async delete(viewer: ViewViewer, id: string): Promise<void> {
    await this.#knex.transaction(async (trx) => {
      const current = await findView(trx, viewer, id, true);
      if (!current) throw notFound(id);
      await this.#objectOf(viewer, current);
      if (current.shared) this.#assertMayShare(viewer);
      await trx('saved_view').where({ id: current.id }).delete();
    });
  }
}

function taken(name: string, object: ObjectDef): MosaicError {
  return new MosaicError('MOSAIC_ERR_VIEW_NAME_TAKEN', `A view of ${object.name} named "${name}" already exists; choose another name.`, [{ path: 'name', message: 'already taken' }]);
}
