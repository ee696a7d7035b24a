import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { ApiError } from '../api/errors.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { MarketplaceApi, type InstallPlan, type MarketplaceDetail, type MarketplaceList, type SignatureStatus } from './marketplace-api.js';
import { refusal } from './pages.js';
import { settingsStyles } from './settings-styles.js';
import './plugin-consent.js';

const SIGNATURE: Record<SignatureStatus, { label: string; kind: 'on' | 'warn' | 'bad' }> = {
  verified: { label: 'Signed by a trusted publisher', kind: 'on' },
  untrusted_key: { label: 'Signed by an untrusted key', kind: 'bad' },
  unsigned: { label: 'Unsigned', kind: 'warn' },
};

/** A consent the page waits for: the plan, what is new (upgrades), and how to apply it. */
interface PendingConsent {
  readonly plan: InstallPlan;
  readonly action: 'install' | 'upgrade';
  readonly added: readonly string[];
  readonly version: string;
}

/**
 * Settings → Marketplace: the plugins of the configured marketplaces with search; a plugin's versions
 * with publisher, signature status, kernel match and permissions in plain words; Install (and Upgrade)
 * behind the consent screen showing the whole plan, dependencies included. An upgrade asks for consent
 * only when its permissions grow. Revoked versions, and an installed one that was revoked, are flagged.
 * Needs `plugins`.
 */
