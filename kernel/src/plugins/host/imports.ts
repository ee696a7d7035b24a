import { importService, type StartInput } from '../../imports/index.js';
import { MosaicError } from '../../errors/index.js';
import { bridgeError, optionsObject, permissionError, type HostCapability, type HostContext } from './common.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function importId(value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw bridgeError('imports', 'the import id must be a UUID string');
  return value;
}

function startInput(value: unknown): StartInput {
  const options = optionsObject('imports.start', value, ['mapping', 'upsert_on', 'on_error', 'date_order']);
  const { mapping, upsert_on, on_error, date_order } = options;
  if (!Array.isArray(mapping) || mapping.length > 1000 || !mapping.every((m) => m === null || (typeof m === 'string' && m.length <= 200))) {
    throw bridgeError('imports.start', 'options.mapping must be a list of field keys or null, one per column');
  }
  if (upsert_on !== undefined && upsert_on !== null && (typeof upsert_on !== 'string' || upsert_on.length > 64)) throw bridgeError('imports.start', 'options.upsert_on must be a field name');
  if (on_error !== undefined && on_error !== 'abort' && on_error !== 'skip') throw bridgeError('imports.start', 'options.on_error must be "abort" or "skip"');
  if (date_order !== undefined && date_order !== 'dmy' && date_order !== 'mdy') throw bridgeError('imports.start', 'options.date_order must be "dmy" or "mdy"');
  return { mapping: mapping as (string | null)[], upsert_on: (upsert_on as string | null | undefined) ?? null, on_error: on_error as StartInput['on_error'], date_order: date_order as StartInput['date_order'] };
}

/**
 * `ctx.host.imports`: CSV import and export for the **member calling the plugin's route**, on that
 * member's role — never on the plugin's grant, so a plugin with `permissions.imports` reaches no record
 * its member could not. The file itself never passes through the sandbox: `prepare` hands out a one-time
 * upload URL the member's browser sends it to. Only route handlers have a member to act for; events,
 * jobs and hooks are refused.
 */
export function importsCapability(context: HostContext): HostCapability {
  const member = () => {
    if (!context.manifest.permissions?.imports) throw permissionError(context, 'run imports', 'ask for "imports": true in permissions');
    if (!context.member) {
      throw new MosaicError('MOSAIC_ERR_PLUGIN_PERMISSION', `The plugin "${context.manifest.id}" may run imports only from a route handler, for the member who called it.`);
    }
    return context.member;
  };
  const imports = importService(context.services);
  return {
    /** The objects the member may export or import into, with their readable fields and export columns. */
    objects: async () => imports.objects(member()),
    /** A job waiting for its file, and the URL the member's browser PUTs the file to. */
    async prepare(object, options) {
      const caller = member();
      const { file_name } = optionsObject('imports.prepare', options, ['file_name']);
      if (typeof object !== 'string' || object.length === 0 || object.length > 64) throw bridgeError('imports.prepare', 'the object name must be a non-empty string');
      if (file_name !== undefined && (typeof file_name !== 'string' || file_name.length > 255)) throw bridgeError('imports.prepare', 'options.file_name must be a string');
      return imports.prepare(caller, object, (file_name as string | undefined) ?? null);
    },
    get: async (id) => imports.get(member(), importId(id)),
    start: async (id, options) => imports.start(member(), importId(id), startInput(options)),
    async list(options) {
      const caller = member();
      const { object, limit } = optionsObject('imports.list', options, ['object', 'limit']);
      if (object !== undefined && typeof object !== 'string') throw bridgeError('imports.list', 'options.object must be a string');
      if (limit !== undefined && (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 100)) throw bridgeError('imports.list', 'options.limit must be 1 to 100');
      return imports.list(caller, object as string | undefined, (limit as number | undefined) ?? 20);
    },
  };
}

