import type { Knex } from '@mikro-orm/postgresql';
import type { Actor } from '../auth/context.js';
import { MosaicError, type ErrorDetail } from '../errors/index.js';
import type { FieldDef } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import type { FilterLiteral, FilterNode } from './query/index.js';
import { isUuid } from './query/values.js';
import { memberDirectory } from '../workspaces/directory.js';

/** What a write names in a member field that is not a member of the workspace. */
export const NOT_A_MEMBER = 'is not a member of this workspace';

const memberFieldCache = new WeakMap<ObjectDef, FieldDef[]>();

/** The object's `member` fields (cached per definition; most objects have none, and then writes skip the check). */
export function memberFields(object: ObjectDef): FieldDef[] {
  let fields = memberFieldCache.get(object);
  if (!fields) memberFieldCache.set(object, (fields = object.fields.filter((f) => f.type === 'member')));
  return fields;
}

/**
 * Checks the member ids a set of record bodies name, with one query for all of them: each must be a
 * member of `workspaceId`. Values that are not uuids are left to the schema check, which reports them.
 * Returns the problems per body index (an empty map when every id is a member).
 */
export async function memberProblems(knex: Knex, object: ObjectDef, workspaceId: string, bodies: readonly unknown[]): Promise<Map<number, ErrorDetail[]>> {
  const problems = new Map<number, ErrorDetail[]>();
  const fields = memberFields(object);
  if (fields.length === 0) return problems;
  const named: { index: number; field: string; id: string }[] = [];
  bodies.forEach((body, index) => {
    if (body === null || typeof body !== 'object') return;
    for (const field of fields) {
      const value = (body as Record<string, unknown>)[field.name];
      if (typeof value === 'string' && isUuid(value)) named.push({ index, field: field.name, id: value.toLowerCase() });
    }
  });
  if (named.length === 0) return problems;
  const ids = [...new Set(named.map((n) => n.id))];
  const rows = (await knex.raw('select id::text as id from member where workspace_id = ? and id = any(?::uuid[])', [workspaceId, ids])) as { rows: { id: string }[] };
  const members = new Set(rows.rows.map((r) => r.id));
  for (const n of named) {
    if (members.has(n.id)) continue;
    problems.set(n.index, [...(problems.get(n.index) ?? []), { path: n.field, message: NOT_A_MEMBER }]);
  }
  return problems;
}

/** Refuses one record body naming a non-member, with `MOSAIC_ERR_RECORD_INVALID` naming the field. */
export async function assertMembers(knex: Knex, object: ObjectDef, workspaceId: string, body: unknown): Promise<void> {
  const list = (await memberProblems(knex, object, workspaceId, [body])).get(0);
  if (!list) return;
  const summary = list.map((d) => `${d.path} ${d.message}`).join('; ');
  throw new MosaicError('MOSAIC_ERR_RECORD_INVALID', `The ${object.name} record is invalid: ${summary}.`, list);
}

/** The filter value that stands for the caller's own member id: `account_owner_id[eq]:@me`. */
export const ME = '@me';

/**
 * Replaces `@me` in comparisons on member fields with the caller's member id, so one saved filter means
 * "mine" for whoever runs it. A caller that is not a member (an API key, a plugin) has no `@me`:
 * `MOSAIC_ERR_QUERY_VALUE`.
 */
export function resolveMe(node: FilterNode, object: ObjectDef, actor: Actor): FilterNode {
  if (node.kind === 'not') return { ...node, child: resolveMe(node.child, object, actor) };
  if (node.kind !== 'cmp') return { ...node, children: node.children.map((c) => resolveMe(c, object, actor)) };
  if (node.path.length !== 1 || object.fieldsByName.get(node.path[0])?.type !== 'member') return node;
  const swap = (literal: FilterLiteral): FilterLiteral => {
    if (literal.type === 'list') return { ...literal, items: literal.items.map(swap) };
    if (literal.type !== 'string' || literal.value !== ME) return literal;
    if (actor.type !== 'member') {
      const message = `${ME} means the member calling; this caller is ${actor.type === 'api_key' ? 'an API key' : `a ${actor.type}`}, not a member.`;
      throw new MosaicError('MOSAIC_ERR_QUERY_VALUE', message, [{ path: node.path[0], message }]);
    }
    return { type: 'string', value: actor.id };
  };
  return { ...node, value: swap(node.value) };
}

/** Member id → email for an object with member fields (what exports write), or undefined when it has none. */
export async function memberEmails(knex: Knex, object: ObjectDef, workspaceId: string): Promise<Map<string, string> | undefined> {
  if (memberFields(object).length === 0) return undefined;
  return new Map((await memberDirectory(knex, workspaceId)).map((m) => [m.id, m.email]));
}

/** A stand-in member for checking a stored filter (a saved view) that may say `@me`: whoever runs it is a member. */
const ANY_MEMBER: Actor = { type: 'member', id: '00000000-0000-4000-8000-000000000000', name: '' };

/** The filter with `@me` taken as some member: for checking a filter saved now and run later by anyone. */
export function meAsAnyMember(node: FilterNode, object: ObjectDef): FilterNode {
  return resolveMe(node, object, ANY_MEMBER);
}
