import type { HostBridge } from '../../sandbox/index.js';
import { bridgeError, type CapabilityFactory, type HostCapability, type HostContext } from './common.js';
import { eventsCapability } from './events.js';
import { httpCapability } from './http.js';
import { importsCapability } from './imports.js';
import { kvCapability } from './kv.js';
import { logCapability } from './log.js';
import { recordsCapability } from './records.js';
import { secretsCapability } from './secrets.js';
import { settingsCapability } from './settings.js';

/** The host API: one file per capability, each checking the plugin's grants on every call. */
export const HOST_CAPABILITIES: Readonly<Record<string, CapabilityFactory>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, CapabilityFactory>, {
    records: recordsCapability,
    log: logCapability,
    events: eventsCapability,
    http: httpCapability,
    kv: kvCapability,
    settings: settingsCapability,
    secrets: secretsCapability,
    imports: importsCapability,
  }),
);

/**
 * The host API one invocation sees: an allow-list of capabilities, each built for this plugin,
 * workspace and actor on first use. Anything not listed is refused as a malformed call; lookups are
 * own-property only, so `constructor` or `__proto__` never resolve.
 */
export function createHostBridge(context: HostContext, factories: Readonly<Record<string, CapabilityFactory>> = HOST_CAPABILITIES): HostBridge {
  const built = new Map<string, HostCapability>();
  const { log } = context.services;
  const tags = { pluginId: context.manifest.id, workspaceId: context.workspaceId, handler: `${context.invocation.kind}.${context.invocation.handler}` };
  return async (capability, method, args) => {
    let table = built.get(capability);
    if (!table && Object.hasOwn(factories, capability)) {
      table = factories[capability]!(context);
      built.set(capability, table);
    }
    const fn = table && Object.hasOwn(table, method) ? table[method] : undefined;
    if (!fn) throw bridgeError(`${capability}.${method}`, 'no such host method');
    // Every host call is attributed to the plugin in the log: refusals at info, so an admin sees what a
    // plugin tried and was not allowed; the rest at debug.
    const started = performance.now();
    try {
      const value = await fn(...args);
      log.debug({ ...tags, call: `${capability}.${method}`, ms: Math.round((performance.now() - started) * 10) / 10 }, 'plugin host call');
      return value;
    } catch (error) {
      log.info({ ...tags, call: `${capability}.${method}`, code: (error as { code?: string }).code ?? 'MOSAIC_ERR_INTERNAL' }, 'plugin host call refused');
      throw error;
    }
  };
}
