import { LitElement, css, html, type PropertyDeclarations } from 'lit';
import { define } from './define.js';
import { base } from './styles.js';

/** A page that does not exist, with a way back. */
export class NotFound extends LitElement {
  static override properties: PropertyDeclarations = { what: {} };
  static override styles = [base, css`:host { display: grid; place-items: center; height: 100%; } div { text-align: center; display: grid; gap: 8px; }`];
  declare what: string;

  override render() {
    return html`<div><h2>Not found</h2><p class="muted">${this.what}</p><a href="/">Back to the workspace</a></div>`;
  }
}

define('mosaic-not-found', NotFound);
