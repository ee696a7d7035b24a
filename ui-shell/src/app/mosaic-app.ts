import { LitElement, css, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { ApiClient } from '../api/client.js';
import type { ObjectMeta, PluginInfo, SessionInfo } from '../api/types.js';
import { hasDashboard } from '../dashboard/dashboard-page.js';
import { Realtime } from '../realtime/realtime.js';
import { settingsPage } from '../settings/settings-page.js';
import { Permissions } from './access.js';
import type { ShellContext } from './context.js';
import { define } from './define.js';
import { RouterController, matchRoute } from './router.js';
import { base } from './styles.js';
import type { ToastStack } from './toast-stack.js';

/**
 * The root element: loads the session, keeps the data model, routes between pages and lays out the
 * sidebar and the main area. Signed-out visitors only reach the sign-in and sign-up pages.
 */
export class MosaicApp extends LitElement {
  static override properties: PropertyDeclarations = {
    session: { state: true },
    objects: { state: true },
    plugins: { state: true },
    loading: { state: true },
    loadError: { state: true },
  };

  static override styles = [
    base,
    css`
      :host { display: block; height: 100vh; background: var(--bg); }
      .layout { display: grid; grid-template-columns: 240px minmax(0, 1fr); height: 100%; }
      main { min-width: 0; overflow: auto; }
      main:focus { outline: none; }
      .skip { position: absolute; left: 8px; top: -48px; z-index: 30; padding: 8px 12px; border-radius: var(--radius); background: var(--accent); color: white; text-decoration: none; }
      .skip:focus { top: 8px; }
      .center { display: grid; place-items: center; height: 100%; color: var(--text-muted); gap: 8px; }
      @media (max-width: 720px) {
        .layout { grid-template-columns: minmax(0, 1fr); grid-template-rows: auto minmax(0, 1fr); }
      }
    `,
  ];

  declare session: SessionInfo | null;
  declare objects: readonly ObjectMeta[];
  declare plugins: readonly PluginInfo[];
  declare loading: boolean;
  declare loadError: string | null;

  readonly #api = new ApiClient();
  readonly #router = new RouterController(this);
  #context: ShellContext | undefined;
  /** One socket per signed-in member and workspace; replaced when either changes. */
  #realtime: { key: string; realtime: Realtime } | undefined;

  constructor() {
    super();
    this.session = null;
    this.objects = [];
    this.plugins = [];
    this.loading = true;
    this.loadError = null;
    this.#api.onSignedOut = () => {
      this.session = null;
      this.#realtime?.realtime.close();
      this.#realtime = undefined;
      // The pages a signed-out visitor may open stay open (a first visit to /sign-up or an invite link
      // also learns here that there is no session).
      const page = matchRoute(location.pathname).page;
      if (page !== 'sign-up' && page !== 'accept-invite') this.#router.navigate('/sign-in', true);
    };
    // Same-origin links anywhere in the shell (inside shadow roots too) move through the router.
    this.addEventListener('click', (event) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
      if (!anchor || anchor.target || anchor.origin !== location.origin || anchor.hasAttribute('download')) return;
      event.preventDefault();
      this.#router.navigate(anchor.pathname + anchor.search);
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.#load();
  }

  async #load(): Promise<void> {
    this.loading = true;
    this.loadError = null;
    try {
      // The data model and plugin list are asked for alongside the session, so a signed-in member (the
      // usual visit) waits one round trip before the page can load its rows, not two. Signed out, the
      // extra request is refused like the session one and changes nothing.
      const metadata = this.#fetchMetadata();
      metadata.catch(() => undefined);
      this.session = await this.#api.session();
      if (this.session) this.#applyMetadata(...(await metadata));
    } catch (err) {
      this.loadError = (err as Error).message;
    } finally {
      this.loading = false;
    }
  }

  async #loadMetadata(): Promise<void> {
    this.#applyMetadata(...(await this.#fetchMetadata()));
  }

  #fetchMetadata(): Promise<[ObjectMeta[], PluginInfo[]]> {
    return Promise.all([this.#api.objects(), this.#api.plugins().catch(() => [] as PluginInfo[])]);
  }

  #applyMetadata(objects: readonly ObjectMeta[], plugins: readonly PluginInfo[]): void {
    this.objects = [...objects].sort((a, b) => a.label_plural.localeCompare(b.label_plural));
    this.plugins = plugins;
  }

  /** The member's role changed while the page is open: what it may see and do comes from the session. */
  async #reloadAccess(): Promise<void> {
    const before = this.session?.role.key;
    const session = await this.#api.session();
    if (!session) return;
    this.session = session;
    await this.#loadMetadata();
    if (session.role.key !== before) this.#toast(`Your role in ${session.workspace.name} is now ${session.role.name}.`);
  }

  #toast(message: string, kind: 'info' | 'success' | 'error' = 'info'): void {
    (this.renderRoot.querySelector('mosaic-toasts') as ToastStack | null)?.show(message, kind);
  }

  /** A new context object whenever its data changes, so pages re-render. */
  #shellContext(session: SessionInfo): ShellContext {
    const key = `${session.user.id}/${session.workspace.id}`;
    if (this.#realtime?.key !== key) {
      this.#realtime?.realtime.close();
      this.#realtime = { key, realtime: new Realtime(() => void this.#loadMetadata().catch(() => undefined), () => void this.#reloadAccess().catch(() => undefined)) };
    }
    const c = this.#context;
    if (c && c.realtime === this.#realtime.realtime && c.session === session && c.objects === this.objects && c.plugins === this.plugins) return c;
    this.#context = {
      api: this.#api,
      session,
      permissions: new Permissions(session.role.permissions),
      objects: this.objects,
      plugins: this.plugins,
      realtime: this.#realtime.realtime,
      navigate: (path) => this.#router.navigate(path),
      toast: (message, kind) => this.#toast(message, kind),
      reloadMetadata: () => this.#loadMetadata(),
      reloadSession: async () => {
        this.session = await this.#api.session();
        if (this.session) await this.#loadMetadata();
      },
    };
    return this.#context;
  }

  async #signedIn(): Promise<void> {
    await this.#load();
    this.#router.navigate('/', true);
  }

  async #signOut(): Promise<void> {
    try {
      await this.#api.signOut();
    } finally {
      this.session = null;
      this.objects = [];
      this.#realtime?.realtime.close();
      this.#realtime = undefined;
      this.#router.navigate('/sign-in');
    }
  }

  override render(): TemplateResult {
    return html`${this.#page()}<mosaic-toasts></mosaic-toasts>`;
  }

  #page(): TemplateResult {
    if (this.loading) return html`<div class="center" aria-busy="true">Loading…</div>`;
    if (this.loadError) {
      return html`<div class="center" role="alert"><p>${this.loadError}</p><button @click=${() => this.#load()}>Try again</button></div>`;
    }
    const route = matchRoute(this.#router.path);
    // Signed in or not: a member of one workspace may accept an invite to another.
    if (route.page === 'accept-invite') return html`<mosaic-accept-invite .api=${this.#api} @signed-in=${() => this.#signedIn()}></mosaic-accept-invite>`;
    if (!this.session) {
      if (route.page === 'sign-up') return html`<mosaic-sign-up .api=${this.#api} @signed-in=${() => this.#signedIn()}></mosaic-sign-up>`;
      if (route.page !== 'sign-in') queueMicrotask(() => this.#router.navigate('/sign-in', true));
      return html`<mosaic-sign-in .api=${this.#api} @signed-in=${() => this.#signedIn()}></mosaic-sign-in>`;
    }
    if (route.page === 'sign-in' || route.page === 'sign-up') {
      queueMicrotask(() => this.#router.navigate('/', true));
      return html``;
    }
    const shell = this.#shellContext(this.session);
    return html`<a class="skip" href="#main" @click=${(e: Event) => {
        e.preventDefault();
        (this.renderRoot.querySelector('main') as HTMLElement | null)?.focus();
      }}>Skip to content</a>
      <div class="layout">
      <mosaic-sidebar .shell=${shell} .path=${this.#router.path} @sign-out=${() => this.#signOut()}></mosaic-sidebar>
      <main id="main" tabindex="-1">${this.#main(shell, route)}</main>
    </div>
    <mosaic-palette .shell=${shell} @sign-out=${() => this.#signOut()}></mosaic-palette>`;
  }

  #main(shell: ShellContext, route: ReturnType<typeof matchRoute>): TemplateResult | typeof nothing {
    switch (route.page) {
      case 'home':
        // Plugins' dashboard widgets make a home page; without any, home opens the first object.
        if (hasDashboard(shell)) return html`<mosaic-dashboard .shell=${shell}></mosaic-dashboard>`;
        if (shell.objects.length > 0) {
          queueMicrotask(() => this.#router.navigate(`/objects/${shell.objects[0]!.name}`, true));
          return nothing;
        }
        return html`<mosaic-empty-workspace .shell=${shell}></mosaic-empty-workspace>`;
      case 'object': {
        const object = shell.objects.find((o) => o.name === route.object);
        if (!object) return html`<mosaic-not-found .what=${`No object named “${route.object}” here, or your role does not let you open it.`}></mosaic-not-found>`;
        return html`<mosaic-object-page .shell=${shell} .object=${object}></mosaic-object-page>`;
      }
      case 'record': {
        const object = shell.objects.find((o) => o.name === route.object);
        if (!object) return html`<mosaic-not-found .what=${`No object named “${route.object}” here, or your role does not let you open it.`}></mosaic-not-found>`;
        return html`<mosaic-record-page .shell=${shell} .object=${object} .recordId=${route.id}></mosaic-record-page>`;
      }
      case 'data-model':
        return html`<mosaic-data-model .shell=${shell}></mosaic-data-model>`;
      case 'settings':
        return settingsPage(shell, route.section);
      case 'plugin-settings':
        return html`<mosaic-plugin-detail .shell=${shell} .pluginId=${route.plugin}></mosaic-plugin-detail>`;
      case 'plugin':
        return html`<mosaic-plugin-page .shell=${shell} .pluginId=${route.plugin} .element=${route.element}></mosaic-plugin-page>`;
      case 'plugin-settings-page':
        return html`<mosaic-plugin-page .shell=${shell} .pluginId=${route.plugin} .element=${route.element} .slotName=${'settings.page'}></mosaic-plugin-page>`;
      default:
        return html`<mosaic-not-found .what=${'This page does not exist.'}></mosaic-not-found>`;
    }
  }
}

define('mosaic-app', MosaicApp);
