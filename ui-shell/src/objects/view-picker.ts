import { LitElement, css, html, nothing, type PropertyDeclarations } from 'lit';
import type { ObjectMeta, SavedView, SavedViewInput } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';

type Mode = 'closed' | 'menu' | 'save' | 'rename' | 'delete';

/**
 * The view picker of an object page: a menu of "All <plural>" (no saved view) and the saved views the
 * member sees, and the actions on them: save what the page shows as a new view, save changes to the
 * current one, rename, delete, and share with the workspace (members with the `metadata` capability).
 * The page hands it what it shows (`state`, a `POST /api/views` body) and whether that differs from the
 * current view (`dirty`). Events: `view-select` (detail: view id or null), `view-saved` (detail: the
 * view as the API answered), `view-deleted` (detail: its id).
 */
export class ViewPicker extends LitElement {
  static override properties: PropertyDeclarations = {
    shell: { attribute: false },
    object: { attribute: false },
    views: { attribute: false },
    current: { attribute: false },
    state: { attribute: false },
    dirty: { attribute: false },
    mode: { state: true },
    error: { state: true },
    busy: { state: true },
  };
  static override styles = [
    base,
    css`
      :host { display: inline-flex; align-items: center; gap: 6px; position: relative; }
      select.views { font-weight: 600; max-width: 240px; }
      .pop { position: absolute; top: 34px; left: 0; z-index: 4; background: var(--bg); border: 1px solid var(--border); border-radius: 10px; box-shadow: var(--shadow); padding: 12px; min-width: 300px; display: grid; gap: 8px; }
      .pop .row { display: flex; gap: 6px; justify-content: flex-end; }
      .pop label { display: flex; align-items: center; gap: 8px; }
      .pop input[type='text'] { width: 100%; }
      .menu { display: grid; gap: 2px; padding: 6px; min-width: 200px; }
      .menu button { justify-content: flex-start; border-color: transparent; }
      .error { color: var(--danger); margin: 0; }
      .dirty { color: var(--text-muted); font-size: 12px; }
    `,
  ];

  declare shell: ShellContext;
  declare object: ObjectMeta;
  declare views: readonly SavedView[];
  declare current: SavedView | null;
  declare state: SavedViewInput;
  declare dirty: boolean;
  declare mode: Mode;
  declare error: string | null;
  declare busy: boolean;

  constructor() {
    super();
    this.views = [];
    this.current = null;
    this.state = {};
    this.dirty = false;
    this.mode = 'closed';
    this.error = null;
    this.busy = false;
  }

