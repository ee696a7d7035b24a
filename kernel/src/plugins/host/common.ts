import type { PluginManifest } from '@mosaic/plugin-sdk';
import type { KernelServices } from '../../app/services.js';
import type { Actor } from '../../auth/context.js';
import { MosaicError } from '../../errors/index.js';
import type { RecordCaller } from '../../records/caller.js';
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
  /** Rows this invocation has read or written through `records`, against its cap (see {@link RowBudget}). */
  readonly rows?: RowBudget;
  /**
   * The member or API key calling a route, with their role: capabilities that act *for* the caller
   * (`imports`) use it; the others act as the plugin. Absent for events, jobs and hooks.
   */
  readonly member?: RecordCaller;
  /** Aborted when the invocation ends, so host work it started (an outbound request) stops with it. */
  readonly signal?: AbortSignal;
}

/** Records one invocation may touch (read or write) through the host API; `used` counts up. */
export interface RowBudget {
  used: number;
  readonly max: number;
}

/** Rows one invocation may touch unless the caller sets another budget. */
export const DEFAULT_MAX_ROWS = 10_000;

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

/**
 * The plugin's manifest does not grant what it just tried. `what` completes "may not …"; `fix` says
 * what the manifest would have to ask for, so the plugin author knows the next step.
 */
export function permissionError(context: HostContext, what: string, fix: string): MosaicError {
  return new MosaicError('MOSAIC_ERR_PLUGIN_PERMISSION', `The plugin "${context.manifest.id}" may not ${what}: ${fix}.`);
}

/** A host-call argument that must be absent or an object with only the given keys; returns it or `{}`. */
export function optionsObject(capability: string, value: unknown, keys: readonly string[]): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw bridgeError(capability, 'the options must be an object');
  const unknown = Object.keys(value).filter((k) => !keys.includes(k));
  if (unknown.length > 0) throw bridgeError(capability, `unknown option${unknown.length === 1 ? '' : 's'} ${unknown.slice(0, 5).join(', ')}; expected ${keys.join(', ')}`);
  return value;
}
