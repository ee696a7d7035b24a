/**
 * The prose of the query language, generated from the constants the parser and compiler use, so the
 * document cannot drift from the code that answers the queries.
 */

import type { ObjectDef } from '../metadata/model.js';
import {
  FILTER_OPS,
  isSortableKind,
  MAX_FILTER_CONDITIONS,
  MAX_FILTER_DEPTH,
  MAX_FILTER_LENGTH,
  MAX_LIST_ITEMS,
  MAX_ORDER_BY_ENTRIES,
  OPS_BY_KIND,
  ORDER_DIRECTIONS,
  type LeafKind,
} from '../records/query/index.js';
import type { Access } from '../roles/index.js';

const OP_MEANING: Readonly<Record<(typeof FILTER_OPS)[number], string>> = {
  eq: 'equal to',
  neq: 'not equal to (also matches empty fields)',
  gt: 'greater than',
  gte: 'greater than or equal to',
  lt: 'less than',
  lte: 'less than or equal to',
  in: 'equal to one of a list: `[a, b]`',
  containsAny: 'the array shares at least one item with a list: `["x", "y"]`',
  like: 'SQL LIKE pattern, case-sensitive (`%` any run, `_` one character)',
  ilike: 'SQL ILIKE pattern, case-insensitive',
  startsWith: 'starts with the literal text (no wildcards)',
  is: '`NULL` (empty) or `NOT_NULL` (has a value)',
};

const VALUE_BY_KIND: Readonly<Record<LeafKind, string>> = {
  text: 'text; numbers and true/false are compared as their text',
  integer: 'a whole number',
  decimal: 'a number such as `12.5`',
  boolean: '`true` or `false`',
  date: 'a date `YYYY-MM-DD`',
  datetime: 'an ISO 8601 date-time such as `2024-01-31T09:30:00Z` (quote it or write it bare)',
  uuid: 'a uuid',
  text_array: 'a list of text values',
  json: 'none: JSON fields are only tested for `NULL`/`NOT_NULL`',
};

/** The filter grammar in Markdown, for `info.description` and every `filter` parameter. */
export function filterGrammar(): string {
  const kinds = Object.keys(OPS_BY_KIND) as LeafKind[];
  return [
    '### Filter grammar (`filter` query parameter)',
    '',
    'A filter is one condition or group, or a comma-separated list of them (an implicit `and`).',
    '',
    '- **Condition**: `field[operator]:value`, e.g. `name[eq]:"Acme"`. Composite fields name a sub-field with a dot: ' +
      '`address.city[eq]:Paris`; the bare composite name means its main sub-field (`revenue` = `revenue.amount`). ' +
      'A relation is filtered by its key, e.g. `company_id[eq]:"…uuid…"`.',
    `- **Groups**: \`and(c1,c2,…)\`, \`or(c1,c2,…)\`, \`not(c)\` (exactly one child), nested freely up to ${MAX_FILTER_DEPTH} levels. ` +
      '`and`/`or`/`not` are keywords only before `(`, so fields may have those names.',
    '- **Values**: a `"quoted string"` (escape `\\"` and `\\\\` inside); a bare word of letters, digits and `_ - . : @ +` ' +
      '(`Paris`, `2024-01-31`, `a@b.io`); a number (`12`, `-3.5`, `1e3`); `true`/`false`; `NULL`/`NOT_NULL` (only with `[is]`); ' +
      `a list \`[a, b]\` (only with \`[in]\` and \`[containsAny]\`; 1 to ${MAX_LIST_ITEMS} items, not nested, no NULL). ` +
      'Quote anything with spaces, commas or parentheses.',
    '- **Empty fields**: a comparison with an empty (null) field does not match, except `[neq]` and `[is]:NULL`; ' +
      '`not(…)` matches whatever its child does not, so `not(city[eq]:Paris)` includes records without a city.',
    `- **Limits**: at most ${MAX_FILTER_LENGTH} characters and ${MAX_FILTER_CONDITIONS} conditions. Fields your role cannot read cannot be filtered on.`,
    '',
    '**Operators**',
    '',
    ...FILTER_OPS.map((op) => `- \`${op}\`: ${OP_MEANING[op]}`),
    '',
    '**Operators and values by kind of field**',
    '',
    '| kind | operators | value |',
    '| --- | --- | --- |',
    ...kinds.map((k) => `| ${k} | ${OPS_BY_KIND[k].join(', ')} | ${VALUE_BY_KIND[k]} |`),
    '',
    '**Examples**',
    '',
    '- `name[ilike]:"%acme%"`',
    '- `stage[in]:[lead,won],revenue.amount[gte]:1000`',
    '- `or(address.country[eq]:FR,and(employees[gte]:10,address.city[is]:NULL))`',
    '- `not(tags[containsAny]:["churned"])`',
    '- `created_at[gte]:2024-01-01T00:00:00Z`',
    '',
    'Errors: `MOSAIC_ERR_QUERY_FILTER_SYNTAX` (with the 0-based character position), `MOSAIC_ERR_QUERY_UNKNOWN_FIELD`, ' +
      '`MOSAIC_ERR_QUERY_OPERATOR`, `MOSAIC_ERR_QUERY_VALUE`, `MOSAIC_ERR_FIELD_FORBIDDEN`.',
  ].join('\n');
}

