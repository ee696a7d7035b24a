import type { FieldMeta, PluginInfo, PluginViewInfo } from '../api/types.js';
import type { ShellContext } from '../app/context.js';

/** A view of an enabled plugin, with its plugin. */
export interface SlotView {
  readonly plugin: PluginInfo;
  readonly view: PluginViewInfo;
}

/** The views of enabled plugins with a bundle in one slot, optionally only those about `object`. */
export function viewsIn(shell: ShellContext, slot: string, object?: string): SlotView[] {
  return shell.plugins.flatMap((plugin) =>
    plugin.enabled && plugin.views_url
      ? plugin.views.filter((v) => v.slot === slot && (object === undefined || v.object === null || v.object === object)).map((view) => ({ plugin, view }))
      : [],
  );
}

/**
 * The `field.renderer` view that draws a field of an object, if any: one naming this very field wins
 * over one declared for the field's type, so a plugin can specialise another's type-wide renderer.
 */
export function fieldRendererFor(shell: ShellContext, object: string, field: FieldMeta): SlotView | undefined {
  const renderers = viewsIn(shell, 'field.renderer');
  return (
    renderers.find(({ view }) => view.object === object && view.field === field.name) ??
    renderers.find(({ view }) => view.field_type === field.type && (view.object === null || view.object === object) && !view.field)
  );
}

/** The `settings.page` views, as entries of the sidebar's Settings section (any member may open them). */
export function pluginSettingsPages(shell: ShellContext): { path: string; label: string; capability: string }[] {
  return viewsIn(shell, 'settings.page').map(({ plugin, view }) => ({ path: settingsPagePath(plugin.id, view.element), label: view.label, capability: '' }));
}

/** Where a plugin's `settings.page` view lives. */
export function settingsPagePath(pluginId: string, element: string): string {
  return `/settings/plugin/${encodeURIComponent(pluginId)}/${encodeURIComponent(element)}`;
}