  get #admin(): boolean {
    return this.shell.permissions.can('metadata');
  }

  /** Shared views are the workspace's (metadata capability); a private one is its owner's. */
  #canManage(view: SavedView): boolean {
    return view.shared ? this.#admin : view.owner_member_id === this.shell.session.member.id;
  }

  #emit(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail }));
  }

  #open(mode: Mode): void {
    this.mode = mode;
    this.error = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.pop input[type="text"], .pop button')?.focus());
  }

  #close(): void {
    this.mode = 'closed';
    this.error = null;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('button.more, button.save')?.focus());
  }

  async #run(action: () => Promise<void>): Promise<void> {
    this.busy = true;
    this.error = null;
    try {
      await action();
      this.mode = 'closed';
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = false;
    }
  }

  #submitName(event: Event): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
    const shared = (form.elements.namedItem('shared') as HTMLInputElement | null)?.checked ?? false;
    if (!name) {
      this.error = 'Give the view a name.';
      return;
    }
    if (this.mode === 'rename' && this.current) {
      const id = this.current.id;
      void this.#run(async () => this.#emit('view-saved', await this.shell.api.updateView(id, { name })));
    } else {
      void this.#run(async () => this.#emit('view-saved', await this.shell.api.createView(this.object.name, { ...this.state, name, shared })));
    }
  }

  #saveChanges(): void {
    const id = this.current!.id;
    void this.#run(async () => this.#emit('view-saved', await this.shell.api.updateView(id, this.state)));
  }

  #setShared(shared: boolean): void {
    const id = this.current!.id;
    void this.#run(async () => this.#emit('view-saved', await this.shell.api.updateView(id, { shared })));
  }

  #delete(): void {
    const id = this.current!.id;
    void this.#run(async () => {
      await this.shell.api.deleteView(id);
      this.#emit('view-deleted', id);
    });
  }

  #popover() {
    const current = this.current;
    const error = this.error ? html`<p class="error" role="alert">${this.error}</p>` : nothing;
    switch (this.mode) {
      case 'save':
      case 'rename': {
        const rename = this.mode === 'rename';
        return html`<form class="pop" role="dialog" aria-label=${rename ? 'Rename view' : 'Save view'} @submit=${this.#submitName}>
          <label>Name <input type="text" name="name" aria-label="View name" maxlength="80" .value=${rename ? (current?.name ?? '') : ''} /></label>
          ${!rename && this.#admin ? html`<label><input type="checkbox" name="shared" /> Share with the workspace</label>` : nothing}
          ${error}
          <div class="row">
            <button type="button" class="ghost" @click=${() => this.#close()}>Cancel</button>
            <button type="submit" class="primary" ?disabled=${this.busy}>${rename ? 'Rename' : 'Save view'}</button>
          </div>
        </form>`;
      }
      case 'delete':
        return html`<div class="pop" role="dialog" aria-label="Delete view">
          <p>Delete the view “${current?.name}”? Records stay as they are.</p>
          ${error}
          <div class="row">
            <button class="ghost" @click=${() => this.#close()}>Cancel</button>
            <button class="danger" ?disabled=${this.busy} @click=${() => this.#delete()}>Delete view</button>
          </div>
        </div>`;
      case 'menu':
        if (!current) return nothing;
        return html`<div class="pop menu" role="menu" aria-label="View options">
          <button role="menuitem" @click=${() => this.#open('rename')}>Rename…</button>
          ${this.#admin
            ? html`<button role="menuitemcheckbox" aria-checked=${current.shared ? 'true' : 'false'} @click=${() => this.#setShared(!current.shared)}>
                ${current.shared ? '✓ ' : ''}Shared with the workspace
              </button>`
            : nothing}
          <button role="menuitem" class="danger" @click=${() => this.#open('delete')}>Delete…</button>
          ${error}
        </div>`;
      default:
        return nothing;
    }
  }

  override render() {
    const current = this.current;
    const manage = current !== null && this.#canManage(current);
    return html`<div @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && this.mode !== 'closed' && (e.stopPropagation(), this.#close())}>
      <select class="views" aria-label="View" @change=${(e: Event) => this.#emit('view-select', (e.target as HTMLSelectElement).value || null)}>
        <option value="" ?selected=${current === null}>All ${this.object.label_plural.toLowerCase()}</option>
        ${this.views.map((v) => html`<option value=${v.id} ?selected=${v.id === current?.id}>${v.name}${v.shared ? ' · shared' : ''}</option>`)}
      </select>
      ${this.dirty && manage ? html`<button class="save" ?disabled=${this.busy} @click=${() => this.#saveChanges()}>Save changes</button>` : nothing}
      ${this.dirty ? html`<button class="save" @click=${() => this.#open('save')}>Save as view…</button>` : nothing}
      ${manage ? html`<button class="ghost more" aria-label="View options" aria-haspopup="menu" aria-expanded=${this.mode === 'menu' ? 'true' : 'false'} @click=${() => (this.mode === 'menu' ? this.#close() : this.#open('menu'))}>⋯</button>` : nothing}
      ${this.mode === 'closed' && this.error ? html`<span class="error" role="alert">${this.error}</span>` : nothing}
      ${this.#popover()}
    </div>`;
  }
}

define('mosaic-view-picker', ViewPicker);
