import { nameFromLabel, type FieldDetail, type SelectOption } from './data-model-api.js';

/** Field types the forms offer, with their names for people. */
export const FIELD_TYPE_CHOICES: readonly { value: string; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'long_text', label: 'Long text' },
  { value: 'number', label: 'Number' },
  { value: 'currency', label: 'Currency' },
  { value: 'boolean', label: 'Checkbox' },
  { value: 'date', label: 'Date' },
  { value: 'datetime', label: 'Date and time' },
  { value: 'select', label: 'Select' },
  { value: 'multi_select', label: 'Multi-select' },
  { value: 'email', label: 'Email' },
  { value: 'phone', label: 'Phone' },
  { value: 'link', label: 'Link' },
  { value: 'rating', label: 'Rating' },
  { value: 'member', label: 'Member' },
  { value: 'relation', label: 'Relation' },
];

/** The readable name of a type; types only the API creates keep their own name. */
export function typeLabel(type: string): string {
  if (type === 'one_to_many') return 'Related list';
  return FIELD_TYPE_CHOICES.find((t) => t.value === type)?.label ?? type.replace(/_/g, ' ');
}

/** A field being written in a form: every type's settings, the ones of its type are sent. */
export interface FieldDraft {
  readonly label: string;
  readonly name: string;
  /** Whether the admin typed the name (otherwise it follows the label while the field is new). */
  readonly nameTyped: boolean;
  readonly type: string;
  readonly description: string;
  readonly required: boolean;
  readonly unique: boolean;
  /** Select options; a new one has `value: ''` until saved (its value is made from its label). */
  readonly options: readonly SelectOption[];
  readonly precision: 'integer' | 'decimal';
  readonly decimals: string;
  readonly currency: string;
  readonly ratingMax: string;
  readonly target: string;
  readonly inverseLabel: string;
  /** The default as typed (`''` = none); booleans are `'true'`/`'false'`. */
  readonly defaultValue: string;
}

/** A blank draft for a new field. */
export function emptyDraft(): FieldDraft {
  return { label: '', name: '', nameTyped: false, type: 'text', description: '', required: false, unique: false, options: [], precision: 'decimal', decimals: '', currency: '', ratingMax: '', target: '', inverseLabel: '', defaultValue: '' };
}

/** The draft of an existing field. */
export function draftOf(field: FieldDetail): FieldDraft {
  const o = field.options as Record<string, unknown>;
  return {
    ...emptyDraft(),
    label: field.label,
    name: field.name,
    nameTyped: true,
    type: field.type,
    description: field.description ?? '',
    required: field.is_nullable === false,
    unique: field.is_unique === true,
    options: Array.isArray(o.options) ? (o.options as SelectOption[]) : [],
    precision: o.precision === 'integer' ? 'integer' : 'decimal',
    decimals: o.decimals === undefined ? '' : String(o.decimals),
    currency: typeof o.default_currency === 'string' ? o.default_currency : '',
    ratingMax: o.max === undefined ? '' : String(o.max),
    target: typeof o.target === 'string' ? o.target : '',
    inverseLabel: typeof o.inverse_label === 'string' ? o.inverse_label : '',
    defaultValue: field.default_value === null || field.default_value === undefined ? '' : String(field.default_value),
  };
}

/** Values for new options, made from their labels and kept apart from the values already used. */
export function withValues(options: readonly SelectOption[]): SelectOption[] {
  const used = new Set(options.map((o) => o.value).filter(Boolean));
  return options.map((o) => {
    if (o.value) return o;
    const base = nameFromLabel(o.label) || 'option';
    let value = base;
    for (let i = 2; used.has(value); i++) value = `${base}_${i}`;
    used.add(value);
    return { ...o, value };
  });
}

/**
 * The `options` of a draft for its type, or undefined for types without any. A relation's options are
 * set once (`edit` leaves them out); a number's precision too, so its input is disabled when editing.
 */
