import { LitElement, css, html, nothing, type PropertyDeclarations } from 'lit';
import type { FieldMeta } from '../api/types.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { filterable, operatorsFor, type FilterCondition, type FilterState } from './filter.js';
import { directoryMembers } from './members.js';

/**
 * The filter builder: rows of field · operator · value, joined by "all" or "any". `Apply` fires
 * `filter-change` with the state; the page writes it in the API's filter grammar (see `filter.ts`).
 */
export class FilterBuilder extends LitElement {
  static override properties: PropertyDeclarations = { fields: { attribute: false }, state: { attribute: false }, draft: { state: true } };
  static override styles = [
    base,
    css`
      :host { display: block; background: var(--bg); border: 1px solid var(--border); border-radius: 10px; box-shadow: var(--shadow); padding: 12px; min-width: 420px; }
      .row { display: grid; grid-template-columns: 64px 1fr 120px 1fr 28px; gap: 6px; align-items: center; margin-bottom: 6px; }
      .where { color: var(--text-muted); text-align: right; padding-right: 4px; }
      .actions { display: flex; gap: 6px; margin-top: 10px; }
      .actions .spacer { flex: 1; }
      .empty { color: var(--text-muted); margin: 0 0 8px; }
      @media (max-width: 720px) { :host { min-width: 0; } .row { grid-template-columns: 1fr 1fr; } }
    `,
  ];

  declare fields: readonly FieldMeta[];
  declare state: FilterState;
  declare draft: FilterState;

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('state')) this.draft = this.state;
  }

  get #options(): FieldMeta[] {
    return this.fields.filter(filterable);
  }

  #set(index: number, patch: Partial<FilterCondition>): void {
    const conditions = this.draft.conditions.map((c, i) => {
      if (i !== index) return c;
      const next = { ...c, ...patch };
      if (patch.field !== undefined) {
        const field = this.fields.find((f) => f.name === patch.field);
        next.op = field ? operatorsFor(field)[0]!.id : next.op;
        next.value = '';
      }
      return next;
    });
    this.draft = { ...this.draft, conditions };
  }

  #add(): void {
    const field = this.#options[0];
    if (!field) return;
    this.draft = { ...this.draft, conditions: [...this.draft.conditions, { field: field.name, op: operatorsFor(field)[0]!.id, value: '' }] };
  }

  #remove(index: number): void {
    this.draft = { ...this.draft, conditions: this.draft.conditions.filter((_, i) => i !== index) };
  }

  #apply(state: FilterState): void {
    this.dispatchEvent(new CustomEvent('filter-change', { detail: state }));
  }

  #value(field: FieldMeta, condition: FilterCondition, index: number) {
    const op = operatorsFor(field).find((o) => o.id === condition.op);
    if (!op?.takesValue) return html`<span></span>`;
    const onInput = (e: Event) => this.#set(index, { value: (e.target as HTMLInputElement).value });
    if (field.type === 'boolean') {
      return html`<select aria-label="Value" @change=${onInput}>
        <option value="true" ?selected=${condition.value === 'true'}>Yes</option>
        <option value="false" ?selected=${condition.value === 'false'}>No</option>
      </select>`;
    }
    if (field.type === 'member') {
      // "Me" is `@me`: a saved view filtered by it shows each member their own records.
      return html`<select aria-label="Value" @change=${onInput}>
        <option value="">Choose…</option>
        <option value="@me" ?selected=${condition.value === '@me'}>Me</option>
        ${directoryMembers().map((m) => html`<option value=${m.id} ?selected=${m.id === condition.value}>${m.name}</option>`)}
      </select>`;
    }
    if (field.type === 'select') {
      const options = (field.options.options ?? []) as { value: string; label: string }[];
      return html`<select aria-label="Value" @change=${onInput}>
        <option value="">Choose…</option>
        ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === condition.value}>${o.label}</option>`)}
      </select>`;
    }
    const type = field.type === 'date' ? 'date' : 'text';
    return html`<input aria-label="Value" type=${type} .value=${condition.value} @input=${onInput}
      @keydown=${(e: KeyboardEvent) => e.key === 'Enter' && this.#apply(this.draft)} placeholder="Value" />`;
  }

  override render() {
    const { conditions, match } = this.draft;
    return html`
      ${conditions.length === 0 ? html`<p class="empty">No filters. Add a condition to narrow the table.</p>` : nothing}
      ${conditions.map((c, i) => {
        const field = this.fields.find((f) => f.name === c.field) ?? this.#options[0]!;
        return html`<div class="row" data-index=${i}>
          ${i === 0
            ? html`<span class="where">Where</span>`
            : i === 1
              ? html`<select aria-label="Match" @change=${(e: Event) => (this.draft = { ...this.draft, match: (e.target as HTMLSelectElement).value as 'and' | 'or' })}>
                  <option value="and" ?selected=${match === 'and'}>and</option>
                  <option value="or" ?selected=${match === 'or'}>or</option>
                </select>`
              : html`<span class="where">${match}</span>`}
          <select aria-label="Field" @change=${(e: Event) => this.#set(i, { field: (e.target as HTMLSelectElement).value })}>
            ${this.#options.map((f) => html`<option value=${f.name} ?selected=${f.name === c.field}>${f.label}</option>`)}
          </select>
          <select aria-label="Operator" @change=${(e: Event) => this.#set(i, { op: (e.target as HTMLSelectElement).value })}>
            ${operatorsFor(field).map((o) => html`<option value=${o.id} ?selected=${o.id === c.op}>${o.label}</option>`)}
          </select>
          ${this.#value(field, c, i)}
          <button class="ghost" aria-label="Remove condition" @click=${() => this.#remove(i)}>✕</button>
        </div>`;
      })}
      <div class="actions">
        <button @click=${this.#add}>+ Add condition</button>
        <span class="spacer"></span>
        ${conditions.length > 0 ? html`<button class="ghost" @click=${() => this.#apply({ match: 'and', conditions: [] })}>Clear</button>` : nothing}
        <button class="primary" @click=${() => this.#apply(this.draft)}>Apply</button>
      </div>
    `;
  }
}

define('mosaic-filter-builder', FilterBuilder);
