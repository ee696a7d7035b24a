import { definePlugin, PluginError, respond, type PluginContext, type PluginEvent, type PluginRecord, type RouteInput } from '@mosaic/plugin-sdk';

/** The objects this plugin contributes and owns (see mosaic-plugin.json). */
export const NOTE = 'note';
export const TASK = 'task';

/**
 * Notes and tasks attach to a record of any object: the manifest asks for `"*": ["read"]` (every object,
 * including objects an admin or another plugin adds later), so `ctx.host.records.get` can check that the
 * target exists whatever its object. An object name is lower snake_case, as the metadata API accepts it.
 */
export const TARGET_OBJECT = /^[a-z](?:[a-z0-9]|_(?=[a-z0-9])){0,47}$/;
/** The name of the object of a note's or task's target record (`company`, `deal`, …). */
export type TargetObject = string;
/** The task statuses, in workflow order (the select field's options). */
export const TASK_STATUSES = ['todo', 'in_progress', 'done'] as const;
/** One of {@link TASK_STATUSES}. */
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A note as the records API stores it; `body` is Markdown. */
export interface Note extends PluginRecord {
  readonly title: string | null;
  readonly body: string | null;
  readonly target_object: TargetObject;
  readonly target_id: string;
}

/** A task as the records API stores it; `due_date` is `YYYY-MM-DD`. */
export interface Task extends PluginRecord {
  readonly title: string;
  readonly body: string | null;
  readonly due_date: string | null;
  readonly status: TaskStatus;
  readonly assignee_id: string | null;
  readonly target_object: TargetObject;
  readonly target_id: string;
}

/** What `GET /for/:object/:id` answers: both lists newest first, and whether more exist than shown. */
export type RecordActivities = {
  readonly notes: Note[];
  readonly tasks: Task[];
  readonly has_more: { readonly notes: boolean; readonly tasks: boolean };
};

/** What `GET /tasks/due-today` answers. */
export type DueToday = { readonly date: string; readonly data: Task[]; readonly has_more: boolean };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PER_RECORD = 100;
const DUE_TODAY = 200;
const TITLE_FROM_BODY = 80;
const codeOf = (error: unknown): string | undefined => (error as { code?: string } | null)?.code;
const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() !== '' ? value : null);

/** The target named by a request, checked for shape only: an object name and a record id. */
function target(object: unknown, id: unknown): { object: TargetObject; id: string } {
  if (typeof object !== 'string' || !TARGET_OBJECT.test(object)) {
    throw new PluginError('ACTIVITIES_TARGET_UNSUPPORTED', `"${String(object ?? '').slice(0, 64)}" is not an object name; send the name of the record's object (such as company or deal).`, 400);
  }
  if (typeof id !== 'string' || !UUID.test(id)) throw new PluginError('ACTIVITIES_TARGET_NOT_FOUND', `No ${object} has the id "${String(id ?? '')}".`, 404);
  return { object: object as TargetObject, id };
}

/** The target, checked to be a live record, so notes never point at nothing. */
async function existingTarget(ctx: PluginContext, object: unknown, id: unknown): Promise<{ object: TargetObject; id: string }> {
  const checked = target(object, id);
  try {
    await ctx.host.records.get(checked.object, checked.id);
    return checked;
  } catch (error) {
    const code = codeOf(error);
    if (code === 'MOSAIC_ERR_RECORD_NOT_FOUND') throw new PluginError('ACTIVITIES_TARGET_NOT_FOUND', `No ${checked.object} has the id "${checked.id}".`, 404);
    // No such object in this workspace: never created, deleted by an admin, or its plugin uninstalled.
    if (code === 'MOSAIC_ERR_OBJECT_NOT_FOUND') throw new PluginError('ACTIVITIES_TARGET_NOT_FOUND', `This workspace has no ${checked.object} object.`, 404);
    throw error;
  }
}

/** Creates a record of our own, answering the kernel's validation errors as a 400 the caller can act on. */
async function createOwn<T extends PluginRecord>(ctx: PluginContext, object: string, data: Record<string, unknown>): Promise<T> {
  try {
    return await ctx.host.records.create<T>(object, data);
  } catch (error) {
    if (codeOf(error) === 'MOSAIC_ERR_RECORD_INVALID') throw new PluginError('ACTIVITIES_INVALID', (error as Error).message, 400);
    throw error;
  }
}

