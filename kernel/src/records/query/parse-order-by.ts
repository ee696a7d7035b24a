import { MosaicError } from '../../errors/index.js';

/** Most entries one `order_by` may list. */
export const MAX_ORDER_BY_ENTRIES = 8;

/** One entry of a parsed `order_by`. */
export interface OrderByEntry {
  readonly path: string[];
  readonly direction: 'asc' | 'desc';
  readonly nulls: 'first' | 'last';
}

/**
 * The accepted directions. Plain `Asc`/`Desc` follow PostgreSQL's defaults (nulls sort as the largest
 * value), so `Asc` puts nulls last and `Desc` puts them first.
 */
export const ORDER_DIRECTIONS = {
  AscNullsFirst: { direction: 'asc', nulls: 'first' },
  AscNullsLast: { direction: 'asc', nulls: 'last' },
  DescNullsFirst: { direction: 'desc', nulls: 'first' },
  DescNullsLast: { direction: 'desc', nulls: 'last' },
  Asc: { direction: 'asc', nulls: 'last' },
  Desc: { direction: 'desc', nulls: 'first' },
} as const satisfies Record<string, { direction: 'asc' | 'desc'; nulls: 'first' | 'last' }>;

const ENTRY = /^([a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)?)\s*(?:\[\s*([A-Za-z]*)\s*\])?$/;

/**
 * Parses the `order_by` parameter, e.g. `name[AscNullsLast],employees[DescNullsFirst],created_at`.
 * An entry without a direction is `Asc`. An empty parameter means "no explicit order" and gives `[]`.
 * Whether each path names a sortable field is for the caller. Throws `MOSAIC_ERR_QUERY_ORDER_BY`.
 */
export function parseOrderBy(text: string): OrderByEntry[] {
  if (text.trim() === '') return [];
  const entries: OrderByEntry[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (const part of text.split(',')) {
    const position = offset + (part.length - part.trimStart().length);
    offset += part.length + 1;
    const entry = part.trim();
    if (entry === '') throw orderByError(`order_by has an empty entry at position ${position}; separate fields with single commas.`);
    const m = ENTRY.exec(entry);
    if (!m) {
      throw orderByError(`order_by entry ${JSON.stringify(entry)} at position ${position} is not valid; write field or field[Direction], e.g. name[DescNullsLast].`);
    }
    const [, field, directionName] = m;
    let order: { direction: 'asc' | 'desc'; nulls: 'first' | 'last' } = ORDER_DIRECTIONS.Asc;
    if (directionName !== undefined) {
      if (!Object.hasOwn(ORDER_DIRECTIONS, directionName)) {
        throw orderByError(`Unknown direction "${directionName}" for "${field}" at position ${position}; use one of ${Object.keys(ORDER_DIRECTIONS).join(', ')}.`);
      }
      order = ORDER_DIRECTIONS[directionName as keyof typeof ORDER_DIRECTIONS];
    }
    if (seen.has(field)) throw orderByError(`order_by lists "${field}" more than once (again at position ${position}).`);
    seen.add(field);
    entries.push({ path: field.split('.'), ...order });
    if (entries.length > MAX_ORDER_BY_ENTRIES) {
      throw orderByError(`order_by lists more than ${MAX_ORDER_BY_ENTRIES} fields; sort by at most ${MAX_ORDER_BY_ENTRIES}.`);
    }
  }
  return entries;
}

function orderByError(message: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_QUERY_ORDER_BY', message, [{ path: 'order_by', message }]);
}
