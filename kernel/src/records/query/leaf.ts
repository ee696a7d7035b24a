/**
 * What the query compiler needs to know about a column, and nothing more: the records layer resolves a
 * filter or sort path to a {@link LeafColumn}, so this folder never reads metadata.
 */

/**
 * How a stored column is compared, filtered and cast. Mirrors `LeafKind` in the metadata field types;
 * it is repeated here so the query language stays free of metadata imports.
 */
export type LeafKind = 'text' | 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'uuid' | 'text_array' | 'json';

/** The column a filter or sort path names, and how it compares. */
export interface LeafColumn {
  readonly column: string;
  readonly kind: LeafKind;
}

/**
 * Maps a path (`['name', 'first_name']`) to its column. Throws a `MosaicError`
 * (`MOSAIC_ERR_QUERY_UNKNOWN_FIELD`, `MOSAIC_ERR_FIELD_FORBIDDEN`, …) for paths the caller may not use.
 */
export type ResolveLeaf = (path: string[]) => LeafColumn;

/** A SQL fragment in knex raw form: `??` binds an identifier, `?` a value. Use as `qb.whereRaw(sql, bindings)`. */
export interface SqlFragment {
  readonly sql: string;
  readonly bindings: unknown[];
}

/**
 * The value placeholder per kind. Values are cast explicitly rather than left to PostgreSQL's inference:
 * decimals travel as strings so they stay exact (and so `12.5` against a bigint column is compared, not
 * rejected by the driver), and integers as bigint so a large value against an int4 column compares
 * instead of failing with "out of range".
 */
export const VALUE_PLACEHOLDER: Readonly<Record<LeafKind, string>> = {
  text: '?',
  integer: '?::bigint',
  decimal: '?::numeric',
  boolean: '?::boolean',
  date: '?::date',
  datetime: '?::timestamptz',
  uuid: '?::uuid',
  text_array: '?::text[]',
  json: '?::jsonb',
};

/** A column reference: `??` (or `??.??` with a table alias), so knex quotes every identifier. */
export function columnRef(column: string, tableAlias?: string): SqlFragment {
  return tableAlias === undefined ? { sql: '??', bindings: [column] } : { sql: '??.??', bindings: [tableAlias, column] };
}