/** The fields of a task a member may change after creating it. */
const TASK_CHANGES = ['title', 'body', 'due_date', 'status', 'assignee_id'] as const;
/** The fields of a note a member may change. */
const NOTE_CHANGES = ['title', 'body'] as const;

/**
 * Changes or removes one of our own records by id, answering the kernel's errors as the caller's: an
 * unknown or malformed id is a 404, a value the field refuses a 400 naming it.
 */
async function changeOwn<T extends PluginRecord>(ctx: PluginContext, object: string, id: unknown, change: Record<string, unknown> | 'delete'): Promise<T | undefined> {
  const label = object === TASK ? 'task' : 'note';
  if (typeof id !== 'string' || !UUID.test(id)) throw new PluginError('ACTIVITIES_NOT_FOUND', `No ${label} has the id "${String(id ?? '')}".`, 404);
  try {
    if (change === 'delete') {
      await ctx.host.records.delete(object, id);
      return undefined;
    }
    return await ctx.host.records.update<T>(object, id, change);
  } catch (error) {
    const code = codeOf(error);
    if (code === 'MOSAIC_ERR_RECORD_NOT_FOUND') throw new PluginError('ACTIVITIES_NOT_FOUND', `No ${label} has the id "${id}".`, 404);
    if (code === 'MOSAIC_ERR_RECORD_INVALID') throw new PluginError('ACTIVITIES_INVALID', (error as Error).message, 400);
    throw error;
  }
}

/** The allowed keys of a change body; anything else is refused rather than silently dropped. */
function changes(body: Record<string, unknown> | null | undefined, allowed: readonly string[], what: string): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new PluginError('ACTIVITIES_INVALID', `Send a JSON object with the ${what} fields to change (${allowed.join(', ')}).`, 400);
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new PluginError('ACTIVITIES_INVALID', `${unknown.join(', ')} cannot be changed on a ${what}; send only ${allowed.join(', ')}.`, 400);
  if (Object.keys(body).length === 0) throw new PluginError('ACTIVITIES_INVALID', `Send at least one of ${allowed.join(', ')}.`, 400);
  if ('title' in body && what === 'task' && text(body.title) === null) throw new PluginError('ACTIVITIES_INVALID', 'A task needs a non-empty title.', 400);
  if ('body' in body && what === 'note' && text(body.body) === null) throw new PluginError('ACTIVITIES_INVALID', 'A note needs a non-empty body (Markdown).', 400);
  return body;
}

/** Notes or tasks moved per page when records are merged; the loop stops well inside the row budget. */
const MOVE_PAGE = 200;
const MOVE_MAX = 4_000;

/**
 * Points the notes and tasks of merged records at the survivor. The kernel re-points relation fields
 * itself; `target_id` is a text field, so following a merge is this plugin's job. Idempotent: a repeated
 * delivery finds nothing left to move.
 */
async function moveToSurvivor(ctx: PluginContext, object: string, mergedIds: readonly string[], survivor: string): Promise<number> {
  const filter = `and(target_object[eq]:"${object}",target_id[in]:[${mergedIds.map((id) => `"${id}"`).join(',')}])`;
  let moved = 0;
  for (const own of [NOTE, TASK]) {
    while (moved < MOVE_MAX) {
      const page = await ctx.host.records.find(own, { filter, limit: MOVE_PAGE, fields: ['id'] });
      for (const record of page.data) await ctx.host.records.update(own, record.id, { target_id: survivor });
      moved += page.data.length;
      if (!page.page_info.has_next_page) break;
    }
  }
  return moved;
}

/**
 * The server code of `activities`, run in the kernel's sandbox: attaching notes and tasks to records
 * that exist, listing them per record, and the tasks due today.
 */
