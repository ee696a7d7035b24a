/** JSON schemas of the saved views routes. Checks against the object's fields live in `validate.ts`. */

/** Longest view name, in characters (after trimming). */
export const MAX_VIEW_NAME = 80;
/** Most columns one view may list. */
export const MAX_VIEW_COLUMNS = 300;

const fieldName = { type: 'string', minLength: 1, maxLength: 64 } as const;

const editable = {
  name: { type: 'string', minLength: 1, maxLength: MAX_VIEW_NAME * 2 },
  layout: { type: 'string', enum: ['table', 'board'] },
  // Lengths as record listing accepts them; the grammar itself is checked by the records query parser.
  filter: { type: 'string', maxLength: 8000 },
  order_by: { type: 'string', maxLength: 1000 },
  columns: { type: 'array', maxItems: MAX_VIEW_COLUMNS, items: fieldName },
  group_by: { anyOf: [fieldName, { type: 'null' }] },
  shared: { type: 'boolean' },
} as const;

/** `POST /api/views`. */
export const createBody = {
  type: 'object',
  additionalProperties: false,
  required: ['object', 'name'],
  properties: { object: { type: 'string', minLength: 1, maxLength: 64 }, ...editable },
} as const;

/** `PATCH /api/views/:id`: anything but the object; `position` reorders. */
export const updateBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: { ...editable, position: { type: 'integer', minimum: 0, maximum: 1_000_000 } },
} as const;

/** `GET /api/views`. */
export const listQuery = {
  type: 'object',
  additionalProperties: false,
  required: ['object'],
  properties: { object: { type: 'string', minLength: 1, maxLength: 64 } },
} as const;

/** `:id` of the per-view routes. */
export const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
