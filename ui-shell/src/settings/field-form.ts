import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { ObjectMeta } from '../api/types.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { nameFromLabel, type FieldDetail, type FormErrors } from './data-model-api.js';
import { FIELD_TYPE_CHOICES, convertibleTypes, defaultInput, draftOf, emptyDraft, fieldInput, fieldPatch, flagsAllowed, withValues, type FieldDraft } from './field-options.js';
import { lockIcon } from './data-model-lock.js';
import './field-select-options.js';

/** The keys the field form has inputs for: API error details naming them show next to them. */
export const FIELD_FORM_KEYS = ['name', 'label', 'type', 'description', 'options', 'is_nullable', 'is_unique', 'default_value'] as const;

/**
 * Adds a field (`field` null) or edits one: label, API name, type with its settings (select options,
 * number precision, currency, rating scale, relation target), description, required and unique. An
 * existing field's type is fixed; `lock` (a plugin's field) leaves only label and description open.
 * The draft survives a failed save: `errors` (from the API) go next to the inputs they name.
 * Fires `save` with `{input}` (new: the POST body; edit: a PATCH of what changed) or `cancel`.
 */
export class FieldForm extends LitElement {
  static override properties: PropertyDeclarations = {
    field: { attribute: false },
    objects: { attribute: false },
    lock: {},
    errors: { attribute: false },
    busy: { type: Boolean },
    draft: { state: true },
  };
  static override styles = [
    base,
    css`
      :host { display: block; }
      form { display: grid; gap: 12px; }
      h3 { font-size: 14px; margin: 0; }
      .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
      .check { display: flex; align-items: center; gap: 8px; font-size: 13px; font-weight: 400; color: var(--text); }
      .flags { display: flex; gap: 16px; flex-wrap: wrap; }
      .hint { font-weight: 400; color: var(--text-muted); }
      .lock { padding: 8px 10px; border-radius: var(--radius); background: var(--bg-subtle); color: var(--text-muted); }
      [aria-invalid='true'] { border-color: var(--danger); }
      textarea { height: 56px; padding: 6px 8px; resize: vertical; }
      .actions { display: flex; gap: 8px; flex-wrap: wrap; }
      @media (max-width: 720px) { .grid { grid-template-columns: 1fr; } }
    `,
  ];

  declare field: FieldDetail | null;
  declare objects: readonly ObjectMeta[];
  declare lock: string | null;
  declare errors: FormErrors;
  declare busy: boolean;
  declare draft: FieldDraft;

  constructor() {
    super();
    this.field = null;
    this.objects = [];
    this.lock = null;
    this.errors = {};
    this.busy = false;
    this.draft = emptyDraft();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // Another field to edit starts a new draft; the same field reloaded (a change elsewhere) and new
    // errors keep the one being written.
    const previous = changed.get('field') as FieldDetail | null | undefined;
    if (changed.has('field') && (!previous || previous.id !== this.field?.id)) this.draft = this.field ? draftOf(this.field) : emptyDraft();
  }

  protected override firstUpdated(): void {
    (this.renderRoot.querySelector('input') as HTMLInputElement | null)?.focus();
  }

