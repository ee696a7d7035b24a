import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { refusal } from './pages.js';
import { consentRequest, PluginAdminApi, type ConsentRequest, type PluginAdminInfo } from './plugin-api.js';
import { settingsStyles } from './settings-styles.js';
import './plugin-consent.js';
import './plugin-uninstall.js';

/** A plugin's state in a word or two, and whether an admin can clear it with a reset. */
export function pluginState(p: PluginAdminInfo): { label: string; kind: 'on' | 'off' | 'warn' | 'bad'; resettable: boolean } {
  if (p.error) return { label: 'Paused', kind: 'bad', resettable: true };
  if (p.health?.state === 'degraded') return { label: 'Failing', kind: 'bad', resettable: true };
  if (p.pending) return { label: `Upgrade to ${p.pending.version} waits`, kind: 'warn', resettable: false };
  return p.enabled ? { label: 'Enabled', kind: 'on', resettable: false } : { label: 'Disabled', kind: 'off', resettable: false };
}

/**
 * Settings → Plugins: installed plugins with version and state (paused or failing ones with a reset),
 * enable/disable, uninstall (keeping or deleting their data), and installing from a server folder behind
 * the consent screen. Needs `plugins`.
 */
export class PluginsPage extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    plugins: { state: true },
    consent: { state: true },
    busy: { state: true },
    installError: { state: true },
    uninstalling: { state: true },
    error: { state: true },
  };
  static override styles = [
    base,
    settingsStyles,
    css`
      .name { font-weight: 500; }
      .why { font-size: 12px; color: var(--danger); }
    `,
  ];

  declare shell: ShellContext;
  declare plugins: PluginAdminInfo[] | null;
  /** The consent an install waits for, with the folder it came from. */
  declare consent: (ConsentRequest & { folder: string }) | null;
  declare busy: boolean;
  declare installError: string | null;
  declare uninstalling: PluginAdminInfo | null;
  declare error: string | null;

  constructor() {
    super();
    this.plugins = null;
    this.consent = null;
    this.busy = false;
    this.installError = null;
    this.uninstalling = null;
    this.error = null;
  }

  get #api(): PluginAdminApi {
    return new PluginAdminApi(this.shell.api);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('shell') && this.shell.permissions.can('plugins') && this.plugins === null) void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.plugins = await this.#api.list();
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  /** After a change: this list, and the shell's (sidebar pages, views). */
  async #reload(): Promise<void> {
    await Promise.all([this.#load(), this.shell.reloadMetadata()]);
  }

  async #act(action: () => Promise<unknown>, success: string): Promise<void> {
    try {
      await action();
      this.shell.toast(success, 'success');
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
    await this.#reload();
  }

  async #install(folder: string, grant?: 'requested'): Promise<void> {
    this.busy = true;
    this.installError = null;
    try {
      const installed = await this.#api.install(folder, grant);
      this.consent = null;
      this.shell.toast(`${installed.name} ${installed.version} installed.`, 'success');
      await this.#reload();
      this.shell.navigate(`/settings/plugins/${installed.id}`);
    } catch (err) {
      const consent = consentRequest(err);
      if (consent && !grant) {
        this.consent = { ...consent, folder };
      } else {
        this.consent = null;
        this.installError = (err as Error).message;
      }
    } finally {
      this.busy = false;
    }
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const folder = String(new FormData(event.target as HTMLFormElement).get('folder')).trim();
    if (folder) void this.#install(folder);
  }

  #row(p: PluginAdminInfo) {
    const state = pluginState(p);
    return html`<tr data-plugin=${p.id}>
      <td><a class="name" href=${`/settings/plugins/${p.id}`}>${p.name}</a><div class="muted">${p.id}</div></td>
      <td>${p.version}</td>
      <td>
        <span class="badge ${state.kind}">${state.label}</span>
        ${p.error ? html`<div class="why">${p.error.message}</div>` : p.health?.state === 'degraded' && p.health.lastError ? html`<div class="why">${p.health.lastError.message}</div>` : nothing}
      </td>
      <td class="actions">
        ${state.resettable ? html`<button @click=${() => this.#act(() => this.#api.patch(p.id, { reset: true }), `${p.name} resumed.`)}>Reset</button>` : nothing}
        <button @click=${() => this.#act(() => this.#api.patch(p.id, { enabled: !p.enabled }), `${p.name} ${p.enabled ? 'disabled' : 'enabled'}.`)}>${p.enabled ? 'Disable' : 'Enable'}</button>
        <a href=${`/settings/plugins/${p.id}`}>Settings</a>
        <button class="ghost" @click=${() => (this.uninstalling = p)}>Uninstall</button>
      </td>
    </tr>`;
  }

  override render() {
    const refused = refusal(this.shell, 'plugins', 'Plugins');
    if (refused) return refused;
    return html`
      <h1>Plugins</h1>
      <p class="muted">Plugins add objects, pages and automations. Each runs in a sandbox with only the permissions you grant.</p>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      <section>
        ${this.plugins === null
          ? html`<p class="empty" aria-busy="true">Loading…</p>`
          : this.plugins.length === 0
            ? html`<p class="empty">No plugins installed.</p>`
            : html`<table aria-label="Installed plugins">
                <thead><tr><th>Plugin</th><th>Version</th><th>State</th><th></th></tr></thead>
                <tbody>${this.plugins.map((p) => this.#row(p))}</tbody>
              </table>`}
      </section>
      <section>
        <h2>Install from the server</h2>
        <p class="muted">A plugin folder on the server, inside the plugin directories the server allows (PLUGIN_DIRS).</p>
        <form class="inline" @submit=${this.#submit}>
          <label>Plugin folder<input name="folder" required placeholder="/srv/mosaic/plugins/my-plugin" /></label>
          <button class="primary" type="submit" ?disabled=${this.busy}>Install…</button>
        </form>
        ${this.installError ? html`<p class="error-text" role="alert">${this.installError}</p>` : nothing}
      </section>
      ${this.consent
        ? html`<mosaic-plugin-consent plugin-name=${this.consent.plugin} .permissions=${this.consent.permissions} ?busy=${this.busy}
            @grant=${() => this.#install(this.consent!.folder, 'requested')} @cancel=${() => (this.consent = null)}></mosaic-plugin-consent>`
        : nothing}
      ${this.uninstalling
        ? html`<mosaic-plugin-uninstall .plugin=${this.uninstalling} @cancel=${() => (this.uninstalling = null)}
            @confirm=${(e: CustomEvent<{ purge: boolean }>) => {
              const p = this.uninstalling!;
              this.uninstalling = null;
              void this.#act(() => this.#api.uninstall(p.id, e.detail.purge), `${p.name} uninstalled${e.detail.purge ? ' and its data deleted' : ''}.`);
            }}></mosaic-plugin-uninstall>`
        : nothing}
    `;
  }
}

define('mosaic-plugins-page', PluginsPage);
