import type { PluginInfo } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { viewContext, type ViewAbout } from './view-context.js';

/**
 * How long a view may take, from the moment a slot asks for it, to load its bundle and define its
 * element. Past it the slot shows the plugin as failed: a bundle whose request stalls or whose top-level
 * `await` never settles would otherwise leave the slot blank for good.
 */
export const VIEW_LOAD_TIMEOUT_MS = 10_000;

/** Where a test may set a shorter load timeout (see {@link viewLoadTimeoutMs}). */
export const VIEW_LOAD_TIMEOUT_KEY = 'mosaic:view-load-timeout-ms';

/**
 * The load timeout: {@link VIEW_LOAD_TIMEOUT_MS}, or a positive number of milliseconds in
 * `localStorage['mosaic:view-load-timeout-ms']`. Browser tests set it (before the page loads, with
 * `page.addInitScript`) so a view that never loads fails in a couple of seconds instead of ten; nothing in
 * the product writes it.
 */
export function viewLoadTimeoutMs(): number {
  try {
    const configured = Number(localStorage.getItem(VIEW_LOAD_TIMEOUT_KEY));
    return Number.isFinite(configured) && configured > 0 ? configured : VIEW_LOAD_TIMEOUT_MS;
  } catch {
    return VIEW_LOAD_TIMEOUT_MS;
  }
}

/** The element a plugin view is: a custom element with the context property views read. */
export type ViewElement = HTMLElement & { context?: unknown; updateComplete?: Promise<unknown> };

/**
 * Loads a plugin's view bundle (same origin, so the CSP allows it), creates the view's element with its
 * context and puts it in `host`. Throws an Error whose message says what went wrong — the bundle failed
 * to load or did not load in time, the element was not defined in time, or it threw in its constructor,
 * `connectedCallback` or its first render — so callers can show it with the plugin's name and the rest
 * of the page keeps working.
 *
 * The bundle is imported here, when a slot first shows one of the plugin's views, never before. A bundle
 * that settles after the timeout is left alone: this mount has already failed, and a later one (the slot
 * shown again) finds the module loaded.
 */
export async function mountView(host: Element, shell: ShellContext, plugin: PluginInfo, element: string, slot: string, about: ViewAbout = {}): Promise<ViewElement> {
  if (!plugin.views_url) throw new Error('it has no view bundle');
  const budget = viewLoadTimeoutMs();
  const deadline = performance.now() + budget;
  const left = () => Math.max(0, deadline - performance.now());
  if ((await within(loadBundle(plugin.views_url), left())) === TIMED_OUT) throw new Error(`its view bundle did not load within ${seconds(budget)}`);
  if ((await within(customElements.whenDefined(element), left())) === TIMED_OUT) {
    throw new Error(`its element <${element}> was not defined within ${seconds(budget)}`);
  }
  // The browser reports (not throws) what an element throws while it is created or connected: catch
  // those reports, so a throwing element is this view's failure, not the page's.
  let view = undefined as ViewElement | undefined;
  const created = reported(() => (view = document.createElement(element) as ViewElement));
  const Defined = customElements.get(element);
  if (created !== undefined || !view || (Defined && !(view instanceof Defined))) {
    throw new Error(`its element threw when created (${messageOf(created)})`);
  }
  view.context = viewContext(shell, plugin, slot, { ...about, owner: view });
  // Views written before the context existed read the record's id from this attribute.
  if (about.record) view.setAttribute('record-id', about.record.id);
  const connected = reported(() => host.replaceChildren(view!));
  if (connected !== undefined) {
    view.remove();
    throw new Error(`its element threw (${messageOf(connected)})`);
  }
  // A Lit element renders in a microtask; its first render's error rejects updateComplete. Wait for it
  // until the deadline only: an element may hold updateComplete open on its own work (data it fetches),
  // and that must not keep its slot from counting as mounted. It is on the page and stays there.
  if (view.updateComplete && typeof view.updateComplete.then === 'function') {
    try {
      await within(view.updateComplete, left());
    } catch (err) {
      view.remove();
      throw new Error(`its element failed to render (${messageOf(err)})`);
    }
  }
  return view;
}

/** Imports a view bundle; a failure says why. */
async function loadBundle(url: string): Promise<void> {
  try {
    await import(/* @vite-ignore */ url);
  } catch (err) {
    throw new Error(`its view bundle failed to load (${messageOf(err)})`);
  }
}

/** What {@link within} answers when the time ran out first. */
const TIMED_OUT = Symbol('timed out');

/** `work`'s outcome, or TIMED_OUT if `ms` pass first; the timer never outlives the race. */
async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([work, new Promise<typeof TIMED_OUT>((done) => (timer = setTimeout(() => done(TIMED_OUT), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** `1500` → `1.5 s`: the timeout as the failure message tells it. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
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
  view.context = viewContext(shell, plugin, slot, { ...about, owner: view });
  if (about.record) view.setAttribute('record-id', about.record.id);
}
