import { LitElement, css, html, nothing, type PropertyDeclarations } from 'lit';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';

/**
 * A modal confirmation for a change that loses data. With `typed` set, the confirm button stays disabled
 * until that text is typed (deleting a whole object). Escape or Cancel fires `cancel`; the button fires
 * `confirm`. The element that opened it gets focus back when it closes (the page removes it).
 * `error` shows the API's refusal inside the dialog, so the admin sees why nothing happened.
 */
export class DataModelConfirm extends LitElement {
  static override properties: PropertyDeclarations = {
    heading: {},
    message: {},
    losses: { attribute: false },
    action: {},
    typed: {},
    error: {},
    busy: { type: Boolean },
    entered: { state: true },
  };
  static override styles = [
    base,
    css`
      .scrim { position: fixed; inset: 0; z-index: 20; background: rgb(24 24 27 / 0.35); display: grid; place-items: center; padding: 16px; }
      [role='alertdialog'] { background: var(--bg); border-radius: 12px; box-shadow: var(--shadow); width: min(520px, 100%); padding: 20px; display: grid; gap: 12px; }
      h2 { font-size: 16px; margin: 0; }
      p, ul { margin: 0; }
      ul { padding-left: 20px; }
      .actions { display: flex; gap: 8px; justify-content: flex-end; flex-wrap: wrap; }
    `,
  ];

  declare heading: string;
  declare message: string;
  declare losses: readonly string[];
  declare action: string;
  declare typed: string | null;
  declare error: string | null;
  declare busy: boolean;
  declare entered: string;
  #opener: Element | null = null;

  constructor() {
    super();
    this.heading = '';
    this.message = '';
    this.losses = [];
    this.action = 'Delete';
    this.typed = null;
    this.error = null;
    this.busy = false;
    this.entered = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // The focused element, through shadow roots: where focus goes back to.
    let active: Element | null = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    this.#opener = active;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.#opener instanceof HTMLElement && this.#opener.isConnected) this.#opener.focus();
  }

  override firstUpdated(): void {
    (this.renderRoot.querySelector('input, button.cancel') as HTMLElement | null)?.focus();
  }

  #cancel(): void {
    this.dispatchEvent(new CustomEvent('cancel'));
  }

  /** Escape cancels; Tab cycles inside the dialog, so the keyboard never wanders behind it. */
  #keydown(e: KeyboardEvent): void {
    if (e.key === 'Escape') {
      this.#cancel();
      return;
    }
    if (e.key !== 'Tab') return;
    const stops = Array.from(this.renderRoot.querySelectorAll<HTMLElement>('input, button:not([disabled])'));
    if (stops.length === 0) return;
    const current = this.renderRoot instanceof ShadowRoot ? this.renderRoot.activeElement : null;
    const at = stops.indexOf(current as HTMLElement);
    const next = e.shiftKey ? (at <= 0 ? stops.length - 1 : at - 1) : (at === stops.length - 1 ? 0 : at + 1);
    e.preventDefault();
    stops[next]!.focus();
  }

  override render() {
    const ready = !this.busy && (this.typed === null || this.entered.trim() === this.typed);
    return html`<div class="scrim" @keydown=${(e: KeyboardEvent) => this.#keydown(e)}>
      <div role="alertdialog" aria-modal="true" aria-labelledby="confirm-title" aria-describedby="confirm-message">
        <h2 id="confirm-title">${this.heading}</h2>
        <p id="confirm-message">${this.message}</p>
        ${this.losses.length > 0 ? html`<ul aria-label="What is lost">${this.losses.map((l) => html`<li>${l}</li>`)}</ul>` : nothing}
        ${this.typed !== null
          ? html`<label>Type ${this.typed} to confirm<input autocomplete="off" spellcheck="false" .value=${this.entered}
              @input=${(e: Event) => (this.entered = (e.target as HTMLInputElement).value)}
              @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && ready && this.dispatchEvent(new CustomEvent('confirm'))} /></label>`
          : nothing}
        ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
        <div class="actions">
          <button class="cancel" @click=${() => this.#cancel()}>Cancel</button>
          <button class="danger" ?disabled=${!ready} @click=${() => this.dispatchEvent(new CustomEvent('confirm'))}>${this.action}</button>
        </div>
      </div>
    </div>`;
  }
}

define('mosaic-data-model-confirm', DataModelConfirm);
