import { html, nothing, type TemplateResult } from 'lit';
import type { FieldMeta, ObjectMeta, RecordData } from '../api/types.js';
import { formatValue, recordLabel, selectOption } from './fields.js';
import { initials, memberById, memberLabel } from './members.js';
import { pluginField, type FieldRenderHost } from '../plugins/field-renderer.js';

const SAFE_LINK = /^https?:\/\//i;

/**
 * A cell's content by field type: numbers right-aligned, select values as coloured chips, emails and
 * links clickable, booleans as a check, relations as the related record's label (embedded by `depth=1`).
 * With `host`, a plugin's `field.renderer` view for the field takes over.
 */
export function renderCell(field: FieldMeta, record: RecordData, objects: readonly ObjectMeta[], host?: FieldRenderHost): TemplateResult | typeof nothing {
  // A plugin's field.renderer draws the field when one is declared for it; the default below is its fallback.
  const drawn = host ? pluginField(host, field, record, () => renderCell(field, record, objects)) : null;
  if (drawn) return drawn;
  const value = record[field.key];
  if (field.type === 'relation') {
    const related = record[field.name] as Record<string, unknown> | null | undefined;
    if (!related && !value) return nothing;
    const target = objects.find((o) => o.name === field.options.target);
    return html`<span class="chip rel">${related ? recordLabel(target, related) : String(value).slice(0, 8)}</span>`;
  }
  if (value === null || value === undefined || value === '') return nothing;
  switch (field.type) {
    case 'boolean':
      return html`<span class="bool ${value ? 'yes' : 'no'}" aria-label=${value ? 'Yes' : 'No'}>${value ? '✓' : '–'}</span>`;
    case 'select': {
      const option = selectOption(field, value);
      return html`<span class="chip c-${option?.color ?? 'gray'}">${option?.label ?? String(value)}</span>`;
    }
    case 'multi_select':
      return html`${(value as string[]).map((v) => {
        const option = selectOption(field, v);
        return html`<span class="chip c-${option?.color ?? 'gray'}">${option?.label ?? v}</span> `;
      })}`;
    case 'email':
      return html`<a href=${`mailto:${String(value)}`} @click=${stop}>${String(value)}</a>`;
    case 'link': {
      const href = String(value);
      return SAFE_LINK.test(href)
        ? html`<a href=${href} target="_blank" rel="noopener noreferrer" @click=${stop}>${href.replace(/^https?:\/\/(www\.)?/i, '').replace(/\/$/, '')}</a>`
        : html`${href}`;
    }
    case 'number':
    case 'currency':
      return html`<span class="num">${formatValue(field, value)}</span>`;
    case 'member': {
      const member = memberById(String(value));
      const name = memberLabel(String(value));
      return html`<span class="member" title=${member?.email ?? String(value)}><span class="avatar" aria-hidden="true">${member ? initials(member.name) : '?'}</span>${name}</span>`;
    }
    default:
      return html`${formatValue(field, value)}`;
  }
}

/** Following a link in a cell must not also start editing it. */
function stop(event: Event): void {
  event.stopPropagation();
}
