import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { ApiError } from '../api/errors.js';
import type { FieldMeta, ObjectMeta, PluginInfo, RecordData } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { objectIcon } from '../nav/icons.js';
import '../plugins/plugin-view.js';
import type { ViewAbout } from '../plugins/view-context.js';
import '../plugins/record-actions.js';
import { RecordFeedController } from '../realtime/record-feed.js';
import { renderCell } from './cell.js';
import { renderEditor } from './cell-editor.js';
import { chipStyles } from './chip-styles.js';
import { EDITABLE_TYPES, columnsOf, inputValue, parseInput, recordLabel } from './fields.js';
import { ensureDirectory } from './members.js';
import './record-timeline.js';

interface PluginTab {
  readonly plugin: PluginInfo;
  readonly element: string;
  readonly label: string;
}

/**
 * One record: its fields, each edited in place like a table cell (the API's refusal shown under the
 * field), the records pointing at it (each reverse relation, embedded by `depth=1`, linked), and a tab
 * per plugin `record.tab` view for this object. A change made elsewhere reloads the record. A tab's view is
 * mounted by `<mosaic-plugin-view>`, like every other slot: its `data-state` tells when the tab is
 * `mounted` or `failed`, a failure is contained in the tab, and a reloaded record reaches the view.
 */
