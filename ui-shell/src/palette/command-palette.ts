import { LitElement, css, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { ObjectMeta, RecordData, SearchHit } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { objectIcon } from '../nav/icons.js';
import { commandsFor, filterCommands, type Command } from './commands.js';

/** Waiting this long after the last keystroke before asking the API keeps typing from sending a query per key. */
const DEBOUNCE_MS = 150;
const SEARCH_LIMIT = 20;

/** The event anything in the shell dispatches (bubbling, composed) to open the palette, e.g. the sidebar's search button. */
export const OPEN_PALETTE_EVENT = 'mosaic-open-palette';

type Option = { readonly kind: 'record'; readonly hit: SearchHit } | { readonly kind: 'command'; readonly command: Command };

/** What tells options apart across renders. */
function optionKey(option: Option): string {
  return option.kind === 'record' ? `r:${option.hit.object}/${option.hit.id}` : `c:${option.command.id}`;
}

/** The element that has focus, looking through open shadow roots (the shell is all shadow DOM). */
function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

/**
 * The command palette (Ctrl-K or Cmd-K anywhere, or the sidebar's search button): a modal dialog with a
 * combobox over one listbox. Typing searches records of every object (`GET /api/search`, debounced),
 * grouped by object in the API's ranking, and filters the commands (open a table, create a record,
 * settings, sign out). Arrow keys move, Enter runs, Escape closes and focus returns where it was.
 * Fires `sign-out` (bubbling, composed) for the app to handle.
 */
export class CommandPalette extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    opened: { state: true },
    query: { state: true },
    hits: { state: true },
    searching: { state: true },
    searchError: { state: true },
    active: { state: true },
    creating: { state: true },
  };
  static override styles = [
    base,
    css`
      .backdrop { position: fixed; inset: 0; z-index: 20; background: rgb(24 24 27 / 0.3); display: flex; justify-content: center; align-items: flex-start; padding: 12vh 12px 12px; }
      [role='dialog'] { width: min(640px, 100%); max-height: 70vh; display: flex; flex-direction: column; background: var(--bg); border-radius: 12px; box-shadow: var(--shadow); overflow: hidden; }
      .field { display: flex; align-items: center; gap: 8px; padding: 0 14px; border-bottom: 1px solid var(--border); }
      .field input { flex: 1; height: 46px; border: 0; padding: 0; font-size: 15px; outline: none; }
      kbd { font: inherit; font-size: 11px; color: var(--text-muted); border: 1px solid var(--border-strong); border-radius: 4px; padding: 0 4px; }
      [role='listbox'] { overflow: auto; padding: 6px; }
      .group-label { font-size: 11px; font-weight: 600; color: var(--text-faint); text-transform: uppercase; letter-spacing: 0.04em; padding: 8px 8px 4px; }
      [role='option'] { display: flex; align-items: center; gap: 8px; min-height: 34px; padding: 4px 8px; border-radius: var(--radius); cursor: pointer; }
      [role='option'][aria-selected='true'] { background: var(--accent-soft); box-shadow: inset 2px 0 0 var(--accent); }
      [role='option'] .label { flex: none; max-width: 60%; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
      [role='option'] .hint { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; color: var(--text-muted); font-size: 12px; }
      .icon { width: 18px; height: 18px; flex: none; display: grid; place-items: center; border-radius: 4px; font-size: 11px; color: white; }
      .c0 { background: #6366f1; } .c1 { background: #0ea5e9; } .c2 { background: #f59e0b; } .c3 { background: #10b981; }
      .c4 { background: #ec4899; } .c5 { background: #8b5cf6; } .c6 { background: #ef4444; } .c7 { background: #14b8a6; }
      .cmd { background: #64748b; }
      .status { padding: 8px 14px; color: var(--text-muted); font-size: 12px; border-top: 1px solid var(--border); }
      .status.error { color: var(--danger); }
    `,
  ];

  declare shell: ShellContext;
  declare opened: boolean;
  declare query: string;
  declare hits: readonly SearchHit[];
  declare searching: boolean;
  declare searchError: string | null;
  /** Index of the highlighted option in the flattened list. */
  declare active: number;
  /** The object whose create form is open (the "Create …" command). */
  declare creating: ObjectMeta | null;
  #returnFocus: HTMLElement | null = null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #request = 0;
  /** Whether the member moved the highlight since the last keystroke in the input. */
  #moved = false;

  readonly #onKey = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      if (this.opened) this.close();
      else this.open();
    }
  };
  readonly #onOpenRequest = () => this.open();

  constructor() {
    super();
    this.opened = false;
    this.query = '';
    this.hits = [];
    this.searching = false;
    this.searchError = null;
    this.active = 0;
    this.creating = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.#onKey);
    document.addEventListener(OPEN_PALETTE_EVENT, this.#onOpenRequest);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.#onKey);
    document.removeEventListener(OPEN_PALETTE_EVENT, this.#onOpenRequest);
    clearTimeout(this.#timer);
  }

  /** Opens the palette empty, remembering the focused element to return to. */
  open(): void {
    if (this.opened || !this.shell) return;
    this.#returnFocus = deepActiveElement();
    this.query = '';
    this.hits = [];
    this.searchError = null;
    this.searching = false;
    this.active = 0;
    this.#moved = false;
    this.opened = true;
    void this.updateComplete.then(() => (this.renderRoot.querySelector('input') as HTMLInputElement | null)?.focus());
  }

  /** Closes the palette; focus goes back where it was unless something else takes it (`restoreFocus` false). */
  close(restoreFocus = true): void {
    if (!this.opened) return;
    this.opened = false;
    clearTimeout(this.#timer);
    this.#request++;
    if (restoreFocus) this.#restoreFocus();
  }

  #restoreFocus(): void {
    const target = this.#returnFocus;
    this.#returnFocus = null;
    if (target?.isConnected) target.focus();
  }

  get #commands(): Command[] {
    return filterCommands(commandsFor(this.shell), this.query);
  }

  /** Every option in display order: record hits grouped by object (in order of each object's first hit), then commands. */
  get #groups(): { key: string; label: string; object?: ObjectMeta; options: Option[] }[] {
    const groups = new Map<string, { key: string; label: string; object?: ObjectMeta; options: Option[] }>();
    for (const hit of this.hits) {
      let group = groups.get(hit.object);
      if (!group) {
        const object = this.shell.objects.find((o) => o.name === hit.object);
        group = { key: `o-${hit.object}`, label: object?.label_plural ?? hit.object, object, options: [] };
        groups.set(hit.object, group);
      }
      group.options.push({ kind: 'record', hit });
    }
    const result = [...groups.values()];
    const commands = this.#commands;
    if (commands.length > 0) result.push({ key: 'commands', label: 'Commands', options: commands.map((command) => ({ kind: 'command', command })) });
    return result;
  }

  #onInput(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    this.active = 0;
    this.#moved = false;
    clearTimeout(this.#timer);
    const q = this.query.trim();
    if (q === '') {
      this.#request++;
      this.hits = [];
      this.searching = false;
      this.searchError = null;
      return;
    }
    this.searching = true;
    this.#timer = setTimeout(() => void this.#search(q.slice(0, 200)), DEBOUNCE_MS);
  }

  async #search(q: string): Promise<void> {
    const request = ++this.#request;
    try {
      const hits = await this.shell.api.search(q, SEARCH_LIMIT);
      if (request !== this.#request) return; // a newer query is on its way
      // The highlighted option stays highlighted when results arrive after the member moved to it.
      const before = this.#moved ? this.#options()[this.active] : undefined;
      this.hits = hits;
      this.searchError = null;
      const after = this.#options();
      const kept = before ? after.findIndex((o) => optionKey(o) === optionKey(before)) : -1;
      this.active = kept >= 0 ? kept : 0;
    } catch (err) {
      if (request === this.#request) {
        this.hits = [];
        this.searchError = (err as Error).message;
      }
    } finally {
      if (request === this.#request) this.searching = false;
    }
  }

  #options(): Option[] {
    return this.#groups.flatMap((g) => g.options);
  }

  #onKeydown(event: KeyboardEvent, count: number): void {
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        if (count > 0) this.active = (this.active + 1) % count;
        this.#moved = true;
        break;
      case 'ArrowUp':
        event.preventDefault();
        if (count > 0) this.active = (this.active - 1 + count) % count;
        this.#moved = true;
        break;
      case 'Enter': {
        event.preventDefault();
        const option = this.#options()[this.active];
        if (option) this.#run(option);
        break;
      }
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        this.close();
        break;
      case 'Tab':
        // The input is the dialog's only stop: Tab must not wander behind the modal.
        event.preventDefault();
        break;
    }
  }

  #run(option: Option): void {
    if (option.kind === 'record') {
      this.close(false);
      this.shell.navigate(`/objects/${encodeURIComponent(option.hit.object)}/${encodeURIComponent(option.hit.id)}`);
      return;
    }
    const action = option.command.action;
    switch (action.kind) {
      case 'navigate':
        this.close(false);
        this.shell.navigate(action.path);
        break;
      case 'create':
        this.close(false);
        this.creating = this.shell.objects.find((o) => o.name === action.object) ?? null;
        break;
      case 'sign-out':
        this.close(false);
        this.dispatchEvent(new CustomEvent('sign-out', { bubbles: true, composed: true }));
        break;
    }
  }

  #created(record: RecordData): void {
    const object = this.creating!;
    this.creating = null;
    this.#returnFocus = null;
    this.shell.toast(`${object.label_singular} created.`, 'success');
    this.shell.navigate(`/objects/${encodeURIComponent(object.name)}/${encodeURIComponent(record.id)}`);
  }

  override updated(changed: PropertyValues<this>): void {
    if (changed.has('active') || changed.has('hits')) this.renderRoot.querySelector('[role="option"][aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }

  #option(option: Option, index: number, active: number, object: ObjectMeta | undefined): TemplateResult {
    const selected = index === active;
    const common = {
      id: `palette-option-${index}`,
      onClick: () => this.#run(option),
      onMove: () => {
        if (this.active === index) return;
        this.active = index;
        this.#moved = true;
      },
    };
    if (option.kind === 'record') {
      const { hit } = option;
      const field = object?.fields.find((f) => f.name === hit.match.field);
      const hint = field && hit.match.field !== object?.label_field && hit.match.value !== hit.label ? `${field.label}: ${hit.match.value}` : '';
      return html`<div role="option" id=${common.id} aria-selected=${selected ? 'true' : 'false'} data-object=${hit.object} data-id=${hit.id}
        @mousedown=${(e: Event) => e.preventDefault()} @click=${common.onClick} @mousemove=${common.onMove}>
        ${object ? objectIcon(object) : nothing}<span class="label">${hit.label}</span>${hint ? html`<span class="hint">${hint}</span>` : nothing}
      </div>`;
    }
    return html`<div role="option" id=${common.id} aria-selected=${selected ? 'true' : 'false'} data-command=${option.command.id}
      @mousedown=${(e: Event) => e.preventDefault()} @click=${common.onClick} @mousemove=${common.onMove}>
      <span class="icon cmd" aria-hidden="true">›</span><span class="label">${option.command.label}</span>
    </div>`;
  }

  #status(count: number): string {
    if (this.searchError) return `Search failed: ${this.searchError}`;
    if (this.searching) return 'Searching…';
    if (this.query.trim() === '') return 'Type to search records, or pick a command.';
    const records = this.hits.length;
    if (count === 0) return `Nothing matches “${this.query.trim()}”.`;
    return `${records} ${records === 1 ? 'record' : 'records'}, ${count - records} ${count - records === 1 ? 'command' : 'commands'}`;
  }

  override render() {
    const creating = this.creating
      ? html`<mosaic-create-record .shell=${this.shell} .object=${this.creating}
          @created=${(e: CustomEvent<RecordData>) => this.#created(e.detail)}
          @close=${() => {
            this.creating = null;
            this.#restoreFocus();
          }}></mosaic-create-record>`
      : nothing;
    if (!this.opened) return creating;
    const groups = this.#groups;
    const count = groups.reduce((n, g) => n + g.options.length, 0);
    const active = Math.min(this.active, Math.max(count - 1, 0));
    let index = 0;
    return html`${creating}<div class="backdrop" @mousedown=${(e: Event) => e.target === e.currentTarget && this.close()}>
      <div role="dialog" aria-modal="true" aria-label="Search and commands">
        <div class="field">
          <input
            role="combobox"
            aria-label="Search records and commands"
            aria-expanded=${count > 0 ? 'true' : 'false'}
            aria-controls="palette-list"
            aria-autocomplete="list"
            aria-activedescendant=${count > 0 ? `palette-option-${active}` : ''}
            autocomplete="off"
            spellcheck="false"
            placeholder="Search records or type a command…"
            .value=${this.query}
            @input=${this.#onInput}
            @keydown=${(e: KeyboardEvent) => this.#onKeydown(e, count)}
          />
          <kbd aria-hidden="true">Esc</kbd>
        </div>
        <div role="listbox" id="palette-list" aria-label="Results">
          ${groups.map((g) => html`<div role="group" aria-labelledby=${`palette-${g.key}`}>
            <div class="group-label" id=${`palette-${g.key}`} role="presentation">${g.label}</div>
            ${g.options.map((o) => this.#option(o, index++, active, g.object))}
          </div>`)}
        </div>
        <div class="status ${this.searchError ? 'error' : ''}" role="status">${this.#status(count)}</div>
      </div>
    </div>`;
  }
}

define('mosaic-palette', CommandPalette);
