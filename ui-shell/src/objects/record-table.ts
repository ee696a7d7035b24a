import { LitElement, html, nothing, type PropertyDeclarations } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError } from '../api/errors.js';
import type { FieldMeta, ObjectMeta, RecordData } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { renderCell } from './cell.js';
import { renderEditor } from './cell-editor.js';
import { EDITABLE_TYPES, inputValue, parseInput, recordLabel, sortKey } from './fields.js';
import { tableStyles } from './table-styles.js';

/** The sort the table shows; the page turns it into `order_by`. */
export interface TableSort {
  readonly key: string;
  readonly dir: 'asc' | 'desc';
}

interface CellRef {
  readonly id: string;
  readonly field: string;
}

/**
 * One page of records as a table. Headers sort (asc → desc → off), a checkbox column selects rows for
 * bulk actions, and an editable cell opens an input on click or Enter; saving PATCHes the record and a
 * refused value keeps the input open with the API's message under it. Events: `sort-change`
 * (detail: TableSort | null), `selection-change` (detail: string[]), `record-updated` (detail: record).
 */
export class RecordTable extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    object: { attribute: false },
    columns: { attribute: false },
    records: { attribute: false },
    selected: { attribute: false },
    sort: { attribute: false },
    editing: { state: true },
    cellError: { state: true },
  };
  static override styles = [base, tableStyles];

  declare shell: ShellContext;
  declare object: ObjectMeta;
  declare columns: readonly FieldMeta[];
  declare records: readonly RecordData[];
  declare selected: ReadonlySet<string>;
  declare sort: TableSort | null;
  declare editing: CellRef | null;
  declare cellError: (CellRef & { message: string }) | null;
  #saving = false;

  constructor() {
    super();
    this.records = [];
    this.columns = [];
    this.selected = new Set();
    this.sort = null;
    this.editing = null;
    this.cellError = null;
  }

  get #canUpdate(): boolean {
    return this.shell.permissions.object(this.object.name, 'update');
  }

  get #canDelete(): boolean {
    return this.shell.permissions.object(this.object.name, 'delete');
  }

  #editable(field: FieldMeta): boolean {
    return this.#canUpdate && EDITABLE_TYPES.has(field.type) && this.shell.permissions.fieldWritable(this.object.name, field);
  }

  #emit(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }

  #toggleSort(field: FieldMeta): void {
    const key = sortKey(field);
    if (!key) return;
    const next: TableSort | null = this.sort?.key !== key ? { key, dir: 'asc' } : this.sort.dir === 'asc' ? { key, dir: 'desc' } : null;
    this.#emit('sort-change', next);
  }

  #toggleRow(id: string, on: boolean): void {
    const next = new Set(this.selected);
    if (on) next.add(id);
    else next.delete(id);
    this.#emit('selection-change', [...next]);
  }

  #toggleAll(on: boolean): void {
    this.#emit('selection-change', on ? this.records.map((r) => r.id) : []);
  }

  #startEdit(record: RecordData, field: FieldMeta): void {
    if (!this.#editable(field)) return;
    if (field.type === 'boolean') {
      void this.#save(record, field, !record[field.key]);
      return;
    }
    this.editing = { id: record.id, field: field.name };
    this.cellError = null;
    void this.updateComplete.then(() => (this.renderRoot.querySelector('.editor') as HTMLElement | null)?.focus());
  }

  async #commit(record: RecordData, field: FieldMeta, raw: string): Promise<void> {
    if (this.#saving || this.editing?.id !== record.id || this.editing.field !== field.name) return;
    const unchanged = raw === inputValue(field, record[field.key]);
    if (unchanged && this.cellError?.id !== record.id) {
      this.editing = null;
      return;
    }
    await this.#save(record, field, parseInput(field, raw, record[field.key]));
  }

  async #save(record: RecordData, field: FieldMeta, value: unknown): Promise<void> {
    this.#saving = true;
    try {
      const updated = await this.shell.api.update(this.object.name, record.id, { [field.key]: value });
      this.editing = null;
      this.cellError = null;
      this.#emit('record-updated', updated);
    } catch (err) {
      const message = err instanceof ApiError ? (err.detailFor(field.key)?.message ?? err.message) : (err as Error).message;
      this.editing = field.type === 'boolean' ? null : { id: record.id, field: field.name };
      this.cellError = { id: record.id, field: field.name, message: err instanceof ApiError && err.detailFor(field.key) ? `${field.label} ${message}` : message };
      if (field.type === 'boolean') this.shell.toast(message, 'error');
    } finally {
      this.#saving = false;
    }
  }

  #cancel(): void {
    this.editing = null;
    this.cellError = null;
  }

  #cellKeydown(event: KeyboardEvent, record: RecordData, field: FieldMeta): void {
    if ((event.key === 'Enter' || event.key === 'F2') && event.target === event.currentTarget) {
      event.preventDefault();
      this.#startEdit(record, field);
    }
  }

  #cell(record: RecordData, field: FieldMeta) {
    const editing = this.editing?.id === record.id && this.editing.field === field.name;
    const error = this.cellError?.id === record.id && this.cellError.field === field.name ? this.cellError.message : null;
    const editable = this.#editable(field);
    if (editing) {
      return html`<td class="editing ${error ? 'invalid' : ''}" data-field=${field.name}>
        ${renderEditor(field, record[field.key], (raw) => void this.#commit(record, field, raw), () => this.#cancel(), error !== null)}
        ${error ? html`<div class="cell-error" role="alert">${error}</div>` : nothing}
      </td>`;
    }
    return html`<td
      class=${editable ? 'editable' : ''}
      data-field=${field.name}
      tabindex=${editable ? '0' : '-1'}
      @click=${(e: Event) => {
        if (!(e.target as Element).closest('a')) this.#startEdit(record, field);
      }}
      @keydown=${(e: KeyboardEvent) => this.#cellKeydown(e, record, field)}
    >${renderCell(field, record, this.shell.objects, { shell: this.shell, object: this.object.name, where: 'cell' })}${field === this.columns[0]
      ? html`<a class="open" href=${`/objects/${encodeURIComponent(this.object.name)}/${encodeURIComponent(record.id)}`} aria-label=${`Open ${recordLabel(this.object, record)}`} title="Open"></a>`
      : nothing}</td>`;
  }

  #header(field: FieldMeta) {
    const key = sortKey(field);
    const active = key !== undefined && this.sort?.key === key;
    const aria = active ? (this.sort!.dir === 'asc' ? 'ascending' : 'descending') : 'none';
    return html`<th scope="col" aria-sort=${aria} data-field=${field.name}>
      ${key
        ? html`<button class="sort" @click=${() => this.#toggleSort(field)} title="Sort by ${field.label}">
            ${field.label}${active ? html`<span class="arrow" aria-hidden="true">${this.sort!.dir === 'asc' ? '↑' : '↓'}</span>` : nothing}
          </button>`
        : field.label}
    </th>`;
  }

  override render() {
    const all = this.records.length > 0 && this.records.every((r) => this.selected.has(r.id));
    return html`<div class="scroller">
      <table aria-label=${this.object.label_plural} aria-rowcount=${this.records.length + 1}>
        <thead>
          <tr>
            ${this.#canDelete
              ? html`<th class="select"><input type="checkbox" aria-label="Select all" .checked=${all} @change=${(e: Event) => this.#toggleAll((e.target as HTMLInputElement).checked)} /></th>`
              : nothing}
            ${this.columns.map((f) => this.#header(f))}
          </tr>
        </thead>
        <tbody>
          ${repeat(
            this.records,
            (r) => r.id,
            (r) => html`<tr data-id=${r.id} aria-selected=${this.selected.has(r.id) ? 'true' : 'false'}>
              ${this.#canDelete
                ? html`<td class="select"><input type="checkbox" aria-label="Select row" .checked=${this.selected.has(r.id)} @change=${(e: Event) => this.#toggleRow(r.id, (e.target as HTMLInputElement).checked)} /></td>`
                : nothing}
              ${this.columns.map((f) => this.#cell(r, f))}
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }
}

define('mosaic-record-table', RecordTable);
