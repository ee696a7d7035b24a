import type { ObjectDef } from '../metadata/model.js';
import type { Access } from '../roles/index.js';
import { MAX_SEARCH_LENGTH, MAX_SEARCH_LIMIT } from '../search/routes.js';
import { DEFAULT_TIMELINE_LIMIT, MAX_TIMELINE_LIMIT } from '../timeline/service.js';
import { MAX_VIEW_COLUMNS, MAX_VIEW_NAME } from '../views/schemas.js';
import { addOperation, dataOf, object, pathParam, queryParam, ref, type Json, type Paths } from './common.js';
import type { ObjectNames } from './naming.js';

/**
 * Saved views, search and record timelines: the routes of views/, search/ and timeline/, restated from
 * their route schemas (limits imported, so they cannot drift).
 */

const dateTime = { type: 'string', format: 'date-time' };
const fieldName = { type: 'string', minLength: 1, maxLength: 64 };
const problem = object({ path: { type: 'string' }, code: { type: 'string' }, message: { type: 'string' } });

/** The component schemas the routes below use. */
export const VIEW_SCHEMAS: Record<string, Json> = {
  SavedView: object({
    id: { type: 'string', format: 'uuid' },
    object: { type: 'string' },
    name: { type: 'string' },
    layout: { type: 'string', enum: ['table', 'board'] },
    filter: { type: 'string', description: 'The listing filter grammar; empty for none.' },
    order_by: { type: 'string', description: 'The listing order_by; empty for the default order.' },
    columns: { type: 'array', items: { type: 'string' }, description: 'Field names in display order; empty means every field.' },
    group_by: { type: ['string', 'null'], description: 'The select field a board groups by.' },
    shared: { type: 'boolean' },
    owner_member_id: { type: ['string', 'null'], format: 'uuid' },
    position: { type: 'integer' },
    created_at: dateTime,
    updated_at: dateTime,
    problems: { type: 'array', items: problem, description: 'What no longer applies for you (a field deleted, renamed or hidden), with the code listing would answer.' },
  }),
  SearchHit: object({
    object: { type: 'string' },
    id: { type: 'string', format: 'uuid' },
    label: { type: 'string' },
    match: object({ field: { type: 'string' }, value: { type: 'string' } }),
  }),
  TimelineEntry: object(
    {
      id: { type: 'string', format: 'uuid', description: "The event's id." },
      type: { type: 'string', description: '`record.created`, `record.updated`, `record.deleted`, `record.restored`, `record.destroyed`.' },
      occurred_at: dateTime,
      actor: { type: ['object', 'null'], properties: { type: { type: 'string' }, id: { type: 'string' }, name: { type: 'string' } } },
      changed_fields: { type: 'array', items: { type: 'string' } },
      before: { type: 'object' },
      after: { type: 'object' },
    },
    { optional: ['changed_fields', 'before', 'after'] },
  ),
};

const editable = {
  name: { type: 'string', minLength: 1, maxLength: MAX_VIEW_NAME },
  layout: { type: 'string', enum: ['table', 'board'], default: 'table' },
  filter: { type: 'string', maxLength: 8000, default: '' },
  order_by: { type: 'string', maxLength: 1000, default: '' },
  columns: { type: 'array', maxItems: MAX_VIEW_COLUMNS, items: fieldName, default: [] },
  group_by: { type: ['string', 'null'], maxLength: 64 },
  shared: { type: 'boolean', default: false },
};

