import { LitElement, css, html, nothing, type PropertyDeclarations } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { formErrors, nameFromLabel, type FormErrors } from './data-model-api.js';
import { FIELD_TYPE_CHOICES } from './field-options.js';

interface DraftField {
  label: string;
  type: string;
  /** Select options, comma-separated; or the relation's target object. */
  extra: string;
}

function fieldInput(f: DraftField): Record<string, unknown> {
  const input: Record<string, unknown> = { name: nameFromLabel(f.label), label: f.label.trim(), type: f.type };
  if (f.type === 'select' || f.type === 'multi_select') {
    input.options = { options: f.extra.split(',').map((s) => s.trim()).filter(Boolean).map((label) => ({ value: nameFromLabel(label), label })) };
  } else if (f.type === 'relation') {
    input.options = { target: f.extra };
  }
  return input;
}

const blank = (): DraftField => ({ label: '', type: 'text', extra: '' });

/**
 * A new object with its first fields in one go (`POST /api/metadata/objects`); more settings per field
 * come after, on the object's own page. Opens the new object's table when it is created.
 */
export class DataModelCreate extends LitElement {
  static override properties: PropertyDeclarations = { shell: { attribute: false }, fields: { state: true }, errors: { state: true }, busy: { state: true } };
  static override styles = [
    base,
    css`
      :host { display: block; }
      form { display: grid; gap: 12px; }
      h2 { font-size: 14px; margin: 0; }
      .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
      .field { display: grid; grid-template-columns: 1fr 140px 1fr 28px; gap: 6px; align-items: end; }
      .actions { display: flex; gap: 8px; flex-wrap: wrap; }
      @media (max-width: 720px) { .grid, .field { grid-template-columns: 1fr; } }
    `,
  ];

  declare shell: ShellContext;
  declare fields: DraftField[];
  declare errors: FormErrors;
  declare busy: boolean;

  constructor() {
    super();
    this.fields = [blank()];
    this.errors = {};
    this.busy = false;
  }

  #setField(index: number, patch: Partial<DraftField>): void {
    this.fields = this.fields.map((f, i) => (i === index ? { ...f, ...patch } : f));
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const data = new FormData(form);
    const singular = String(data.get('singular')).trim();
    const plural = String(data.get('plural')).trim() || `${singular}s`;
    this.busy = true;
    this.errors = {};
    try {
      const object = await this.shell.api.createObject({
        name: nameFromLabel(singular),
        label_singular: singular,
        label_plural: plural,
        fields: this.fields.filter((f) => f.label.trim()).map(fieldInput),
      });
      await this.shell.reloadMetadata();
      this.shell.toast(`${plural} created.`, 'success');
      form.reset();
      this.fields = [blank()];
      this.shell.navigate(`/objects/${object.name}`);
    } catch (err) {
      this.errors = formErrors(err, ['name', 'label_singular', 'label_plural', 'fields']);
    } finally {
      this.busy = false;
    }
  }

  #extra(f: DraftField, i: number) {
    if (f.type === 'select' || f.type === 'multi_select') {
      return html`<label>Options<input placeholder="Lead, Customer, Churned" .value=${f.extra} @input=${(e: Event) => this.#setField(i, { extra: (e.target as HTMLInputElement).value })} /></label>`;
    }
    if (f.type === 'relation') {
      return html`<label>Points to<select @change=${(e: Event) => this.#setField(i, { extra: (e.target as HTMLSelectElement).value })}>
        <option value="">Choose…</option>
        ${this.shell.objects.map((o) => html`<option value=${o.name} ?selected=${o.name === f.extra}>${o.label_singular}</option>`)}
      </select></label>`;
    }
    return html`<span></span>`;
  }

  override render() {
    const nameError = this.errors.name ?? this.errors.label_singular;
    return html`<form @submit=${this.#submit}>
      <div class="grid">
        <label>Singular name<input name="singular" required placeholder="Deal" aria-invalid=${nameError ? 'true' : 'false'} aria-describedby=${nameError ? 'singular-error' : nothing} />
          ${nameError ? html`<span class="error-text" id="singular-error">${nameError}</span>` : nothing}</label>
        <label>Plural name<input name="plural" placeholder="Deals" /></label>
      </div>
      <h2>Fields</h2>
      ${this.fields.map(
        (f, i) => html`<div class="field" data-index=${i}>
          <label>Field name<input .value=${f.label} placeholder="Amount" @input=${(e: Event) => this.#setField(i, { label: (e.target as HTMLInputElement).value })} /></label>
          <label>Type<select @change=${(e: Event) => this.#setField(i, { type: (e.target as HTMLSelectElement).value, extra: '' })}>
            ${FIELD_TYPE_CHOICES.map((t) => html`<option value=${t.value} ?selected=${t.value === f.type}>${t.label}</option>`)}
          </select></label>
          ${this.#extra(f, i)}
          <button type="button" class="ghost" aria-label="Remove field" @click=${() => (this.fields = this.fields.filter((_, j) => j !== i))}>✕</button>
        </div>`,
      )}
      ${this.errors[''] ? html`<p class="error-text" role="alert">${this.errors['']}</p>` : nothing}
      <div class="actions">
        <button type="button" @click=${() => (this.fields = [...this.fields, blank()])}>+ Add field</button>
        <button type="submit" class="primary" ?disabled=${this.busy}>Create object</button>
      </div>
    </form>`;
  }
}

define('mosaic-data-model-create', DataModelCreate);
