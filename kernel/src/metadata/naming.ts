import { MosaicError } from '../errors/index.js';
import { RESERVED_FIELD_NAMES, RESERVED_OBJECT_NAMES } from './system-fields.js';

/** Lower snake_case, a letter first, no double underscore (composites use `__` in column names). */
const NAME = /^[a-z](?:[a-z0-9]|_(?!_))*$/;
const MAX = 48;

/** Checks an object or field name; `what` names it in the message (e.g. `field "Company Name"`). */
export function assertValidName(name: string, kind: 'object' | 'field'): void {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX || !NAME.test(name) || name.endsWith('_')) {
    throw new MosaicError(
      'MOSAIC_ERR_NAME_INVALID',
      `The ${kind} name "${String(name).slice(0, 80)}" is invalid: use lower snake_case (a letter, then letters, digits or single underscores), at most ${MAX} characters.`,
      [{ path: 'name', message: 'invalid name' }],
    );
  }
  const reserved = kind === 'object' ? RESERVED_OBJECT_NAMES : RESERVED_FIELD_NAMES;
  if (reserved.has(name) || name.startsWith('pg_')) {
    throw new MosaicError('MOSAIC_ERR_NAME_RESERVED', `The ${kind} name "${name}" is reserved; choose another.`, [{ path: 'name', message: 'reserved' }]);
  }
}

/** A readable label from a name: `annual_revenue` → `Annual revenue`. */
export function labelFromName(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A name from a label: `Annual Revenue` → `annual_revenue` (may still need validation). */
export function nameFromLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[^\w\s]/g, '')
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_')
    .replace(/_+/g, '_')
    .slice(0, MAX);
}