/** `/api/views` and `/api/search`, for any caller (object access is checked per request). */
export function viewPaths(access: Access): Paths {
  const paths: Paths = {};
  const idParam = pathParam('id', { type: 'string', format: 'uuid' }, "The view's id.");
  const view = dataOf(ref('SavedView'));
  const sharing = access.can('metadata') ? ' Your role may create, change and delete shared views.' : ' Shared views need the `metadata` capability, which your role lacks.';
  addOperation(paths, '/api/views', 'get', {
    id: 'listViews',
    summary: "List an object's saved views",
    description: 'The shared views of the object and your own, by position, then name.',
    tag: 'Views',
    parameters: [{ ...queryParam('object', { type: 'string', maxLength: 64 }, 'The object.'), required: true }],
    ok: { status: 200, description: 'The views.', schema: object({ data: { type: 'array', items: ref('SavedView') } }) },
    errors: [400, 404],
  });
  addOperation(paths, '/api/views', 'post', {
    id: 'createView',
    summary: 'Save a view',
    description: `filter and order_by are checked as listing checks them. Names are unique per object among the views you see.${sharing}`,
    tag: 'Views',
    body: object({ object: { type: 'string', maxLength: 64 }, ...editable }, { optional: ['layout', 'filter', 'order_by', 'columns', 'group_by', 'shared'] }),
    ok: { status: 201, description: 'The view.', schema: view },
    errors: [400, 403, 404, 409],
  });
  addOperation(paths, '/api/views/{id}', 'get', {
    id: 'getView',
    summary: 'Get a saved view',
    tag: 'Views',
    parameters: [idParam],
    ok: { status: 200, description: 'The view.', schema: view },
    errors: [400, 404],
  });
  addOperation(paths, '/api/views/{id}', 'patch', {
    id: 'updateView',
    summary: 'Change a saved view',
    description: `Only what the patch names is checked again.${sharing}`,
    tag: 'Views',
    parameters: [idParam],
    body: { ...object({ ...editable, position: { type: 'integer', minimum: 0, maximum: 1_000_000 } }, { optional: [...Object.keys(editable), 'position'] }), minProperties: 1 },
    ok: { status: 200, description: 'The view.', schema: view },
    errors: [400, 403, 404, 409],
  });
  addOperation(paths, '/api/views/{id}', 'delete', {
    id: 'deleteView',
    summary: 'Delete a saved view',
    tag: 'Views',
    parameters: [idParam],
    ok: { status: 204, description: 'Deleted.' },
    errors: [400, 403, 404],
  });
  addOperation(paths, '/api/search', 'get', {
    id: 'search',
    summary: 'Search records of every object',
    description: 'Records (not soft-deleted) whose readable text-like fields contain `q`, ignoring case; label-field prefix matches first.',
    tag: 'Search',
    parameters: [
      { ...queryParam('q', { type: 'string', minLength: 1, maxLength: MAX_SEARCH_LENGTH }, 'The text to find.'), required: true },
      queryParam('limit', { type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, default: 20 }, `Most hits, 1 to ${MAX_SEARCH_LIMIT}.`),
      queryParam('objects', { type: 'string', maxLength: 4000 }, 'Comma-separated object names; every readable object when absent.'),
    ],
    ok: { status: 200, description: 'The hits.', schema: object({ data: { type: 'array', items: ref('SearchHit') } }) },
    errors: [400, 404],
  });
  return paths;
}

/** The timeline of one object's records. */
export function timelinePaths(object_: ObjectDef, names: ObjectNames): Paths {
  const paths: Paths = {};
  addOperation(paths, `/api/objects/${object_.name}/{id}/timeline`, 'get', {
    id: `timeline${names.read}`,
    summary: `A ${object_.labelSingular} record's timeline`,
    description: 'What happened to the record, newest first, with the fields your role may read. Pass `page_info.end_cursor` as `before` for older entries.',
    tag: object_.name,
    parameters: [
      pathParam('id', { type: 'string', format: 'uuid' }, `The ${object_.labelSingular} record's id.`),
      queryParam('limit', { type: 'integer', minimum: 1, maximum: MAX_TIMELINE_LIMIT, default: DEFAULT_TIMELINE_LIMIT }, `Page size, 1 to ${MAX_TIMELINE_LIMIT}.`),
      queryParam('before', { type: 'string', maxLength: 200 }, 'A cursor: entries older than it.'),
    ],
    ok: {
      status: 200,
      description: 'A page of entries.',
      schema: object({ data: { type: 'array', items: ref('TimelineEntry') }, page_info: object({ has_next_page: { type: 'boolean' }, end_cursor: { type: ['string', 'null'] } }) }),
    },
    errors: [400, 404],
  });
  return paths;
}

/** Tags of the routes above. */
export const VIEW_TAGS: readonly Json[] = [
  { name: 'Views', description: 'Saved table and board views of an object, private or shared.' },
  { name: 'Search', description: 'Search across objects.' },
];
