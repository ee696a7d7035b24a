import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import type { FieldMeta, ObjectMeta, RecordData, SavedView } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { objectIcon } from '../nav/icons.js';
import { RecordFeedController } from '../realtime/record-feed.js';
import { columnsOf } from './fields.js';
import type { FilterState } from './filter.js';
import { ensureDirectory } from './members.js';
import type { RecordBoard } from './record-board.js';
import type { TableSort } from './record-table.js';
import { RecordWindow } from './virtual-rows.js';
import { DEFAULT_STATE, filterGrammar, sameState, sortToGrammar, stateToView, viewToState, type PageState } from './view-state.js';

/**
 * The page of one object: title and count, a toolbar (saved views, filter, columns, layout, new record,
 * bulk delete of the selected rows) and the table, which loads rows as the reader scrolls (a
 * {@link RecordWindow} per query). Sort and filter go to the API as `order_by` and `filter`. The chosen
 * saved view is in the address (`?view=<id>`), so a link opens it.
 */
export class ObjectPage extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    object: { attribute: false },
    rows: { state: true },
    sort: { state: true },
    filter: { state: true },
    selected: { state: true },
    filterOpen: { state: true },
    creating: { state: true },
    confirming: { state: true },
    layout: { state: true },
    groupBy: { state: true },
    columns: { state: true },
    rawFilter: { state: true },
    views: { state: true },
    viewId: { state: true },
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
      .body.table { overflow: hidden; }
      .empty { display: grid; justify-items: center; gap: 10px; padding: 64px 20px; text-align: center; }
      .empty h2 { margin: 0; font-size: 15px; }
      footer { display: flex; align-items: center; gap: 8px; justify-content: flex-end; padding: 8px 20px; border-top: 1px solid var(--border); color: var(--text-muted); }
      .error { margin: 0 20px 10px; padding: 8px 12px; border-radius: var(--radius); background: var(--danger-soft); color: var(--danger); }
    `,
  ];

  declare shell: ShellContext;
  declare object: ObjectMeta;
  /** The rows of the current query, loaded as the table asks for them. */
  declare rows: RecordWindow | null;
  declare sort: TableSort | null;
  declare filter: FilterState;
  declare selected: ReadonlySet<string>;
  declare filterOpen: boolean;
  declare creating: boolean;
  declare confirming: boolean;
  declare layout: 'table' | 'board';
  /** The select field the board groups by (its name). */
  declare groupBy: string | null;
  /** Shown columns' field names in display order; null shows every field in metadata order. */
  declare columns: readonly string[] | null;
  /** A saved view's filter the builder cannot show; applied as is, with the builder's. */
  declare rawFilter: string;
  /** The object's saved views the member sees (null while loading). */
  declare views: readonly SavedView[] | null;
  /** The saved view shown; null is "All <plural>". */
  declare viewId: string | null;
  // A change made elsewhere reloads the rows loaded, so sort, filter and the count stay right.
  readonly #feed = new RecordFeedController(this, () => (this.shell && this.object ? { realtime: this.shell.realtime, object: this.object.name } : undefined), () => this.#changedElsewhere());

  constructor() {
    super();
    this.rows = null;
    this.sort = null;
    this.filter = { match: 'and', conditions: [] };
    this.selected = new Set();
    this.filterOpen = false;
    this.creating = false;
    this.confirming = false;
    this.layout = 'table';
    this.groupBy = null;
    this.columns = null;
    this.rawFilter = '';
    this.views = null;
    this.viewId = null;
  }

  /** What the page shows that a view keeps. */
  get #state(): PageState {
    const board = this.layout === 'board';
    return {
      filter: this.filter,
      rawFilter: this.rawFilter,
      sort: this.sort,
      columns: this.columns,
      layout: this.layout,
      groupBy: board ? (this.groupBy ?? this.#selectFields[0]?.name ?? null) : this.groupBy,
    };
  }

  #apply(state: PageState): void {
    this.filter = state.filter;
    this.rawFilter = state.rawFilter;
    this.sort = state.sort;
    this.columns = state.columns;
    this.layout = state.layout === 'board' && this.#selectFields.length > 0 ? 'board' : 'table';
    this.groupBy = state.groupBy;
    this.selected = new Set();
    this.confirming = false;
    this.filterOpen = false;
  }

  get #currentView(): SavedView | null {
    return this.views?.find((v) => v.id === this.viewId) ?? null;
  }

  get #dirty(): boolean {
    const view = this.#currentView;
    const saved = view ? viewToState(this.object.fields, view) : DEFAULT_STATE;
    return !sameState(this.object.fields, saved, { ...this.#state, groupBy: this.layout === 'board' ? this.#state.groupBy : saved.groupBy });
  }

  /**
   * Loads the saved views. The one named in the address (if any) is applied before the rows load;
   * without one the rows load at once, alongside.
   */
  async #loadViews(): Promise<void> {
    const object = this.object.name;
    const wanted = new URLSearchParams(location.search).get('view');
    if (!wanted) this.#load();
    let views: SavedView[] = [];
    try {
      views = await this.shell.api.views(object);
    } catch (err) {
      this.shell.toast(`Saved views could not be loaded: ${(err as Error).message}`, 'error');
    }
    if (this.object.name !== object) return;
    this.views = views;
    if (wanted) {
      const view = views.find((v) => v.id === wanted);
      if (view) {
        this.viewId = view.id;
        this.#apply(viewToState(this.object.fields, view));
      } else {
        this.shell.toast('That view does not exist here, or it is another member\'s private view.', 'error');
        this.#writeAddress(null);
      }
      this.#load();
    }
  }

  /** Puts the view in the address without a new history entry (the page itself does not change). */
  #writeAddress(viewId: string | null): void {
    const url = new URL(location.href);
    if (viewId) url.searchParams.set('view', viewId);
    else url.searchParams.delete('view');
    if (url.href !== location.href) history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }

  #selectView(id: string | null): void {
    const view = this.views?.find((v) => v.id === id) ?? null;
    this.viewId = view?.id ?? null;
    this.#apply(view ? viewToState(this.object.fields, view) : DEFAULT_STATE);
    this.#writeAddress(this.viewId);
    this.#load();
  }

  #viewSaved(view: SavedView): void {
    const views = this.views ?? [];
    const known = views.some((v) => v.id === view.id);
    this.views = known ? views.map((v) => (v.id === view.id ? view : v)) : [...views, view];
    this.viewId = view.id;
    this.#writeAddress(view.id);
    this.shell.toast(`View “${view.name}” saved.`, 'success');
  }

  #viewDeleted(id: string): void {
    const name = this.views?.find((v) => v.id === id)?.name;
    this.views = (this.views ?? []).filter((v) => v.id !== id);
    this.shell.toast(`View “${name ?? ''}” deleted.`, 'success');
    this.#selectView(null);
  }

  /** The table's columns: the chosen ones that still exist, in the chosen order. */
  get #shownFields(): FieldMeta[] {
    const all = columnsOf(this.object);
    if (!this.columns) return all;
    const byName = new Map(all.map((f) => [f.name, f]));
    const shown = this.columns.map((n) => byName.get(n)).filter((f): f is FieldMeta => f !== undefined);
    return shown.length > 0 ? shown : all;
  }

  #changedElsewhere(): void {
    if (this.layout === 'board') (this.renderRoot.querySelector('mosaic-record-board') as RecordBoard | null)?.reload();
    else this.rows?.refresh();
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
      this.columns = null;
      this.rawFilter = '';
      this.views = null;
      this.viewId = null;
      this.rows?.close();
      this.rows = null;
      void this.#loadViews();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.rows?.close();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.rows && this.object) this.#load();
  }

  get #grammar(): string {
    return filterGrammar(this.object.fields, this.#state);
  }

  get #orderBy(): string | undefined {
    return sortToGrammar(this.sort) || undefined;
  }

  /** Starts a new window for the current query (sort, filter); the old one's answers are dropped. */
  #load(): void {
    this.rows?.close();
    const object = this.object.name;
    const filter = this.#grammar || undefined;
    const order_by = this.#orderBy;
    const rows: RecordWindow = new RecordWindow(
      // Member fields show names: the directory is read (once) before the first page is drawn.
      async (after, limit, count) => {
        await ensureDirectory(this.shell.api, this.object);
        return this.shell.api.list(object, { limit, depth: 1, count: count || undefined, filter, order_by, starting_after: after ?? undefined });
      },
      () => {
        if (this.rows !== rows) return;
        // Rows still loaded stay selected (a reload after a change elsewhere must not drop the selection).
        if (this.selected.size > 0) {
          const shown = new Set(rows.rows.map((r) => r.id));
          if ([...this.selected].some((id) => !shown.has(id))) this.selected = new Set([...this.selected].filter((id) => shown.has(id)));
        }
        this.requestUpdate();
      },
    );
    this.rows = rows;
  }

  #reload(): void {
    this.#load();
  }

  #onSort(event: CustomEvent<TableSort | null>): void {
    this.sort = event.detail;
    this.#reload();
  }

  #onFilter(event: CustomEvent<FilterState>): void {
    this.filter = event.detail;
    // "Clear" clears a view's filter the builder could not show, too.
    if (event.detail.conditions.length === 0) this.rawFilter = '';
    this.filterOpen = false;
    this.#reload();
  }

  #onUpdated(event: CustomEvent<RecordData>): void {
    // The PATCH answer has no embedded relations; the window keeps those of the row shown.
    this.rows?.patch(event.detail);
  }

  async #deleteSelected(): Promise<void> {
    const ids = [...this.selected];
    this.confirming = false;
    const results = await Promise.allSettled(ids.map((id) => this.shell.api.remove(this.object.name, id)));
    const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    const done = ids.length - failed.length;
    if (done > 0) this.shell.toast(`Deleted ${done} ${done === 1 ? this.object.label_singular.toLowerCase() : this.object.label_plural.toLowerCase()}.`, 'success');
    if (failed.length > 0) this.shell.toast(`${failed.length} could not be deleted: ${(failed[0]!.reason as Error).message}`, 'error');
    this.rows?.refresh();
  }

  #created(): void {
    this.creating = false;
    this.shell.toast(`${this.object.label_singular} created.`, 'success');
    this.#reload();
  }

  #toolbar() {
    const canCreate = this.shell.permissions.object(this.object.name, 'create');
    const active = this.filter.conditions.length + (this.rawFilter ? 1 : 0);
    return html`<div class="toolbar">
      ${this.views
        ? html`<mosaic-view-picker .shell=${this.shell} .object=${this.object} .views=${this.views} .current=${this.#currentView}
            .state=${stateToView(this.object.fields, this.#state)} .dirty=${this.#dirty}
            @view-select=${(e: CustomEvent<string | null>) => this.#selectView(e.detail)}
            @view-saved=${(e: CustomEvent<SavedView>) => this.#viewSaved(e.detail)}
            @view-deleted=${(e: CustomEvent<string>) => this.#viewDeleted(e.detail)}></mosaic-view-picker>`
        : nothing}
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
      ${this.layout === 'table'
        ? html`<mosaic-column-menu .fields=${columnsOf(this.object)} .columns=${this.#shownFields.map((f) => f.name)}
            @columns-change=${(e: CustomEvent<string[]>) => (this.columns = e.detail)}></mosaic-column-menu>`
        : nothing}
      <button @click=${() => this.#export()} title="Download every record of this view as CSV">Export CSV</button>
      ${this.#layoutSwitch()}
      ${canCreate ? html`<button class="primary" @click=${() => (this.creating = true)}>+ New ${this.object.label_singular.toLowerCase()}</button>` : nothing}
    </div>`;
  }

  /**
   * Downloads the view as CSV: every record the filter matches (no cap; the kernel streams it), in the
   * table's order, with the columns as shown. A plain link, so the browser streams it to disk.
   */
  #export(): void {
    const params = new URLSearchParams({ format: 'csv' });
    if (this.#grammar) params.set('filter', this.#grammar);
    if (this.#orderBy) params.set('order_by', this.#orderBy);
    params.set('fields', this.#shownFields.map((f) => f.name).join(','));
    const link = document.createElement('a');
    link.href = `/api/objects/${encodeURIComponent(this.object.name)}/export?${params}`;
    link.download = `${this.object.label_plural}.csv`;
    link.click();
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
    if (layout === 'table') this.rows?.refresh(); // the board may have moved cards
  }

  #body() {
    if (this.layout === 'board') {
      const field = this.#selectFields.find((f) => f.name === this.groupBy) ?? this.#selectFields[0];
      if (field) return html`<mosaic-record-board .shell=${this.shell} .object=${this.object} .field=${field} .filter=${this.#grammar}></mosaic-record-board>`;
    }
    const rows = this.rows;
    if (!rows || rows.total === null) return html`<p class="muted empty" aria-busy="true">Loading…</p>`;
    if (rows.rows.length === 0 && !rows.loading) {
      const filtered = this.filter.conditions.length > 0 || this.rawFilter !== '';
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
      .columns=${this.#shownFields}
      .records=${rows.rows}
      .total=${rows.total}
      .selected=${this.selected}
      .sort=${this.sort}
      @sort-change=${this.#onSort}
      @selection-change=${(e: CustomEvent<string[]>) => {
        this.selected = new Set(e.detail);
        this.confirming = false;
      }}
      @record-updated=${this.#onUpdated}
      @rows-needed=${(e: CustomEvent<number>) => rows.want(e.detail)}
    ></mosaic-record-table>`;
  }

  override render() {
    const total = this.rows?.total ?? undefined;
    const error = this.rows?.error;
    return html`
      <header>
        <h1 data-live=${this.#feed.live ? 'true' : 'false'}>${objectIcon(this.object)} ${this.object.label_plural} ${total !== undefined ? html`<span class="count" data-count=${total}>${total}</span>` : nothing}</h1>
        ${this.#feed.live ? html`<span class="live" title="Changes made elsewhere show up here as they happen">● Live</span>` : nothing}
      </header>
      ${this.#toolbar()}
      ${error ? html`<p class="error" role="alert">${error}</p>` : nothing}
      <div class="body ${this.layout}" aria-busy=${this.rows?.loading ? 'true' : 'false'}>${this.#body()}</div>
      ${this.creating
        ? html`<mosaic-create-record .shell=${this.shell} .object=${this.object} @created=${this.#created} @close=${() => (this.creating = false)}></mosaic-create-record>`
        : nothing}
    `;
  }
}

define('mosaic-object-page', ObjectPage);
