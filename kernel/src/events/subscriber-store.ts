import type { Knex } from '@mikro-orm/postgresql';
import type { OutboxRow } from './format.js';
import type { SubscriptionFilter } from './types.js';

/** A subscriber's durable queue state. */
export interface SubscriberRow {
  readonly id: string;
  readonly workspace_id: string | null;
  readonly kind: string;
  readonly filter: SubscriptionFilter;
  readonly position: string;
  readonly enabled: boolean;
  readonly attempts: number;
  readonly last_error: string | null;
}

/** Where a new subscriber starts: at the next event, or with everything still in the outbox. */
export type StartAt = 'now' | 'beginning';

/** The highest position assigned so far. */
export async function head(knex: Knex): Promise<number> {
  const row = (await knex('event_sequencer').first('last_pos')) as { last_pos: string } | undefined;
  return Number(row?.last_pos ?? 0);
}

/** Creates a subscriber or updates its filter; an existing subscriber keeps its position. */
export async function ensureSubscriber(
  knex: Knex, spec: { id: string; kind: string; workspaceId: string | null; filter: SubscriptionFilter; startAt?: StartAt; enabled?: boolean },
): Promise<void> {
  const position = spec.startAt === 'beginning' ? 0 : await head(knex);
  await knex('event_subscriber')
    .insert({ id: spec.id, kind: spec.kind, workspace_id: spec.workspaceId, filter: JSON.stringify(spec.filter), position, enabled: spec.enabled ?? true })
    .onConflict('id')
    .merge({ kind: spec.kind, workspace_id: spec.workspaceId, filter: JSON.stringify(spec.filter), updated_at: knex.fn.now(), ...(spec.enabled === undefined ? {} : { enabled: spec.enabled }) });
}

/** Removes a subscriber and its dead letters. */
export async function dropSubscriber(knex: Knex, id: string): Promise<void> {
  await knex('event_subscriber').where({ id }).delete();
}

/**
 * Subscribers this process could serve now: enabled, behind the head, not leased by a live process,
 * and not waiting for a retry.
 */
export async function dueSubscribers(knex: Knex, kinds: readonly string[], ids: readonly string[], upTo: number): Promise<string[]> {
  if (kinds.length === 0 && ids.length === 0) return [];
  const rows = (await knex('event_subscriber')
    .select('id')
    .where('enabled', true)
    .where('position', '<', upTo)
    .where((q) => q.whereIn('kind', kinds as string[]).orWhereIn('id', ids as string[]))
    .where((q) => q.whereNull('lease_until').orWhere('lease_until', '<', knex.fn.now()))
    .where((q) => q.whereNull('next_attempt_at').orWhere('next_attempt_at', '<=', knex.fn.now()))) as { id: string }[];
  return rows.map((r) => r.id);
}

/**
 * Takes a subscriber's lease, so no other process delivers to it at the same time. `SKIP LOCKED` makes
 * competing processes pass over each other instead of queueing. Undefined when someone else has it.
 */
export async function claim(knex: Knex, id: string, owner: string, leaseMs: number): Promise<SubscriberRow | undefined> {
  const { rows } = (await knex.raw(
    `update event_subscriber set leased_by = ?, lease_until = now() + (? || ' milliseconds')::interval
     where id = (select id from event_subscriber where id = ? and enabled
                   and (lease_until is null or lease_until < now() or leased_by = ?)
                   and (next_attempt_at is null or next_attempt_at <= now())
                 for update skip locked)
     returning id, workspace_id, kind, filter, position, enabled, attempts, last_error`,
    [owner, String(leaseMs), id, owner],
  )) as { rows: SubscriberRow[] };
  return rows[0];
}

/** Escapes a type pattern for LIKE. */
function likePattern(pattern: string): string {
  if (pattern === '*') return '%';
  const escaped = pattern.replace(/[\\%_]/g, (c) => `\\${c}`);
  return escaped.endsWith('.*') ? `${escaped.slice(0, -1)}%` : escaped;
}

/** The next events for a subscriber in position order, pre-filtered in SQL by workspace, type and object. */
export async function nextEvents(knex: Knex, subscriber: SubscriberRow, after: number, upTo: number, limit: number): Promise<OutboxRow[]> {
  const filter = subscriber.filter;
  const qb = knex('event')
    .select('id', 'pos', 'workspace_id', 'type', 'object', 'record_id', 'actor', 'payload', 'created_at')
    .where('pos', '>', after)
    .where('pos', '<=', upTo)
    .orderBy('pos')
    .limit(limit);
  const workspace = subscriber.workspace_id ?? filter.workspaceId;
  if (workspace) qb.where('workspace_id', workspace);
  if (filter.types?.length) qb.where((q) => filter.types!.forEach((p) => q.orWhereRaw("type like ? escape '\\'", [likePattern(p)])));
  if (filter.objects?.length) qb.whereIn('object', filter.objects as string[]);
  return (await qb) as OutboxRow[];
}

/** Records progress and releases (or keeps) the lease; ignored if the lease was lost meanwhile. */
export async function advance(knex: Knex, id: string, owner: string, position: number, delivered: number, release: boolean): Promise<void> {
  await knex('event_subscriber')
    .where({ id, leased_by: owner })
    .update({
      position,
      attempts: 0,
      next_attempt_at: null,
      last_error: null,
      delivered_count: knex.raw('delivered_count + ?', [delivered]),
      ...(delivered > 0 ? { last_delivered_at: knex.fn.now() } : {}),
      ...(release ? { leased_by: null, lease_until: null } : {}),
      updated_at: knex.fn.now(),
    });
}

/** Records a failed attempt and when to try again; releases the lease so any process may retry. */
export async function retryLater(knex: Knex, id: string, owner: string, position: number, attempts: number, delayMs: number, error: string): Promise<void> {
  await knex('event_subscriber')
    .where({ id, leased_by: owner })
    .update({
      position,
      attempts,
      last_error: error.slice(0, 2000),
      next_attempt_at: knex.raw(`now() + (? || ' milliseconds')::interval`, [String(Math.round(delayMs))]),
      leased_by: null,
      lease_until: null,
      updated_at: knex.fn.now(),
    });
}
