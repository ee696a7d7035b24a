import type { FieldTypeDef, Leaf } from './model.js';
import { SELECT_OPTIONS_SCHEMA, selectValues } from './scalar.js';

/** Several values from a fixed list, stored as `text[]` and filtered with `containsAny`. */
export const MULTI_SELECT_TYPE: FieldTypeDef = {
  leaves: (field): Leaf[] => [{ sub: null, column: field.name, kind: 'text_array', sqlType: 'text[]' }],
  recordKey: (field) => field.name,
  writeSchema: (field) => ({ type: 'array', uniqueItems: true, maxItems: 500, items: { type: 'string', enum: selectValues(field) } }),
  toColumns(field, value, out) {
    out[field.name] = value;
  },
  fromRow: (field, row) => {
    const v = row[field.name];
    return Array.isArray(v) ? v : v === null || v === undefined ? null : v;
  },
  optionsSchema: SELECT_OPTIONS_SCHEMA,
  allowsDefault: false,
};
