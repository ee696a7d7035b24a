import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { ApiError } from '../api/errors.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { refusal } from './pages.js';
import { PluginAdminApi, type PluginDetail } from './plugin-api.js';
import type { PluginSettingsForm, SettingsSubmit } from './plugin-settings-form.js';
import { pluginState } from './plugins-page.js';
import { settingsStyles } from './settings-styles.js';
import './plugin-consent.js';
import './plugin-settings-form.js';
import './plugin-uninstall.js';

/**
 * Settings → Plugins → one plugin: what it may do (its permissions in plain words), what it adds, its
 * state with enable/disable, reset and uninstall, the settings form generated from its schema, and — when
 * an upgrade asks for more permissions — the consent screen that applies it. Needs `plugins`.
 */
export class PluginDetailPage extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    pluginId: {},
    plugin: { state: true },
    error: { state: true },
    fieldErrors: { state: true },
    saving: { state: true },
    reviewing: { state: true },
    consentError: { state: true },
    uninstalling: { state: true },
  };
  static override styles = [
    base,
    settingsStyles,
    css`
      header { display: flex; gap: 12px; align-items: flex-start; justify-content: space-between; flex-wrap: wrap; }
      ul.plain { margin: 0; padding-left: 18px; display: grid; gap: 4px; }
      .pending { background: #fffbeb; border-color: #fde68a; }
      .back { font-size: 12px; }
    `,
  ];

  declare shell: ShellContext;
  declare pluginId: string;
  declare plugin: PluginDetail | null;
  declare error: string | null;
  /** The API's settings problems, by setting key (`''` for the whole object). */
  declare fieldErrors: Record<string, string>;
  declare saving: boolean;
  /** Whether the consent screen of the pending upgrade is open. */
  declare reviewing: boolean;
  declare consentError: string | null;
  declare uninstalling: boolean;

  constructor() {
    super();
    this.plugin = null;
    this.error = null;
    this.fieldErrors = {};
    this.saving = false;
    this.reviewing = false;
    this.consentError = null;
    this.uninstalling = false;
  }

  get #api(): PluginAdminApi {
    return new PluginAdminApi(this.shell.api);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('pluginId') || (changed.has('shell') && this.plugin === null)) && this.shell.permissions.can('plugins')) void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.plugin = await this.#api.get(this.pluginId);
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async #act(action: () => Promise<PluginDetail | void>, success: string): Promise<void> {
    try {
      const result = await action();
      if (result) this.plugin = result;
      this.shell.toast(success, 'success');
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
      await this.#load();
    }
    await this.shell.reloadMetadata();
  }

  async #save(submit: SettingsSubmit): Promise<void> {
    const p = this.plugin!;
    this.saving = true;
    this.fieldErrors = {};
    try {
      this.plugin = await this.#api.patch(p.id, { settings: submit.settings, ...(Object.keys(submit.secrets).length > 0 ? { secrets: submit.secrets } : {}) });
      (this.renderRoot.querySelector('mosaic-plugin-settings-form') as PluginSettingsForm | null)?.clearSecrets();
      this.shell.toast('Settings saved.', 'success');
    } catch (err) {
      const errors: Record<string, string> = {};
      if (err instanceof ApiError && err.details.length > 0) {
        // Settings problems name the setting (`threshold`, or `address.city` for a nested one).
        for (const d of err.details) errors[d.path.split('.')[0] ?? ''] ??= `${d.message}`;
      } else {
        errors[''] = (err as Error).message;
      }
      this.fieldErrors = errors;
    } finally {
      this.saving = false;
    }
  }

  async #grantUpgrade(): Promise<void> {
    const pending = this.plugin!.pending!;
    this.saving = true;
    this.consentError = null;
    try {
      // The grant is exactly what the consent screen listed: the pending version's requested permissions.
      const result = await this.#api.upgrade(this.plugin!.id, pending.folder, pending.requested);
      this.plugin = result.plugin;
      this.reviewing = false;
      this.shell.toast(`${result.plugin.name} upgraded to ${result.plugin.version}.`, 'success');
      await this.shell.reloadMetadata();
    } catch (err) {
      this.consentError = (err as Error).message;
    } finally {
      this.saving = false;
    }
  }

  async #uninstall(purge: boolean): Promise<void> {
    const p = this.plugin!;
    this.uninstalling = false;
    try {
      await this.#api.uninstall(p.id, purge);
      this.shell.toast(`${p.name} uninstalled${purge ? ' and its data deleted' : ''}.`, 'success');
      await this.shell.reloadMetadata();
      this.shell.navigate('/settings/plugins');
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
  }

  #pending(p: PluginDetail) {
    if (!p.pending) return nothing;
    return html`<section class="pending" role="status">
      <h2>Version ${p.pending.version} waits for your consent</h2>
      <p>It asks for more permissions than ${p.version} holds. Until you grant them, ${p.version} keeps running.</p>
      <div class="actions"><button class="primary" @click=${() => (this.reviewing = true)}>Review permissions</button></div>
    </section>`;
  }

  override render() {
    const refused = refusal(this.shell, 'plugins', 'Plugins');
    if (refused) return refused;
    if (this.error) return html`<a class="back" href="/settings/plugins">← Plugins</a><p class="error-text" role="alert">${this.error}</p>`;
    const p = this.plugin;
    if (!p) return html`<p class="empty" aria-busy="true">Loading…</p>`;
    const state = pluginState(p);
    const hasSettings = Object.keys(p.settings_schema?.properties ?? {}).length > 0 || p.secrets.length > 0;
    return html`
      <a class="back" href="/settings/plugins">← Plugins</a>
      <header>
        <div>
          <h1>${p.name} <span class="muted">${p.version}</span></h1>
          <p class="muted">${p.id}${p.publisher ? ` · by ${p.publisher.name}` : ''}${p.description ? ` · ${p.description}` : ''}</p>
        </div>
        <div class="actions">
          <span class="badge ${state.kind}">${state.label}</span>
          ${state.resettable ? html`<button @click=${() => this.#act(() => this.#api.patch(p.id, { reset: true }), `${p.name} resumed.`)}>Reset</button>` : nothing}
          <button @click=${() => this.#act(() => this.#api.patch(p.id, { enabled: !p.enabled }), `${p.name} ${p.enabled ? 'disabled' : 'enabled'}.`)}>${p.enabled ? 'Disable' : 'Enable'}</button>
          <button class="ghost" @click=${() => (this.uninstalling = true)}>Uninstall</button>
        </div>
      </header>
      ${p.error ? html`<p class="error-text" role="alert">Paused: ${p.error.message}</p>` : nothing}
      ${this.#pending(p)}
      <section>
        <h2>Permissions</h2>
        ${p.permissions.length === 0
          ? html`<p class="muted">Nothing beyond its own data.</p>`
          : html`<ul class="plain" aria-label="Granted permissions">${p.permissions.map((s) => html`<li>${s}</li>`)}</ul>`}
        ${p.objects.length > 0 ? html`<p class="muted">Adds the objects ${p.objects.join(', ')}.</p>` : nothing}
      </section>
      <section>
        <h2>Settings</h2>
        ${hasSettings
          ? html`<mosaic-plugin-settings-form .schema=${p.settings_schema} .values=${p.settings} .secrets=${p.secrets} .secretsSet=${p.secrets_set}
              .errors=${this.fieldErrors} ?busy=${this.saving} @save=${(e: CustomEvent<SettingsSubmit>) => this.#save(e.detail)}></mosaic-plugin-settings-form>`
          : html`<p class="muted">This plugin has no settings.</p>`}
      </section>
      ${this.reviewing && p.pending
        ? html`<mosaic-plugin-consent action="upgrade" plugin-name=${p.name} version=${p.pending.version} .permissions=${p.pending.permissions}
            .added=${p.pending.permissions.filter((s) => !p.permissions.includes(s))} ?busy=${this.saving} .error=${this.consentError}
            @grant=${() => this.#grantUpgrade()} @cancel=${() => ((this.reviewing = false), (this.consentError = null))}></mosaic-plugin-consent>`
        : nothing}
      ${this.uninstalling
        ? html`<mosaic-plugin-uninstall .plugin=${p} @cancel=${() => (this.uninstalling = false)} @confirm=${(e: CustomEvent<{ purge: boolean }>) => this.#uninstall(e.detail.purge)}></mosaic-plugin-uninstall>`
        : nothing}
    `;
  }
}

define('mosaic-plugin-detail', PluginDetailPage);
