import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';

/**
 * The consent screen of a plugin: what it may do, one permission per line in plain words (as the API's
 * `describePermissions` writes them), and Grant / Cancel. `added` marks what is new compared with the
 * current grant (an upgrade). It is a modal dialog; Escape cancels. Fires `grant` and `cancel`; the
 * caller makes the API call, so the marketplace can reuse it for any install source.
 */
export class PluginConsent extends LitElement {
  static override properties: PropertyDeclarations = {
    pluginName: { attribute: 'plugin-name' },
    version: {},
    permissions: { attribute: false },
    added: { attribute: false },
    action: {},
    busy: { type: Boolean },
    error: {},
  };
  static override styles = [
    base,
    css`
      .scrim { position: fixed; inset: 0; z-index: 20; background: rgb(24 24 27 / 0.35); display: grid; place-items: center; padding: 16px; }
      [role='dialog'] { background: var(--bg); border-radius: 12px; box-shadow: var(--shadow); width: min(520px, 100%); max-height: 90vh; overflow: auto; padding: 20px; display: grid; gap: 12px; }
      h2 { font-size: 16px; margin: 0; }
      p { margin: 0; }
      ul { margin: 0; padding: 0; list-style: none; display: grid; gap: 6px; }
      li { display: flex; gap: 8px; align-items: baseline; padding: 6px 10px; border: 1px solid var(--border); border-radius: var(--radius); }
      li::before { content: '✓'; color: var(--success); }
      li.new { border-color: #fcd34d; background: #fffbeb; }
      .tag { margin-left: auto; font-size: 11px; color: #92400e; font-weight: 600; }
      .actions { display: flex; gap: 8px; justify-content: flex-end; }
    `,
  ];

  declare pluginName: string;
  declare version: string;
  declare permissions: readonly string[];
  declare added: readonly string[];
  /** The verb of the grant button's context: "install" or "upgrade". */
  declare action: string;
  declare busy: boolean;
  declare error: string | null;

  constructor() {
    super();
    this.pluginName = '';
    this.version = '';
    this.permissions = [];
    this.added = [];
    this.action = 'install';
    this.busy = false;
    this.error = null;
  }

  protected override firstUpdated(_changed: PropertyValues<this>): void {
    // Focus starts on Cancel: granting should be a deliberate choice, never a stray Enter.
    (this.renderRoot.querySelector('button.cancel') as HTMLElement | null)?.focus();
  }

  #fire(name: 'grant' | 'cancel'): void {
    this.dispatchEvent(new CustomEvent(name, { bubbles: true, composed: true }));
  }

  override render() {
    const title = `${this.action === 'upgrade' ? 'Upgrade' : 'Install'} ${this.pluginName}${this.version ? ` ${this.version}` : ''}?`;
    return html`<div class="scrim" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.#fire('cancel')}>
      <div role="dialog" aria-modal="true" aria-labelledby="consent-title">
        <h2 id="consent-title">${title}</h2>
        ${this.permissions.length === 0
          ? html`<p>This plugin asks for no permissions beyond its own data.</p>`
          : html`<p>${this.action === 'upgrade' ? 'This version asks for more than you granted. It will be able to:' : 'It will be able to:'}</p>
              <ul aria-label="Permissions">
                ${this.permissions.map((p) => html`<li class=${this.added.includes(p) ? 'new' : ''}>${p}${this.added.includes(p) ? html`<span class="tag">New</span>` : nothing}</li>`)}
              </ul>`}
        <p class="muted">It runs in a sandbox and can do nothing else. You can disable or uninstall it at any time.</p>
        ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button class="cancel" @click=${() => this.#fire('cancel')}>Cancel</button>
          <button class="primary" ?disabled=${this.busy} @click=${() => this.#fire('grant')}>Grant and ${this.action}</button>
        </div>
      </div>
    </div>`;
  }
}

define('mosaic-plugin-consent', PluginConsent);
