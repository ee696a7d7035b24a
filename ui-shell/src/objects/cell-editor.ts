import { html, type TemplateResult } from 'lit';
import type { FieldMeta } from '../api/types.js';
import { inputValue } from './fields.js';
import { directoryMembers, memberById } from './members.js';

/**
 * The input that edits a cell in place, by field type. `commit(raw)` saves what was typed; `cancel()`
 * leaves the cell as it was. Enter commits, Escape cancels, leaving the input commits.
 */
export function renderEditor(field: FieldMeta, value: unknown, commit: (raw: string) => void, cancel: () => void, invalid: boolean): TemplateResult {
  const keydown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      commit((event.target as HTMLInputElement).value);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      cancel();
    }
  };
  const blur = (event: FocusEvent) => commit((event.target as HTMLInputElement).value);
  const label = `Edit ${field.label}`;
  if (field.type === 'select') {
    const options = (field.options.options ?? []) as { value: string; label: string }[];
    return html`<select class="editor" aria-label=${label} aria-invalid=${invalid ? 'true' : 'false'} @keydown=${keydown} @change=${(e: Event) => commit((e.target as HTMLSelectElement).value)} @blur=${blur}>
      <option value="" ?selected=${value === null}>—</option>
      ${options.map((o) => html`<option value=${o.value} ?selected=${o.value === value}>${o.label}</option>`)}
    </select>`;
  }
  if (field.type === 'member') {
    // A former member stays selected (as such) until someone picks a current one.
    const former = typeof value === 'string' && !memberById(value);
    return html`<select class="editor" aria-label=${label} aria-invalid=${invalid ? 'true' : 'false'} @keydown=${keydown} @change=${(e: Event) => commit((e.target as HTMLSelectElement).value)} @blur=${blur}>
      <option value="" ?selected=${value === null || value === undefined}>—</option>
      ${former ? html`<option value=${value} selected>Former member</option>` : null}
      ${directoryMembers().map((m) => html`<option value=${m.id} ?selected=${m.id === value}>${m.name} (${m.email})</option>`)}
    </select>`;
  }
  const type = field.type === 'date' ? 'date' : field.type === 'datetime' ? 'datetime-local' : 'text';
  const mode = field.type === 'number' || field.type === 'currency' || field.type === 'rating' ? 'decimal' : field.type === 'email' ? 'email' : 'text';
  return html`<input class="editor" type=${type} inputmode=${mode} aria-label=${label} aria-invalid=${invalid ? 'true' : 'false'} .value=${inputValue(field, value)} @keydown=${keydown} @blur=${blur} />`;
}
