import { LitElement, css, html, nothing, type PropertyDeclarations } from 'lit';
import type { FieldMeta } from '../api/types.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';

/**
 * The "Columns" menu: a checkbox per field shows or hides its column, and "Move up"/"Move down" (or
 * Alt+ArrowUp/Alt+ArrowDown on a checkbox) reorder the shown ones. Every control is a real button or
 * checkbox, so the keyboard reaches all of it; Escape closes the menu and gives the focus back to its
 * button. Fires `columns-change` with the shown field names in display order (never empty).
 */
export class ColumnMenu extends LitElement {
  static override properties: PropertyDeclarations = {
    fields: { attribute: false },
    columns: { attribute: false },
    open: { state: true },
  };
  static override styles = [
    base,
    css`
      :host { position: relative; display: inline-block; }
      .menu { position: absolute; top: 34px; right: 0; z-index: 3; background: var(--bg); border: 1px solid var(--border); border-radius: 10px; box-shadow: var(--shadow); padding: 6px; min-width: 260px; max-height: 60vh; overflow: auto; }
      ul { list-style: none; margin: 0; padding: 0; }
      li { display: flex; align-items: center; gap: 6px; padding: 2px 4px; border-radius: var(--radius); }
      li:hover { background: var(--bg-subtle); }
      label { flex: 1; display: flex; align-items: center; gap: 8px; cursor: pointer; }
      li.hidden label { color: var(--text-muted); }
      li button { height: 24px; padding: 0 6px; }
      h2 { font-size: 11px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--text-muted); margin: 6px 6px 4px; font-weight: 600; }
      button.active { border-color: var(--accent); color: var(--accent); background: var(--accent-soft); }
    `,
  ];

  /** Every field that can be a column, in the object's default order. */
  declare fields: readonly FieldMeta[];
  /** The shown columns' field names, in display order. */
  declare columns: readonly string[];
  declare open: boolean;

  constructor() {
    super();
    this.fields = [];
    this.columns = [];
    this.open = false;
  }

  #emit(columns: string[]): void {
    this.dispatchEvent(new CustomEvent('columns-change', { detail: columns }));
  }

  #toggle(name: string, on: boolean): void {
    const shown = this.columns.filter((c) => c !== name);
    if (on) shown.push(name);
    if (shown.length > 0) this.#emit(shown);
  }

  #move(name: string, by: -1 | 1): void {
    const shown = [...this.columns];
    const i = shown.indexOf(name);
    const j = i + by;
    if (i < 0 || j < 0 || j >= shown.length) return;
    [shown[i], shown[j]] = [shown[j]!, shown[i]!];
    this.#emit(shown);
    // The moved row re-renders elsewhere: keep the focus on the control that moved it.
    void this.updateComplete.then(() => {
      const target = this.renderRoot.querySelector<HTMLElement>(`li[data-field="${CSS.escape(name)}"] button[data-move="${by < 0 ? 'up' : 'down'}"]:not([disabled])`)
        ?? this.renderRoot.querySelector<HTMLElement>(`li[data-field="${CSS.escape(name)}"] input`);
      target?.focus();
    });
  }

  #keydown(event: KeyboardEvent): void {
    if (event.key === 'Escape') {
      event.stopPropagation();
      this.open = false;
      void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('button.toggle')?.focus());
    }
  }

  override render() {
    const byName = new Map(this.fields.map((f) => [f.name, f]));
    const shown = this.columns.map((n) => byName.get(n)).filter((f): f is FieldMeta => f !== undefined);
    const hidden = this.fields.filter((f) => !this.columns.includes(f.name));
    const customised = hidden.length > 0 || shown.some((f, i) => f !== this.fields[i]);
    return html`<button class="toggle ${customised ? 'active' : ''}" aria-haspopup="true" aria-expanded=${this.open ? 'true' : 'false'} @click=${() => (this.open = !this.open)}>
        Columns${hidden.length > 0 ? html` · ${shown.length}/${this.fields.length}` : nothing}
      </button>
      ${this.open
        ? html`<div class="menu" role="group" aria-label="Columns" @keydown=${this.#keydown}>
            <h2>Shown</h2>
            <ul>
              ${shown.map(
                (f, i) => html`<li data-field=${f.name}>
                  <label><input type="checkbox" .checked=${true} ?disabled=${shown.length === 1} @change=${(e: Event) => this.#toggle(f.name, (e.target as HTMLInputElement).checked)}
                    @keydown=${(e: KeyboardEvent) => {
                      if (e.altKey && (e.key === 'ArrowUp' || e.key === 'ArrowDown')) {
                        e.preventDefault();
                        this.#move(f.name, e.key === 'ArrowUp' ? -1 : 1);
                      }
                    }} />${f.label}</label>
                  <button class="ghost" data-move="up" aria-label=${`Move ${f.label} up`} ?disabled=${i === 0} @click=${() => this.#move(f.name, -1)}>↑</button>
                  <button class="ghost" data-move="down" aria-label=${`Move ${f.label} down`} ?disabled=${i === shown.length - 1} @click=${() => this.#move(f.name, 1)}>↓</button>
                </li>`,
              )}
            </ul>
            ${hidden.length > 0
              ? html`<h2>Hidden</h2>
                  <ul>
                    ${hidden.map((f) => html`<li class="hidden" data-field=${f.name}><label><input type="checkbox" .checked=${false} @change=${(e: Event) => this.#toggle(f.name, (e.target as HTMLInputElement).checked)} />${f.label}</label></li>`)}
                  </ul>`
              : nothing}
          </div>`
        : nothing}`;
  }
}

define('mosaic-column-menu', ColumnMenu);