export default definePlugin({
  routes: {
    /** GET /api/plugins/activities/for/:object/:id → {@link RecordActivities}. */
    async forRecord(ctx, { params }): Promise<RecordActivities> {
      const { object, id } = target(params.object, params.id);
      const filter = `and(target_object[eq]:"${object}",target_id[eq]:"${id}")`;
      const [notes, tasks] = await Promise.all([
        ctx.host.records.find<Note>(NOTE, { filter, order_by: 'created_at[Desc]', limit: PER_RECORD }),
        ctx.host.records.find<Task>(TASK, { filter, order_by: 'created_at[Desc]', limit: PER_RECORD }),
      ]);
      return { notes: notes.data, tasks: tasks.data, has_more: { notes: notes.page_info.has_next_page, tasks: tasks.page_info.has_next_page } };
    },

    /** POST /api/plugins/activities/notes { target_object, target_id, body, title? } → 201 with the note. */
    async createNote(ctx, { body }: RouteInput<Record<string, unknown> | null>) {
      const markdown = text(body?.body);
      if (markdown === null) throw new PluginError('ACTIVITIES_INVALID', 'A note needs a non-empty body (Markdown).', 400);
      const { object, id } = await existingTarget(ctx, body?.target_object, body?.target_id);
      // Without a title, the first line of the body names the note in lists and search.
      const title = text(body?.title)?.trim() ?? markdown.trim().split('\n')[0]!.replace(/^#+\s*/, '').replace(/\*\*|`/g, '').slice(0, TITLE_FROM_BODY);
      const note = await createOwn<Note>(ctx, NOTE, { title, body: markdown, target_object: object, target_id: id });
      return respond({ status: 201, body: note });
    },

    /** POST /api/plugins/activities/tasks { target_object, target_id, title, body?, due_date?, status?, assignee_id? } → 201. */
    async createTask(ctx, { body }: RouteInput<Record<string, unknown> | null>) {
      const title = text(body?.title)?.trim();
      if (title === undefined) throw new PluginError('ACTIVITIES_INVALID', 'A task needs a non-empty title.', 400);
      const { object, id } = await existingTarget(ctx, body?.target_object, body?.target_id);
      const data: Record<string, unknown> = { title, target_object: object, target_id: id };
      for (const key of ['body', 'due_date', 'status', 'assignee_id'] as const) {
        if (body?.[key] !== undefined) data[key] = body[key];
      }
      const task = await createOwn<Task>(ctx, TASK, data);
      return respond({ status: 201, body: task });
    },

    /** PATCH /api/plugins/activities/tasks/:id { title?, body?, due_date?, status?, assignee_id? } → the task. */
    async updateTask(ctx, { params, body }: RouteInput<Record<string, unknown> | null>) {
      return (await changeOwn<Task>(ctx, TASK, params.id, changes(body, TASK_CHANGES, 'task')))!;
    },

    /** DELETE /api/plugins/activities/tasks/:id → 204 (soft delete: the record's trash can restore it). */
    async deleteTask(ctx, { params }) {
      await changeOwn(ctx, TASK, params.id, 'delete');
      return respond({ status: 204 });
    },

    /** PATCH /api/plugins/activities/notes/:id { title?, body? } → the note. */
    async updateNote(ctx, { params, body }: RouteInput<Record<string, unknown> | null>) {
      return (await changeOwn<Note>(ctx, NOTE, params.id, changes(body, NOTE_CHANGES, 'note')))!;
    },

    /** DELETE /api/plugins/activities/notes/:id → 204 (soft delete). */
    async deleteNote(ctx, { params }) {
      await changeOwn(ctx, NOTE, params.id, 'delete');
      return respond({ status: 204 });
    },

    /** GET /api/plugins/activities/tasks/due-today → {@link DueToday}: not done, due today in UTC. */
    async dueToday(ctx): Promise<DueToday> {
      const date = new Date().toISOString().slice(0, 10);
      const page = await ctx.host.records.find<Task>(TASK, {
        filter: `and(status[neq]:done,due_date[eq]:${date})`,
        order_by: 'created_at[Asc]',
        limit: DUE_TODAY,
      });
      return { date, data: page.data, has_more: page.page_info.has_next_page };
    },
  },
  events: {
    /** record.merged on any object: the merged records' notes and tasks follow the survivor. */
    async followMerge(ctx, event: PluginEvent<{ merged_ids?: unknown }>) {
      const ids = Array.isArray(event.payload.merged_ids) ? event.payload.merged_ids.filter((id): id is string => typeof id === 'string' && UUID.test(id)) : [];
      if (!event.object || !event.record_id || ids.length === 0) return;
      await moveToSurvivor(ctx, event.object, ids, event.record_id);
    },
  },
});