/** The paths (`name`, `address.city`, `address`) a caller may filter or sort on, with their kinds. */
export function readableLeaves(object: ObjectDef, access: Access): { path: string; kind: LeafKind; alias?: string }[] {
  const out: { path: string; kind: LeafKind; alias?: string }[] = [];
  for (const [path, leaf] of object.leaves) {
    if (!access.fieldRead(object.name, leaf.field.name)) continue;
    const alias = leaf.sub !== null && path === leaf.field.name ? `${leaf.field.name}.${leaf.sub}` : undefined;
    out.push({ path, kind: leaf.kind, ...(alias ? { alias } : {}) });
  }
  return out;
}

/** Filters that work on this object, built from its own readable fields, so they can be pasted as they are. */
function examples(leaves: readonly { path: string; kind: LeafKind }[]): string[] {
  const text = leaves.find((l) => l.kind === 'text' && !l.path.startsWith('created_by'))?.path ?? 'created_by.name';
  const sub = leaves.find((l) => l.path.includes('.') && l.kind === 'text' && !l.path.startsWith('created_by'))?.path ?? text;
  const ordered = leaves.find((l) => ['integer', 'decimal', 'date'].includes(l.kind) && l.path !== 'position');
  const bound = ordered ? `${ordered.path}[gte]:${ordered.kind === 'date' ? '2024-01-01' : 10}` : 'created_at[gte]:2024-01-01T00:00:00Z';
  return [
    `\`${text}[ilike]:"%acme%"\``,
    `\`${bound},${text}[is]:NOT_NULL\` (a top-level list is an \`and\`)`,
    `\`or(${sub}[in]:["a","b"],not(${bound}))\``,
  ];
}

/**
 * The `filter` parameter's description for one object: its filterable paths with their operators, the
 * grammar in brief, and examples built from its fields. The full grammar is in `info.description`;
 * repeating it for every object would multiply the document's size by the number of objects.
 */
export function filterParamDescription(object: ObjectDef, access: Access): string {
  const leaves = readableLeaves(object, access);
  return [
    `Filters ${object.labelSingular} records. Fields that can be filtered, with their operators:`,
    '',
    ...leaves.map((l) => `- \`${l.path}\` (${l.kind}${l.alias ? `, same as \`${l.alias}\`` : ''}): ${OPS_BY_KIND[l.kind].join(', ')}`),
    '',
    '**Grammar** (in full in the API description): a condition is `field[operator]:value`; sub-fields of composites are dotted ' +
      '(`address.city[eq]:Paris`). Group with `and(…)`, `or(…)` and `not(…)`, nested freely; a top-level comma list is an `and`. ' +
      'Values: `"quoted string"` (escape `\\"` and `\\\\`), bare words, numbers, `true`/`false`, `NULL`/`NOT_NULL` (with `[is]` only), ' +
      'lists `[a, b]` (with `[in]`/`[containsAny]` only). A comparison with an empty field does not match, except `[neq]` and `[is]:NULL`.',
    '',
    `Operators: ${FILTER_OPS.map((op) => `\`${op}\` ${OP_MEANING[op]}`).join('; ')}.`,
    '',
    'Examples:',
    '',
    ...examples(leaves).map((e) => `- ${e}`),
  ].join('\n');
}

/** The `order_by` parameter's description for one object: its syntax and sortable paths. */
export function orderByDescription(object: ObjectDef, access: Access): string {
  const sortable = readableLeaves(object, access).filter((l) => isSortableKind(l.kind)).map((l) => `\`${l.path}\``);
  return [
    `Sort order: comma-separated \`field\` or \`field[Direction]\`, at most ${MAX_ORDER_BY_ENTRIES}, e.g. \`name[AscNullsLast],created_at[Desc]\`.`,
    `Directions: ${Object.keys(ORDER_DIRECTIONS).map((d) => `\`${d}\``).join(', ')} (no direction = \`Asc\`; \`Asc\` puts nulls last, \`Desc\` first).`,
    'Default: `created_at[Desc]`. The record id is always added last, so the order is total and cursors are stable.',
    `Sortable fields: ${sortable.join(', ')}.`,
  ].join('\n');
}
