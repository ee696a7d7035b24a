import type { Actor } from '../auth/context.js';
import type { ErrorCode } from '../errors/index.js';

/** The handler tables a plugin's server bundle exposes on `globalThis.__mosaicPlugin`. */
export type HandlerKind = 'routes' | 'events' | 'jobs' | 'hooks';

/** Every {@link HandlerKind}, for validation. */
export const HANDLER_KINDS: readonly HandlerKind[] = ['routes', 'events', 'jobs', 'hooks'] as const;

/**
 * The kernel side of `ctx.host.<capability>.<method>(...args)`. The caller of
 * {@link PluginSandbox.invoke} supplies it per invocation, so it can close over the workspace, the
 * actor and the plugin's granted permissions; the sandbox only counts and forwards calls. `args` is a
 * fresh JSON copy made on the host; the resolved value is copied back into the isolate as JSON. Throw a
 * `MosaicError` to give the plugin a coded error; any other error reaches the plugin as
 * `MOSAIC_ERR_INTERNAL` with no message, stack or path of its own.
 */
export type HostBridge = (capability: string, method: string, args: unknown[]) => Promise<unknown>;

/** Per-invocation budgets. Every field can be overridden per sandbox and again per invocation. */
export interface SandboxLimits {
  /** CPU time the isolate may spend while this invocation runs (ms). */
  readonly cpuMs: number;
  /** Wall time from the start of the invocation, host calls and cold start included (ms). */
  readonly wallMs: number;
  /** Host calls one invocation may make; the next one is refused. */
  readonly hostCalls: number;
  /** Length of the result's JSON text, in UTF-16 code units (~bytes for ASCII). */
  readonly outputChars: number;
  /** Length of one host call's arguments as JSON text. */
  readonly hostArgsChars: number;
  /** Nesting depth of arrays and objects in JSON that leaves the isolate. */
  readonly jsonDepth: number;
}

/** The budgets used when nobody overrides them. */
export const DEFAULT_LIMITS: SandboxLimits = Object.freeze({
  cpuMs: 500,
  wallMs: 5_000,
  hostCalls: 200,
  outputChars: 10 * 1024 * 1024,
  hostArgsChars: 1024 * 1024,
  jsonDepth: 64,
});

/** Merge overrides over a base, ignoring `undefined` and refusing nonsense such as negative budgets. */
export function resolveLimits(base: SandboxLimits, overrides?: Partial<SandboxLimits>): SandboxLimits {
  if (!overrides) return base;
  const merged = { ...base };
  for (const key of Object.keys(base) as (keyof SandboxLimits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`Sandbox limit ${key} must be a non-negative number.`);
    merged[key] = value;
  }
  return Object.freeze(merged);
}

/** One call into a plugin handler. */
export interface InvokeRequest {
  /** The workspace whose context runs the handler; contexts never cross workspaces. */
  readonly workspaceId: string;
  readonly kind: HandlerKind;
  /** The handler's name in its table (a JavaScript identifier). */
  readonly handler: string;
  /** Plain JSON; copied into the isolate. */
  readonly input: unknown;
  /** Who the handler acts for; visible to the plugin as `ctx.actor`. */
  readonly actor: Actor;
  readonly host: HostBridge;
  /** Overrides of the sandbox's budgets for this invocation only. */
  readonly limits?: Partial<SandboxLimits>;
}

/** The health of one plugin's sandbox, for the admin UI and health checks. */
export interface SandboxStatus {
  /** `degraded`: refusing calls until {@link PluginSandbox.reset}; `disposed`: shut down for good. */
  readonly state: 'ready' | 'degraded' | 'disposed';
  /** Sandbox failures in a row (timeouts, memory, crashes, bad output, host-call storms). */
  readonly failures: number;
  /** The most recent sandbox failure; handler exceptions are not sandbox failures. */
  readonly lastError: { readonly code: ErrorCode; readonly message: string } | null;
  /** ISO time of {@link lastError}. */
  readonly lastErrorAt: string | null;
  /** Workspace contexts alive in the current isolate (0 when no isolate runs). */
  readonly contexts: number;
}

/** The subset of a pino/fastify logger the sandbox writes to. */
export interface SandboxLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** How to build a {@link PluginSandbox}. */
export interface PluginSandboxOptions {
  readonly pluginId: string;
  /** The bundled server script: a classic script (esbuild IIFE) that assigns `globalThis.__mosaicPlugin`. */
  readonly script: string;
  /** Heap limit of the plugin's isolate, in MB (isolated-vm minimum 8). Default 64. */
  readonly memoryLimitMb?: number;
  /** Budgets for every invocation of this plugin; defaults {@link DEFAULT_LIMITS}. */
  readonly limits?: Partial<SandboxLimits>;
  /** Sandbox failures in a row that mark the plugin degraded. Default 5. */
  readonly failureThreshold?: number;
  /** Workspace contexts kept per isolate; the least recently used idle one is dropped beyond it. Default 50. */
  readonly maxContexts?: number;
  /** How often the watchdog samples the isolate's CPU time (ms). Default 10. */
  readonly watchdogIntervalMs?: number;
  readonly log?: SandboxLogger;
  /**
   * isolated-vm reports that V8 lost control of an isolate. The sandbox marks itself degraded and calls
   * this; isolated-vm's advice is to stop taking work and end the process, which is the caller's call.
   */
  readonly onCatastrophicError?: (message: string) => void;
  /**
   * The plugin was just marked degraded (repeated failures, or a catastrophic error), with the failure
   * that tipped it; the caller can record it where administrators look.
   */
  readonly onDegraded?: (error: { readonly code: string; readonly message: string }) => void;
}