export class MarketplacePage extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    list: { state: true },
    detail: { state: true },
    consent: { state: true },
    busy: { state: true },
    error: { state: true },
  };
  static override styles = [
    base,
    settingsStyles,
    css`
      .name { font-weight: 500; background: none; border: 0; padding: 0; color: var(--accent, inherit); cursor: pointer; text-decoration: underline; }
      .warning { padding: 10px 12px; border-radius: var(--radius); background: #fef3c7; color: #92400e; }
      .danger { padding: 10px 12px; border-radius: var(--radius); background: var(--danger-soft); color: var(--danger); }
      ul.perms { margin: 0; padding-left: 18px; }
      form.inline input { min-width: 0; }
    `,
  ];

  declare shell: ShellContext;
  declare list: MarketplaceList | null;
  declare detail: MarketplaceDetail | null;
  declare consent: PendingConsent | null;
  declare busy: boolean;
  declare error: string | null;
  #query = '';

  constructor() {
    super();
    this.list = null;
    this.detail = null;
    this.consent = null;
    this.busy = false;
    this.error = null;
  }

  get #api(): MarketplaceApi {
    return new MarketplaceApi(this.shell.api);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('shell') && this.shell.permissions.can('plugins') && this.list === null) void this.#load();
  }

  async #load(): Promise<void> {
    try {
      this.list = await this.#api.list(this.#query);
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async #open(id: string): Promise<void> {
    try {
      this.detail = await this.#api.get(id);
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
  }

  #search(event: SubmitEvent): void {
    event.preventDefault();
    this.#query = String(new FormData(event.target as HTMLFormElement).get('q') ?? '').trim();
    void this.#load();
  }

  /** Install: always through the consent screen with the whole plan. */
  async #askInstall(version: string): Promise<void> {
    try {
      const plan = await this.#api.plan(this.detail!.id, version);
      this.consent = { plan, action: 'install', added: [], version };
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
  }

  /** Upgrade: applied at once unless its permissions grow; then the consent screen marks what is new. */
  async #upgrade(version: string): Promise<void> {
    const detail = this.detail!;
    this.busy = true;
    try {
      await this.#api.upgrade(detail.id, version);
      await this.#done(`${detail.name} upgraded to ${version}.`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'MOSAIC_ERR_MARKETPLACE_CONSENT_REQUIRED') {
        const plan = await this.#api.plan(detail.id, version);
        const before = new Set(detail.versions.find((v) => v.version === detail.installed?.version)?.permissions ?? []);
        this.consent = { plan, action: 'upgrade', added: plan.permissions.filter((p) => !before.has(p)), version };
      } else this.shell.toast((err as Error).message, 'error');
    } finally {
      this.busy = false;
    }
  }

  async #grant(): Promise<void> {
    const consent = this.consent!;
    const id = this.detail!.id;
    this.busy = true;
    try {
      if (consent.action === 'install') await this.#api.install(id, consent.version, consent.plan.consent);
      else await this.#api.upgrade(id, consent.version, consent.plan.consent);
      this.consent = null;
      await this.#done(`${consent.plan.plugins.map((p) => `${p.name} ${p.version}`).join(', ')} ${consent.action === 'install' ? 'installed' : 'upgraded'}.`);
    } catch (err) {
      this.consent = null;
      this.shell.toast((err as Error).message, 'error');
    } finally {
      this.busy = false;
    }
  }

  /** After a change: this page, and the shell's data model and plugin views (new fields, tabs). */
  async #done(message: string): Promise<void> {
    this.shell.toast(message, 'success');
    await Promise.all([this.#load(), this.#open(this.detail!.id), this.shell.reloadMetadata()]);
  }

  #badge(status: SignatureStatus | null) {
    if (!status) return nothing;
    const s = SIGNATURE[status];
    return html`<span class="badge ${s.kind}">${s.label}</span>`;
  }

  #rows(list: MarketplaceList) {
    if (list.data.length === 0) return html`<p class="empty">${this.#query ? 'No plugin matches.' : 'The marketplaces offer no plugins.'}</p>`;
    return html`<table aria-label="Marketplace plugins">
      <thead><tr><th>Plugin</th><th>Publisher</th><th>Latest</th><th>Installed</th><th>Signature</th></tr></thead>
      <tbody>
        ${list.data.map((p) => html`<tr data-plugin=${p.id}>
          <td><button class="name" @click=${() => this.#open(p.id)}>${p.name}</button><div class="muted">${p.description ?? p.id}</div></td>
          <td>${p.publisher.name}</td>
          <td>${p.latest_version ?? '—'}</td>
          <td>${p.installed_version ?? '—'}
            ${p.installed_revoked ? html`<span class="badge bad" title=${p.installed_revoked}>Revoked</span>` : p.update_available ? html`<span class="badge warn">Update</span>` : nothing}</td>
          <td>${this.#badge(p.signature)}</td>
        </tr>`)}
      </tbody>
    </table>`;
  }

  #detail(d: MarketplaceDetail) {
    const installedRevoked = d.installed && d.versions.find((v) => v.version === d.installed!.version)?.revoked;
    return html`<section aria-label=${`${d.name} details`}>
      <h2>${d.name}</h2>
      <p>${d.description ?? ''}</p>
      <p class="muted">By ${d.publisher.name} · from ${d.marketplace.name} · ${d.installed ? `installed: ${d.installed.version}${d.installed.pending_version ? ` (upgrade to ${d.installed.pending_version} waits for consent)` : ''}` : 'not installed'}</p>
      ${installedRevoked ? html`<p class="danger" role="alert">The installed version ${d.installed!.version} was revoked by the marketplace: ${installedRevoked}. Upgrade or uninstall it.</p>` : nothing}
      <table aria-label="Versions">
        <thead><tr><th>Version</th><th>Signature</th><th>Permissions</th><th>Needs</th><th></th></tr></thead>
        <tbody>
          ${d.versions.map((v) => html`<tr data-version=${v.version}>
            <td>${v.version}<div class="muted">${v.published_at ? new Date(v.published_at).toLocaleDateString() : ''}</div></td>
            <td>${this.#badge(v.signature)}${v.revoked ? html`<div class="badge bad" title=${v.revoked}>Revoked: ${v.revoked}</div>` : nothing}
              ${v.kernel_matches ? nothing : html`<div class="badge bad">Needs kernel ${v.kernel}</div>`}</td>
            <td>${v.permissions.length === 0 ? html`<span class="muted">Nothing beyond its own data</span>` : html`<ul class="perms">${v.permissions.map((p) => html`<li>${p}</li>`)}</ul>`}</td>
            <td>${Object.entries(v.dependencies).map(([id, range]) => html`<div><code>${id} ${range}</code></div>`)}</td>
            <td class="actions">${this.#action(d, v.version, v.revoked !== null || !v.kernel_matches)}</td>
          </tr>`)}
        </tbody>
      </table>
    </section>`;
  }

  #action(d: MarketplaceDetail, version: string, blocked: boolean) {
    if (blocked) return nothing;
    if (!d.installed) return html`<button class="primary" ?disabled=${this.busy} @click=${() => this.#askInstall(version)}>Install</button>`;
    if (d.installed.version === version) return html`<span class="badge on">Installed</span>`;
    const newer = d.versions.findIndex((v) => v.version === version) < d.versions.findIndex((v) => v.version === d.installed!.version);
    return newer ? html`<button ?disabled=${this.busy} @click=${() => this.#upgrade(version)}>Upgrade</button>` : nothing;
  }

  override render() {
    const refused = refusal(this.shell, 'plugins', 'Marketplace');
    if (refused) return refused;
    const plan = this.consent?.plan;
    const target = plan?.plugins[plan.plugins.length - 1];
    const others = plan?.plugins.slice(0, -1) ?? [];
    return html`
      <h1>Marketplace</h1>
      <p class="muted">Plugins from the marketplaces this server is configured with. Only packages signed by a trusted publisher key install.</p>
      ${this.list?.allow_unsigned ? html`<p class="warning" role="alert">Unsigned plugins can be installed (ALLOW_UNSIGNED_PLUGINS is on). Use this only for development.</p>` : nothing}
      ${this.list?.marketplaces.filter((m) => m.error).map((m) => html`<p class="danger">${m.error!.message}</p>`)}
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      <section>
        <form class="inline" role="search" @submit=${this.#search}>
          <label>Search<input name="q" type="search" placeholder="Name, description or publisher" /></label>
          <button type="submit">Search</button>
        </form>
        ${this.list === null ? html`<p class="empty" aria-busy="true">Loading…</p>` : this.#rows(this.list)}
      </section>
      ${this.detail ? this.#detail(this.detail) : nothing}
      ${this.consent && target
        ? html`<mosaic-plugin-consent
            plugin-name=${others.length > 0 ? `${target.name} with ${others.map((p) => `${p.name} ${p.version}`).join(', ')},` : target.name}
            version=${target.version} action=${this.consent.action} .permissions=${this.consent.plan.permissions} .added=${this.consent.added} ?busy=${this.busy}
            @grant=${() => void this.#grant()} @cancel=${() => (this.consent = null)}></mosaic-plugin-consent>`
        : nothing}
    `;
  }
}

define('mosaic-marketplace-page', MarketplacePage);
