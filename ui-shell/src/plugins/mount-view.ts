import type { PluginInfo } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { viewContext, type ViewAbout } from './view-context.js';

/** How long a view bundle may take to define its element before the shell calls it failed. */
const DEFINE_TIMEOUT_MS = 10_000;

/**
 * The define timeout: 10 s, or what `localStorage['mosaic:view-define-timeout-ms']` says — tests set it
 * low so a view that never defines its element fails fast; nothing else reads it.
 */
export function defineTimeoutMs(): number {
  try {
    const configured = Number(localStorage.getItem('mosaic:view-define-timeout-ms'));
    return Number.isFinite(configured) && configured > 0 ? configured : DEFINE_TIMEOUT_MS;
  } catch {
    return DEFINE_TIMEOUT_MS;
  }
}

/** The element a plugin view is: a custom element with the context property views read. */
export type ViewElement = HTMLElement & { context?: unknown; updateComplete?: Promise<unknown> };

/**
 * Loads a plugin's view bundle (same origin, so the CSP allows it), creates the view's element with its
 * context and puts it in `host`. Throws an Error whose message says what went wrong — the bundle failed
 * to load, the element was never defined, or it threw in its constructor, `connectedCallback` or its
 * first render — so callers can show it with the plugin's name and the rest of the page keeps working.
 */
export async function mountView(host: Element, shell: ShellContext, plugin: PluginInfo, element: string, slot: string, about: ViewAbout = {}): Promise<ViewElement> {
  if (!plugin.views_url) throw new Error('it has no view bundle');
  try {
    await import(/* @vite-ignore */ plugin.views_url);
  } catch (err) {
    throw new Error(`its view bundle failed to load (${(err as Error).message})`);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      customElements.whenDefined(element),
      new Promise((_, fail) => (timer = setTimeout(() => fail(new Error(`its element <${element}> was never defined`)), defineTimeoutMs()))),
    ]);
  } finally {
    clearTimeout(timer);
  }
  // The browser reports (not throws) what an element throws while it is created or connected: catch
  // those reports, so a throwing element is this view's failure, not the page's.
  let view = undefined as ViewElement | undefined;
  const created = reported(() => (view = document.createElement(element) as ViewElement));
  const Defined = customElements.get(element);
  if (created !== undefined || !view || (Defined && !(view instanceof Defined))) {
    throw new Error(`its element threw when created (${messageOf(created)})`);
  }
  view.context = viewContext(shell, plugin, slot, about);
  // Views written before the context existed read the record's id from this attribute.
  if (about.record) view.setAttribute('record-id', about.record.id);
  const connected = reported(() => host.replaceChildren(view!));
  if (connected !== undefined) {
    view.remove();
    throw new Error(`its element threw (${messageOf(connected)})`);
  }
  // A Lit element renders in a microtask; its first render's error rejects updateComplete.
  if (view.updateComplete && typeof view.updateComplete.then === 'function') {
    try {
      await view.updateComplete;
    } catch (err) {
      view.remove();
      throw new Error(`its element failed to render (${(err as Error).message})`);
    }
  }
  return view;
}

/** Runs `work`, returning what it threw or what the browser reported as thrown meanwhile (undefined if nothing). */
function reported(work: () => void): unknown {
  let thrown: unknown;
  const onError = (event: ErrorEvent) => {
    thrown ??= event.error ?? new Error(event.message);
    event.preventDefault();
  };
  addEventListener('error', onError);
  try {
    work();
  } catch (err) {
    thrown ??= err;
  } finally {
    removeEventListener('error', onError);
  }
  return thrown;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Updates a mounted view's context (the record changed) without re-creating it. */
export function refreshView(view: ViewElement, shell: ShellContext, plugin: PluginInfo, slot: string, about: ViewAbout): void {
  view.context = viewContext(shell, plugin, slot, about);
  if (about.record) view.setAttribute('record-id', about.record.id);
}
