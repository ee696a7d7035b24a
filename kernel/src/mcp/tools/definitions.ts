import { MAX_LIMIT } from '../../records/find.js';
import { MAX_SEARCH_LENGTH, MAX_SEARCH_LIMIT } from '../../search/routes.js';

/** A JSON Schema, as tools carry them. */
export type JsonSchema = Readonly<Record<string, unknown>>;

/** A tool as `tools/list` shows it. */
export interface ToolDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  readonly inputSchema: JsonSchema & { readonly type: 'object' };
  readonly annotations?: Readonly<Record<string, unknown>>;
}

const FILTER_HELP =
  'The records API filter grammar: `field[op]:value` conditions, grouped with and(...), or(...), not(...); ' +
  'a top-level comma list means and. Sub-fields are dotted (name.first_name, amount.amount). Values: "quoted strings", ' +
  'numbers, true/false, NULL/NOT_NULL (with is), lists [1,2] (with in, containsAny), bare words. Operators: ' +
  'eq neq gt gte lt lte in like ilike startsWith is containsAny. Example: and(name[ilike]:"%acme%",employees[gte]:10).';

const ORDER_HELP = 'Comma-separated `field[Asc|Desc|AscNullsFirst|AscNullsLast|DescNullsFirst|DescNullsLast]`; default newest first.';

/**
 * The `object` parameter: the names of the objects the caller's role reads, so a model sees the data
 * model in the schema itself. The list is computed per request from the workspace's current metadata.
 */
function objectParam(objects: readonly string[]): JsonSchema {
  const base = { type: 'string', minLength: 1, maxLength: 64, description: 'The object (table) name, e.g. one of list_objects.' };
  return objects.length > 0 ? { ...base, enum: [...objects] } : base;
}

const id = { type: 'string', format: 'uuid', description: 'The record id.' } as const;
const data = { type: 'object', description: 'Field values by field key, as describe_object names them (a relation `company` is set through `company_id`).' } as const;
const strictObject = (properties: Record<string, unknown>, required: readonly string[]) =>
  ({ type: 'object', additionalProperties: false, properties, required: [...required] }) as const;

/** The kernel's own tools for a caller whose role reads `objects`. */
export function coreToolDefinitions(objects: readonly string[]): ToolDefinition[] {
  const object = objectParam(objects);
  return [
    {
      name: 'list_objects',
      title: 'List objects',
      description: 'Lists the objects (tables) of the CRM workspace you can read, with their labels and descriptions.',
      inputSchema: strictObject({}, []),
      annotations: { readOnlyHint: true },
    },
    {
      name: 'describe_object',
      title: 'Describe an object',
      description: 'Describes one object: its fields you can read with their types, select options, relations (and their targets) and the filterable paths.',
      inputSchema: strictObject({ object }, ['object']),
      annotations: { readOnlyHint: true },
    },
    {
      name: 'find_records',
      title: 'Find records',
      description: `Lists records of an object, one page at a time. filter: ${FILTER_HELP} Pages: pass page_info.end_cursor as starting_after for the next page.`,
      inputSchema: strictObject(
        {
          object,
          filter: { type: 'string', maxLength: 8000, description: FILTER_HELP },
          order_by: { type: 'string', maxLength: 1000, description: ORDER_HELP },
          limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: 20, description: `Records per page (1 to ${MAX_LIMIT}).` },
          starting_after: { type: 'string', maxLength: 4096, description: 'A cursor (page_info.end_cursor) to continue after.' },
          ending_before: { type: 'string', maxLength: 4096, description: 'A cursor (page_info.start_cursor) to go back before.' },
          fields: { type: 'array', maxItems: 200, items: { type: 'string', maxLength: 64 }, description: 'Only these fields (id always comes back).' },
          count: { type: 'boolean', description: 'Also return total_count.' },
        },
        ['object'],
      ),
      annotations: { readOnlyHint: true },
    },
    {
      name: 'get_record',
      title: 'Get a record',
      description: 'Reads one record by id, with the records it relates to embedded (depth 1).',
      inputSchema: strictObject({ object, id }, ['object', 'id']),
      annotations: { readOnlyHint: true },
    },
    {
      name: 'search',
      title: 'Search',
      description: 'Searches the text-like fields of every object you can read (or only `objects`) for records containing `q`, ignoring case.',
      inputSchema: strictObject(
        {
          q: { type: 'string', minLength: 1, maxLength: MAX_SEARCH_LENGTH },
          limit: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_LIMIT, default: 20 },
          objects: { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 64 } },
        },
        ['q'],
      ),
      annotations: { readOnlyHint: true },
    },
    {
      name: 'create_record',
      title: 'Create a record',
      description: 'Creates a record of an object from field values; answers the record as stored.',
      inputSchema: strictObject({ object, data }, ['object', 'data']),
      annotations: { readOnlyHint: false, destructiveHint: false },
    },
    {
      name: 'update_record',
      title: 'Update a record',
      description: 'Changes some fields of a record; fields not given keep their values.',
      inputSchema: strictObject({ object, id, data }, ['object', 'id', 'data']),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    },
    {
      name: 'delete_record',
      title: 'Delete a record',
      description: 'Moves a record to the trash (a soft delete: it can be restored in the CRM).',
      inputSchema: strictObject({ object, id }, ['object', 'id']),
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true },
    },
  ];
}
