import { ANY_OBJECT, ANY_OBJECT_OPERATIONS, type PluginManifest } from '@mosaic/plugin-sdk';
import type { Actor } from '../../auth/context.js';
import type { ObjectAccess, RolePermissions } from '../../db/entities/index.js';
import type { DeletedMode, FindQuery } from '../../records/find.js';
import type { AggregateQuery } from '../../records/aggregate.js';
import { aggregateJson } from '../../records/aggregate-json.js';
import { pageJson } from '../../records/page.js';
import type { RecordService } from '../../records/service.js';
import { Access } from '../../roles/index.js';
import { MosaicError } from '../../errors/index.js';
import { DEFAULT_MAX_ROWS, bridgeError, isPlainObject, optionsObject, type HostCapability, type HostContext } from './common.js';

const ALL: ObjectAccess = { read: true, create: true, update: true, delete: true };
const operationsAccess = (operations: readonly string[]): ObjectAccess => ({
  read: operations.includes('read'),
  create: operations.includes('create'),
  update: operations.includes('update'),
  delete: operations.includes('delete'),
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The access a plugin holds: what `permissions.records` grants, plus everything on the objects it
 * contributes. No field restrictions and no workspace capabilities: a plugin never administers.
 *
 * `"*"` (every object, including objects added later) becomes the role document's `*` entry, which
 * {@link Access} consults for any object without an entry of its own; a named entry is merged with it,
 * so naming an object never takes away what `"*"` gives. `"*"` carries only the operations the manifest
 * grammar allows on it (reading): a stored manifest from elsewhere cannot widen that.
 */
export function pluginAccess(manifest: PluginManifest): Access {
  const records = manifest.permissions?.records ?? {};
  const any = (records[ANY_OBJECT] ?? []).filter((op) => ANY_OBJECT_OPERATIONS.includes(op));
  const objects: Record<string, ObjectAccess> = {};
  if (any.length > 0) objects[ANY_OBJECT] = operationsAccess(any);
  for (const [object, operations] of Object.entries(records)) {
    if (object !== ANY_OBJECT) objects[object] = operationsAccess([...operations, ...any]);
  }
  for (const object of manifest.objects ?? []) objects[object.name] = ALL;
  const permissions: RolePermissions = { workspace: [], objects, fields: {} };
  return new Access(`plugin:${manifest.id}`, permissions);
}

/**
 * The actor a plugin's writes are recorded under (`created_by`, events). `chain` counts the plugin event
 * handlers that led here (see {@link Actor.chain}).
 */
export function pluginActor(manifest: PluginManifest, chain?: number): Actor {
  return chain === undefined ? { type: 'plugin', id: manifest.id, name: manifest.name } : { type: 'plugin', id: manifest.id, name: manifest.name, chain };
}

function objectName(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) throw bridgeError('records', 'the object name must be a non-empty string');
  return value;
}

function recordId(value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw bridgeError('records', 'the record id must be a UUID string');
  return value;
}

function body(value: unknown): Record<string, unknown> {
  if (!isPlainObject(value)) throw bridgeError('records', 'the record body must be an object');
  return value;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => Number.isInteger(v);
const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
const isDeleted = (v: unknown): v is DeletedMode => v === 'exclude' || v === 'include' || v === 'only';
const isDepth = (v: unknown): v is number => v === 0 || v === 1;

/** How one key of a query in the HTTP API's words is checked, and the key it becomes. */
type QueryKey = readonly [target: string, check: (v: unknown) => boolean, message: string];

/**
 * A query in the HTTP API's words (`order_by`, `starting_after`, …), checked key by key against `spec`:
 * unknown keys and values of the wrong kind are refused with the bridge's error for `capability`.
 */
function checkedQuery<T>(value: unknown, capability: string, spec: Readonly<Record<string, QueryKey>>): T {
  if (value === undefined || value === null) return {} as T;
  if (!isPlainObject(value)) throw bridgeError(capability, 'the query must be an object');
  const unknown = Object.keys(value).filter((k) => !Object.hasOwn(spec, k));
  if (unknown.length > 0) throw bridgeError(capability, `unknown query keys ${unknown.join(', ')}`);
  const query: Record<string, unknown> = {};
  for (const [key, [target, check, message]] of Object.entries(spec)) {
    const given = value[key];
    if (given === undefined || given === null) continue;
    if (!check(given)) throw bridgeError(capability, `query.${message}`);
    query[target] = given;
  }
  return query as T;
}

const FILTER: QueryKey = ['filter', isString, 'filter must be a string'];
const DELETED: QueryKey = ['deleted', isDeleted, 'deleted must be exclude, include or only'];

const FIND_QUERY: Record<string, QueryKey> = {
  filter: FILTER,
  order_by: ['orderBy', isString, 'order_by must be a string'],
  limit: ['limit', isInt, 'limit must be a whole number'],
  starting_after: ['startingAfter', isString, 'starting_after must be a string'],
  ending_before: ['endingBefore', isString, 'ending_before must be a string'],
  fields: ['fields', isStrings, 'fields must be a list of strings'],
  depth: ['depth', isDepth, 'depth must be 0 or 1'],
  count: ['count', isBool, 'count must be true or false'],
  deleted: DELETED,
};

const AGGREGATE_QUERY: Record<string, QueryKey> = {
  group_by: ['groupBy', isStrings, 'group_by must be a list of field paths'],
  metrics: ['metrics', isStrings, 'metrics must be a list like ["sum:amount.amount"]'],
  filter: FILTER,
  deleted: DELETED,
};

/** A find query in the HTTP API's words, checked key by key. */
const findQuery = (value: unknown) => checkedQuery<FindQuery & { depth?: number }>(value, 'records', FIND_QUERY);

/** An aggregate query in the HTTP API's words, checked key by key. */
const aggregateQuery = (value: unknown) => checkedQuery<AggregateQuery>(value, 'records.aggregate', AGGREGATE_QUERY);

/**
 * The invocation's row budget: a call is refused once the rows read or written so far reach the cap, so
 * a handler cannot walk a whole table (a page already fetched is still returned, so the last call may
 * pass the cap by at most one page).
 */
function rowBudget(context: HostContext) {
  const state = context.rows ?? { used: 0, max: DEFAULT_MAX_ROWS };
  const check = () => {
    if (state.used >= state.max) {
      throw new MosaicError('MOSAIC_ERR_PLUGIN_ROWS', `The plugin has read or written ${state.used} records in this invocation; the limit is ${state.max}. Page through in several runs (a job, or one route call per page).`);
    }
  };
  return {
    check,
    add: (n: number) => void (state.used += n),
    async one<T>(call: () => Promise<T>): Promise<T> {
      check();
      const value = await call();
      state.used += 1;
      return value;
    },
  };
}

/**
 * `ctx.host.records`: the records API as the plugin itself, through the same {@link RecordService} as
 * the HTTP API, so validation, permissions and events are identical. Every call is checked against the
 * plugin's grants by the service's `Access`; an object it was not granted is "not found", as over HTTP.
 */
export function recordsCapability(context: HostContext): HostCapability {
  const caller = { workspaceId: context.workspaceId, actor: context.actor, access: pluginAccess(context.manifest) };
  const { records } = context;
  const budget = rowBudget(context);
  return {
    async find(object, query) {
      budget.check();
      const result = await records.find(caller, objectName(object), findQuery(query));
      budget.add(result.data.length);
      return pageJson(result);
    },
    /** Groups and totals in the database (`GET /api/objects/:object/aggregate`); one row of the budget. */
    aggregate: (object, query) => budget.one(async () => aggregateJson(await records.aggregate(caller, objectName(object), aggregateQuery(query)))),
    get: (object, id) => budget.one(() => records.get(caller, objectName(object), recordId(id))),
    create: (object, data) => budget.one(() => records.create(caller, objectName(object), body(data))),
    update: (object, id, data) => budget.one(() => records.update(caller, objectName(object), recordId(id), body(data))),
    delete: (object, id) => budget.one(() => records.delete(caller, objectName(object), recordId(id))),
    /**
     * Creates the record, or updates the live one whose `on` field (`id` or a unique field) has the same
     * value: the batch endpoint's upsert with one record, so it needs `create` and `update`, like over HTTP.
     */
    async upsert(object, data, options) {
      const { on } = optionsObject('records.upsert', options, ['on']);
      if (typeof on !== 'string' || on.length === 0 || on.length > 64) throw bridgeError('records.upsert', 'options.on must name the field to match on ("id" or a unique field)');
      budget.check();
      const result = await records.batch(caller, objectName(object), { records: [body(data)], upsert_on: on });
      budget.add(1);
      return result.data[0];
    },
    /**
     * Merges records into a survivor (`POST /api/objects/:object/merge`): needs update and delete on the
     * object and update on every object whose records get re-pointed, all within the plugin's grant.
     */
    async merge(object, options) {
      const { into, from, values } = optionsObject('records.merge', options, ['into', 'from', 'values']);
      if (!Array.isArray(from)) throw bridgeError('records.merge', 'options.from must be a list of record ids');
      if (values !== undefined && values !== null && !isPlainObject(values)) throw bridgeError('records.merge', 'options.values must be an object');
      budget.check();
      const result = await records.merge(caller, objectName(object), { into: recordId(into), from: from as string[], ...(values ? { values } : {}) });
      budget.add(1 + result.merged_ids.length + Object.values(result.repointed).reduce((a, b) => a + b, 0));
      return result;
    },
  };
}