export function optionsOf(d: FieldDraft, edit = false): Record<string, unknown> | undefined {
  const numberOr = (s: string) => (s.trim() === '' || Number.isNaN(Number(s)) ? s.trim() || undefined : Number(s));
  switch (d.type) {
    case 'select':
    case 'multi_select':
      return { options: withValues(d.options.filter((o) => o.label.trim() !== '' || o.value)).map((o) => ({ ...o, label: o.label.trim() })) };
    case 'number': {
      const decimals = numberOr(d.decimals);
      // The precision is always sent: options are replaced as a whole, and the column's type follows it.
      return { precision: d.precision, ...(decimals === undefined ? {} : { decimals }) };
    }
    case 'currency':
      return d.currency.trim() ? { default_currency: d.currency.trim().toUpperCase() } : {};
    case 'rating': {
      const max = numberOr(d.ratingMax);
      return max === undefined ? {} : { max };
    }
    case 'relation':
      return edit ? undefined : { target: d.target, ...(d.inverseLabel.trim() ? { inverse_label: d.inverseLabel.trim(), inverse_name: nameFromLabel(d.inverseLabel) } : {}) };
    default:
      return undefined;
  }
}

/** Types whose default the forms offer, and the input that takes it. */
export function defaultInput(type: string): 'text' | 'number' | 'date' | 'select' | 'boolean' | null {
  if (['text', 'long_text', 'email', 'phone', 'link'].includes(type)) return 'text';
  if (type === 'number' || type === 'rating') return 'number';
  if (type === 'date') return 'date';
  if (type === 'select') return 'select';
  if (type === 'boolean') return 'boolean';
  return null;
}

/** The draft's default as the API takes it: null for none; a number as typed when it is not one, so the API names the problem. */
function defaultOf(d: FieldDraft): unknown {
  const input = defaultInput(d.type);
  if (!input || d.defaultValue === '') return null;
  if (input === 'boolean') return d.defaultValue === 'true';
  if (input === 'number') return Number.isNaN(Number(d.defaultValue)) ? d.defaultValue : Number(d.defaultValue);
  return d.defaultValue;
}

/** The types an existing field can change to: text and member convert into each other (the kernel's only conversion). */
export function convertibleTypes(type: string): readonly string[] {
  return type === 'text' || type === 'member' ? ['text', 'member'] : [type];
}

/** `POST …/fields` body of a new field. */
export function fieldInput(d: FieldDraft): Record<string, unknown> {
  const options = optionsOf(d);
  return {
    name: d.name || nameFromLabel(d.label),
    label: d.label.trim(),
    type: d.type,
    ...(d.description.trim() ? { description: d.description.trim() } : {}),
    ...(options ? { options } : {}),
    ...(d.required ? { is_nullable: false } : {}),
    ...(d.unique ? { is_unique: true } : {}),
    ...(defaultOf(d) !== null ? { default_value: defaultOf(d) } : {}),
  };
}

/** `PATCH …/fields/:field` body: only what changed; `locked` (a plugin's field) sends only label and description. */
export function fieldPatch(before: FieldDetail, d: FieldDraft, locked: boolean): Record<string, unknown> {
  const was = draftOf(before);
  const patch: Record<string, unknown> = {};
  if (d.label.trim() !== was.label) patch.label = d.label.trim();
  if (d.description.trim() !== was.description) patch.description = d.description.trim() || null;
  if (locked || before.type === 'one_to_many') {
    if (!locked && d.name !== was.name) patch.name = d.name;
    return patch;
  }
  if (d.name !== was.name) patch.name = d.name;
  if (d.type !== was.type) {
    // A conversion: the new type starts without options or default.
    patch.type = d.type;
    if (d.required !== was.required) patch.is_nullable = !d.required;
    return patch;
  }
  if (d.defaultValue !== was.defaultValue) patch.default_value = defaultOf(d);
  if (d.required !== was.required) patch.is_nullable = !d.required;
  if (d.unique !== was.unique) patch.is_unique = d.unique;
  const options = optionsOf(d, true);
  if (options && JSON.stringify(options) !== JSON.stringify(optionsOf(was, true))) patch.options = options;
  return patch;
}

/** Types whose fields hold one value, so they may be required or unique (as the kernel allows). */
export function flagsAllowed(type: string): { required: boolean; unique: boolean } {
  const multi = ['emails', 'phones', 'links', 'full_name', 'address', 'currency', 'multi_select', 'json', 'one_to_many'].includes(type);
  return { required: !multi, unique: !multi && type !== 'boolean' };
}
