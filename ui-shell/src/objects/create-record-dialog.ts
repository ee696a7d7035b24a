import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import { ApiError } from '../api/errors.js';
import type { FieldMeta, ObjectMeta } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { EDITABLE_TYPES, parseInput } from './fields.js';
import { directoryMembers } from './members.js';

/**
 * A panel to create a record: one input per field the member may set. The API's validation details are
 * shown under the fields they name. Fires `created` (detail: the record) or `close`.
 */
export class CreateRecordDialog extends LitElement {
  static override properties: PropertyDeclarations = { shell: { attribute: false }, object: { attribute: false }, errors: { state: true }, error: { state: true }, busy: { state: true } };
  static override styles = [
    base,
    css`
      :host { position: fixed; inset: 0; display: grid; place-items: center; background: rgb(24 24 27 / 0.25); z-index: 5; }
      form { width: min(460px, calc(100vw - 32px)); max-height: calc(100vh - 64px); overflow: auto; background: var(--bg); border-radius: 12px; box-shadow: var(--shadow); padding: 20px; display: grid; gap: 12px; }
      h2 { margin: 0; font-size: 16px; }
      .actions { display: flex; justify-content: flex-end; gap: 8px; }
      .check { display: flex; align-items: center; gap: 8px; }
    `,
  ];

  declare shell: ShellContext;
  declare object: ObjectMeta;
  declare errors: Record<string, string>;
  declare error: string | null;
  declare busy: boolean;

  constructor() {
    super();
    this.errors = {};
    this.error = null;
    this.busy = false;
  }

  get #fields(): FieldMeta[] {
    return this.object.fields.filter((f) => EDITABLE_TYPES.has(f.type) && this.shell.permissions.fieldWritable(this.object.name, f));
  }

  override firstUpdated(): void {
    (this.renderRoot.querySelector('input, select') as HTMLElement | null)?.focus();
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const data: Record<string, unknown> = {};
    for (const field of this.#fields) {
      if (field.type === 'boolean') {
        data[field.key] = form.get(field.name) === 'on';
        continue;
      }
      const raw = String(form.get(field.name) ?? '');
      if (raw.trim() === '') continue;
      data[field.key] = parseInput(field, raw, null);
    }
    this.busy = true;
    this.errors = {};
    this.error = null;
    try {
      const record = await this.shell.api.create(this.object.name, data);
      this.dispatchEvent(new CustomEvent('created', { detail: record }));
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0) {
        this.errors = Object.fromEntries(err.details.map((d) => [d.path.split('.')[0]!, d.message]));
      }
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  #input(field: FieldMeta) {
    const error = this.errors[field.key];
    const invalid = error ? 'true' : 'false';
    let control;
    if (field.type === 'boolean') {
      return html`<label class="check"><input type="checkbox" name=${field.name} /> ${field.label}</label>`;
    } else if (field.type === 'select') {
      const options = (field.options.options ?? []) as { value: string; label: string }[];
      control = html`<select name=${field.name} aria-invalid=${invalid}><option value="">—</option>${options.map((o) => html`<option value=${o.value}>${o.label}</option>`)}</select>`;
    } else if (field.type === 'member') {
      control = html`<select name=${field.name} aria-invalid=${invalid}><option value="">—</option>${directoryMembers().map((m) => html`<option value=${m.id}>${m.name} (${m.email})</option>`)}</select>`;
    } else {
      const type = field.type === 'date' ? 'date' : field.type === 'datetime' ? 'datetime-local' : 'text';
      control = html`<input name=${field.name} type=${type} aria-invalid=${invalid} />`;
    }
    return html`<label>${field.label}${control}${error ? html`<span class="error-text">${field.label} ${error}</span>` : null}</label>`;
  }

  override render() {
    return html`<form @submit=${this.#submit} @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.dispatchEvent(new CustomEvent('close'))} aria-labelledby="t" role="dialog" aria-modal="true">
      <h2 id="t">New ${this.object.label_singular.toLowerCase()}</h2>
      ${this.#fields.map((f) => this.#input(f))}
      ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : null}
      <div class="actions">
        <button type="button" @click=${() => this.dispatchEvent(new CustomEvent('close'))}>Cancel</button>
        <button type="submit" class="primary" ?disabled=${this.busy}>Create</button>
      </div>
    </form>`;
  }
}

define('mosaic-create-record', CreateRecordDialog);
