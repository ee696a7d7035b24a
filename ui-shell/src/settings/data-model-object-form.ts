import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { ObjectMeta } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { DataModelApi, formErrors, type FormErrors, type ObjectPatch } from './data-model-api.js';

const KEYS = ['name', 'label_singular', 'label_plural', 'icon', 'description', 'label_field'] as const;
type Draft = Record<(typeof KEYS)[number], string>;

function draftOf(o: ObjectMeta): Draft {
  return { name: o.name, label_singular: o.label_singular, label_plural: o.label_plural, icon: o.icon ?? '', description: o.description ?? '', label_field: o.label_field ?? '' };
}

/**
 * An object's own properties: labels, icon, description, the field that titles its records, and (for
 * the workspace's own objects) its API name. Saves only what changed (`PATCH /api/metadata/objects/:object`);
 * a plugin's object (`locked`) keeps its API name. The draft survives a failed save, with the API's
 * errors next to the inputs. After a rename the page moves to the new name.
 */
export class DataModelObjectForm extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    object: { attribute: false },
    locked: { type: Boolean },
    draft: { state: true },
    errors: { state: true },
    busy: { state: true },
  };
  static override styles = [
    base,
    css`
      :host { display: block; }
      form { display: grid; gap: 10px; }
      .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; }
      textarea { height: 56px; padding: 6px 8px; resize: vertical; }
      [aria-invalid='true'] { border-color: var(--danger); }
      .hint { font-weight: 400; color: var(--text-muted); }
      @media (max-width: 720px) { .grid { grid-template-columns: 1fr; } }
    `,
  ];

  declare shell: ShellContext;
  declare object: ObjectMeta;
  declare locked: boolean;
  declare draft: Draft;
  declare errors: FormErrors;
  declare busy: boolean;

  constructor() {
    super();
    this.locked = false;
    this.errors = {};
    this.busy = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A reload after someone else's change refreshes the draft only when nothing is being typed.
    if (!changed.has('object')) return;
    const previous = changed.get('object') as ObjectMeta | undefined;
    if (!this.draft || !previous || previous.name !== this.object.name || JSON.stringify(this.draft) === JSON.stringify(draftOf(previous))) this.draft = draftOf(this.object);
  }

  async #submit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const before = draftOf(this.object);
    const patch: Record<string, string | null> = {};
    for (const key of KEYS) {
      const value = this.draft[key].trim();
      if (value === before[key]) continue;
      patch[key] = value === '' && (key === 'icon' || key === 'description' || key === 'label_field') ? null : value;
    }
    if (Object.keys(patch).length === 0) return;
    this.busy = true;
    this.errors = {};
    try {
      const updated = await new DataModelApi(this.shell.api).updateObject(this.object.name, patch as ObjectPatch);
      // The address first: the page reads it when the reloaded data model re-renders it.
      if (updated.name !== before.name) this.shell.navigate(`/settings/data-model?object=${encodeURIComponent(updated.name)}`);
      await this.shell.reloadMetadata();
      this.shell.toast(`${updated.label_plural} saved.`, 'success');
    } catch (err) {
      this.errors = formErrors(err, KEYS);
    } finally {
      this.busy = false;
    }
  }

  #input(key: (typeof KEYS)[number], label: string, extra: { disabled?: boolean; hint?: string } = {}) {
    const id = `object-${key}`;
    const error = this.errors[key];
    return html`<label>${label}<input id=${id} .value=${this.draft[key]} ?disabled=${extra.disabled === true} aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${id}-error` : nothing} @input=${(e: Event) => (this.draft = { ...this.draft, [key]: (e.target as HTMLInputElement).value })} />
      ${error ? html`<span class="error-text" id=${`${id}-error`}>${error}</span>` : nothing}${extra.hint ? html`<span class="hint">${extra.hint}</span>` : nothing}</label>`;
  }

  override render() {
    if (!this.draft) return nothing;
    const titles = this.object.fields.filter((f) => !f.is_system && (['text', 'full_name', 'email', 'number'].includes(f.type) || f.name === this.draft.label_field));
    const error = this.errors.description;
    return html`<form novalidate @submit=${this.#submit}>
      <div class="grid">
        ${this.#input('label_singular', 'Singular label')}
        ${this.#input('label_plural', 'Plural label')}
        ${this.#input('name', 'API name', this.locked ? { disabled: true, hint: 'Set by the plugin.' } : { hint: 'Renaming changes the table and the API path.' })}
        ${this.#input('icon', 'Icon', { hint: 'An emoji or short name.' })}
        <label>Record title<select id="object-label_field" @change=${(e: Event) => (this.draft = { ...this.draft, label_field: (e.target as HTMLSelectElement).value })}>
          <option value="" ?selected=${this.draft.label_field === ''}>None</option>
          ${titles.map((f) => html`<option value=${f.name} ?selected=${f.name === this.draft.label_field}>${f.label}</option>`)}
        </select>${this.errors.label_field ? html`<span class="error-text">${this.errors.label_field}</span>` : nothing}</label>
      </div>
      <label>Description<textarea id="object-description" .value=${this.draft.description} aria-invalid=${error ? 'true' : 'false'}
        @input=${(e: Event) => (this.draft = { ...this.draft, description: (e.target as HTMLTextAreaElement).value })}></textarea>${error ? html`<span class="error-text">${error}</span>` : nothing}</label>
      ${this.errors[''] ? html`<p class="error-text" role="alert">${this.errors['']}</p>` : nothing}
      <div><button type="submit" class="primary" ?disabled=${this.busy}>Save object</button></div>
    </form>`;
  }
}

define('mosaic-data-model-object-form', DataModelObjectForm);
