import { LitElement, type PropertyDeclarations } from 'lit';
import type { ViewContext } from './context.js';

/**
 * A base class for plugin views: a Lit element whose `context` property the UI shell sets when it
 * mounts the view (and again when the record or object changes), so `render()` can read it and Lit
 * re-renders. Until the shell sets it, `context` is undefined — render a placeholder.
 *
 * ```ts
 * class DealNotesTab extends MosaicViewElement {
 *   override render() {
 *     return html`<p>${this.context?.record?.name ?? '…'}</p>`;
 *   }
 * }
 * customElements.define('deal-notes-tab', DealNotesTab);
 * ```
 */
export class MosaicViewElement<C extends ViewContext = ViewContext> extends LitElement {
  static override properties: PropertyDeclarations = { context: { attribute: false } };

  /** Set by the shell; see {@link ViewContext}. Type it for one slot: `MosaicViewElement<ViewContextOf<'record.tab'>>`. */
  declare context: C | undefined;
}

/**
 * Defines a view's custom element once, so a view bundle loaded twice (a reload, two slots) does not
 * throw on the second definition.
 */
export function defineView(name: string, element: CustomElementConstructor): void {
  if (!customElements.get(name)) customElements.define(name, element);
}
