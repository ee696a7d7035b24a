import { LitElement, css, html, nothing, type PropertyDeclarations } from 'lit';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import type { SelectOption } from './data-model-api.js';

/**
 * The options of a select field: rename, add, remove and reorder (buttons, so the keyboard does it too).
 * An option's stored value never changes with its label, so records keep pointing at it; a new option
 * gets its value when saved. Fires `change` with `{options}`.
 */
export class FieldSelectOptions extends LitElement {
  static override properties: PropertyDeclarations = { options: { attribute: false }, disabled: { type: Boolean }, error: {} };
  static override styles = [
    base,
    css`
      :host { display: block; }
      fieldset { border: 1px solid var(--border); border-radius: var(--radius); padding: 10px; margin: 0; display: grid; gap: 6px; min-width: 0; }
      legend { color: var(--text-muted); font-size: 12px; font-weight: 500; padding: 0 4px; }
      ol { list-style: none; margin: 0; padding: 0; display: grid; gap: 6px; }
      li { display: grid; grid-template-columns: minmax(0, 1fr) auto auto auto; gap: 4px; align-items: center; }
      .value { color: var(--text-faint); font-size: 11px; grid-column: 1 / -1; margin-top: -4px; }
      .hint { color: var(--text-muted); font-size: 12px; }
    `,
  ];

  declare options: readonly SelectOption[];
  declare disabled: boolean;
  declare error: string | null;

  constructor() {
    super();
    this.options = [];
    this.disabled = false;
    this.error = null;
  }

  /** Where focus goes once the options come back from the form (a selector in this element). */
  #focus: string | null = null;

  #emit(options: SelectOption[], focus?: string): void {
    this.#focus = focus ?? null;
    this.dispatchEvent(new CustomEvent('change', { detail: { options } }));
  }

  protected override updated(): void {
    if (!this.#focus) return;
    const target = this.renderRoot.querySelector(this.#focus) as HTMLElement | null;
    // A disabled button (moved to the end) cannot hold focus: its row's input takes it.
    if (target && !(target as HTMLButtonElement).disabled) target.focus();
    else (this.renderRoot.querySelector(`${this.#focus.split(' ')[0]} input`) as HTMLElement | null)?.focus();
    this.#focus = null;
  }

  #move(i: number, by: -1 | 1): void {
    const next = [...this.options];
    const [item] = next.splice(i, 1);
    next.splice(i + by, 0, item!);
    // Focus follows the moved option's button, so pressing it again keeps moving the same option.
    this.#emit(next, `li:nth-child(${i + by + 1}) button[data-move="${by}"]`);
  }

  override render() {
    const n = this.options.length;
    return html`<fieldset aria-describedby=${this.error ? 'options-error' : nothing}>
      <legend>Options</legend>
      <ol>
        ${this.options.map(
          (o, i) => html`<li>
            <input aria-label=${`Option ${i + 1} label`} .value=${o.label} ?disabled=${this.disabled} placeholder="Option name"
              @input=${(e: Event) => this.#emit(this.options.map((x, j) => (j === i ? { ...x, label: (e.target as HTMLInputElement).value } : x)))}
              @keydown=${(e: KeyboardEvent) => {
                if (e.key !== 'Enter') return;
                e.preventDefault();
                this.#emit([...this.options.slice(0, i + 1), { value: '', label: '' }, ...this.options.slice(i + 1)], `li:nth-child(${i + 2}) input`);
              }} />
            <button type="button" class="ghost" data-move="-1" aria-label=${`Move ${o.label || `option ${i + 1}`} up`} ?disabled=${this.disabled || i === 0} @click=${() => this.#move(i, -1)}>↑</button>
            <button type="button" class="ghost" data-move="1" aria-label=${`Move ${o.label || `option ${i + 1}`} down`} ?disabled=${this.disabled || i === n - 1} @click=${() => this.#move(i, 1)}>↓</button>
            <button type="button" class="ghost" aria-label=${`Remove ${o.label || `option ${i + 1}`}`} ?disabled=${this.disabled || n === 1}
              @click=${() => this.#emit(this.options.filter((_, j) => j !== i), `li:nth-child(${Math.max(1, i)}) input`)}>✕</button>
            ${o.value ? html`<span class="value">Stored as <code>${o.value}</code></span>` : nothing}
          </li>`,
        )}
      </ol>
      ${this.disabled ? nothing : html`<div><button type="button" @click=${() => this.#emit([...this.options, { value: '', label: '' }], `li:nth-child(${n + 1}) input`)}>+ Add option</button></div>`}
      ${this.options.some((o) => o.value) && !this.disabled ? html`<span class="hint">Records holding a removed option are left empty (or get the default).</span>` : nothing}
      ${this.error ? html`<span class="error-text" id="options-error" role="alert">${this.error}</span>` : nothing}
    </fieldset>`;
  }
}

define('mosaic-field-select-options', FieldSelectOptions);
