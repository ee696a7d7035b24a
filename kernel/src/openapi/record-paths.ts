import { fieldType } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import { MAX_BATCH } from '../records/batch.js';
import { MAX_EMBEDDED } from '../records/depth.js';
import { MAX_MERGE } from '../records/merge.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../records/find.js';
import { MAX_CURSOR_LENGTH } from '../records/query/index.js';
import type { Access } from '../roles/index.js';
import { addOperation, dataOf, object, pathParam, queryParam, ref, type Json, type Paths } from './common.js';
import { filterParamDescription, orderByDescription } from './filter-docs.js';
import type { ObjectNames } from './naming.js';

/** The record keys a caller may name in `fields=` (field names, and relation keys such as `company_id`). */
function fieldsDescription(object_: ObjectDef, access: Access): string {
  const keys = object_.fields
    .filter((f) => f.type !== 'one_to_many' && access.fieldRead(object_.name, f.name))
    .map((f) => `\`${fieldType(f).recordKey(f)}\``);
  return `Comma-separated fields to return (\`id\` is always returned); by default every field your role can read. One of: ${keys.join(', ')}.`;
}

const depthParam = queryParam(
  'depth',
  { type: 'integer', enum: [0, 1], default: 0 },
  `1 embeds related records: the target of each relation under the relation's name, and up to ${MAX_EMBEDDED} records of each reverse side.`,
);
const deletedParam = queryParam(
  'deleted',
  { type: 'string', enum: ['exclude', 'include', 'only'], default: 'exclude' },
  'Whether soft-deleted records are left out (`exclude`), included, or the only ones returned.',
);

/**
 * The record routes of records/routes.ts for one object, as concrete paths (`/api/objects/company/{id}`),
 * with only the operations the caller's role allows.
 */
