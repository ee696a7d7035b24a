import { html, type TemplateResult } from 'lit';
import type { ObjectMeta } from '../api/types.js';

/**
 * A small coloured square with the object's initial. The colour is a class picked from the name, so it
 * stays the same everywhere without inline styles (which the Content-Security-Policy forbids).
 */
export function objectIcon(object: Pick<ObjectMeta, 'name' | 'label_plural'>): TemplateResult {
  let h = 0;
  for (const ch of object.name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return html`<span class="icon c${h % 8}" aria-hidden="true">${object.label_plural.charAt(0).toUpperCase()}</span>`;
}
