import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { ObjectMeta } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { objectIcon } from '../nav/icons.js';
import { DataModelApi, formErrors, ownerLabel, pluginLock, type FieldDetail, type FormErrors } from './data-model-api.js';
import './data-model-confirm.js';
import './data-model-object-form.js';
import { FIELD_FORM_KEYS } from './field-form.js';
import './field-form.js';
import { typeLabel } from './field-options.js';
import { lockIcon } from './data-model-lock.js';
import { settingsStyles } from './settings-styles.js';

type Confirming = { readonly kind: 'field'; readonly field: FieldDetail } | { readonly kind: 'object' } | null;

/**
 * One object of the data model: its labels, its fields (who owns each, which are locked and why), and
 * adding, editing and deleting fields, relabelling and deleting the object. Every change goes to the
 * metadata API, then the shell reloads the data model, so the sidebar and open tables follow at once.
 * Fires `closed` when the object is gone.
 */
export class DataModelObject extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    object: { attribute: false },
    editing: { state: true },
    errors: { state: true },
    busy: { state: true },
    confirming: { state: true },
    confirmError: { state: true },
  };
  static override styles = [
    base,
    settingsStyles,
    css`
      :host { padding: 0; }
      .title { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
      .icon { width: 22px; height: 22px; border-radius: 5px; display: grid; place-items: center; color: white; font-size: 12px; }
      .c0 { background: #6366f1; } .c1 { background: #0ea5e9; } .c2 { background: #f59e0b; } .c3 { background: #10b981; }
      .c4 { background: #ec4899; } .c5 { background: #8b5cf6; } .c6 { background: #ef4444; } .c7 { background: #14b8a6; }
      .lock { color: var(--text-muted); font-size: 12px; }
      .name { display: block; color: var(--text-faint); }
      .head { display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; }
      td.row-actions { white-space: nowrap; }
      .lock-icon { vertical-align: -1px; }
      /* The screen-reader-only text is absolutely positioned: the table must contain it, or it widens the phone's page. */
      table { position: relative; }
      .danger-zone { border-color: #fca5a5; }
    `,
  ];

  declare shell: ShellContext;
  declare object: ObjectMeta;
  /** The field being edited (its name), `'new'` while adding one, or null. */
  declare editing: string | null;
  declare errors: FormErrors;
  declare busy: boolean;
  declare confirming: Confirming;
  declare confirmError: string | null;

  /** Where focus goes back to when the field form closes (the button that opened it). */
  #returnFocus: string | null = null;

  constructor() {
    super();
    this.editing = null;
    this.errors = {};
    this.busy = false;
    this.confirming = null;
    this.confirmError = null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('object') as ObjectMeta | undefined;
    if (previous && previous.name !== this.object.name) {
      this.editing = null;
      this.errors = {};
    }
  }

  #openForm(editing: string): void {
    this.#returnFocus = editing === 'new' ? 'button.add-field' : `tr[data-field="${editing}"] button.edit`;
    this.editing = editing;
    this.errors = {};
  }

  #closeForm(): void {
    this.editing = null;
    this.errors = {};
  }

  protected override updated(): void {
    if (this.editing !== null || !this.#returnFocus) return;
    (this.renderRoot.querySelector(this.#returnFocus) as HTMLElement | null)?.focus();
    this.#returnFocus = null;
  }

  get #api(): DataModelApi {
    return new DataModelApi(this.shell.api);
  }

  get #fields(): FieldDetail[] {
    return [...(this.object.fields as FieldDetail[])].sort((a, b) => Number(a.is_system) - Number(b.is_system) || a.position - b.position);
  }

  /** Runs a change, reloads the data model, and on failure keeps the form with the API's errors on it. */
  async #change(work: () => Promise<unknown>, done: string): Promise<boolean> {
    this.busy = true;
    this.errors = {};
    try {
      await work();
      await this.shell.reloadMetadata();
      this.shell.toast(done, 'success');
      return true;
    } catch (err) {
      this.errors = formErrors(err, FIELD_FORM_KEYS);
      return false;
    } finally {
      this.busy = false;
    }
  }

  async #saveField(event: CustomEvent<{ input: Record<string, unknown> }>): Promise<void> {
    const { input } = event.detail;
    const editing = this.editing;
    if (editing !== 'new' && editing !== null && Object.keys(input).length === 0) {
      this.#closeForm();
      return;
    }
    const ok = await this.#change(
      () => (editing === 'new' ? this.#api.addField(this.object.name, input) : this.#api.updateField(this.object.name, editing!, input)),
      editing === 'new' ? `Field ${String(input.label)} added.` : 'Field saved.',
    );
    if (ok) {
      // A renamed field's edit button has the new name.
      if (editing !== 'new' && typeof input.name === 'string') this.#returnFocus = `tr[data-field="${input.name}"] button.edit`;
      this.#closeForm();
    }
  }

  async #confirm(): Promise<void> {
    const confirming = this.confirming;
    if (!confirming) return;
    this.busy = true;
    this.confirmError = null;
    try {
      if (confirming.kind === 'field') {
        await this.#api.deleteField(this.object.name, confirming.field.name);
        this.shell.toast(`Field ${confirming.field.label} deleted.`, 'success');
      } else {
        await this.#api.deleteObject(this.object.name);
        this.shell.toast(`${this.object.label_plural} deleted.`, 'success');
      }
      this.confirming = null;
      await this.shell.reloadMetadata();
      if (confirming.kind === 'object') this.dispatchEvent(new CustomEvent('closed'));
    } catch (err) {
      this.confirmError = formErrors(err, [])[''] ?? null;
    } finally {
      this.busy = false;
    }
  }

  /** Why a field cannot be edited or deleted here, or null. */
  #fieldLock(f: FieldDetail): { edit: string | null; remove: string | null } {
    if (f.is_system) return { edit: 'System field, managed by Mosaic.', remove: 'System field, managed by Mosaic.' };
    const plugin = pluginLock(f.plugin_id, this.shell.plugins);
    if (f.type === 'one_to_many') return { edit: null, remove: plugin ?? `Delete the relation on ${String(f.options.source)} instead.` };
    return { edit: null, remove: plugin };
  }

  #row(f: FieldDetail): TemplateResult {
    const lock = this.#fieldLock(f);
    const plugin = pluginLock(f.plugin_id, this.shell.plugins);
    return html`<tr data-field=${f.name}>
      <td>${f.label}<code class="name">${f.name}</code></td>
      <td>${typeLabel(f.type)}${f.type === 'relation' ? html` → ${String(f.options.target)}` : nothing}</td>
      <td>${f.is_nullable === false ? html`<span class="badge">Required</span> ` : nothing}${f.is_unique ? html`<span class="badge">Unique</span>` : nothing}</td>
      <td>${f.is_system ? html`<span class="badge">System</span>` : html`<span class=${`badge${f.plugin_id ? ' warn' : ''}`}>${ownerLabel(f.plugin_id, this.shell.plugins)}</span>`}</td>
      <td class="row-actions">
        ${lock.edit
          ? html`<span class="lock" title=${lock.edit}>${lockIcon()} Locked<span class="sr-only">: ${lock.edit}</span></span>`
          : html`<button class="edit" aria-label=${`Edit field ${f.label}`} title=${plugin ?? ''} @click=${() => this.#openForm(f.name)}>Edit</button>`}
        ${lock.remove
          ? lock.edit ? nothing : html`<span class="lock" title=${lock.remove}>${lockIcon()}<span class="sr-only">Cannot delete: ${lock.remove}</span></span>`
          : html`<button class="danger" aria-label=${`Delete field ${f.label}`} @click=${() => ((this.confirming = { kind: 'field', field: f }), (this.confirmError = null))}>Delete</button>`}
      </td>
    </tr>`;
  }

  #dialog(): TemplateResult | typeof nothing {
    const c = this.confirming;
    if (!c) return nothing;
    const o = this.object;
    const common = { busy: this.busy, error: this.confirmError };
    const cancel = () => ((this.confirming = null), (this.confirmError = null));
    if (c.kind === 'field') {
      const losses = [`The “${c.field.label}” value of every ${o.label_singular.toLowerCase()} record`, 'Its column in tables and saved views, filters and sorts on it'];
      if (c.field.type === 'relation') losses.push(`The list of ${o.label_plural.toLowerCase()} on each ${String(c.field.options.target)} record`);
      return html`<mosaic-data-model-confirm heading=${`Delete the field ${c.field.label}?`} message="This cannot be undone." .losses=${losses}
        action="Delete field" .busy=${common.busy} .error=${common.error} @cancel=${cancel} @confirm=${() => this.#confirm()}></mosaic-data-model-confirm>`;
    }
    const losses = [`Every ${o.label_singular.toLowerCase()} record and its history`, `Its ${o.fields.filter((f) => !f.is_system).length} fields, saved views and the sidebar entry`];
    return html`<mosaic-data-model-confirm heading=${`Delete ${o.label_plural}?`} message="The object and its table are dropped. This cannot be undone." .losses=${losses}
      action="Delete object" .typed=${o.name} .busy=${common.busy} .error=${common.error} @cancel=${cancel} @confirm=${() => this.#confirm()}></mosaic-data-model-confirm>`;
  }

  override render() {
    const o = this.object;
    const lock = pluginLock(o.plugin_id, this.shell.plugins);
    const fields = this.#fields;
    const editing = this.editing && this.editing !== 'new' ? fields.find((f) => f.name === this.editing) ?? null : null;
    const formOpen = this.editing === 'new' || editing !== null;
    return html`
      <p><a href="/settings/data-model">← All objects</a></p>
      <div class="title">${objectIcon(o)}<h1>${o.label_plural}</h1>
        <span class=${`badge${o.plugin_id ? ' warn' : ''}`}>${ownerLabel(o.plugin_id, this.shell.plugins)}</span>
        <a href=${`/objects/${o.name}`}>Open table</a></div>
      ${lock ? html`<p class="lock" role="note">${lockIcon()} ${lock}</p>` : nothing}
      <section aria-labelledby="object-heading">
        <h2 id="object-heading">Object</h2>
        <mosaic-data-model-object-form .shell=${this.shell} .object=${o} .locked=${lock !== null}></mosaic-data-model-object-form>
      </section>
      <section aria-labelledby="fields-heading">
        <div class="head"><h2 id="fields-heading">Fields</h2>
          ${formOpen ? nothing : html`<button class="primary add-field" @click=${() => this.#openForm('new')}>+ Add field</button>`}</div>
        ${formOpen
          ? html`<mosaic-field-form .field=${editing} .objects=${this.shell.objects} .lock=${editing ? pluginLock(editing.plugin_id, this.shell.plugins) : null}
              .errors=${this.errors} ?busy=${this.busy} @save=${this.#saveField} @cancel=${() => this.#closeForm()}></mosaic-field-form>`
          : nothing}
        <table aria-labelledby="fields-heading">
          <thead><tr><th>Field</th><th>Type</th><th>Flags</th><th>Owner</th><th><span class="sr-only">Actions</span></th></tr></thead>
          <tbody>${fields.map((f) => this.#row(f))}</tbody>
        </table>
        <p class="lock">${lockIcon()} System fields (id, timestamps, creator, position) are kept by Mosaic for every object and cannot change.</p>
      </section>
      <section class="danger-zone" aria-labelledby="danger-heading">
        <h2 id="danger-heading">Delete object</h2>
        ${lock
          ? html`<p class="lock">${lockIcon()} ${o.label_plural} belong to a plugin; uninstall the plugin to remove them.</p>`
          : html`<p class="muted">Drops the table with every record. Objects that relate to it must lose those relation fields first.</p>
              <div><button class="danger" @click=${() => ((this.confirming = { kind: 'object' }), (this.confirmError = null))}>Delete ${o.label_plural}…</button></div>`}
      </section>
      ${this.#dialog()}
    `;
  }
}

define('mosaic-data-model-object', DataModelObject);
