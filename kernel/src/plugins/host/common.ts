import type { PluginManifest } from '@mosaic/plugin-sdk';
import type { KernelServices } from '../../app/services.js';
import type { Actor } from '../../auth/context.js';
import { MosaicError } from '../../errors/index.js';
import type { RecordService } from '../../records/service.js';
import type { HandlerKind } from '../../sandbox/index.js';

/** One host capability: its methods by name, each taking the JSON arguments the plugin passed. */
export type HostCapability = Readonly<Record<string, (...args: unknown[]) => Promise<unknown>>>;

/**
 * What every host capability is built from, per invocation. `manifest` is the running version's
 * manifest; its `permissions` are exactly what the admin granted (a version asking for more waits for
 * consent and never runs), so capabilities check their calls against `manifest.permissions`.
 */
export interface HostContext {
  readonly services: KernelServices;
  readonly records: RecordService;
  readonly manifest: PluginManifest;
  readonly workspaceId: string;
  /** The plugin as actor of its writes and events (`chain` set when an event handler runs). */
  readonly actor: Actor;
  /** The handler being run, for log lines. */
  readonly invocation: { readonly kind: HandlerKind; readonly handler: string };
}

/** Builds one capability's method table for an invocation. */
export type CapabilityFactory = (context: HostContext) => HostCapability;

/** The plugin called a host method with arguments of the wrong shape. */
export function bridgeError(capability: string, why: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', `Invalid arguments to ${capability}: ${why}.`);
}

/** A JSON object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
