import { definePlugin, PluginError, type ImportInfo, type ImportObject, type ImportStart, type PluginContext, type PreparedImport, type RouteInput } from '@mosaic/plugin-sdk';

/**
 * Import & export. The plugin owns the workflow — which objects, the mapping step, the report — and
 * the kernel does the data work through `ctx.host.imports` and the records export: parsing and writing
 * 100,000 rows at database speed is not something a 500 ms sandbox invocation can do, and the file
 * never passes through the sandbox (the browser sends it to a one-time upload URL). Every call acts for
 * the member using the page, on their role: the plugin holds no record access of its own.
 */

/** What `GET /objects` answers. */
export type ObjectsAnswer = { readonly data: ImportObject[] };
/** What `GET /export-url` answers: a same-origin URL the browser downloads with the member's session. */
export type ExportUrl = { readonly url: string; readonly filename_hint: string };
export type { ImportInfo, ImportObject, PreparedImport };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const codeOf = (error: unknown): string | undefined => (error as { code?: string } | null)?.code;
const first = (value: unknown): string | undefined => (Array.isArray(value) ? first(value[0]) : typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** Kernel refusals the member can act on, answered with the kernel's code and message and a fitting status. */
const STATUS: Record<string, number> = {
  MOSAIC_ERR_OBJECT_NOT_FOUND: 404,
  MOSAIC_ERR_IMPORT_NOT_FOUND: 404,
  MOSAIC_ERR_FORBIDDEN: 403,
  MOSAIC_ERR_FIELD_FORBIDDEN: 403,
  MOSAIC_ERR_IMPORT_STATE: 409,
  MOSAIC_ERR_IMPORT_MAPPING_INVALID: 400,
  MOSAIC_ERR_PLUGIN_BRIDGE_INVALID: 400,
};

/** Runs a host call; a refusal becomes the route's answer (`IMPORT_EXPORT_*` code, the kernel's message). */
async function passing<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const code = codeOf(error);
    const status = code ? STATUS[code] : undefined;
    if (!code || !status) throw error;
    throw new PluginError(code.replace(/^MOSAIC_ERR_/, 'IMPORT_EXPORT_'), (error as Error).message, status);
  }
}

function importId(value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) throw new PluginError('IMPORT_EXPORT_IMPORT_NOT_FOUND', `No import has the id "${String(value ?? '')}".`, 404);
  return value;
}

/** The object a request names, which the member must be able to read. */
async function readableObject(ctx: PluginContext, name: unknown): Promise<ImportObject> {
  const objects = await ctx.host.imports.objects();
  const object = objects.find((o) => o.name === name);
  if (!object) throw new PluginError('IMPORT_EXPORT_OBJECT_NOT_FOUND', `There is no object "${String(name ?? '')}" you can read.`, 404);
  return object;
}

export default definePlugin({
  routes: {
    async objects(ctx): Promise<ObjectsAnswer> {
      return { data: await ctx.host.imports.objects() };
    },

    /**
     * The download URL of a view: the kernel's `GET /api/objects/:object/export`, streamed with no row cap
     * and filtered to what the member's role may read. Built here so the page and the API agree on it.
     */
    async exportUrl(ctx, { query }): Promise<ExportUrl> {
      const object = await readableObject(ctx, first(query.object));
      // The sandbox has no URLSearchParams; encodeURIComponent is the language's own.
      const params = ['format=csv'];
      for (const key of ['filter', 'order_by', 'fields'] as const) {
        const value = first(query[key]);
        if (value) params.push(`${key}=${encodeURIComponent(value)}`);
      }
      return { url: `/api/objects/${encodeURIComponent(object.name)}/export?${params.join('&')}`, filename_hint: `${object.name}.csv` };
    },

    async prepare(ctx, { body }: RouteInput<{ object?: unknown; file_name?: unknown }>): Promise<PreparedImport> {
      const object = first(body?.object);
      if (!object) throw new PluginError('IMPORT_EXPORT_OBJECT_REQUIRED', 'Say which object to import into ({"object": "company"}).', 400);
      const fileName = first(body?.file_name);
      return passing(() => ctx.host.imports.prepare(object, fileName ? { file_name: fileName.slice(0, 255) } : {}));
    },

    async list(ctx, { query }): Promise<{ data: ImportInfo[] }> {
      const object = first(query.object);
      return { data: await passing(() => ctx.host.imports.list(object ? { object } : {})) };
    },

    async get(ctx, { params }): Promise<ImportInfo> {
      return passing(() => ctx.host.imports.get(importId(params.id)));
    },

    async start(ctx, { params, body }: RouteInput<Partial<ImportStart>>): Promise<ImportInfo> {
      if (!body || !Array.isArray(body.mapping)) throw new PluginError('IMPORT_EXPORT_MAPPING_REQUIRED', 'Send the mapping: one field key or null per column of the file.', 400);
      const options: ImportStart = {
        mapping: body.mapping,
        ...(body.upsert_on ? { upsert_on: body.upsert_on } : {}),
        ...(body.on_error ? { on_error: body.on_error } : {}),
        ...(body.date_order ? { date_order: body.date_order } : {}),
      };
      return passing(() => ctx.host.imports.start(importId(params.id), options));
    },
  },
});
