import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * The shell's router: the current path from the History API, re-rendering its host on every change.
 * Links inside shadow roots are intercepted by the app element (see `mosaic-app.ts`), which calls
 * {@link RouterController.navigate}.
 */
export class RouterController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  #path = location.pathname;
  readonly #onPop = () => {
    this.#path = location.pathname;
    this.#host.requestUpdate();
  };

  constructor(host: ReactiveControllerHost) {
    this.#host = host;
    host.addController(this);
  }

  get path(): string {
    return this.#path;
  }

  /** Moves to `path`; `replace` keeps the history entry (redirects). */
  navigate(path: string, replace = false): void {
    if (path === this.#path && path === location.pathname + location.search) return;
    if (replace) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    this.#path = location.pathname;
    this.#host.requestUpdate();
  }

  hostConnected(): void {
    addEventListener('popstate', this.#onPop);
  }

  hostDisconnected(): void {
    removeEventListener('popstate', this.#onPop);
  }
}

/** A matched route. */
/** The settings pages at `/settings/<section>` (Data model and plugin pages have routes of their own). */
const SETTINGS_SECTIONS = ['members', 'roles', 'api-keys', 'connected-apps', 'webhooks', 'plugins', 'marketplace'] as const;

/** One of {@link SETTINGS_SECTIONS}. */
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export type Route =
  | { readonly page: 'sign-in' }
  | { readonly page: 'sign-up' }
  | { readonly page: 'accept-invite' }
  | { readonly page: 'home' }
  | { readonly page: 'object'; readonly object: string }
  | { readonly page: 'record'; readonly object: string; readonly id: string }
  | { readonly page: 'data-model' }
  | { readonly page: 'settings'; readonly section: SettingsSection }
  | { readonly page: 'plugin-settings'; readonly plugin: string }
  | { readonly page: 'plugin'; readonly plugin: string; readonly element: string }
  | { readonly page: 'plugin-settings-page'; readonly plugin: string; readonly element: string }
  | { readonly page: 'not-found' };

/** Maps a path to a route; unknown paths are `not-found` (the app shows a way back). */
export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'home' };
  if (parts[0] === 'sign-in' && parts.length === 1) return { page: 'sign-in' };
  if (parts[0] === 'sign-up' && parts.length === 1) return { page: 'sign-up' };
  if (parts[0] === 'accept-invite' && parts.length === 1) return { page: 'accept-invite' };
  if (parts[0] === 'objects' && parts.length === 2) return { page: 'object', object: parts[1]! };
  if (parts[0] === 'objects' && parts.length === 3) return { page: 'record', object: parts[1]!, id: parts[2]! };
  if (parts[0] === 'settings' && parts[1] === 'data-model' && parts.length === 2) return { page: 'data-model' };
  if (parts[0] === 'settings' && parts.length === 2 && (SETTINGS_SECTIONS as readonly string[]).includes(parts[1]!)) {
    return { page: 'settings', section: parts[1] as SettingsSection };
  }
  if (parts[0] === 'settings' && parts[1] === 'plugins' && parts.length === 3) return { page: 'plugin-settings', plugin: parts[2]! };
  if (parts[0] === 'plugins' && parts.length === 3) return { page: 'plugin', plugin: parts[1]!, element: parts[2]! };
  if (parts[0] === 'settings' && parts[1] === 'plugin' && parts.length === 4) return { page: 'plugin-settings-page', plugin: parts[2]!, element: parts[3]! };
  return { page: 'not-found' };
}
