import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { ApiError } from '../api/errors.js';
import type { FieldMeta, ObjectMeta, RecordData } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { chipStyles } from './chip-styles.js';
import { recordLabel } from './fields.js';

/** Cards a board loads: the API's largest page. A busier object wants a filter first. */
export const BOARD_LIMIT = 500;

interface Column {
  readonly value: string | null;
  readonly label: string;
  readonly color: string;
}

/**
 * A kanban board of one object grouped by a select field: one column per option in declared order, and
 * a "No value" column first when any record has none. Dragging a card to another column PATCHes the
 * record at once (the card moves before the answer); a refused change puts it back and says why on the
 * card. Each card also has a "Move to" menu, the keyboard's way to do the same.
 */
export class RecordBoard extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    object: { attribute: false },
    field: { attribute: false },
    filter: { attribute: false },
    records: { state: true },
    errors: { state: true },
    loadError: { state: true },
    dropTarget: { state: true },
  };
  static override styles = [
    base,
    chipStyles,
    css`
      :host { display: block; height: 100%; }
      .board { display: flex; gap: 12px; padding: 4px 20px 20px; height: 100%; overflow-x: auto; align-items: flex-start; }
      section { flex: 0 0 260px; background: var(--bg-subtle); border-radius: 8px; border: 1px solid transparent; display: flex; flex-direction: column; max-height: 100%; }
      section.over { border-color: var(--accent); background: var(--accent-soft); }
      h2 { font-size: 12px; margin: 0; padding: 10px 12px 6px; display: flex; gap: 6px; align-items: center; font-weight: 600; }
      h2 .n { color: var(--text-muted); font-weight: 400; }
      .dot { width: 8px; height: 8px; border-radius: 50%; }
      ol { list-style: none; margin: 0; padding: 4px 8px 10px; display: grid; gap: 6px; overflow-y: auto; min-height: 40px; }
      li { background: var(--bg); border: 1px solid var(--border); border-radius: var(--radius); padding: 8px 10px; cursor: grab; display: grid; gap: 6px; }
      li.invalid { border-color: var(--danger); }
      li a { color: var(--text); font-weight: 500; text-decoration: none; }
      li a:hover { text-decoration: underline; }
      li select { height: 24px; font-size: 12px; color: var(--text-muted); }
      .error { margin: 0 20px 10px; color: var(--danger); }
      .loading { padding: 0 20px; }
    `,
  ];

  declare shell: ShellContext;
  declare object: ObjectMeta;
  declare field: FieldMeta;
  /** The filter grammar the page's filter builder wrote ('' for none). */
  declare filter: string;
  declare records: readonly RecordData[] | null;
  declare errors: ReadonlyMap<string, string>;
  declare loadError: string | null;
  declare dropTarget: string | null;
  #request = 0;

  constructor() {
    super();
    this.filter = '';
    this.records = null;
    this.errors = new Map();
    this.loadError = null;
    this.dropTarget = null;
  }

  /** Loads the cards again (the page calls it when a change made elsewhere arrives). */
  reload(): void {
    void this.#load();
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('object') || changed.has('filter') || changed.has('field')) void this.#load();
  }

  async #load(): Promise<void> {
    const request = ++this.#request;
    try {
      const page = await this.shell.api.list(this.object.name, { limit: BOARD_LIMIT, filter: this.filter || undefined });
      if (request === this.#request) {
        this.records = page.data;
        this.loadError = null;
      }
    } catch (err) {
      if (request === this.#request) this.loadError = (err as Error).message;
    }
  }

  get #columns(): Column[] {
    const options = (this.field.options.options ?? []) as { value: string; label: string; color?: string }[];
    const columns: Column[] = options.map((o) => ({ value: o.value, label: o.label, color: o.color ?? 'gray' }));
    const known = new Set(options.map((o) => o.value));
    if ((this.records ?? []).some((r) => !known.has(r[this.field.key] as string))) columns.unshift({ value: null, label: 'No value', color: 'gray' });
    return columns;
  }

  get #canMove(): boolean {
    return this.shell.permissions.object(this.object.name, 'update') && this.shell.permissions.fieldWritable(this.object.name, this.field);
  }

  async #move(id: string, value: string | null): Promise<void> {
    const record = this.records?.find((r) => r.id === id);
    const before = record?.[this.field.key] ?? null;
    if (!record || before === value) return;
    const key = this.field.key;
    const set = (v: unknown) => (this.records = (this.records ?? []).map((r) => (r.id === id ? { ...r, [key]: v } : r)));
    set(value);
    const errors = new Map(this.errors);
    errors.delete(id);
    this.errors = errors;
    try {
      await this.shell.api.update(this.object.name, id, { [key]: value });
    } catch (err) {
      set(before);
      const message = err instanceof ApiError ? (err.detailFor(key)?.message ? `${this.field.label} ${err.detailFor(key)!.message}` : err.message) : (err as Error).message;
      this.errors = new Map(this.errors).set(id, message);
      this.shell.toast(`${recordLabel(this.object, record)} could not be moved: ${message}`, 'error');
    }
  }

  #drop(event: DragEvent, column: Column): void {
    event.preventDefault();
    this.dropTarget = null;
    const id = event.dataTransfer?.getData('text/x-mosaic-record');
    if (id) void this.#move(id, column.value);
  }

  #card(record: RecordData, columns: Column[]) {
    const label = recordLabel(this.object, record);
    const error = this.errors.get(record.id);
    const movable = this.#canMove;
    return html`<li
      data-id=${record.id}
      class=${error ? 'invalid' : ''}
      draggable=${movable ? 'true' : 'false'}
      @dragstart=${(e: DragEvent) => {
        e.dataTransfer?.setData('text/x-mosaic-record', record.id);
        if (e.dataTransfer) e.dataTransfer.effectAllowed = 'move';
      }}
    >
      <a href=${`/objects/${encodeURIComponent(this.object.name)}/${encodeURIComponent(record.id)}`}>${label}</a>
      ${movable
        ? html`<select aria-label=${`Move ${label} to`} @change=${(e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            void this.#move(record.id, v === '' ? null : v);
          }}>
            ${columns.map((c) => html`<option value=${c.value ?? ''} ?selected=${(record[this.field.key] ?? null) === c.value}>${c.label}</option>`)}
          </select>`
        : nothing}
      ${error ? html`<div class="error-text" role="alert">${error}</div>` : nothing}
    </li>`;
  }

  override render() {
    if (this.loadError) return html`<p class="error" role="alert">${this.loadError}</p>`;
    if (!this.records) return html`<p class="muted loading" aria-busy="true">Loading…</p>`;
    const columns = this.#columns;
    const known = new Set(columns.map((c) => c.value));
    return html`<div class="board" role="list" aria-label=${`${this.object.label_plural} by ${this.field.label}`}>
      ${columns.map((column) => {
        const cards = this.records!.filter((r) => {
          const v = (r[this.field.key] ?? null) as string | null;
          return column.value === null ? !known.has(v) || v === null : v === column.value;
        });
        const id = column.value ?? '';
        return html`<section
          role="listitem"
          aria-label=${column.label}
          data-value=${id}
          class=${this.dropTarget === id ? 'over' : ''}
          @dragover=${(e: DragEvent) => {
            if (!this.#canMove) return;
            e.preventDefault();
            this.dropTarget = id;
          }}
          @dragleave=${(e: DragEvent) => {
            if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node | null) && this.dropTarget === id) this.dropTarget = null;
          }}
          @drop=${(e: DragEvent) => this.#drop(e, column)}
        >
          <h2><span class="dot c-${column.color}"></span>${column.label} <span class="n">${cards.length}</span></h2>
          <ol>${repeat(cards, (r) => r.id, (r) => this.#card(r, columns))}</ol>
        </section>`;
      })}
    </div>`;
  }
}

define('mosaic-record-board', RecordBoard);
