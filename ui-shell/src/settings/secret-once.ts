import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';

/**
 * A secret the API returns once (an API key, a webhook's signing secret, an invite link): shown read-only
 * with a copy button and a plain warning that it will not be shown again. Dismissing it fires `dismiss`.
 */
export class SecretOnce extends LitElement {
  static override properties: PropertyDeclarations = { label: {}, value: {}, note: {}, copied: { state: true } };
  static override styles = [
    base,
    css`
      :host { display: grid; gap: 8px; padding: 12px; border-radius: 10px; background: #fffbeb; border: 1px solid #fde68a; }
      .row { display: flex; gap: 8px; }
      input { flex: 1; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
      p { margin: 0; }
    `,
  ];

  declare label: string;
  declare value: string;
  declare note: string;
  declare copied: boolean;

  constructor() {
    super();
    this.label = 'Secret';
    this.value = '';
    this.note = 'Copy it now: it will not be shown again.';
    this.copied = false;
  }

  async #copy(): Promise<void> {
    const input = this.renderRoot.querySelector('input');
    try {
      await navigator.clipboard.writeText(this.value);
      this.copied = true;
    } catch {
      // Clipboard access can be refused (permissions, insecure origin): leave the text selected instead.
      input?.select();
    }
  }

  override render() {
    return html`
      <label>${this.label}
        <div class="row">
          <input readonly .value=${this.value} @focus=${(e: Event) => (e.target as HTMLInputElement).select()} />
          <button type="button" @click=${() => this.#copy()}>${this.copied ? 'Copied' : 'Copy'}</button>
          <button type="button" class="ghost" @click=${() => this.dispatchEvent(new CustomEvent('dismiss'))}>Done</button>
        </div>
      </label>
      <p class="muted">${this.note}</p>
    `;
  }
}

define('mosaic-secret-once', SecretOnce);
