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

/** Row height in pixels, fixed so a row's position is its index times this (see `table-styles.ts`). */
export const ROW_HEIGHT = 34;
/** Rows rendered above and below the visible ones. */
const OVERSCAN = 12;
/** The rendered range moves in steps of this many rows, so most scroll events render nothing. */
const STEP = 6;

/**
 * Records as a virtually scrolled grid: every row has the same height, so only the rows in view (and a
 * few around them) are in the DOM, between two spacer rows that keep the scroll area the size of
 * `total` rows. Rows not loaded yet show as placeholders and the table asks for them (`rows-needed`,
 * detail: how many rows from the top it needs). Headers sort (asc → desc → off), a checkbox column
 * selects rows for bulk actions, and an editable cell opens an input on click or Enter; saving PATCHes
 * the record and a refused value keeps the input open with the API's message under it. Arrow keys,
 * Home/End and PageUp/PageDown move between cells (one cell is in the tab order). Events also:
 * `sort-change` (detail: TableSort | null), `selection-change` (detail: string[]), `record-updated`.
 */
export class RecordTable extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    object: { attribute: false },
    columns: { attribute: false },
    records: { attribute: false },
    total: { attribute: false },
    selected: { attribute: false },
    sort: { attribute: false },
    editing: { state: true },
    cellError: { state: true },
    start: { state: true },
    viewport: { state: true },
  };
  static override styles = [base, tableStyles];

  declare shell: ShellContext;
  declare object: ObjectMeta;
  declare columns: readonly FieldMeta[];
  declare records: readonly RecordData[];
  /** Rows the query matches (at least `records.length`); sizes the scroll area. */
  declare total: number;
  declare selected: ReadonlySet<string>;
  declare sort: TableSort | null;
  declare editing: CellRef | null;
  declare cellError: (CellRef & { message: string }) | null;
  /** First rendered row (a multiple of STEP). */
  declare start: number;
  /** Height of the scroll area in pixels. */
  declare viewport: number;
  #saving = false;
  /** The cell in the tab order: row index and column index. */
  #active = { row: 0, col: 0 };
  readonly #resize = new ResizeObserver(() => this.#measure());

  constructor() {
    super();
    this.records = [];
    this.total = 0;
    this.start = 0;
    this.viewport = 800;
    this.columns = [];
    this.selected = new Set();
    this.sort = null;
    this.editing = null;
    this.cellError = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.updateComplete.then(() => {
      const scroller = this.#scroller;
      if (scroller) this.#resize.observe(scroller);
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize.disconnect();
  }

  get #scroller(): HTMLElement | null {
    return this.renderRoot.querySelector('.scroller');
  }

  get #rowCount(): number {
    return Math.max(this.total, this.records.length);
  }

  #measure(): void {
    const scroller = this.#scroller;
    if (!scroller) return;
    this.viewport = scroller.clientHeight || this.viewport;
    const first = Math.floor(scroller.scrollTop / ROW_HEIGHT);
    this.start = Math.max(0, Math.floor((first - OVERSCAN) / STEP) * STEP);
  }

  /** The rendered rows: [from, to). */
  get #range(): [number, number] {
    const to = Math.min(this.#rowCount, this.start + Math.ceil(this.viewport / ROW_HEIGHT) + 2 * OVERSCAN + STEP);
    return [Math.min(this.start, to), to];
  }

  override updated(): void {
    // Heights through the CSSOM: the Content-Security-Policy refuses style attributes.
    this.renderRoot.querySelectorAll<HTMLElement>('tr.spacer td').forEach((td) => (td.style.height = `${td.dataset.height}px`));
    const [, to] = this.#range;
    if (to > this.records.length) this.#emit('rows-needed', to);
  }

  /** Scrolls so row `index` is in view (keyboard moves, a far edit). */
  scrollToRow(index: number): void {
    const scroller = this.#scroller;
    if (!scroller) return;
    const top = index * ROW_HEIGHT;
    const header = ROW_HEIGHT;
    if (top < scroller.scrollTop) scroller.scrollTop = top;
    else if (top + ROW_HEIGHT > scroller.scrollTop + scroller.clientHeight - header) scroller.scrollTop = top + ROW_HEIGHT - scroller.clientHeight + header;
    this.#measure();
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
      this.#refocus();
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
    this.#refocus();
  }

  /** After Enter or Escape in an editor the cell takes the focus back; a click elsewhere keeps its own. */
  #refocus(): void {
    void this.updateComplete.then(() => {
      let active = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      if (!active || active === document.body) this.#focusActive();
    });
  }

  #cellKeydown(event: KeyboardEvent, record: RecordData, field: FieldMeta, row: number, col: number): void {
    if (event.key === 'Enter' || event.key === 'F2') {
      event.preventDefault();
      this.#startEdit(record, field);
      return;
    }
    const page = Math.max(1, Math.floor(this.viewport / ROW_HEIGHT) - 1);
    const last = this.records.length - 1;
    const moves: Record<string, () => [number, number]> = {
      ArrowDown: () => [row + 1, col],
      ArrowUp: () => [row - 1, col],
      ArrowRight: () => [row, col + 1],
      ArrowLeft: () => [row, col - 1],
      PageDown: () => [row + page, col],
      PageUp: () => [row - page, col],
      Home: () => (event.ctrlKey ? [0, 0] : [row, 0]),
      End: () => (event.ctrlKey ? [last, this.columns.length - 1] : [row, this.columns.length - 1]),
    };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const [r, c] = move();
    this.focusCell(Math.max(0, Math.min(last, r)), Math.max(0, Math.min(this.columns.length - 1, c)));
  }

  /** Moves the keyboard focus to a loaded cell, scrolling it into view. */
  focusCell(row: number, col: number): void {
    this.#active = { row, col };
    this.scrollToRow(row);
    this.requestUpdate();
    void this.updateComplete.then(() => this.#focusActive());
  }

  #focusActive(): void {
    const field = this.columns[this.#active.col];
    const cell = field && this.renderRoot.querySelector<HTMLElement>(`tr[aria-rowindex="${this.#active.row + 2}"] td[data-field="${CSS.escape(field.name)}"]`);
    cell?.focus({ preventScroll: true });
  }

  /**
   * The cell an event happened in, for the body's delegated listeners: one listener per kind for the
   * whole table rather than three per cell keeps rows cheap to render while scrolling. Editors handle
   * their own keys, so a cell being edited is not one.
   */
  #cellOf(event: Event): { td: HTMLElement; record: RecordData; field: FieldMeta; row: number; col: number } | undefined {
    const td = (event.target as Element).closest<HTMLElement>('td[data-field]');
    if (!td || td.classList.contains('editing')) return undefined;
    const row = Number(td.parentElement?.getAttribute('aria-rowindex')) - 2;
    const col = this.columns.findIndex((f) => f.name === td.dataset.field);
    const record = this.records[row];
    const field = this.columns[col];
    return record && field ? { td, record, field, row, col } : undefined;
  }

  #onClick(event: Event): void {
    const cell = this.#cellOf(event);
    if (cell && !(event.target as Element).closest('a')) this.#startEdit(cell.record, cell.field);
  }

  #onKeydown(event: KeyboardEvent): void {
    const cell = this.#cellOf(event);
    if (cell && event.target === cell.td) this.#cellKeydown(event, cell.record, cell.field, cell.row, cell.col);
  }

  #onFocusin(event: FocusEvent): void {
    const cell = this.#cellOf(event);
    if (cell && event.target === cell.td) this.#active = { row: cell.row, col: cell.col };
  }

  #cell(record: RecordData, field: FieldMeta, row: number, col: number) {
    const editing = this.editing?.id === record.id && this.editing.field === field.name;
    const error = this.cellError?.id === record.id && this.cellError.field === field.name ? this.cellError.message : null;
    const editable = this.#editable(field);
    if (editing) {
      return html`<td role="gridcell" class="editing ${error ? 'invalid' : ''}" data-field=${field.name}>
        ${renderEditor(field, record[field.key], (raw) => void this.#commit(record, field, raw), () => this.#cancel(), error !== null)}
        ${error ? html`<div class="cell-error" role="alert">${error}</div>` : nothing}
      </td>`;
    }
    const active = this.#active.row === row && this.#active.col === col;
    return html`<td
      role="gridcell"
      class=${editable ? 'editable' : ''}
      data-field=${field.name}
      aria-colindex=${col + 1}
      aria-readonly=${editable ? 'false' : 'true'}
      tabindex=${active ? '0' : '-1'}
    >${renderCell(field, record, this.shell.objects, { shell: this.shell, object: this.object.name, where: 'cell' })}${field === this.columns[0]
      ? html`<a class="open" href=${`/objects/${encodeURIComponent(this.object.name)}/${encodeURIComponent(record.id)}`} aria-label=${`Open ${recordLabel(this.object, record)}`} title="Open"></a>`
      : nothing}</td>`;
  }

  #header(field: FieldMeta) {
    const key = sortKey(field);
    const active = key !== undefined && this.sort?.key === key;
    const aria = active ? (this.sort!.dir === 'asc' ? 'ascending' : 'descending') : 'none';
    return html`<th scope="col" role="columnheader" aria-sort=${aria} data-field=${field.name} data-type=${field.type}>
      ${key
        ? html`<button class="sort" @click=${() => this.#toggleSort(field)} title="Sort by ${field.label}">
            ${field.label}${active ? html`<span class="arrow" aria-hidden="true">${this.sort!.dir === 'asc' ? '↑' : '↓'}</span>` : nothing}
          </button>`
        : field.label}
    </th>`;
  }

  #row(record: RecordData | undefined, index: number) {
    const select = this.#canDelete;
    if (!record) {
      return html`<tr class="placeholder" role="row" aria-rowindex=${index + 2} aria-busy="true">
        ${select ? html`<td class="select"></td>` : nothing}
        <td colspan=${this.columns.length}><span class="bar"></span></td>
      </tr>`;
    }
    const selected = this.selected.has(record.id);
    return html`<tr data-id=${record.id} role="row" aria-rowindex=${index + 2} aria-selected=${selected ? 'true' : 'false'}>
      ${select
        ? html`<td class="select"><input type="checkbox" aria-label="Select row" .checked=${selected} @change=${(e: Event) => this.#toggleRow(record.id, (e.target as HTMLInputElement).checked)} /></td>`
        : nothing}
      ${this.columns.map((f, col) => this.#cell(record, f, index, col))}
    </tr>`;
  }

  override render() {
    const all = this.records.length > 0 && this.records.every((r) => this.selected.has(r.id));
    const [from, to] = this.#range;
    const count = this.#rowCount;
    const span = this.columns.length + (this.#canDelete ? 1 : 0);
    const indexes = Array.from({ length: to - from }, (_, i) => from + i);
    return html`<div class="scroller" @scroll=${() => this.#measure()}>
      <table role="grid" aria-label=${this.object.label_plural} aria-rowcount=${count + 1} aria-colcount=${this.columns.length}>
        <thead>
          <tr role="row" aria-rowindex="1">
            ${this.#canDelete
              ? html`<th class="select"><input type="checkbox" aria-label="Select all" .checked=${all} @change=${(e: Event) => this.#toggleAll((e.target as HTMLInputElement).checked)} /></th>`
              : nothing}
            ${this.columns.map((f) => this.#header(f))}
          </tr>
        </thead>
        <tbody @click=${this.#onClick} @keydown=${this.#onKeydown} @focusin=${this.#onFocusin}>
          ${from > 0 ? html`<tr class="spacer" aria-hidden="true"><td colspan=${span} data-height=${from * ROW_HEIGHT}></td></tr>` : nothing}
          ${repeat(
            indexes,
            (i) => this.records[i]?.id ?? `placeholder-${i}`,
            (i) => this.#row(this.records[i], i),
          )}
          ${to < count ? html`<tr class="spacer" aria-hidden="true"><td colspan=${span} data-height=${(count - to) * ROW_HEIGHT}></td></tr>` : nothing}
        </tbody>
      </table>
    </div>`;
  }
}

define('mosaic-record-table', RecordTable);