export function recordPaths(object_: ObjectDef, access: Access, names: ObjectNames): Paths {
  const paths: Paths = {};
  const base = `/api/objects/${object_.name}`;
  const tag = object_.name;
  const label = object_.labelSingular;
  const one = `/api/objects/${object_.name}/{id}`;
  const idParam = pathParam('id', { type: 'string', format: 'uuid' }, `The ${label} record's id.`);
  const fieldsParam = queryParam('fields', { type: 'string', maxLength: 4000 }, fieldsDescription(object_, access));
  const record = dataOf(ref(names.read));
  const may = (op: 'create' | 'update' | 'delete') => access.object(object_.name, op);

  addOperation(paths, base, 'get', {
    id: `list${names.read}`,
    summary: `List ${object_.labelPlural} records`,
    description: 'One page of records, newest first unless `order_by` says otherwise. Pages are keyset-based: pass `page_info.end_cursor` as `starting_after` for the next page, `page_info.start_cursor` as `ending_before` for the previous one.',
    tag,
    parameters: [
      queryParam('filter', { type: 'string', maxLength: 8000 }, filterParamDescription(object_, access)),
      queryParam('order_by', { type: 'string', maxLength: 1000 }, orderByDescription(object_, access)),
      queryParam('limit', { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT }, `Page size, 1 to ${MAX_LIMIT}.`),
      queryParam('starting_after', { type: 'string', maxLength: MAX_CURSOR_LENGTH }, 'A cursor: return the records after it. Only with the `order_by` it was made under.'),
      queryParam('ending_before', { type: 'string', maxLength: MAX_CURSOR_LENGTH }, 'A cursor: return the records before it. Not together with `starting_after`.'),
      fieldsParam,
      depthParam,
      queryParam('count', { type: 'boolean', default: false }, 'Also return `total_count`, the number of records matching the filter.'),
      deletedParam,
    ],
    ok: { status: 200, description: 'A page of records.', schema: ref(names.list) },
    errors: [400, 403, 404],
  });

  addOperation(paths, one, 'get', {
    id: `get${names.read}`,
    summary: `Get a ${label} record`,
    tag,
    parameters: [idParam, fieldsParam, depthParam, deletedParam],
    ok: { status: 200, description: 'The record.', schema: record },
    errors: [400, 403, 404],
  });

  if (may('create')) {
    addOperation(paths, base, 'post', {
      id: `create${names.read}`,
      summary: `Create a ${label} record`,
      description: 'A client may choose the `id` (imports keep their ids); the kernel sets the timestamps and `created_by`.',
      tag,
      body: ref(names.create),
      ok: { status: 201, description: 'The created record.', schema: record },
      errors: [400, 403, 404, 409],
    });
    addOperation(paths, `${base}/batch`, 'post', {
      id: `batch${names.read}`,
      summary: `Create or upsert up to ${MAX_BATCH} ${object_.labelPlural} records`,
      description:
        'All records are validated first and every problem is reported together (`records[3].email …`); either every record is written or none is. ' +
        'With `upsert_on` (`id` or a unique single-value field; needs update permission too), a record whose key matches a live record updates it ' +
        `(validated as \`${names.update}\` plus the key); the others are created.`,
      tag,
      body: object(
        {
          records: { type: 'array', minItems: 1, maxItems: MAX_BATCH, items: { anyOf: [ref(names.create), ref(names.update)] } },
          upsert_on: { type: 'string', maxLength: 64 },
        },
        { optional: ['upsert_on'] },
      ),
      ok: {
        status: 200,
        description: 'The written records in input order, and how many were created and updated.',
        schema: object({ data: { type: 'array', items: ref(names.read) }, created: { type: 'integer' }, updated: { type: 'integer' } }),
      },
      errors: [400, 403, 404, 409],
    });
  }

  if (may('update')) {
    addOperation(paths, one, 'patch', {
      id: `update${names.read}`,
      summary: `Update a ${label} record`,
      description: 'Only the fields sent change; a composite value changes only the sub-fields it names, and null clears a field.',
      tag,
      parameters: [idParam],
      body: ref(names.update),
      ok: { status: 200, description: 'The updated record.', schema: record },
      errors: [400, 403, 404, 409],
    });
  }

  if (may('delete')) {
    addOperation(paths, one, 'delete', {
      id: `delete${names.read}`,
      summary: `Delete a ${label} record`,
      description: 'Soft-deletes the record (it can be restored), or with `destroy=true` removes it for good, applying each relation\'s `on_delete`.',
      tag,
      parameters: [idParam, queryParam('destroy', { type: 'boolean', default: false }, 'Remove the record for good instead of soft-deleting it.')],
      ok: { status: 200, description: 'The record as it was deleted.', schema: record },
      errors: [400, 403, 404, 409],
    });
    addOperation(paths, `${one}/restore`, 'post', {
      id: `restore${names.read}`,
      summary: `Restore a soft-deleted ${label} record`,
      description: 'Its unique values are checked again.',
      tag,
      parameters: [idParam],
      ok: { status: 200, description: 'The restored record.', schema: record },
      errors: [400, 403, 404, 409],
    });
    if (may('update')) {
      addOperation(paths, `${base}/merge`, 'post', {
        id: `merge${names.read}`,
        summary: `Merge ${object_.labelPlural} records into one`,
        description:
          `In one transaction: every relation field of the workspace that points at one of the \`from\` records (1 to ${MAX_MERGE}) is re-pointed to \`into\`, their timeline moves to it, they are soft-deleted, ` +
          'then `values` is applied to the survivor (validated like an update, so a merged record\'s unique value can move over). Needs update on every object whose records get re-pointed. ' +
          'Emits `record.updated` per re-pointed record, `record.deleted` per merged record (with `merged_into`) and `record.merged` on the survivor.',
        tag,
        body: object(
          {
            into: { type: 'string', format: 'uuid' },
            from: { type: 'array', minItems: 1, maxItems: MAX_MERGE, items: { type: 'string', format: 'uuid' } },
            values: ref(names.update),
          },
          { optional: ['values'] },
        ),
        ok: {
          status: 200,
          description: 'The survivor, the merged ids, and per object how many records were re-pointed.',
          schema: object({ data: ref(names.read), merged_ids: { type: 'array', items: { type: 'string', format: 'uuid' } }, repointed: { type: 'object', additionalProperties: { type: 'integer' } } }),
        },
        errors: [400, 403, 404, 409],
      });
    }
  }
  return paths;
}

/** The tag describing one object's operations. */
export function objectTag(object_: ObjectDef): Json {
  return { name: object_.name, description: `${object_.labelPlural}${object_.description ? `: ${object_.description}` : ''}` };
}
