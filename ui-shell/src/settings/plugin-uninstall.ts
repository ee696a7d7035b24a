import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import type { PluginAdminInfo } from './plugin-api.js';

/**
 * Confirms uninstalling a plugin and asks what becomes of its data: kept (installing again takes it over)
 * or deleted for good. Fires `confirm` (detail `{purge}`) or `cancel`.
 */
export class PluginUninstall extends LitElement {
  static override properties: PropertyDeclarations = { plugin: { attribute: false }, purge: { state: true } };
  static override styles = [
    base,
    css`
      .scrim { position: fixed; inset: 0; z-index: 20; background: rgb(24 24 27 / 0.35); display: grid; place-items: center; padding: 16px; }
      [role='dialog'] { background: var(--bg); border-radius: 12px; box-shadow: var(--shadow); width: min(520px, 100%); padding: 20px; display: grid; gap: 12px; }
      h2 { font-size: 16px; margin: 0; }
      p { margin: 0; }
      .choice { display: flex; gap: 8px; align-items: flex-start; font-size: 13px; font-weight: 400; color: var(--text); padding: 8px 10px; border: 1px solid var(--border); border-radius: var(--radius); }
      .choice input { height: auto; margin-top: 3px; }
      .actions { display: flex; gap: 8px; justify-content: flex-end; }
    `,
  ];

  declare plugin: PluginAdminInfo;
  declare purge: boolean;

  constructor() {
    super();
    this.purge = false;
  }

  override render() {
    const p = this.plugin;
    const owns = p.objects.length > 0 ? ` (${p.objects.join(', ')})` : '';
    return html`<div class="scrim" @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.dispatchEvent(new CustomEvent('cancel'))}>
      <div role="dialog" aria-modal="true" aria-labelledby="uninstall-title">
        <h2 id="uninstall-title">Uninstall ${p.name}?</h2>
        <p>It stops running at once. What about its data?</p>
        <label class="choice"><input type="radio" name="data" .checked=${!this.purge} @change=${() => (this.purge = false)} />
          <span><strong>Keep its data</strong><br /><span class="muted">Its objects${owns}, records, settings and secrets stay; installing it again takes them over.</span></span></label>
        <label class="choice"><input type="radio" name="data" .checked=${this.purge} @change=${() => (this.purge = true)} />
          <span><strong>Delete its data</strong><br /><span class="muted">Its objects${owns}, their records, its fields on other objects, settings and secrets are deleted for good.</span></span></label>
        <div class="actions">
          <button @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>Cancel</button>
          <button class="danger" @click=${() => this.dispatchEvent(new CustomEvent('confirm', { detail: { purge: this.purge } }))}>${this.purge ? 'Uninstall and delete data' : 'Uninstall, keep data'}</button>
        </div>
      </div>
    </div>`;
  }
}

define('mosaic-plugin-uninstall', PluginUninstall);
