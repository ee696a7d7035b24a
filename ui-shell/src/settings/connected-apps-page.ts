import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { ConnectedAppsApi, type ConnectedApp, type IdleClient } from './connected-apps-api.js';
import { settingsStyles } from './settings-styles.js';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');
const day = (iso: string) => new Date(iso).toLocaleDateString();

/**
 * Settings → Connected apps: the OAuth applications (AI assistants, MCP clients) the member authorized in
 * this workspace, each revocable with a confirmation. With the `members` capability, every member's
 * apps too, and the registered clients no one here uses any more, which can be deleted. Every member
 * opens this page: it needs no capability for one's own apps.
 */
export class ConnectedAppsPage extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    mine: { state: true },
    all: { state: true },
    idle: { state: true },
    confirming: { state: true },
    error: { state: true },
  };
  static override styles = [
    base,
    settingsStyles,
    // A client id may be a long metadata-document URL: it wraps rather than widening the table.
    css`
      td code { word-break: break-all; }
      td.app { min-width: 180px; }
      .actions { justify-content: flex-end; }
    `,
  ];

  declare shell: ShellContext;
  declare mine: ConnectedApp[] | null;
  declare all: ConnectedApp[] | null;
  declare idle: IdleClient[];
  /** The row awaiting confirmation: `mine:<id>`, `all:<member>:<id>` or `client:<id>`. */
  declare confirming: string | null;
  declare error: string | null;

  constructor() {
    super();
    this.mine = null;
    this.all = null;
    this.idle = [];
    this.confirming = null;
    this.error = null;
  }

  get #admin(): boolean {
    return this.shell.permissions.can('members');
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('shell') && this.mine === null) void this.#load();
  }

  async #load(): Promise<void> {
    const api = new ConnectedAppsApi(this.shell.api);
    try {
      const [mine, all] = await Promise.all([api.mine(), this.#admin ? api.all() : Promise.resolve(null)]);
      this.mine = mine;
      this.all = all?.data ?? null;
      this.idle = all?.idle_clients ?? [];
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async #act(work: () => Promise<void>, done: string): Promise<void> {
    this.confirming = null;
    try {
      await work();
      this.shell.toast(done, 'success');
      await this.#load();
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
  }

  #confirm(key: string, label: string, confirmLabel: string, action: () => void): TemplateResult {
    // The flex box sits inside the cell: a cell that is itself a flex box leaves the table's layout.
    return html`<td><div class="actions">${this.confirming === key
      ? html`<button class="danger" @click=${action}>${confirmLabel}</button><button class="ghost" @click=${() => (this.confirming = null)}>Cancel</button>`
      : html`<button class="ghost" @click=${() => (this.confirming = key)}>${label}</button>`}</div></td>`;
  }

  #app(app: ConnectedApp): TemplateResult {
    return html`<td class="app"><strong>${app.client_name}</strong><br /><code title=${app.client_kind === 'document' ? 'Client metadata document' : 'Registered client'}>${app.client_id}</code></td>
      <td>${app.redirect_hosts.length > 0 ? app.redirect_hosts.join(', ') : '—'}</td>
      <td>${app.scopes.map((s) => html`<span class="badge">${s}</span> `)}</td>
      <td>${day(app.first_authorized_at)}</td><td>${when(app.last_used_at)}</td>`;
  }

  #mineTable(): TemplateResult {
    if (this.mine === null) return html`<p class="empty" aria-busy="true">Loading…</p>`;
    if (this.mine.length === 0) return html`<p class="empty">You have not connected any app to this workspace.</p>`;
    const api = new ConnectedAppsApi(this.shell.api);
    return html`<table aria-label="Your connected apps">
      <thead><tr><th>App</th><th>Redirects to</th><th>Scopes</th><th>Authorized</th><th>Last used</th><th></th></tr></thead>
      <tbody>${this.mine.map(
        (app) => html`<tr data-app=${app.client_name}>${this.#app(app)}${this.#confirm(`mine:${app.id}`, 'Revoke', 'Confirm revoke', () =>
          this.#act(() => api.revokeMine(app.id), `“${app.client_name}” can no longer act for you.`),
        )}</tr>`,
      )}</tbody>
    </table>`;
  }

  #allTable(): TemplateResult {
    if (this.all === null) return html`<p class="empty" aria-busy="true">Loading…</p>`;
    if (this.all.length === 0) return html`<p class="empty">No member has connected an app.</p>`;
    const api = new ConnectedAppsApi(this.shell.api);
    return html`<table aria-label="Connected apps of the workspace">
      <thead><tr><th>Member</th><th>App</th><th>Redirects to</th><th>Scopes</th><th>Authorized</th><th>Last used</th><th></th></tr></thead>
      <tbody>${this.all.map((app) => {
        const member = app.member!;
        return html`<tr data-app=${app.client_name} data-member=${member.name}><td title=${member.email}>${member.name}</td>${this.#app(app)}${this.#confirm(
          `all:${member.id}:${app.id}`,
          'Revoke',
          'Confirm revoke',
          () => this.#act(() => api.revoke(member.id, app.id), `“${app.client_name}” can no longer act for ${member.name}.`),
        )}</tr>`;
      })}</tbody>
    </table>`;
  }

  #idleTable(): TemplateResult | typeof nothing {
    if (this.idle.length === 0) return nothing;
    const api = new ConnectedAppsApi(this.shell.api);
    return html`<section>
      <h2>Registered clients no one here uses</h2>
      <p class="muted">Deleting forgets a client in this workspace; its registration is removed only when no other workspace uses it. A member can still connect it again.</p>
      <table aria-label="Unused registered clients">
        <thead><tr><th>Client</th><th>Last revoked</th><th></th></tr></thead>
        <tbody>${this.idle.map(
          (c) => html`<tr data-client=${c.client_name}><td class="app"><strong>${c.client_name}</strong><br /><code>${c.client_id}</code></td><td>${when(c.last_revoked_at)}</td>${this.#confirm(
            `client:${c.id}`,
            'Delete',
            'Confirm delete',
            () => this.#act(() => api.deleteClient(c.id), `“${c.client_name}” deleted.`),
          )}</tr>`,
        )}</tbody>
      </table>
    </section>`;
  }

  override render() {
    return html`
      <h1>Connected apps</h1>
      <p class="muted">Applications such as AI assistants that you allowed to act for you in this workspace, with your role narrowed to the scopes you granted. Revoking one stops it at once.</p>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      <section>
        <h2>Your apps</h2>
        ${this.#mineTable()}
      </section>
      ${this.#admin
        ? html`<section>
              <h2>Every member's apps</h2>
              ${this.#allTable()}
            </section>
            ${this.#idleTable()}`
        : nothing}
    `;
  }
}

define('mosaic-connected-apps-page', ConnectedAppsPage);
