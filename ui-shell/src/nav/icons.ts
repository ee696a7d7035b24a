import { html, type TemplateResult } from 'lit';
import type { ObjectMeta } from '../api/types.js';

/**
 * The icon names an object may give (`icon` in its metadata), drawn as a character: the first-party
 * plugins' names and a few common ones. Characters rather than SVG keep the shell's bundle small.
 */
const GLYPHS = new Map(Object.entries({
  building: '🏢',
  user: '👤',
  users: '👥',
  target: '🎯',
  note: '📝',
  'check-square': '☑',
  briefcase: '💼',
  calendar: '📅',
  mail: '✉',
  phone: '📞',
  file: '📄',
  folder: '📁',
  tag: '🏷',
  star: '★',
}));

/** An emoji or other symbol (no letter, digit, punctuation or space), which an admin may give as the icon itself. */
const SYMBOL = /^[^\p{L}\p{N}\p{P}\s]{1,16}$/u;

/**
 * An object's icon: a small coloured square with the glyph its `icon` names (a known name, or an emoji
 * given as is), or — with no icon or a name the shell does not know — the object's initial. The colour
 * is a class picked from the name, so it stays the same everywhere without inline styles (which the
 * Content-Security-Policy forbids). Decorative: hidden from assistive technology, the object's name
 * beside it is what is read. `data-icon` is the name drawn, or `default`.
 */
export function objectIcon(object: Pick<ObjectMeta, 'name' | 'label_plural'> & { readonly icon?: string | null }): TemplateResult {
  let h = 0;
  for (const ch of object.name) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  const name = object.icon?.trim() ?? '';
  const glyph = GLYPHS.get(name) ?? (SYMBOL.test(name) ? name : undefined);
  return html`<span class="icon c${h % 8}" data-icon=${glyph ? name : 'default'} aria-hidden="true">${glyph ?? object.label_plural.charAt(0).toUpperCase()}</span>`;
}
