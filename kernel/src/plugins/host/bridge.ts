import type { PluginManifest } from '@mosaic/plugin-sdk';
import type { FastifyBaseLogger } from 'fastify';
import type { RecordService } from '../../records/service.js';
import type { HostBridge } from '../../sandbox/index.js';
import { bridgeError, type HostCapability } from './common.js';
import { logCapability } from './log.js';
import { recordsCapability } from './records.js';

/**
 * The host API one invocation sees: an allow-list of capabilities, each built for this plugin and
 * workspace and checking the plugin's grants itself. Anything not listed is refused as a malformed
 * call; lookups are own-property only, so `constructor` or `__proto__` never resolve.
 */
export function createHostBridge(options: {
  readonly manifest: PluginManifest;
  readonly workspaceId: string;
  readonly records: RecordService;
  readonly log: FastifyBaseLogger;
}): HostBridge {
  const { manifest, workspaceId } = options;
  const capabilities = new Map<string, HostCapability>([
    ['records', recordsCapability({ records: options.records, manifest, workspaceId })],
    ['log', logCapability({ log: options.log, pluginId: manifest.id, workspaceId })],
  ]);
  return async (capability, method, args) => {
    const table = capabilities.get(capability);
    const fn = table && Object.hasOwn(table, method) ? table[method] : undefined;
    if (!fn) throw bridgeError(`${capability}.${method}`, 'no such host method');
    return fn(...args);
  };
}