export class RecordPage extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    object: { attribute: false },
    recordId: { attribute: false },
    record: { state: true },
    loadError: { state: true },
    editing: { state: true },
    fieldError: { state: true },
    tab: { state: true },
  };
  static override styles = [
    base,
    chipStyles,
    css`
      :host { display: block; padding: 14px 24px 40px; max-width: 960px; }
      nav a { color: var(--text-muted); text-decoration: none; }
      h1 { font-size: 18px; margin: 6px 0 14px; display: flex; align-items: center; gap: 8px; }
      .tabs { display: flex; gap: 2px; border-bottom: 1px solid var(--border); margin-bottom: 14px; }
      .tabs button { border: 0; border-radius: 0; background: transparent; border-bottom: 2px solid transparent; }
      .tabs button[aria-selected='true'] { border-bottom-color: var(--accent); font-weight: 600; }
      dl { display: grid; grid-template-columns: 180px minmax(0, 1fr); margin: 0; }
      dt, dd { margin: 0; padding: 6px 8px; border-bottom: 1px solid var(--border); min-height: 34px; }
      dt { color: var(--text-muted); }
      dd.editable { cursor: text; }
      dd.editable:hover { background: var(--bg-subtle); }
      dd .editor { width: 100%; }
      h2 { font-size: 13px; margin: 22px 0 8px; }
      ul { margin: 0; padding: 0; list-style: none; display: grid; gap: 4px; }
      a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
      .error { padding: 10px 12px; border-radius: var(--radius); background: var(--danger-soft); color: var(--danger); }
      .num { font-variant-numeric: tabular-nums; }
      /* A phone stacks each label over its value. */
      @media (max-width: 720px) { :host { padding: 12px 12px 32px; } dl { grid-template-columns: minmax(0, 1fr); } dt { border-bottom: 0; padding-bottom: 0; min-height: 0; } .tabs { overflow-x: auto; } }
    `,
  ];

  declare shell: ShellContext;
  declare object: ObjectMeta;
  declare recordId: string;
  declare record: RecordData | null;
  declare loadError: string | null;
  /** The field being edited (its name). */
  declare editing: string | null;
  declare fieldError: { field: string; message: string } | null;
  /** 'details' or the index of a plugin tab. */
  declare tab: 'details' | number;
  #request = 0;
  #saving = false;
  /** What the tab's view is about; kept while the record is the same, so a re-render does not refresh the view. */
  #about: ViewAbout = {};
  readonly #feed = new RecordFeedController(this, () => (this.shell && this.object ? { realtime: this.shell.realtime, object: this.object.name } : undefined), (events) => {
    if (events.some((e) => e.record_id === this.recordId || e.type === 'resync')) void this.#load();
  });

  constructor() {
    super();
    this.record = null;
    this.loadError = null;
    this.editing = null;
    this.fieldError = null;
    this.tab = 'details';
  }

  /** Whether the server confirmed the realtime subscription. */
  get live(): boolean {
    return this.#feed.live;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('recordId') || (changed.has('object') && (changed.get('object') as ObjectMeta | undefined)?.name !== this.object.name)) {
      this.record = null;
      this.editing = null;
      this.fieldError = null;
      this.tab = 'details';
      void this.#load();
    }
  }

  async #load(): Promise<void> {
    const request = ++this.#request;
    try {
      const [record] = await Promise.all([this.shell.api.get(this.object.name, this.recordId, 1), ensureDirectory(this.shell.api, this.object)]);
      if (request !== this.#request) return;
      this.record = record;
      this.loadError = null;
    } catch (err) {
      if (request === this.#request) this.loadError = (err as Error).message;
    }
  }

  get #tabs(): PluginTab[] {
    return this.shell.plugins.flatMap((plugin) =>
      plugin.enabled && plugin.views_url
        ? plugin.views.filter((v) => v.slot === 'record.tab' && (v.object === null || v.object === this.object.name)).map((v) => ({ plugin, element: v.element, label: v.label }))
        : [],
    );
  }

  #editable(field: FieldMeta): boolean {
    return this.shell.permissions.object(this.object.name, 'update') && EDITABLE_TYPES.has(field.type) && this.shell.permissions.fieldWritable(this.object.name, field);
  }

  #startEdit(field: FieldMeta): void {
    if (!this.#editable(field) || !this.record) return;
    if (field.type === 'boolean') {
      void this.#save(field, !this.record[field.key]);
      return;
    }
    this.editing = field.name;
    this.fieldError = null;
    void this.updateComplete.then(() => (this.renderRoot.querySelector('.editor') as HTMLElement | null)?.focus());
  }

  async #commit(field: FieldMeta, raw: string): Promise<void> {
    if (this.#saving || this.editing !== field.name || !this.record) return;
    if (raw === inputValue(field, this.record[field.key]) && this.fieldError?.field !== field.name) {
      this.editing = null;
      return;
    }
    await this.#save(field, parseInput(field, raw, this.record[field.key]));
  }

  async #save(field: FieldMeta, value: unknown): Promise<void> {
    this.#saving = true;
    try {
      const updated = await this.shell.api.update(this.object.name, this.recordId, { [field.key]: value });
      this.record = { ...this.record!, ...updated };
      this.editing = null;
      this.fieldError = null;
    } catch (err) {
      const detail = err instanceof ApiError ? err.detailFor(field.key) : undefined;
      const message = detail ? `${field.label} ${detail.message}` : (err as Error).message;
      this.editing = field.type === 'boolean' ? null : field.name;
      this.fieldError = { field: field.name, message };
    } finally {
      this.#saving = false;
    }
  }

  #field(field: FieldMeta, record: RecordData) {
    const error = this.fieldError?.field === field.name ? this.fieldError.message : null;
    const id = `f-${field.name}`;
    if (this.editing === field.name) {
      return html`<dt id=${id}>${field.label}</dt>
        <dd data-field=${field.name}>
          ${renderEditor(field, record[field.key], (raw) => void this.#commit(field, raw), () => {
            this.editing = null;
            this.fieldError = null;
          }, error !== null)}
          ${error ? html`<div class="error-text" role="alert">${error}</div>` : nothing}
        </dd>`;
    }
    const editable = this.#editable(field);
    return html`<dt id=${id}>${field.label}</dt>
      <dd
        data-field=${field.name}
        aria-labelledby=${id}
        class=${editable ? 'editable' : ''}
        tabindex=${editable ? '0' : '-1'}
        @click=${() => this.#startEdit(field)}
        @keydown=${(e: KeyboardEvent) => {
          if ((e.key === 'Enter' || e.key === 'F2') && e.target === e.currentTarget) {
            e.preventDefault();
            this.#startEdit(field);
          }
        }}
      >${renderCell(field, record, this.shell.objects, { shell: this.shell, object: this.object.name, where: 'record' })}${error ? html`<div class="error-text" role="alert">${error}</div>` : nothing}</dd>`;
  }

  #related(record: RecordData) {
    const sides = this.object.fields.filter((f) => f.type === 'one_to_many');
    if (sides.length === 0) return nothing;
    return sides.map((side) => {
      const source = this.shell.objects.find((o) => o.name === side.options.source);
      const related = (record[side.name] ?? []) as RecordData[];
      return html`<section aria-label=${side.label} data-related=${side.name}>
        <h2>${side.label} <span class="muted">${related.length}</span></h2>
        ${related.length === 0
          ? html`<p class="muted">None yet.</p>`
          : html`<ul>${related.map((r) => html`<li>${source
              ? html`<a href=${`/objects/${encodeURIComponent(source.name)}/${encodeURIComponent(r.id)}`}>${recordLabel(source, r)}</a>`
              : recordLabel(undefined, r)}</li>`)}</ul>`}
      </section>`;
    });
  }

  #tabPanel(tab: PluginTab | undefined, record: RecordData) {
    if (this.#about.record !== record || this.#about.object !== this.object) this.#about = { object: this.object, record };
    return html`<div class="plugin-tab" role="tabpanel">${tab
      ? html`<mosaic-plugin-view .shell=${this.shell} .plugin=${tab.plugin} .element=${tab.element} .slotName=${'record.tab'} .about=${this.#about}></mosaic-plugin-view>`
      : nothing}</div>`;
  }

  override render() {
    const back = html`<nav><a href=${`/objects/${encodeURIComponent(this.object.name)}`}>← ${this.object.label_plural}</a></nav>`;
    if (this.loadError) return html`${back}<p class="error" role="alert">${this.loadError}</p>`;
    const record = this.record;
    if (!record) return html`${back}<p class="muted" aria-busy="true">Loading…</p>`;
    const tabs = this.#tabs;
    return html`${back}
      <h1 data-live=${this.#feed.live ? 'true' : 'false'}>${objectIcon(this.object)} ${recordLabel(this.object, record)}</h1>
      <mosaic-record-actions .shell=${this.shell} .object=${this.object} .record=${record}></mosaic-record-actions>
      ${tabs.length > 0
        ? html`<div class="tabs" role="tablist">
            <button role="tab" aria-selected=${this.tab === 'details' ? 'true' : 'false'} @click=${() => (this.tab = 'details')}>Details</button>
            ${tabs.map((t, i) => html`<button role="tab" aria-selected=${this.tab === i ? 'true' : 'false'} @click=${() => (this.tab = i)}>${t.label}</button>`)}
          </div>`
        : nothing}
      ${this.tab === 'details'
        ? html`<dl>${columnsOf(this.object).map((f) => this.#field(f, record))}</dl>${this.#related(record)}
          <mosaic-record-timeline .shell=${this.shell} .object=${this.object} .recordId=${this.recordId}></mosaic-record-timeline>`
        : this.#tabPanel(tabs[this.tab], record)}`;
  }
}

define('mosaic-record-page', RecordPage);