  #set(patch: Partial<FieldDraft>): void {
    const next = { ...this.draft, ...patch };
    if (!this.field && !next.nameTyped && patch.label !== undefined) next.name = nameFromLabel(next.label);
    if (patch.type && (patch.type === 'select' || patch.type === 'multi_select') && next.options.length === 0) next.options = [{ value: '', label: '' }];
    this.draft = next;
  }

  #submit(event: SubmitEvent): void {
    event.preventDefault();
    const input = this.field ? fieldPatch(this.field, this.draft, this.lock !== null) : fieldInput(this.draft);
    this.dispatchEvent(new CustomEvent('save', { detail: { input } }));
  }

  /** An input's error and the attributes that tie it to the input. */
  #error(key: string, id: string): { invalid: string; described: string | typeof nothing; note: TemplateResult | typeof nothing } {
    const message = this.errors[key];
    return message
      ? { invalid: 'true', described: `${id}-error`, note: html`<span class="error-text" id=${`${id}-error`}>${message}</span>` }
      : { invalid: 'false', described: nothing, note: nothing };
  }

  #typeSettings(d: FieldDraft, edit: boolean, locked: boolean): TemplateResult | typeof nothing {
    const opt = this.#error('options', 'field-options');
    switch (d.type) {
      case 'select':
      case 'multi_select':
        return html`<mosaic-field-select-options .options=${d.options} ?disabled=${locked} .error=${this.errors.options ?? null}
          @change=${(e: CustomEvent) => this.#set({ options: e.detail.options })}></mosaic-field-select-options>`;
      case 'number':
        return html`<div class="grid">
          <label>Precision<select ?disabled=${edit || locked} @change=${(e: Event) => this.#set({ precision: (e.target as HTMLSelectElement).value as 'integer' | 'decimal' })}>
            <option value="decimal" ?selected=${d.precision === 'decimal'}>Decimal</option>
            <option value="integer" ?selected=${d.precision === 'integer'}>Whole number</option>
          </select>${edit ? html`<span class="hint">Set when the field is created.</span>` : nothing}</label>
          <label>Decimals shown<input id="field-options" type="number" min="0" max="10" .value=${d.decimals} ?disabled=${locked}
            aria-invalid=${opt.invalid} aria-describedby=${opt.described} @input=${(e: Event) => this.#set({ decimals: (e.target as HTMLInputElement).value })} />${opt.note}</label>
        </div>`;
      case 'currency':
        return html`<label>Default currency<input id="field-options" maxlength="3" placeholder="EUR" .value=${d.currency} ?disabled=${locked}
          aria-invalid=${opt.invalid} aria-describedby=${opt.described} @input=${(e: Event) => this.#set({ currency: (e.target as HTMLInputElement).value })} />${opt.note}</label>`;
      case 'rating':
        return html`<label>Highest rating<input id="field-options" type="number" min="1" max="10" placeholder="5" .value=${d.ratingMax} ?disabled=${locked}
          aria-invalid=${opt.invalid} aria-describedby=${opt.described} @input=${(e: Event) => this.#set({ ratingMax: (e.target as HTMLInputElement).value })} />${opt.note}</label>`;
      case 'relation':
        return html`<div class="grid">
          <label>Points to<select id="field-options" ?disabled=${edit} aria-invalid=${opt.invalid} aria-describedby=${opt.described}
            @change=${(e: Event) => this.#set({ target: (e.target as HTMLSelectElement).value })}>
            <option value="">Choose…</option>
            ${this.objects.map((o) => html`<option value=${o.name} ?selected=${o.name === d.target}>${o.label_singular}</option>`)}
          </select>${opt.note}</label>
          ${edit ? nothing : html`<label>Name on the other side<input placeholder="Related records" .value=${d.inverseLabel}
            @input=${(e: Event) => this.#set({ inverseLabel: (e.target as HTMLInputElement).value })} /></label>`}
        </div>`;
      default:
        return nothing;
    }
  }

  #default(d: FieldDraft, locked: boolean): TemplateResult | typeof nothing {
    const input = defaultInput(d.type);
    if (!input || this.field?.type !== undefined && this.field.type !== d.type) return nothing;
    const err = this.#error('default_value', 'field-default');
    const set = (e: Event) => this.#set({ defaultValue: (e.target as HTMLInputElement | HTMLSelectElement).value });
    const attrs = { invalid: err.invalid, described: err.described };
    if (input === 'select' || input === 'boolean') {
      const choices = input === 'boolean' ? [{ value: 'true', label: 'Checked' }, { value: 'false', label: 'Unchecked' }] : withValues(d.options.filter((o) => o.label.trim() !== ''));
      return html`<label>Default value<select id="field-default" ?disabled=${locked} aria-invalid=${attrs.invalid} aria-describedby=${attrs.described} @change=${set}>
        <option value="" ?selected=${d.defaultValue === ''}>None</option>
        ${choices.map((c) => html`<option value=${c.value} ?selected=${c.value === d.defaultValue}>${c.label}</option>`)}
      </select>${err.note}</label>`;
    }
    return html`<label>Default value<input id="field-default" type=${input} .value=${d.defaultValue} ?disabled=${locked} step="any"
      aria-invalid=${attrs.invalid} aria-describedby=${attrs.described} @input=${set} />${err.note}</label>`;
  }

  override render() {
    const d = this.draft;
    const edit = this.field !== null;
    const locked = this.lock !== null;
    const reverse = this.field?.type === 'one_to_many';
    const flags = flagsAllowed(d.type);
    const convertible = edit ? convertibleTypes(this.field!.type) : [];
    const choices = edit ? FIELD_TYPE_CHOICES.filter((t) => convertible.includes(t.value)) : FIELD_TYPE_CHOICES;
    const [label, name, type, description] = [this.#error('label', 'field-label'), this.#error('name', 'field-name'), this.#error('type', 'field-type'), this.#error('description', 'field-description')];
    const required = this.#error('is_nullable', 'field-required');
    const unique = this.#error('is_unique', 'field-unique');
    const formError = this.errors[''];
    return html`<form novalidate @submit=${this.#submit} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.dispatchEvent(new CustomEvent('cancel'))}>
      <h3>${edit ? `Edit field ${this.field!.label}` : 'New field'}</h3>
      ${locked ? html`<p class="lock">${lockIcon()} ${this.lock}</p>` : nothing}
      <div class="grid">
        <label>Label<input id="field-label" required .value=${d.label} aria-invalid=${label.invalid} aria-describedby=${label.described}
          @input=${(e: Event) => this.#set({ label: (e.target as HTMLInputElement).value })} />${label.note}</label>
        <label>API name<input id="field-name" .value=${d.name} ?disabled=${locked} spellcheck="false" aria-invalid=${name.invalid} aria-describedby=${name.described}
          @input=${(e: Event) => this.#set({ name: (e.target as HTMLInputElement).value, nameTyped: true })} />${name.note}
          ${edit && !locked ? html`<span class="hint">Renaming changes the API and the column; integrations using the old name break.</span>` : nothing}</label>
      </div>
      <label>Type<select id="field-type" ?disabled=${edit && (locked || convertible.length === 1)} aria-invalid=${type.invalid} aria-describedby=${type.described}
        @change=${(e: Event) => this.#set({ type: (e.target as HTMLSelectElement).value })}>
        ${choices.map((t) => html`<option value=${t.value} ?selected=${t.value === d.type}>${t.label}</option>`)}
        ${edit && !choices.some((t) => t.value === d.type) ? html`<option selected value=${d.type}>${d.type}</option>` : nothing}
      </select>${type.note}${edit
        ? html`<span class="hint">${convertible.length > 1 ? 'Text and member convert into each other; text that is not a member’s id is cleared.' : 'A field’s type is set when it is created.'}</span>`
        : nothing}</label>
      ${reverse ? html`<p class="hint">The list of related records; its settings belong to the relation field on the other object.</p>` : this.#typeSettings(d, edit, locked)}
      ${reverse ? nothing : this.#default(d, locked)}
      <label>Description<textarea id="field-description" .value=${d.description} aria-invalid=${description.invalid} aria-describedby=${description.described}
        @input=${(e: Event) => this.#set({ description: (e.target as HTMLTextAreaElement).value })}></textarea>${description.note}</label>
      ${reverse ? nothing : html`<div class="flags">
        ${flags.required ? html`<div><label class="check"><input type="checkbox" .checked=${d.required} ?disabled=${locked} aria-invalid=${required.invalid} aria-describedby=${required.described}
          @change=${(e: Event) => this.#set({ required: (e.target as HTMLInputElement).checked })} />Required</label>${required.note}</div>` : nothing}
        ${flags.unique ? html`<div><label class="check"><input type="checkbox" .checked=${d.unique} ?disabled=${locked} aria-invalid=${unique.invalid} aria-describedby=${unique.described}
          @change=${(e: Event) => this.#set({ unique: (e.target as HTMLInputElement).checked })} />Unique</label>${unique.note}</div>` : nothing}
      </div>`}
      ${formError ? html`<p class="error-text" role="alert">${formError}</p>` : nothing}
      <div class="actions">
        <button type="submit" class="primary" ?disabled=${this.busy}>${edit ? 'Save field' : 'Add field'}</button>
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('cancel'))}>Cancel</button>
      </div>
    </form>`;
  }
}

define('mosaic-field-form', FieldForm);
