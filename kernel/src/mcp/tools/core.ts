import type { KernelServices } from '../../app/services.js';
import { pageJson } from '../../records/page.js';
import type { RecordService } from '../../records/service.js';
import type { SearchService } from '../../search/service.js';
import type { McpCaller } from '../principal.js';
import { describeObject, objectSummary } from './describe.js';

/** What the kernel's tools work with. */
export interface CoreToolDeps {
  readonly services: KernelServices;
  readonly records: RecordService;
  readonly search: SearchService;
}

/** A tool's arguments, already checked against its input schema. */
type Args = Record<string, unknown>;
type CoreTool = (deps: CoreToolDeps, caller: McpCaller, args: Args) => Promise<Record<string, unknown>>;

const str = (args: Args, key: string) => args[key] as string;
const opt = <T>(args: Args, key: string) => args[key] as T | undefined;

/**
 * The kernel's tools: each is the HTTP API's code path with the caller's role ∩ token scopes, so a
 * tool can never do what the same member could not do over HTTP with the same scopes.
 */
export const CORE_TOOLS: Readonly<Record<string, CoreTool>> = Object.freeze({
  // The data model is shown as `GET /api/metadata/objects` shows it to the role: objects and fields it
  // reads. `metadata:read` is what lets the token ask; it needs no record scope.
  async list_objects({ services }, { auth, roleAccess }) {
    const metadata = await services.metadata.get(auth.workspaceId);
    return { data: [...metadata.objects.values()].filter((o) => roleAccess.object(o.name, 'read')).map(objectSummary) };
  },

  async describe_object({ services }, { auth, roleAccess }, args) {
    const name = str(args, 'object');
    roleAccess.assertObject(name, 'read');
    const object = await services.metadata.object(auth.workspaceId, name);
    return { data: describeObject(object, roleAccess) };
  },

  async find_records({ records }, { auth }, args) {
    const result = await records.find(auth, str(args, 'object'), {
      filter: opt(args, 'filter'),
      orderBy: opt(args, 'order_by'),
      limit: opt<number>(args, 'limit') ?? 20,
      startingAfter: opt(args, 'starting_after'),
      endingBefore: opt(args, 'ending_before'),
      fields: opt<string[]>(args, 'fields'),
      count: opt<boolean>(args, 'count') ?? false,
    });
    return pageJson(result);
  },

  async get_record({ records }, { auth }, args) {
    return { data: await records.get(auth, str(args, 'object'), str(args, 'id'), { depth: 1 }) };
  },

  async search({ search }, { auth }, args) {
    const objects = opt<string[]>(args, 'objects');
    return { data: await search.search(auth, { q: str(args, 'q'), limit: opt<number>(args, 'limit') ?? 20, ...(objects ? { objects } : {}) }) };
  },

  async create_record({ records }, { auth }, args) {
    return { data: await records.create(auth, str(args, 'object'), args.data) };
  },

  async update_record({ records }, { auth }, args) {
    return { data: await records.update(auth, str(args, 'object'), str(args, 'id'), args.data) };
  },

  async delete_record({ records }, { auth }, args) {
    return { data: await records.delete(auth, str(args, 'object'), str(args, 'id')) };
  },
});
