import { LitElement, css, html, nothing, type PropertyDeclarations } from 'lit';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { objectIcon } from '../nav/icons.js';
import { refusal } from './pages.js';

/** Field types the form offers (the rest are reachable through the API). */
const TYPES: readonly { value: string; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'number', label: 'Number' },
  { value: 'currency', label: 'Currency' },
  { value: 'boolean', label: 'Checkbox' },
  { value: 'date', label: 'Date' },
  { value: 'select', label: 'Select' },
  { value: 'email', label: 'Email' },
  { value: 'link', label: 'Link' },
  { value: 'relation', label: 'Relation' },
];

interface DraftField {
  label: string;
  type: string;
  /** Select options, comma-separated; or the relation's target object. */
  extra: string;
}

/** Lower snake_case from a label, the way the API names things. */
export function nameFromLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(\d)/, 'f_$1')
    .slice(0, 48);
}

function fieldInput(f: DraftField): Record<string, unknown> {
  const input: Record<string, unknown> = { name: nameFromLabel(f.label), label: f.label.trim(), type: f.type };
  if (f.type === 'select') {
    input.options = { options: f.extra.split(',').map((s) => s.trim()).filter(Boolean).map((label) => ({ value: nameFromLabel(label), label })) };
  } else if (f.type === 'relation') {
    input.options = { target: f.extra };
  }
  return input;
}

/**
 * Settings → Data model: the objects with their fields, and a form to create an object with fields
 * (`POST /api/metadata/objects`). Needs the `metadata` capability.
 */
export class DataModelPage extends LitElement {
  static override properties: PropertyDeclarations = { shell: { attribute: false }, fields: { state: true }, error: { state: true }, busy: { state: true } };
  static override styles = [
    base,
    css`
      :host { display: block; padding: 20px; max-width: 880px; }
      h1 { font-size: 18px; margin: 0 0 4px; }
      h2 { font-size: 14px; margin: 0; }
      section { border: 1px solid var(--border); border-radius: 10px; padding: 16px; margin-top: 16px; display: grid; gap: 12px; }
      .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
      .field { display: grid; grid-template-columns: 1fr 140px 1fr 28px; gap: 6px; align-items: end; }
      .actions { display: flex; gap: 8px; }
      ul { list-style: none; margin: 0; padding: 0; display: grid; gap: 8px; }
      li { display: grid; gap: 4px; }
      .obj { display: flex; align-items: center; gap: 8px; font-weight: 500; }
      .icon { width: 20px; height: 20px; border-radius: 5px; display: grid; place-items: center; color: white; font-size: 11px; }
      .c0 { background: #6366f1; } .c1 { background: #0ea5e9; } .c2 { background: #f59e0b; } .c3 { background: #10b981; }
      .c4 { background: #ec4899; } .c5 { background: #8b5cf6; } .c6 { background: #ef4444; } .c7 { background: #14b8a6; }
      .fields { color: var(--text-muted); padding-left: 28px; }
      .refused { padding: 16px; border-radius: 10px; background: var(--danger-soft); }
      @media (max-width: 720px) { .grid, .field { grid-template-columns: 1fr; } }
    `,
  ];

  declare shell: ShellContext;
  declare fields: DraftField[];
  declare error: string | null;
  declare busy: boolean;

  constructor() {
    super();
    this.fields = [{ label: '', type: 'text', extra: '' }];
    this.error = null;
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
    this.error = null;
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
      this.fields = [{ label: '', type: 'text', extra: '' }];
      this.shell.navigate(`/objects/${object.name}`);
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  #extra(f: DraftField, i: number) {
    if (f.type === 'select') {
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
    const refused = refusal(this.shell, 'metadata', 'Data model');
    if (refused) return refused;
    return html`
      <h1>Data model</h1>
      <p class="muted">Objects are what your workspace tracks. Each one is a real table; its fields are columns.</p>
      <section>
        <h2>New object</h2>
        <form @submit=${this.#submit} class="grid-form">
          <div class="grid">
            <label>Singular name<input name="singular" required placeholder="Deal" /></label>
            <label>Plural name<input name="plural" placeholder="Deals" /></label>
          </div>
          <h2>Fields</h2>
          ${this.fields.map(
            (f, i) => html`<div class="field" data-index=${i}>
              <label>Field name<input .value=${f.label} placeholder="Amount" @input=${(e: Event) => this.#setField(i, { label: (e.target as HTMLInputElement).value })} /></label>
              <label>Type<select @change=${(e: Event) => this.#setField(i, { type: (e.target as HTMLSelectElement).value, extra: '' })}>
                ${TYPES.map((t) => html`<option value=${t.value} ?selected=${t.value === f.type}>${t.label}</option>`)}
              </select></label>
              ${this.#extra(f, i)}
              <button type="button" class="ghost" aria-label="Remove field" @click=${() => (this.fields = this.fields.filter((_, j) => j !== i))}>✕</button>
            </div>`,
          )}
          ${this.error ? html`<p class="error-text" role="alert">${this.error}</p>` : nothing}
          <div class="actions">
            <button type="button" @click=${() => (this.fields = [...this.fields, { label: '', type: 'text', extra: '' }])}>+ Add field</button>
            <button type="submit" class="primary" ?disabled=${this.busy}>Create object</button>
          </div>
        </form>
      </section>
      <section>
        <h2>Objects</h2>
        ${this.shell.objects.length === 0
          ? html`<p class="muted">None yet. Create your first object above.</p>`
          : html`<ul>
              ${this.shell.objects.map(
                (o) => html`<li>
                  <a class="obj" href=${`/objects/${o.name}`}>${objectIcon(o)} ${o.label_plural}</a>
                  <span class="fields">${o.fields.filter((f) => !f.is_system).map((f) => f.label).join(' · ') || 'No fields'}</span>
                </li>`,
              )}
            </ul>`}
      </section>
    `;
  }
}

define('mosaic-data-model', DataModelPage);
