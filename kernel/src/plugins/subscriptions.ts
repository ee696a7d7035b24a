import { ANY_OBJECT, type ManifestEventSubscription } from '@mosaic/plugin-sdk';
import type { Actor } from '../auth/context.js';
import type { Knex } from '@mikro-orm/postgresql';
import type { Deliver } from '../events/types.js';
import { dropSubscriber, ensureSubscriber, type SubscriberRow } from '../events/subscriber-store.js';
import type { PluginInstallation } from './store.js';

/** Stored subscribers of plugin event handlers have this kind. */
export const PLUGIN_SUBSCRIBER_KIND = 'plugin';

/**
 * How many plugin event handlers may follow each other (a handler's writes and events triggering the
 * next handler). Past it, events are not delivered to plugins: a chain that long is a loop.
 */
export const MAX_HANDLER_CHAIN = 8;

/** The stored subscriber id of one subscription of an installation; the content names it, not its index. */
export function subscriberId(workspaceId: string, pluginId: string, subscription: ManifestEventSubscription): string {
  return `plugin:${workspaceId}:${pluginId}:${subscription.handler}:${subscription.type}`;
}

/** The chain position of a handler run for an event caused by `actor` (see `Actor.chain`). */
export function nextChain(actor: Actor | null): number {
  return actor?.type === 'plugin' ? (actor.chain ?? 0) + 1 : 1;
}

/**
 * Makes the bus's stored subscribers match an installation: one per event subscription while it is
 * enabled, none otherwise. Each subscription is its own subscriber — own queue position, retries and
 * dead letters — so a slow handler never holds back another plugin or another of its own handlers. A
 * subscription that stays across an upgrade keeps its position; a new one starts at the next event.
 */
export async function syncSubscriptions(trx: Knex, installation: PluginInstallation | undefined, workspaceId: string, pluginId: string, existing: readonly string[]): Promise<void> {
  const wanted = new Map<string, ManifestEventSubscription>();
  if (installation?.enabled) {
    for (const subscription of installation.manifest.events ?? []) wanted.set(subscriberId(workspaceId, pluginId, subscription), subscription);
  }
  for (const id of existing) if (!wanted.has(id)) await dropSubscriber(trx, id);
  for (const [id, subscription] of wanted) {
    await ensureSubscriber(trx, {
      id,
      kind: PLUGIN_SUBSCRIBER_KIND,
      workspaceId,
      filter: {
        types: [subscription.type],
        workspaceId,
        // "*" is every object, present and future: no object filter at all (the bus matches names literally).
        ...(subscription.objects && !subscription.objects.includes(ANY_OBJECT) ? { objects: [...subscription.objects] } : {}),
        ...(subscription.fields ? { fields: [...subscription.fields] } : {}),
      },
      startAt: 'now',
    });
  }
}

/** Reads the workspace, plugin and subscription back from a stored subscriber. */
export function parseSubscriber(row: SubscriberRow): { workspaceId: string; pluginId: string; handler: string; type: string } | undefined {
  const match = /^plugin:([0-9a-f-]{36}):([a-z0-9.-]+):([A-Za-z_$][\w$]*):(.+)$/.exec(row.id);
  if (!match) return undefined;
  return { workspaceId: match[1]!, pluginId: match[2]!, handler: match[3]!, type: match[4]! };
}

/** The bus's deliverer factory for plugin subscribers, given how to deliver one event to one handler. */
export function pluginDeliverers(deliver: (target: NonNullable<ReturnType<typeof parseSubscriber>>, event: Parameters<Deliver>[0]) => Promise<void>) {
  return (row: SubscriberRow): Deliver | undefined => {
    const target = parseSubscriber(row);
    return target ? (event) => deliver(target, event) : undefined;
  };
}
