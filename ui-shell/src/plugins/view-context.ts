import type { FieldMeta, ObjectMeta, PluginInfo, RecordData } from '../api/types.js';
import type { ShellContext } from '../app/context.js';

/** The answer of a plugin route call, as the view contract has it. */
interface ViewResponse {
  readonly status: number;
  readonly body: unknown;
}

/** What a slot tells its view about: the object and record shown, the field rendered, how to close. */
export interface ViewAbout {
  readonly object?: ObjectMeta;
  readonly record?: RecordData | null;
  readonly field?: FieldMeta;
  /** For `field.renderer`: a table cell or the record page. */
  readonly where?: 'cell' | 'record';
  /** For `record.action`: closes the dialog. */
  readonly close?: () => void;
  /** The view's element: a watch whose view is gone stops (see `api.watch`). */
  readonly owner?: Element;
}

/** How long `api.watch` waits for the kernel to confirm a subscription before resolving anyway. */
const WATCH_CONFIRM_MS = 3000;

/** The list query a view may send, in the records API's words (anything else is dropped). */
const FIND_KEYS = ['filter', 'order_by', 'limit', 'starting_after', 'ending_before', 'fields'] as const;

/**
 * A refusal as plain data on an Error (message, `code`, `status`), so a view can tell
 * `MOSAIC_ERR_PLUGIN_PERMISSION` from other failures without the shell's own error class.
 */
function viewError(err: unknown): Error {
  const e = err as { status?: number; code?: string; message?: string };
  return Object.assign(new Error(String(e.message ?? err)), { code: e.code ?? 'MOSAIC_ERR_NETWORK', status: e.status ?? 0 });
}

/** A copy of a record through JSON, so a view never holds the shell's own objects. */
const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/**
 * The context a plugin view receives (the shape of `@mosaic/plugin-sdk/views`' ViewContext): plain data
 * in, async methods out. Records go through `/api/plugin-views/<plugin>/objects/…`, where the kernel
 * allows what the member's role and the plugin's `records` grant both allow, and the member directory
 * through `/api/plugin-views/<plugin>/members`, for plugins granted `members`; the shell adds no checks
 * of its own, so the kernel's answer is the truth.
 */
export function viewContext(shell: ShellContext, plugin: PluginInfo, slot: string, about: ViewAbout = {}) {
  const records = `/api/plugin-views/${encodeURIComponent(plugin.id)}/objects`;
  const objectPath = (object: string) => {
    if (typeof object !== 'string' || object.length === 0) throw new Error('An object name is a non-empty string.');
    return `${records}/${encodeURIComponent(object)}`;
  };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    try {
      return await shell.api.request<T>(method, path, body);
    } catch (err) {
      throw viewError(err);
    }
  };
  // A field-type renderer may draw fields of objects the plugin cannot read: it gets the value, not the record.
  const record = about.record && (slot !== 'field.renderer' || canRead(plugin, about.object?.name)) ? copy(about.record) : null;
  return {
    plugin: { id: plugin.id, name: plugin.name, version: plugin.version },
    workspace: { id: shell.session.workspace.id },
    slot,
    object: about.object
      ? {
          name: about.object.name,
          label_singular: about.object.label_singular,
          label_plural: about.object.label_plural,
          fields: about.object.fields.map(viewField),
        }
      : null,
    record,
    field: about.field ? viewField(about.field) : null,
    ...(slot === 'field.renderer' ? { value: copy(about.record?.[about.field?.key ?? ''] ?? null), where: about.where ?? 'record' } : {}),
    api: {
      async route(method: string, path: string, body?: unknown): Promise<ViewResponse> {
        if (typeof path !== 'string' || !path.startsWith('/') || path.includes('..')) throw new Error('A route path starts with / and stays inside the plugin.');
        try {
          return await shell.api.exchange(method, `/api/plugins/${encodeURIComponent(plugin.id)}${path}`, body);
        } catch (err) {
          const e = err as { status?: number; code?: string; message: string };
          return { status: e.status ?? 500, body: { error: { code: e.code, message: e.message } } };
        }
      },
      async find(object: string, query: Record<string, unknown> = {}) {
        const params = new URLSearchParams();
        for (const key of FIND_KEYS) if (query[key] !== undefined && query[key] !== null) params.set(key, String(query[key]));
        const qs = params.toString();
        const page = await call<{ data: RecordData[]; page_info: { has_next_page: boolean; end_cursor: string | null } }>('GET', `${objectPath(object)}${qs ? `?${qs}` : ''}`);
        return { data: page.data, has_more: page.page_info.has_next_page, next_cursor: page.page_info.end_cursor };
      },
      async get(object: string, id: string) {
        return (await call<{ data: RecordData }>('GET', `${objectPath(object)}/${encodeURIComponent(String(id))}`)).data;
      },
      async create(object: string, data: Record<string, unknown>) {
        return (await call<{ data: RecordData }>('POST', objectPath(object), copy(data ?? {}))).data;
      },
      async update(object: string, id: string, data: Record<string, unknown>) {
        return (await call<{ data: RecordData }>('PATCH', `${objectPath(object)}/${encodeURIComponent(String(id))}`, copy(data ?? {}))).data;
      },
      async watch(object: string, onChange: (change: unknown) => void) {
        if (typeof onChange !== 'function') throw new Error('watch() takes the function to call on each change.');
        if (!canRead(plugin, object)) {
          throw Object.assign(new Error(`The plugin "${plugin.id}" was not granted read on ${String(object)} records, so its views cannot watch them.`), { code: 'MOSAIC_ERR_PLUGIN_PERMISSION', status: 403 });
        }
        // The shell's own subscription, so the kernel's realtime rooms (the member's role) decide what
        // arrives. Resolved once the kernel confirmed it (changes from then on arrive), or after
        // WATCH_CONFIRM_MS without a connection: the subscription stands and goes live on reconnect.
        let live: () => void = () => undefined;
        const confirmed = new Promise<void>((resolve) => {
          live = resolve;
          setTimeout(resolve, WATCH_CONFIRM_MS);
        });
        const stop: () => void = shell.realtime.subscribe(object, {
          onEvent: (event) => {
            if (about.owner && !about.owner.isConnected) return stop();
            onChange(copy({ type: event.type, object: event.object, record_id: event.record_id, record: event.payload.record, changed_fields: event.payload.changed_fields }));
          },
          onLive: (on) => on && live(),
        });
        await confirmed;
        return stop;
      },
      async members() {
        return (await call<{ data: { id: string; name: string; email: string }[] }>('GET', `/api/plugin-views/${encodeURIComponent(plugin.id)}/members`)).data;
      },
    },
    async navigate(path: string) {
      // The shell's own pages only: another origin would be a way out of the app the member did not ask for.
      const target = typeof path === 'string' && path.startsWith('/') ? new URL(path, location.origin) : null;
      if (!target || target.origin !== location.origin) throw new Error('navigate() takes a path of the shell, starting with / (such as /objects/deal).');
      shell.navigate(target.pathname + target.search);
    },
    async toast(message: string, kind?: 'info' | 'success' | 'error') {
      shell.toast(String(message), kind === 'success' || kind === 'error' ? kind : 'info');
    },
    async close() {
      about.close?.();
    },
  };
}

function viewField(f: FieldMeta) {
  return { name: f.name, key: f.key, label: f.label, type: f.type, options: copy(f.options) };
}

/** Whether the plugin's grant (as `GET /api/plugins` lists it) includes reading the object. */
function canRead(plugin: PluginInfo, object: string | undefined): boolean {
  return object !== undefined && (plugin.records?.[object]?.includes('read') ?? false);
}
