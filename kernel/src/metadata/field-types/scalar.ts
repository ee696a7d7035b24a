import { toDateString, toIso, toNumber, toText } from './convert.js';
import type { FieldDef, FieldTypeDef, JsonSchema, Leaf, LeafKind } from './model.js';

/** Declares a field type stored in exactly one column named after the field. */
function scalar(
  kind: LeafKind,
  sqlType: (field: FieldDef) => string,
  writeSchema: (field: FieldDef) => JsonSchema,
  read: (value: unknown) => unknown,
  optionsSchema: JsonSchema = { type: 'object', additionalProperties: false, properties: {} },
  allowsDefault = true,
): FieldTypeDef {
  return {
    leaves: (field): Leaf[] => [{ sub: null, column: field.name, kind, sqlType: sqlType(field) }],
    recordKey: (field) => field.name,
    writeSchema,
    toColumns(field, value, out) {
      out[field.name] = value;
    },
    fromRow: (field, row) => read(row[field.name]),
    optionsSchema,
    allowsDefault,
  };
}

const noOptions: JsonSchema = { type: 'object', additionalProperties: false, properties: {} };

/** Select options: `[{ value, label, color? }]`, values unique (checked in metadata validation). */
export const SELECT_OPTIONS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['options'],
  properties: {
    options: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['value', 'label'],
        properties: {
          value: { type: 'string', pattern: '^[A-Za-z0-9_\\-]{1,64}$' },
          label: { type: 'string', minLength: 1, maxLength: 120 },
          color: { type: 'string', maxLength: 32 },
        },
      },
    },
  },
};

/** The allowed values of a select or multi-select field. */
export function selectValues(field: FieldDef): string[] {
  const options = (field.options.options ?? []) as { value: string }[];
  return options.map((o) => o.value);
}

const PHONE_PATTERN = '^\\+?[0-9 ().\\-]{3,32}$';
const LINK_PATTERN = '^https?://[^\\s]{1,2040}$';

/** Single-column field types. */
export const SCALAR_TYPES = {
  text: scalar('text', () => 'text', () => ({ type: 'string', maxLength: 10_000 }), toText),
  long_text: scalar('text', () => 'text', () => ({ type: 'string', maxLength: 1_000_000 }), toText),
  number: scalar(
    'decimal',
    (f) => (f.options.precision === 'integer' ? 'bigint' : 'numeric'),
    (f) =>
      f.options.precision === 'integer'
        ? { type: 'integer', minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }
        : { type: 'number' },
    toNumber,
    {
      type: 'object',
      additionalProperties: false,
      properties: { precision: { enum: ['integer', 'decimal'] }, decimals: { type: 'integer', minimum: 0, maximum: 10 } },
    },
  ),
  boolean: scalar('boolean', () => 'boolean', () => ({ type: 'boolean' }), (v) => (v === null || v === undefined ? null : Boolean(v))),
  date: scalar('date', () => 'date', () => ({ type: 'string', format: 'date' }), toDateString),
  datetime: scalar('datetime', () => 'timestamptz(3)', () => ({ type: 'string', format: 'date-time' }), toIso),
  email: scalar('text', () => 'text', () => ({ type: 'string', format: 'email', maxLength: 320 }), toText),
  phone: scalar('text', () => 'text', () => ({ type: 'string', pattern: PHONE_PATTERN }), toText),
  link: scalar('text', () => 'text', () => ({ type: 'string', pattern: LINK_PATTERN }), toText),
  select: scalar('text', () => 'text', (f) => ({ type: 'string', enum: selectValues(f) }), toText, SELECT_OPTIONS_SCHEMA),
  rating: scalar(
    'integer',
    () => 'smallint',
    (f) => ({ type: 'integer', minimum: 1, maximum: Number(f.options.max ?? 5) }),
    toNumber,
    { type: 'object', additionalProperties: false, properties: { max: { type: 'integer', minimum: 1, maximum: 10 } } },
  ),
  json: scalar('json', () => 'jsonb', () => ({}), (v) => (v === undefined ? null : v), noOptions, false),
} satisfies Record<string, FieldTypeDef>;

/** Value schemas reused by composites so a phone is a phone wherever it appears. */
export const VALUE_SCHEMAS = {
  email: { type: 'string', format: 'email', maxLength: 320 },
  phone: { type: 'string', pattern: PHONE_PATTERN },
  link: { type: 'string', pattern: LINK_PATTERN },
} as const;

/** System types: the id, the position used for manual ordering, and timestamps reuse `datetime`. */
export const SYSTEM_SCALAR_TYPES = {
  uuid: scalar('uuid', () => 'uuid', () => ({ type: 'string', format: 'uuid' }), toText, noOptions, false),
  position: scalar('decimal', () => 'double precision', () => ({ type: 'number' }), toNumber, noOptions, false),
} satisfies Record<string, FieldTypeDef>;
