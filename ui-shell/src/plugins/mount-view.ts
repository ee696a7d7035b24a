import type { ObjectMeta, PluginInfo, RecordData } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { viewContext } from './view-context.js';

/** How long a view bundle may take to define its element before the shell calls it failed. */
const DEFINE_TIMEOUT_MS = 10_000;

/**
 * Loads a plugin's view bundle (same origin, so the CSP allows it), creates the view's element with its
 * context and puts it in `host`. Throws an Error whose message says what went wrong; callers show it
 * with the plugin's name, so a broken view never takes the page down with it.
 */
export async function mountView(host: Element, shell: ShellContext, plugin: PluginInfo, element: string, slot: string, about: { object?: ObjectMeta; record?: RecordData } = {}): Promise<void> {
  if (!plugin.views_url) throw new Error('it has no view bundle');
  await import(/* @vite-ignore */ plugin.views_url);
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      customElements.whenDefined(element),
      new Promise((_, fail) => (timer = setTimeout(() => fail(new Error('its element was never defined')), DEFINE_TIMEOUT_MS))),
    ]);
  } finally {
    clearTimeout(timer);
  }
  const view = document.createElement(element) as HTMLElement & { context?: unknown };
  view.context = viewContext(shell, plugin, slot, about);
  // Views written before the context existed read the record's id from this attribute.
  if (about.record) view.setAttribute('record-id', about.record.id);
  host.replaceChildren(view);
}
