import { MosaicError } from '../errors/index.js';
import type { ObjectDef } from '../metadata/model.js';
import type { LeafColumn, ResolveLeaf } from './query/index.js';
import type { Access } from '../roles/index.js';

/**
 * Resolves filter and sort paths against an object's metadata. Only names found in metadata reach SQL,
 * and fields the caller may not read cannot be filtered or sorted on (that would leak their values).
 */
export function leafResolver(object: ObjectDef, access: Access): ResolveLeaf {
  return (path: string[]): LeafColumn => {
    const key = path.join('.');
    const leaf = object.leaves.get(key);
    if (!leaf) {
      const field = object.fieldsByName.get(path[0]);
      const hint = field && path.length === 1 ? ` "${path[0]}" has sub-fields; name one, e.g. ${[...object.leaves.keys()].find((k) => k.startsWith(`${path[0]}.`))}.` : '';
      throw new MosaicError('MOSAIC_ERR_QUERY_UNKNOWN_FIELD', `${object.name} has no field "${key}".${hint}`, [{ path: key, message: 'unknown field' }]);
    }
    if (!access.fieldRead(object.name, leaf.field.name)) {
      throw new MosaicError('MOSAIC_ERR_FIELD_FORBIDDEN', `Your role cannot read "${leaf.field.name}" on ${object.name}, so it cannot filter or sort by it.`, [{ path: key, message: 'not readable for your role' }]);
    }
    return { column: leaf.column, kind: leaf.kind };
  };
}
