import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { objectIcon } from './icons.js';

/**
 * The sidebar: the workspace, the objects the member may read (from metadata), the pages plugins
 * contribute (`nav.page` views), settings for admins, and the member with sign-out.
 */
export class Sidebar extends LitElement {
  static override properties: PropertyDeclarations = { shell: { attribute: false }, path: {} };
  static override styles = [
    base,
    css`
      :host { display: flex; flex-direction: column; gap: 14px; height: 100%; padding: 10px 8px; background: var(--bg-subtle); border-right: 1px solid var(--border); overflow: auto; }
      nav { display: grid; gap: 1px; }
      h2 { font-size: 11px; font-weight: 600; color: var(--text-faint); text-transform: uppercase; letter-spacing: 0.04em; margin: 0 8px 4px; }
      a { display: flex; align-items: center; gap: 8px; height: 30px; padding: 0 8px; border-radius: var(--radius); color: var(--text); text-decoration: none; }
      a:hover { background: var(--bg-hover); }
      a[aria-current='page'] { background: var(--bg); box-shadow: 0 0 0 1px var(--border); font-weight: 500; }
      .icon { width: 18px; height: 18px; flex: none; display: grid; place-items: center; border-radius: 4px; font-size: 11px; color: white; }
      .c0 { background: #6366f1; } .c1 { background: #0ea5e9; } .c2 { background: #f59e0b; } .c3 { background: #10b981; }
      .c4 { background: #ec4899; } .c5 { background: #8b5cf6; } .c6 { background: #ef4444; } .c7 { background: #14b8a6; }
      .c-slate { background: #64748b; } .c-teal { background: #0f766e; }
      .empty { color: var(--text-faint); padding: 0 8px; }
      .spacer { flex: 1; }
      .me { display: flex; align-items: center; gap: 8px; padding: 6px 8px; border-top: 1px solid var(--border); }
      .me .who { flex: 1; min-width: 0; }
      .me .who div { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      .avatar { width: 26px; height: 26px; border-radius: 50%; background: #e0e7ff; color: #3730a3; display: grid; place-items: center; font-weight: 600; flex: none; }
      @media (max-width: 720px) { :host { height: auto; border-right: 0; border-bottom: 1px solid var(--border); } .spacer { display: none; } }
    `,
  ];

  declare shell: ShellContext;
  declare path: string;

  #link(href: string, label: string, icon: unknown) {
    const current = this.path === href || this.path.startsWith(`${href}/`);
    return html`<a href=${href} aria-current=${current ? 'page' : 'false'}>${icon}<span>${label}</span></a>`;
  }

  override render() {
    const { session, objects, plugins, permissions } = this.shell;
    const pages = plugins.flatMap((p) => p.views.filter((v) => v.slot === 'nav.page').map((v) => ({ plugin: p, view: v })));
    return html`
      <mosaic-workspace-switcher .shell=${this.shell}></mosaic-workspace-switcher>
      <nav aria-label="Objects">
        <h2>Objects</h2>
        ${objects.length === 0 ? html`<p class="empty">No objects yet</p>` : objects.map((o) => this.#link(`/objects/${o.name}`, o.label_plural, objectIcon(o)))}
      </nav>
      ${pages.length > 0
        ? html`<nav aria-label="Plugin pages">
            <h2>Apps</h2>
            ${pages.map(({ plugin, view }) => this.#link(`/plugins/${plugin.id}/${view.element}`, view.label, html`<span class="icon c-slate">${view.label.charAt(0)}</span>`))}
          </nav>`
        : null}
      ${permissions.can('metadata')
        ? html`<nav aria-label="Settings"><h2>Settings</h2>${this.#link('/settings/data-model', 'Data model', html`<span class="icon c-teal" aria-hidden="true">⚙</span>`)}</nav>`
        : null}
      <div class="spacer"></div>
      <div class="me">
        <span class="avatar" aria-hidden="true">${session.user.name.charAt(0).toUpperCase()}</span>
        <div class="who"><div>${session.user.name}</div><div class="muted">${session.role.name}</div></div>
        <button class="ghost" @click=${() => this.dispatchEvent(new CustomEvent('sign-out'))}>Sign out</button>
      </div>
    `;
  }
}

define('mosaic-sidebar', Sidebar);
