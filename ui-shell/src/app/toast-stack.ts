import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { define } from './define.js';
import { base } from './styles.js';

interface Toast {
  readonly id: number;
  readonly message: string;
  readonly kind: 'info' | 'success' | 'error';
}

/** Short messages in the corner, announced to screen readers; each leaves after a few seconds. */
export class ToastStack extends LitElement {
  static override properties: PropertyDeclarations = { toasts: { state: true } };
  static override styles = [
    base,
    css`
      :host { position: fixed; right: 16px; bottom: 16px; display: grid; gap: 8px; z-index: 10; }
      .toast { background: #18181b; color: white; padding: 8px 12px; border-radius: var(--radius); box-shadow: var(--shadow); max-width: 360px; }
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
    setTimeout(() => (this.toasts = this.toasts.filter((t) => t !== toast)), kind === 'error' ? 8000 : 4000);
  }

  override render() {
    return html`<div role="status" aria-live="polite">
      ${repeat(this.toasts, (t) => t.id, (t) => html`<div class="toast ${t.kind}">${t.message}</div>`)}
    </div>`;
  }
}

define('mosaic-toasts', ToastStack);
