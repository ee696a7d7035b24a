import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { define } from './define.js';
import { base } from './styles.js';

interface Toast {
  readonly id: number;
  readonly message: string;
  readonly kind: 'info' | 'success' | 'error';
}

/**
 * Short messages in the corner, announced to screen readers: errors in an assertive `alert` region, the
 * rest in a polite `status` region. Each leaves after a few seconds or when dismissed with its button.
 */
export class ToastStack extends LitElement {
  static override properties: PropertyDeclarations = { toasts: { state: true } };
  static override styles = [
    base,
    css`
      :host { position: fixed; right: 16px; bottom: 16px; display: grid; gap: 8px; z-index: 10; }
      .region { display: grid; gap: 8px; }
      .toast { display: flex; align-items: start; gap: 8px; background: #18181b; color: white; padding: 8px 8px 8px 12px; border-radius: var(--radius); box-shadow: var(--shadow); max-width: 360px; }
      .toast span { flex: 1; padding-top: 2px; }
      .toast button { background: none; border: 0; color: inherit; font: inherit; font-size: 16px; line-height: 1; padding: 2px 6px; border-radius: 4px; cursor: pointer; opacity: 0.8; }
      .toast button:hover, .toast button:focus-visible { opacity: 1; outline: 2px solid white; }
      .error { background: var(--danger); }
      .success { background: #15803d; }
    `,
  ];

  declare toasts: readonly Toast[];
  #next = 1;

  constructor() {
    super();
    this.toasts = [];
  }

  show(message: string, kind: Toast['kind']): void {
    const toast = { id: this.#next++, message, kind };
    this.toasts = [...this.toasts, toast];
    setTimeout(() => this.dismiss(toast.id), kind === 'error' ? 8000 : 4000);
  }

  /** Takes a toast away before its time. */
  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  #list(toasts: readonly Toast[]) {
    return repeat(toasts, (t) => t.id, (t) => html`<div class="toast ${t.kind}">
      <span>${t.message}</span>
      <button type="button" aria-label="Dismiss" title="Dismiss" @click=${() => this.dismiss(t.id)}>×</button>
    </div>`);
  }

  override render() {
    return html`<div class="region" role="alert" aria-live="assertive">${this.#list(this.toasts.filter((t) => t.kind === 'error'))}</div>
      <div class="region" role="status" aria-live="polite">${this.#list(this.toasts.filter((t) => t.kind !== 'error'))}</div>`;
  }
}

define('mosaic-toasts', ToastStack);
