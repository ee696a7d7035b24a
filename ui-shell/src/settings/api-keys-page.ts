import { LitElement, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { AdminApi, type ApiKey, type Role } from './admin-api.js';
import { refusal } from './pages.js';
import { settingsStyles } from './settings-styles.js';
import './secret-once.js';

const day = (iso: string | null) => (iso ? new Date(iso).toLocaleDateString() : '—');

/**
 * Settings → API keys: live keys (name, role, prefix, last use), creating one (its secret is shown once,
 * with a copy button) and revoking with a confirmation. Needs `api_keys`.
 */
export class ApiKeysPage extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    keys: { state: true },
    roles: { state: true },
    created: { state: true },
    confirming: { state: true },
    error: { state: true },
  };
  static override styles = [base, settingsStyles];

  declare shell: ShellContext;
  declare keys: ApiKey[] | null;
  declare roles: Role[];
  /** The key just created, with its secret, until dismissed. */
  declare created: ApiKey | null;
  declare confirming: string | null;
  declare error: string | null;

  constructor() {
    super();
    this.keys = null;
    this.roles = [];
    this.created = null;
    this.confirming = null;
    this.error = null;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('shell') && this.shell.permissions.can('api_keys') && this.keys === null) void this.#load();
  }

  async #load(): Promise<void> {
    const admin = new AdminApi(this.shell.api);
    try {
      [this.keys, this.roles] = await Promise.all([admin.apiKeys(), admin.roles()]);
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async #create(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const expires = String(data.get('expires') ?? '');
    try {
      this.created = await new AdminApi(this.shell.api).createApiKey({
        name: String(data.get('name')).trim(),
        role: String(data.get('role')),
        ...(expires ? { expires_at: new Date(`${expires}T23:59:59`).toISOString() } : {}),
      });
      form.reset();
      await this.#load();
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
  }

  async #revoke(key: ApiKey): Promise<void> {
    this.confirming = null;
    try {
      await new AdminApi(this.shell.api).revokeApiKey(key.id);
      this.shell.toast(`API key “${key.name}” revoked.`, 'success');
      await this.#load();
    } catch (err) {
      this.shell.toast((err as Error).message, 'error');
    }
  }

  override render() {
    const refused = refusal(this.shell, 'api_keys', 'API keys');
    if (refused) return refused;
    return html`
      <h1>API keys</h1>
      <p class="muted">Programs call the API with a key (<code>Authorization: Bearer mk_…</code>). A key acts with its role's permissions.</p>
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
      <section>
        <h2>New key</h2>
        <form class="inline" @submit=${this.#create}>
          <label>Key name<input name="name" required maxlength="100" placeholder="Nightly import" /></label>
          <label>Role<select name="role" aria-label="Role">${this.roles.map((r) => html`<option value=${r.key} ?selected=${r.key === 'member'}>${r.name}</option>`)}</select></label>
          <label>Expires (optional)<input name="expires" type="date" /></label>
          <button class="primary" type="submit">Create key</button>
        </form>
        ${this.created?.key
          ? html`<mosaic-secret-once label=${`Secret of “${this.created.name}”`} .value=${this.created.key} note="Copy it now and store it safely: only a hash is kept, so it cannot be shown again." @dismiss=${() => (this.created = null)}></mosaic-secret-once>`
          : nothing}
      </section>
      <section>
        ${this.keys === null
          ? html`<p class="empty" aria-busy="true">Loading…</p>`
          : this.keys.length === 0
            ? html`<p class="empty">No API keys yet.</p>`
            : html`<table aria-label="API keys">
                <thead><tr><th>Name</th><th>Key</th><th>Role</th><th>Created</th><th>Last used</th><th>Expires</th><th></th></tr></thead>
                <tbody>${this.keys.map(
                  (k) => html`<tr data-key=${k.name}>
                    <td>${k.name}</td><td><code>${k.prefix}…</code></td><td>${this.roles.find((r) => r.key === k.role)?.name ?? k.role}</td>
                    <td>${day(k.created_at)}</td><td>${k.last_used_at ? day(k.last_used_at) : 'never'}</td><td>${k.expires_at ? day(k.expires_at) : 'never'}</td>
                    <td class="actions">${this.confirming === k.id
                      ? html`<button class="danger" @click=${() => this.#revoke(k)}>Confirm revoke</button><button class="ghost" @click=${() => (this.confirming = null)}>Cancel</button>`
                      : html`<button class="ghost" @click=${() => (this.confirming = k.id)}>Revoke</button>`}</td>
                  </tr>`,
                )}</tbody>
              </table>`}
      </section>
    `;
  }
}

define('mosaic-api-keys-page', ApiKeysPage);
