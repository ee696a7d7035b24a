import { toNumber, toText } from './convert.js';
import type { ColumnValues, FieldDef, FieldTypeDef, JsonSchema, Leaf, LeafKind } from './model.js';
import { VALUE_SCHEMAS } from './scalar.js';

interface SubSpec {
  readonly kind: LeafKind;
  readonly sqlType: string;
  readonly schema: JsonSchema;
  /** Reads a sub-field from its column; arrays default to empty so clients need no null checks. */
  readonly read: (value: unknown) => unknown;
}

/** Column name of a composite's sub-field. Double underscores never occur in field names. */
export function subColumn(field: FieldDef, sub: string): string {
  return `${field.name}__${sub}`;
}

const textArray = (items: JsonSchema): SubSpec => ({
  kind: 'text_array',
  sqlType: 'text[]',
  schema: { type: 'array', items, maxItems: 50 },
  read: (v) => (Array.isArray(v) ? v : []),
});
const text = (schema: JsonSchema = { type: 'string', maxLength: 1000 }): SubSpec => ({ kind: 'text', sqlType: 'text', schema, read: toText });

/**
 * Declares a field type stored in several columns (`<field>__<sub>`). The value is an object of its
 * sub-fields; null clears them all, and an update only touches the sub-fields it names.
 */
function composite(subs: Record<string, SubSpec>, defaultSub: string, optionsSchema?: JsonSchema): FieldTypeDef {
  const names = Object.keys(subs);
  return {
    leaves: (field): Leaf[] =>
      names.map((sub) => ({ sub, column: subColumn(field, sub), kind: subs[sub].kind, sqlType: subs[sub].sqlType })),
    recordKey: (field) => field.name,
    writeSchema: () => ({
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: Object.fromEntries(names.map((n) => [n, { anyOf: [subs[n].schema, { type: 'null' }] }])),
    }),
    toColumns(field: FieldDef, value: unknown, out: ColumnValues, partial: boolean) {
      const object = (value ?? {}) as Record<string, unknown>;
      for (const sub of names) {
        if (value !== null && partial && !(sub in object)) continue;
        const v = object[sub] ?? null;
        // Empty arrays are stored as NULL so `is NULL` finds "no additional emails" either way.
        out[subColumn(field, sub)] = Array.isArray(v) && v.length === 0 ? null : v;
      }
    },
    fromRow(field, row) {
      let empty = true;
      const value: Record<string, unknown> = {};
      for (const sub of names) {
        const raw = row[subColumn(field, sub)];
        if (raw !== null && raw !== undefined) empty = false;
        value[sub] = subs[sub].read(raw);
      }
      return empty ? null : value;
    },
    optionsSchema: optionsSchema ?? { type: 'object', additionalProperties: false, properties: {} },
    defaultSub,
    allowsDefault: false,
  };
}

/** Multi-column field types. */
export const COMPOSITE_TYPES = {
  currency: composite(
    {
      amount: { kind: 'decimal', sqlType: 'numeric(20,4)', schema: { type: 'number', minimum: -1e15, maximum: 1e15 }, read: toNumber },
      currency: text({ type: 'string', pattern: '^[A-Z]{3}$' }),
    },
    'amount',
    { type: 'object', additionalProperties: false, properties: { default_currency: { type: 'string', pattern: '^[A-Z]{3}$' } } },
  ),
  emails: composite({ primary: text(VALUE_SCHEMAS.email), additional: textArray(VALUE_SCHEMAS.email) }, 'primary'),
  phones: composite({ primary: text(VALUE_SCHEMAS.phone), additional: textArray(VALUE_SCHEMAS.phone) }, 'primary'),
  links: composite({ primary: text(VALUE_SCHEMAS.link), additional: textArray(VALUE_SCHEMAS.link) }, 'primary'),
  full_name: composite({ first_name: text({ type: 'string', maxLength: 200 }), last_name: text({ type: 'string', maxLength: 200 }) }, 'last_name'),
  address: composite(
    { street: text(), city: text({ type: 'string', maxLength: 200 }), postcode: text({ type: 'string', maxLength: 32 }), region: text({ type: 'string', maxLength: 200 }), country: text({ type: 'string', maxLength: 200 }) },
    'city',
  ),
} satisfies Record<string, FieldTypeDef>;

/** The `created_by` system field: who made the record (a member, an API key, a plugin or the system). */
export const ACTOR_TYPE: FieldTypeDef = composite(
  {
    type: text({ enum: ['member', 'api_key', 'plugin', 'system'] }),
    id: text({ type: 'string', maxLength: 200 }),
    name: text({ type: 'string', maxLength: 200 }),
  },
  'id',
);
