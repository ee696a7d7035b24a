import type { FastifyBaseLogger } from 'fastify';
import type { BusEvent, Deliver } from '../events/types.js';
import type { MetadataStore } from '../metadata/store.js';
import type { RealtimeAdapter } from './adapter.js';
import type { Presence } from './presence.js';
import { metadataMessages, recordMessages, type Message } from './filter.js';
import type { RoleCache } from './roles.js';
import type { RealtimeServer } from './types.js';

/** Dependencies of {@link realtimeDeliverer}. */
export interface DelivererDeps {
  readonly io: RealtimeServer;
  readonly adapter: RealtimeAdapter;
  readonly roles: RoleCache;
  readonly metadata: MetadataStore;
  /** Whether anyone watches a workspace; unwatched workspaces cost nothing. */
  readonly presence: Presence;
  /** True once this process has started shutting down. */
  readonly closing: () => boolean;
  readonly log: FastifyBaseLogger;
}

/**
 * Realtime is a live view. An event this old comes from a backlog (every kernel was down, or delivery
 * was stuck); clients reload their data when they reconnect, so replaying it would only show stale
 * changes as if they were new. The age is measured against this host's clock, so the skip is logged:
 * a host clock far ahead of the database's would otherwise silence realtime without a trace.
 */
const STALE_AFTER_MS = 10 * 60_000;
const WARN_EVERY_MS = 60_000;

async function messagesFor(event: BusEvent, deps: DelivererDeps): Promise<Message[]> {
  if (event.type.startsWith('record.')) {
    const [roles, workspace] = await Promise.all([deps.roles.get(event.workspace_id), deps.metadata.get(event.workspace_id)]);
    return recordMessages(event, event.object ? workspace.objects.get(event.object) : undefined, roles);
  }
  if (event.type.startsWith('object.') || event.type.startsWith('field.')) return metadataMessages(event, await deps.roles.get(event.workspace_id));
  return [];
}

/**
 * Delivers the bus's events to realtime clients on every process.
 *
 * The bus hands each event to ONE process (the stored subscriber `kernel:realtime` is leased by one
 * process at a time), yet its clients are spread over all processes and each must get the event as its
 * own role may see it. So this process filters for every role of the workspace — grouping roles that see
 * the same fields, so there are usually one or two payloads whatever the number of roles — and emits each
 * payload to those roles' rooms (`ws:<workspace>:role:<role>:obj:<object>` and `…:rec:<id>`). The adapter
 * carries each emit to the other processes, where socket.io hands it to the local sockets of those rooms.
 * Permission decisions are thus made in one place and only filtered data crosses the adapter.
 *
 * Emitting is fire-and-forget towards clients: socket.io queues per client, so a slow or gone client
 * never holds delivery up. The deliverer waits only for the adapter to have sent the emits, and throws
 * (so the bus retries, from any process) only when the adapter failed or this process is shutting down.
 * A retry may repeat an event to some clients; `event.id` lets them drop the repeat.
 */
export function realtimeDeliverer(deps: DelivererDeps): Deliver {
  let warned = 0;
  return async (event) => {
    if (deps.closing()) throw new Error('realtime is shutting down in this process; another process will deliver');
    if (Date.now() - Date.parse(event.occurred_at) > STALE_AFTER_MS) {
      if (Date.now() - warned > WARN_EVERY_MS) {
        warned = Date.now();
        deps.log.warn({ event: event.id, occurred_at: event.occurred_at }, 'realtime skips events older than 10 minutes (a backlog, or this host’s clock is ahead of the database’s)');
      }
      return;
    }
    if (!(await deps.presence.anyone(event.workspace_id))) return;
    const messages = await messagesFor(event, deps);
    if (messages.length === 0) return;
    deps.adapter.assertUp();
    // Settle earlier traffic (heartbeats, clean-ups) so that only this event's publishes decide its fate.
    await deps.adapter.flush().catch(() => undefined);
    for (const message of messages) deps.io.to(message.rooms as string[]).emit(message.name, message.event);
    await deps.adapter.flush();
  };
}
