import { LitElement, css, html, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { OPEN_PALETTE_EVENT } from '../palette/command-palette.js';
import { objectIcon } from './icons.js';
import { settingsPagesFor } from '../settings/pages.js';
import { hasDashboard } from '../dashboard/dashboard-page.js';
import { pluginSettingsPages } from '../plugins/slots.js';

/** At this width and below the sidebar folds behind a menu button (the app's layout switches at the same width). */
export const PHONE_MAX_WIDTH = 720;

/**
 * The sidebar: the workspace, search (the command palette), the objects the member may read (from
 * metadata, each with its icon: see {@link objectIcon}), the pages plugins contribute (`nav.page` views),
 * settings for admins, and the member with sign-out. On a phone it is a bar with a menu button that opens
 * the same content as a drawer; Escape, the scrim or following a link closes it.
 */
export class Sidebar extends LitElement {
  static override properties: PropertyDeclarations = { shell: { attribute: false }, path: {}, menuOpen: { state: true } };
  static override styles = [
    base,
    css`
      :host { display: block; height: 100%; min-width: 0; }
      .bar { display: none; }
      .panel { display: flex; flex-direction: column; gap: 14px; height: 100%; padding: 10px 8px; background: var(--bg-subtle); border-right: 1px solid var(--border); overflow: auto; }
      nav { display: grid; gap: 1px; }
      h2 { font-size: 11px; font-weight: 600; color: var(--text-faint); text-transform: uppercase; letter-spacing: 0.04em; margin: 0 8px 4px; }
      a { display: flex; align-items: center; gap: 8px; height: 30px; padding: 0 8px; border-radius: var(--radius); color: var(--text); text-decoration: none; }
      a:hover { background: var(--bg-hover); }
      a[aria-current='page'] { background: var(--bg); box-shadow: 0 0 0 1px var(--border); font-weight: 500; }
      .icon { width: 18px; height: 18px; flex: none; display: grid; place-items: center; border-radius: 4px; font-size: 11px; color: white; }
      .c0 { background: #6366f1; } .c1 { background: #0ea5e9; } .c2 { background: #f59e0b; } .c3 { background: #10b981; }
      .c4 { background: #ec4899; } .c5 { background: #8b5cf6; } .c6 { background: #ef4444; } .c7 { background: #14b8a6; }
      .c-slate { background: #64748b; } .c-teal { background: #0f766e; }
      button.search { justify-content: flex-start; width: 100%; color: var(--text-muted); background: var(--bg); }
      button.search span { flex: 1; text-align: left; }
      kbd { font: inherit; font-size: 11px; color: var(--text-faint); border: 1px solid var(--border); border-radius: 4px; padding: 0 4px; }
      .empty { color: var(--text-faint); padding: 0 8px; }
      .spacer { flex: 1; }
      .me { display: flex; align-items: center; gap: 8px; padding: 6px 8px; border-top: 1px solid var(--border); }
      .me .who { flex: 1; min-width: 0; }
      .me .who div { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .avatar { width: 26px; height: 26px; border-radius: 50%; background: #e0e7ff; color: #3730a3; display: grid; place-items: center; font-weight: 600; flex: none; }
      .scrim { display: none; }
      @media (max-width: ${PHONE_MAX_WIDTH}px) {
        :host { height: auto; }
        .bar { display: flex; align-items: center; gap: 8px; height: 48px; padding: 0 8px; background: var(--bg-subtle); border-bottom: 1px solid var(--border); }
        .bar .title { flex: 1; min-width: 0; font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .bar button { height: 36px; }
        .panel { display: none; }
        .panel.open { display: flex; position: fixed; z-index: 11; top: 0; left: 0; bottom: 0; width: min(300px, 86vw); height: auto; box-shadow: var(--shadow); }
        .panel .search { display: none; }
        .scrim.open { display: block; position: fixed; inset: 0; z-index: 10; background: rgb(24 24 27 / 0.3); }
        a { height: 40px; }
      }
    `,
  ];

  declare shell: ShellContext;
  declare path: string;
  /** Whether the phone drawer is open (ignored on wider screens, where the panel always shows). */
  declare menuOpen: boolean;

  constructor() {
    super();
    this.menuOpen = false;
    // Escape from anywhere in the sidebar (the menu button included) folds the drawer.
    this.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.menuOpen) {
        e.preventDefault();
        this.#setMenu(false, true);
      }
    });
  }

  override willUpdate(changed: PropertyValues<this>): void {
    // Following a link closes the drawer: the page it opened is what the member wants to see.
    if (changed.has('path') && changed.get('path') !== undefined) this.menuOpen = false;
  }

  #setMenu(open: boolean, focusButton = false): void {
    this.menuOpen = open;
    void this.updateComplete.then(() => {
      if (open) Array.from(this.renderRoot.querySelectorAll<HTMLElement>('.panel a, .panel button')).find((el) => el.checkVisibility())?.focus();
      else if (focusButton) (this.renderRoot.querySelector('button.menu') as HTMLElement | null)?.focus();
    });
  }

  #openPalette(): void {
    this.menuOpen = false;
    this.dispatchEvent(new CustomEvent(OPEN_PALETTE_EVENT, { bubbles: true, composed: true }));
  }

  #link(href: string, label: string, icon: unknown) {
    const current = this.path === href || this.path.startsWith(`${href}/`);
    return html`<a href=${href} aria-current=${current ? 'page' : 'false'}>${icon}<span>${label}</span></a>`;
  }

  #searchButton(extraClass: string) {
    return html`<button class="search ${extraClass}" aria-label="Search" aria-keyshortcuts="Control+K Meta+K" title="Search records and commands (Ctrl K)" @click=${() => this.#openPalette()}>
      <span aria-hidden="true">⌕ Search</span><kbd aria-hidden="true">Ctrl K</kbd>
    </button>`;
  }

  override render() {
    const { session, objects, plugins } = this.shell;
    const pages = plugins.flatMap((p) => p.views.filter((v) => v.slot === 'nav.page').map((v) => ({ plugin: p, view: v })));
    const settings = [...settingsPagesFor(this.shell), ...pluginSettingsPages(this.shell)];
    return html`
      <div class="bar">
        <button class="menu ghost" aria-label="Menu" aria-expanded=${this.menuOpen ? 'true' : 'false'} aria-controls="sidebar-panel" @click=${() => this.#setMenu(!this.menuOpen)}>☰</button>
        <span class="title">${session.workspace.name}</span>
        <button class="ghost" aria-label="Search" aria-keyshortcuts="Control+K Meta+K" @click=${() => this.#openPalette()}>⌕</button>
      </div>
      <div class="scrim ${this.menuOpen ? 'open' : ''}" @click=${() => this.#setMenu(false, true)}></div>
      <div
        class="panel ${this.menuOpen ? 'open' : ''}"
        id="sidebar-panel"
      >
        <mosaic-workspace-switcher .shell=${this.shell}></mosaic-workspace-switcher>
        ${this.#searchButton('')}
        ${hasDashboard(this.shell) ? html`<nav aria-label="Home">${this.#link('/', 'Home', html`<span class="icon c-slate" aria-hidden="true">⌂</span>`)}</nav>` : null}
        <nav aria-label="Objects">
          <h2>Objects</h2>
          ${objects.length === 0 ? html`<p class="empty">No objects yet</p>` : objects.map((o) => this.#link(`/objects/${o.name}`, o.label_plural, objectIcon(o)))}
        </nav>
        ${pages.length > 0
          ? html`<nav aria-label="Plugin pages">
              <h2>Apps</h2>
              ${pages.map(({ plugin, view }) => this.#link(`/plugins/${plugin.id}/${view.element}`, view.label, html`<span class="icon c-slate" aria-hidden="true">${view.label.charAt(0)}</span>`))}
            </nav>`
          : null}
        ${settings.length > 0
          ? html`<nav aria-label="Settings"><h2>Settings</h2>${settings.map((p) => this.#link(p.path, p.label, html`<span class="icon c-teal" aria-hidden="true">⚙</span>`))}</nav>`
          : null}
        <div class="spacer"></div>
        <div class="me">
          <span class="avatar" aria-hidden="true">${session.user.name.charAt(0).toUpperCase()}</span>
          <div class="who"><div>${session.user.name}</div><div class="muted">${session.role.name}</div></div>
          <button class="ghost" @click=${() => this.dispatchEvent(new CustomEvent('sign-out'))}>Sign out</button>
        </div>
      </div>
    `;
  }
}

define('mosaic-sidebar', Sidebar);
