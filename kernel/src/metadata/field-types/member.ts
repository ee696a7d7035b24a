import { toText } from './convert.js';
import type { FieldTypeDef, Leaf } from './model.js';

/**
 * A workspace member as a field value (an account owner, an assignee): one `uuid` column holding a
 * `member.id`. There is no foreign key — member rows live outside the workspace schema — so the records
 * layer checks on every write that the ids belong to the record's workspace (`records/members.ts`).
 * When a member is removed the id stays in the records (history keeps who owned what); readers show it
 * as a former member, and a write must name a current member.
 */
export const MEMBER_TYPE: FieldTypeDef = {
  leaves: (field): Leaf[] => [{ sub: null, column: field.name, kind: 'uuid', sqlType: 'uuid' }],
  recordKey: (field) => field.name,
  writeSchema: () => ({ type: 'string', format: 'uuid' }),
  toColumns(field, value, out) {
    out[field.name] = value;
  },
  fromRow: (field, row) => toText(row[field.name]),
  optionsSchema: { type: 'object', additionalProperties: false, properties: {} },
  allowsDefault: false,
};
