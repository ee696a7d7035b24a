import type { ObjectMeta, PluginInfo, RecordData } from '../api/types.js';
import type { ShellContext } from '../app/context.js';

/** The answer of a plugin route call, as the view contract has it. */
interface ViewResponse {
  readonly status: number;
  readonly body: unknown;
}

/**
 * The context a plugin view receives (the shape of `@mosaic/plugin-sdk/views`' ViewContext): plain data
 * in, async methods out. Only the plugin's own routes are reachable for now; record access through the
 * plugin's grant needs the grant, which members cannot read yet, so those methods refuse.
 */
export function viewContext(shell: ShellContext, plugin: PluginInfo, slot: string, about: { object?: ObjectMeta; record?: RecordData } = {}) {
  const refuse = async (): Promise<never> => {
    throw new Error('Record access from plugin views is not available yet; call one of the plugin’s routes.');
  };
  return {
    plugin: { id: plugin.id, name: plugin.name, version: plugin.version },
    workspace: { id: shell.session.workspace.id },
    slot,
    // Copies, so a view never holds the shell's own objects.
    object: about.object
      ? {
          name: about.object.name,
          label_singular: about.object.label_singular,
          label_plural: about.object.label_plural,
          fields: about.object.fields.map((f) => ({ name: f.name, label: f.label, type: f.type, options: structuredClone(f.options) })),
        }
      : null,
    record: about.record ? structuredClone(about.record) : null,
    field: null,
    api: {
      async route(method: string, path: string, body?: unknown): Promise<ViewResponse> {
        if (!path.startsWith('/') || path.includes('..')) throw new Error('A route path starts with / and stays inside the plugin.');
        try {
          return { status: 200, body: await shell.api.request(method, `/api/plugins/${encodeURIComponent(plugin.id)}${path}`, body) };
        } catch (err) {
          const e = err as { status?: number; code?: string; message: string };
          return { status: e.status ?? 500, body: { error: { code: e.code, message: e.message } } };
        }
      },
      find: refuse,
      get: refuse,
      update: refuse,
    },
    async navigate(path: string) {
      shell.navigate(path);
    },
    async toast(message: string, kind?: 'info' | 'success' | 'error') {
      shell.toast(String(message), kind);
    },
  };
}
