import { LitElement, css, html, nothing, type PropertyDeclarations } from 'lit';
import type { ObjectMeta, RecordData } from '../api/types.js';
import type { ShellContext } from '../app/context.js';
import { define } from '../app/define.js';
import { base } from '../app/styles.js';
import { viewsIn, type SlotView } from './slots.js';
import './plugin-view.js';

/**
 * The `record.action` views of a record page: a button each in the page's header. Clicking one opens a
 * dialog that mounts the action's element with the record in its context; the element closes it with
 * `context.close()`, the member with the × button or Escape. The page's record changing reaches the
 * open view as a new context.
 */
export class RecordActions extends LitElement {
  static override properties: PropertyDeclarations = { shell: { attribute: false }, object: { attribute: false }, record: { attribute: false }, open: { state: true } };
  static override styles = [
    base,
    css`
      :host { display: inline-flex; gap: 6px; flex-wrap: wrap; }
      dialog { border: 1px solid var(--border); border-radius: var(--radius); padding: 0; min-width: min(480px, 92vw); max-width: 92vw; box-shadow: var(--shadow); }
      dialog::backdrop { background: rgb(24 24 27 / 0.3); }
      header { display: flex; align-items: center; gap: 8px; padding: 10px 14px; border-bottom: 1px solid var(--border); }
      header h2 { flex: 1; font-size: 14px; margin: 0; }
      .body { padding: 14px; }
    `,
  ];

  declare shell: ShellContext;
  declare object: ObjectMeta;
  declare record: RecordData;
  /** The action whose dialog is open. */
  declare open: SlotView | null;

  constructor() {
    super();
    this.open = null;
  }

  #show(action: SlotView): void {
    this.open = action;
    void this.updateComplete.then(() => {
      const dialog = this.renderRoot.querySelector('dialog');
      if (dialog && !dialog.open) dialog.showModal();
    });
  }

  #close = (): void => {
    this.renderRoot.querySelector('dialog')?.close();
    this.open = null;
  };

  override render() {
    const actions = viewsIn(this.shell, 'record.action', this.object.name);
    if (actions.length === 0) return nothing;
    const open = this.open;
    return html`${actions.map((a) => html`<button data-plugin=${a.plugin.id} @click=${() => this.#show(a)}>${a.view.label}</button>`)}
      ${open
        ? html`<dialog aria-label=${open.view.label} @close=${() => (this.open = null)}>
            <header><h2>${open.view.label}</h2><button class="ghost" aria-label="Close" @click=${this.#close}>×</button></header>
            <div class="body">
              <mosaic-plugin-view .shell=${this.shell} .plugin=${open.plugin} .element=${open.view.element} .slotName=${'record.action'} .about=${{ object: this.object, record: this.record, close: this.#close }}></mosaic-plugin-view>
            </div>
          </dialog>`
        : nothing}`;
  }
}

define('mosaic-record-actions', RecordActions);
