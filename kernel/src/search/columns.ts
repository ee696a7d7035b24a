import { fieldType, type FieldDef } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import { ident } from '../records/execute.js';
import { readableFields } from '../records/mapper.js';
import type { Access } from '../roles/index.js';

/** Field types whose text a search looks in. Long text is left out: it is notes, not names. */
const SEARCHED_TYPES = new Set(['text', 'email', 'phone', 'link', 'emails', 'phones', 'links', 'full_name']);

/** One searched value of a record: an SQL expression over the table alias `t`, and its field. */
export interface SearchedValue {
  readonly field: string;
  /** A text expression; `null` when the record has no such value. */
  readonly sql: string;
  /** A text[] column: matched element by element. */
  readonly array: boolean;
}

/** The expression that reads a field as one text: a full name as "first last", a composite by its primary. */
function textOf(field: FieldDef): string | undefined {
  const leaves = fieldType(field).leaves(field);
  if (field.type === 'full_name') return `nullif(concat_ws(' ', ${leaves.map((l) => `t.${ident(l.column)}`).join(', ')}), '')`;
  const main = leaves.find((l) => l.kind === 'text' && (l.sub === null || l.sub === fieldType(field).defaultSub));
  return main ? `t.${ident(main.column)}` : undefined;
}

/**
 * What a caller's search looks at in one object: the readable text-like fields (and the label field),
 * each as text, plus the label expression. Only names from metadata reach SQL, quoted.
 */
export function searchedValues(object: ObjectDef, access: Access): { values: SearchedValue[]; label: string | undefined } {
  const readable = readableFields(object, access);
  const labelField = readable.find((f) => f.name === object.labelField);
  const values: SearchedValue[] = [];
  const searched = readable.filter((f) => SEARCHED_TYPES.has(f.type) || f === labelField);
  // The label field first, so a record matching there reports that match.
  searched.sort((a, b) => Number(b === labelField) - Number(a === labelField));
  for (const field of searched) {
    const text = textOf(field);
    if (text) values.push({ field: field.name, sql: text, array: false });
    for (const leaf of fieldType(field).leaves(field)) {
      if (leaf.kind === 'text_array') values.push({ field: field.name, sql: `t.${ident(leaf.column)}`, array: true });
    }
  }
  return { values, label: labelField ? textOf(labelField) : undefined };
}
