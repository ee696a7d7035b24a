import { MosaicError } from '../../errors/index.js';

/** One host capability: its methods by name, each taking the JSON arguments the plugin passed. */
export type HostCapability = Readonly<Record<string, (...args: unknown[]) => Promise<unknown>>>;

/** The plugin called a host method with arguments of the wrong shape. */
export function bridgeError(capability: string, why: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', `Invalid arguments to ${capability}: ${why}.`);
}

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
