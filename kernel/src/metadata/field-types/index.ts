import { ACTOR_TYPE, COMPOSITE_TYPES } from './composite.js';
import type { FieldDef, FieldType, FieldTypeDef, SystemFieldType } from './model.js';
import { MEMBER_TYPE } from './member.js';
import { MULTI_SELECT_TYPE } from './multi-select.js';
import { ONE_TO_MANY_TYPE, RELATION_TYPE } from './relation.js';
import { SCALAR_TYPES, SYSTEM_SCALAR_TYPES } from './scalar.js';

export * from './model.js';
export { subColumn } from './composite.js';
export { relationColumn, ON_DELETE, type RelationOptions } from './relation.js';
export { selectValues } from './scalar.js';

const REGISTRY: Record<FieldType | SystemFieldType, FieldTypeDef> = {
  ...SCALAR_TYPES,
  ...COMPOSITE_TYPES,
  ...SYSTEM_SCALAR_TYPES,
  multi_select: MULTI_SELECT_TYPE,
  relation: RELATION_TYPE,
  one_to_many: ONE_TO_MANY_TYPE,
  actor: ACTOR_TYPE,
  member: MEMBER_TYPE,
};

/** The behaviour of a field's type. */
export function fieldType(field: Pick<FieldDef, 'type'>): FieldTypeDef {
  return REGISTRY[field.type];
}
