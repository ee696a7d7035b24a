import type { Actor } from '../auth/context.js';

/** An event as subscribers receive it. `id` is the idempotency key; `position` orders it globally. */
export interface BusEvent {
  readonly id: string;
  readonly position: number;
  readonly workspace_id: string;
  /** e.g. `record.created`, `field.added`, `member.removed`, `<pluginId>.<name>` for plugin events. */
  readonly type: string;
  readonly object: string | null;
  readonly record_id: string | null;
  readonly actor: Actor | null;
  readonly occurred_at: string;
  /**
   * Record events: `{ record }`; `record.updated` adds `changed_fields` and `before`/`after` holding only
   * the changed fields. Other events: their own payload.
   */
  readonly payload: Record<string, unknown>;
}

/** Which events a subscriber wants. Every present condition must hold. */
export interface SubscriptionFilter {
  /** Type patterns: exact (`record.created`), prefix wildcard (`record.*`) or `*`. Empty or absent: all. */
  readonly types?: readonly string[];
  /** Object names (for record and metadata events). */
  readonly objects?: readonly string[];
  /** For `record.updated`: at least one of these fields changed. Other types pass. */
  readonly fields?: readonly string[];
  /** Only this workspace's events (webhooks and plugin installs are per workspace). */
  readonly workspaceId?: string;
}

/** Delivers one event; throwing (or rejecting) means "not delivered, retry". */
export type Deliver = (event: BusEvent) => Promise<void>;

/** True when an event type matches a pattern (`*`, `record.*`, `record.created`). */
export function typeMatches(pattern: string, type: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return type.startsWith(pattern.slice(0, -1));
  return pattern === type;
}

/** Whether an event passes a filter (checked in memory after the SQL pre-filter). */
export function filterMatches(filter: SubscriptionFilter, event: BusEvent): boolean {
  if (filter.workspaceId && filter.workspaceId !== event.workspace_id) return false;
  if (filter.types?.length && !filter.types.some((p) => typeMatches(p, event.type))) return false;
  if (filter.objects?.length && (!event.object || !filter.objects.includes(event.object))) return false;
  if (filter.fields?.length && event.type === 'record.updated') {
    const changed = (event.payload.changed_fields ?? []) as string[];
    if (!filter.fields.some((f) => changed.includes(f))) return false;
  }
  return true;
}
