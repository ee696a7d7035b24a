import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { FieldMeta, ObjectMeta, RecordData, RecordPage } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { objectIcon } from '../nav/icons.js';
import { RecordFeedController } from '../realtime/record-feed.js';
import { columnsOf } from './fields.js';
import { toGrammar, type FilterState } from './filter.js';
import type { RecordBoard } from './record-board.js';
import type { TableSort } from './record-table.js';

/** Rows per page: the DOM never holds more than one page (keyset paging through the API's cursors). */
export const PAGE_SIZE = 50;

type Cursor = { readonly starting_after: string } | { readonly ending_before: string } | null;

/**
 * The page of one object: title and count, a toolbar (filter, new record, bulk delete of the selected
 * rows), the table and keyset paging. Sort and filter go to the API as `order_by` and `filter`.
 */
export class ObjectPage extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    object: { attribute: false },
    page: { state: true },
    loading: { state: true },
    error: { state: true },
    sort: { state: true },
    filter: { state: true },
    selected: { state: true },
    filterOpen: { state: true },
    creating: { state: true },
    confirming: { state: true },
    layout: { state: true },
    groupBy: { state: true },
  };
  static override styles = [
    base,
    css`
      :host { display: flex; flex-direction: column; height: 100%; }
      header { display: flex; align-items: center; gap: 10px; padding: 14px 20px 10px; }
      h1 { font-size: 16px; margin: 0; display: flex; align-items: center; gap: 8px; }
      .count { color: var(--text-muted); font-weight: 400; }
      .live { color: var(--text-muted); font-size: 12px; }
      .icon { width: 22px; height: 22px; border-radius: 6px; display: grid; place-items: center; color: white; font-size: 12px; }
      .c0 { background: #6366f1; } .c1 { background: #0ea5e9; } .c2 { background: #f59e0b; } .c3 { background: #10b981; }
      .c4 { background: #ec4899; } .c5 { background: #8b5cf6; } .c6 { background: #ef4444; } .c7 { background: #14b8a6; }
      .toolbar { display: flex; align-items: center; gap: 8px; padding: 0 20px 10px; flex-wrap: wrap; }
      .spacer { flex: 1; }
      .filter-wrap { position: relative; }
      mosaic-filter-builder { position: absolute; top: 34px; left: 0; z-index: 3; }
      .switch { display: inline-flex; }
      .switch button { border-radius: 0; }
      .switch button:first-child { border-radius: var(--radius) 0 0 var(--radius); }
      .switch button:last-child { border-radius: 0 var(--radius) var(--radius) 0; margin-left: -1px; }
      .switch button[aria-pressed='true'] { background: var(--bg-hover); font-weight: 600; }
      label.inline { display: inline-flex; align-items: center; gap: 6px; }
      button.active { border-color: var(--accent); color: var(--accent); background: var(--accent-soft); }
      .selection { display: flex; align-items: center; gap: 8px; padding: 2px 4px 2px 10px; border-radius: var(--radius); background: var(--accent-soft); }
      .body { flex: 1; min-height: 0; overflow: auto; }
      .empty { display: grid; justify-items: center; gap: 10px; padding: 64px 20px; text-align: center; }
      .empty h2 { margin: 0; font-size: 15px; }
      footer { display: flex; align-items: center; gap: 8px; justify-content: flex-end; padding: 8px 20px; border-top: 1px solid var(--border); color: var(--text-muted); }
      .error { margin: 0 20px 10px; padding: 8px 12px; border-radius: var(--radius); background: var(--danger-soft); color: var(--danger); }
    `,
  ];

  declare shell: ShellContext;
  declare object: ObjectMeta;
  declare page: RecordPage | null;
  declare loading: boolean;
  declare error: string | null;
  declare sort: TableSort | null;
  declare filter: FilterState;
  declare selected: ReadonlySet<string>;
  declare filterOpen: boolean;
  declare creating: boolean;
  declare confirming: boolean;
  declare layout: 'table' | 'board';
  /** The select field the board groups by (its name). */
  declare groupBy: string | null;
  #cursor: Cursor = null;
  #request = 0;
  // A change made elsewhere reloads the page shown, so sort, filter, paging and the count stay right.
  readonly #feed = new RecordFeedController(this, () => (this.shell && this.object ? { realtime: this.shell.realtime, object: this.object.name } : undefined), () => this.#changedElsewhere());

  constructor() {
    super();
    this.page = null;
    this.loading = false;
    this.error = null;
    this.sort = null;
    this.filter = { match: 'and', conditions: [] };
    this.selected = new Set();
    this.filterOpen = false;
    this.creating = false;
    this.confirming = false;
    this.layout = 'table';
    this.groupBy = null;
  }

  #changedElsewhere(): void {
    if (this.layout === 'board') (this.renderRoot.querySelector('mosaic-record-board') as RecordBoard | null)?.reload();
    else void this.#load();
  }

  get #selectFields(): FieldMeta[] {
    return this.object.fields.filter((f) => f.type === 'select').sort((a, b) => a.position - b.position);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const previous = changed.get('object') as ObjectMeta | undefined;
    if (changed.has('object') && previous?.name !== this.object.name) {
      // Another object: start over (a field change of the same object keeps sort and filter).
      this.sort = null;
      this.filter = { match: 'and', conditions: [] };
      this.filterOpen = false;
      this.creating = false;
      this.layout = 'table';
      this.groupBy = null;
      this.#cursor = null;
      this.page = null;
      void this.#load();
    }
  }

  get #grammar(): string {
    return toGrammar(this.object.fields, this.filter);
  }

  async #load(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    this.error = null;
    try {
      const page = await this.shell.api.list(this.object.name, {
        limit: PAGE_SIZE,
        depth: 1,
        count: true,
        filter: this.#grammar || undefined,
        order_by: this.sort ? `${this.sort.key}[${this.sort.dir === 'asc' ? 'AscNullsLast' : 'DescNullsLast'}]` : undefined,
        ...(this.#cursor ?? {}),
      });
      if (request !== this.#request) return; // a newer query answered first
      this.page = page;
      // Rows still shown stay selected (a reload after a change elsewhere must not drop the selection).
      const shown = new Set(page.data.map((r) => r.id));
      if ([...this.selected].some((id) => !shown.has(id))) this.selected = new Set([...this.selected].filter((id) => shown.has(id)));
    } catch (err) {
      if (request === this.#request) this.error = (err as Error).message;
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  #reload(resetCursor = true): void {
    if (resetCursor) this.#cursor = null;
    void this.#load();
  }

  #onSort(event: CustomEvent<TableSort | null>): void {
    this.sort = event.detail;
    this.#reload();
  }

  #onFilter(event: CustomEvent<FilterState>): void {
    this.filter = event.detail;
    this.filterOpen = false;
    this.#reload();
  }

  #onUpdated(event: CustomEvent<RecordData>): void {
    if (!this.page) return;
    const updated = event.detail;
    // The PATCH answer has no embedded relations; keep those of the row shown.
    this.page = { ...this.page, data: this.page.data.map((r) => (r.id === updated.id ? { ...r, ...updated } : r)) };
  }

  async #deleteSelected(): Promise<void> {
    const ids = [...this.selected];
    this.confirming = false;
    const results = await Promise.allSettled(ids.map((id) => this.shell.api.remove(this.object.name, id)));
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    const done = ids.length - failed.length;
    if (done > 0) this.shell.toast(`Deleted ${done} ${done === 1 ? this.object.label_singular.toLowerCase() : this.object.label_plural.toLowerCase()}.`, 'success');
    if (failed.length > 0) this.shell.toast(`${failed.length} could not be deleted: ${(failed[0]!.reason as Error).message}`, 'error');
    this.#reload(false);
  }

  #created(): void {
    this.creating = false;
    this.shell.toast(`${this.object.label_singular} created.`, 'success');
    this.#reload();
  }

  #toolbar() {
    const canCreate = this.shell.permissions.object(this.object.name, 'create');
    const active = this.filter.conditions.length;
    return html`<div class="toolbar">
      <div class="filter-wrap">
        <button class=${active ? 'active' : ''} aria-expanded=${this.filterOpen ? 'true' : 'false'} @click=${() => (this.filterOpen = !this.filterOpen)}>
          Filter${active ? html` · ${active}` : nothing}
        </button>
        ${this.filterOpen
          ? html`<mosaic-filter-builder .fields=${columnsOf(this.object)} .state=${this.filter} @filter-change=${this.#onFilter}></mosaic-filter-builder>`
          : nothing}
      </div>
      ${this.selected.size > 0
        ? html`<div class="selection" role="group" aria-label="Selection">
            <span>${this.selected.size} selected</span>
            ${this.confirming
              ? html`<span>Delete ${this.selected.size}?</span>
                  <button class="danger" @click=${this.#deleteSelected}>Confirm delete</button>
                  <button class="ghost" @click=${() => (this.confirming = false)}>Cancel</button>`
              : html`<button class="danger" @click=${() => (this.confirming = true)}>Delete</button>`}
          </div>`
        : nothing}
      <span class="spacer"></span>
      ${this.#layoutSwitch()}
      ${canCreate ? html`<button class="primary" @click=${() => (this.creating = true)}>+ New ${this.object.label_singular.toLowerCase()}</button>` : nothing}
    </div>`;
  }

  #layoutSwitch() {
    const selects = this.#selectFields;
    if (selects.length === 0) return nothing;
    const board = this.layout === 'board';
    const groupBy = this.groupBy ?? selects[0]!.name;
    return html`<div class="switch" role="group" aria-label="Layout">
        <button aria-pressed=${board ? 'false' : 'true'} @click=${() => this.#setLayout('table')}>Table</button>
        <button aria-pressed=${board ? 'true' : 'false'} @click=${() => this.#setLayout('board')}>Board</button>
      </div>
      ${board && selects.length > 1
        ? html`<label class="inline">Group by
            <select @change=${(e: Event) => (this.groupBy = (e.target as HTMLSelectElement).value)}>
              ${selects.map((f) => html`<option value=${f.name} ?selected=${f.name === groupBy}>${f.label}</option>`)}
            </select>
          </label>`
        : nothing}`;
  }

  #setLayout(layout: 'table' | 'board'): void {
    if (layout === this.layout) return;
    this.layout = layout;
    this.selected = new Set();
    this.confirming = false;
    if (layout === 'table') this.#reload(false); // the board may have moved cards
  }

  #body() {
    if (this.layout === 'board') {
      const field = this.#selectFields.find((f) => f.name === this.groupBy) ?? this.#selectFields[0];
      if (field) return html`<mosaic-record-board .shell=${this.shell} .object=${this.object} .field=${field} .filter=${this.#grammar}></mosaic-record-board>`;
    }
    const page = this.page;
    if (!page) return html`<p class="muted empty" aria-busy="true">Loading…</p>`;
    if (page.data.length === 0) {
      const filtered = this.filter.conditions.length > 0;
      const canCreate = this.shell.permissions.object(this.object.name, 'create');
      return html`<div class="empty">
        <h2>${filtered ? 'No records match these filters' : `No ${this.object.label_plural.toLowerCase()} yet`}</h2>
        <p class="muted">${filtered ? 'Change or clear the filters to see more.' : canCreate ? `Create the first one, or send them through the API.` : 'Records will show up here once they are added.'}</p>
        ${!filtered && canCreate ? html`<button class="primary" @click=${() => (this.creating = true)}>+ New ${this.object.label_singular.toLowerCase()}</button>` : nothing}
      </div>`;
    }
    return html`<mosaic-record-table
      .shell=${this.shell}
      .object=${this.object}
      .columns=${columnsOf(this.object)}
      .records=${page.data}
      .selected=${this.selected}
      .sort=${this.sort}
      @sort-change=${this.#onSort}
      @selection-change=${(e: CustomEvent<string[]>) => {
        this.selected = new Set(e.detail);
        this.confirming = false;
      }}
      @record-updated=${this.#onUpdated}
    ></mosaic-record-table>`;
  }

  #footer() {
    if (this.layout === 'board') return nothing;
    const info = this.page?.page_info;
    if (!info || (!info.has_next_page && !info.has_previous_page)) return nothing;
    return html`<footer>
      <button ?disabled=${!info.has_previous_page || !info.start_cursor} @click=${() => {
        this.#cursor = { ending_before: info.start_cursor! };
        void this.#load();
      }}>← Previous</button>
      <button ?disabled=${!info.has_next_page || !info.end_cursor} @click=${() => {
        this.#cursor = { starting_after: info.end_cursor! };
        void this.#load();
      }}>Next →</button>
    </footer>`;
  }

  override render() {
    const total = this.page?.total_count;
    return html`
      <header>
        <h1 data-live=${this.#feed.live ? 'true' : 'false'}>${objectIcon(this.object)} ${this.object.label_plural} ${total !== undefined ? html`<span class="count" data-count=${total}>${total}</span>` : nothing}</h1>
        ${this.#feed.live ? html`<span class="live" title="Changes made elsewhere show up here as they happen">● Live</span>` : nothing}
      </header>
      ${this.#toolbar()}
      ${this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing}
      <div class="body" aria-busy=${this.loading ? 'true' : 'false'}>${this.#body()}</div>
      ${this.#footer()}
      ${this.creating
        ? html`<mosaic-create-record .shell=${this.shell} .object=${this.object} @created=${this.#created} @close=${() => (this.creating = false)}></mosaic-create-record>`
        : nothing}
    `;
  }
}

define('mosaic-object-page', ObjectPage);
