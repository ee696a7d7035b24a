import { toText } from './convert.js';
import type { FieldDef, FieldTypeDef, Leaf } from './model.js';

/** What happens to records pointing at a deleted (destroyed) target record. */
export const ON_DELETE = ['set_null', 'cascade', 'restrict'] as const;

/** Options of a many-to-one relation field. */
export interface RelationOptions {
  /** Name of the object the relation points to. */
  readonly target: string;
  /** Name of the reverse (one-to-many) field created on the target; defaults to the source object's name. */
  readonly inverse_name?: string;
  readonly inverse_label?: string;
  readonly on_delete?: (typeof ON_DELETE)[number];
}

/** The foreign-key column (and record key) of a relation field. */
export function relationColumn(field: FieldDef): string {
  return `${field.name}_id`;
}

/**
 * A many-to-one relation: one `<name>_id uuid` column with a foreign key and an index. Its reverse
 * one-to-many side is a virtual field on the target object (type `one_to_many`, no column).
 */
export const RELATION_TYPE: FieldTypeDef = {
  leaves: (field): Leaf[] => [{ sub: null, column: relationColumn(field), kind: 'uuid', sqlType: 'uuid' }],
  recordKey: relationColumn,
  writeSchema: () => ({ type: 'string', format: 'uuid' }),
  toColumns(field, value, out) {
    out[relationColumn(field)] = value;
  },
  fromRow: (field, row) => toText(row[relationColumn(field)]),
  optionsSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['target'],
    properties: {
      target: { type: 'string', minLength: 1, maxLength: 48 },
      inverse_name: { type: 'string', minLength: 1, maxLength: 48 },
      inverse_label: { type: 'string', minLength: 1, maxLength: 120 },
      on_delete: { enum: ON_DELETE },
    },
  },
  allowsDefault: false,
};

/** The reverse side of a relation: no column; records embed the related list with `depth=1`. */
export const ONE_TO_MANY_TYPE: FieldTypeDef = {
  leaves: () => [],
  recordKey: (field) => field.name,
  writeSchema: () => ({ not: {} }),
  toColumns() {
    // Virtual: written through the many-to-one side.
  },
  fromRow: () => undefined,
  optionsSchema: { type: 'object' },
  allowsDefault: false,
};
