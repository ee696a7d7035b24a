import { MosaicError, isMosaicError } from '../errors/index.js';
import { Health, isSandboxFailure } from './health.js';
import { createBridgeHandler, type BridgeInvocation } from './host-bridge.js';
import { IsolateRuntime, type BridgeHandler, type Death } from './isolate-runtime.js';
import { decodeReply, deathFromRejection, errorForDeath, timeoutError, type CallInfo } from './outcome.js';
import {
  DEFAULT_LIMITS,
  HANDLER_KINDS,
  resolveLimits,
  type InvokeRequest,
  type PluginSandboxOptions,
  type SandboxLimits,
  type SandboxStatus,
} from './types.js';

/** Handler names are JavaScript identifiers (see the manifest's `handler` fields). */
const HANDLER_NAME = /^[A-Za-z_$][A-Za-z0-9_$]{0,127}$/;

interface Invocation extends BridgeInvocation {
  readonly runtime: IsolateRuntime;
  readonly call: CallInfo;
  /** Resolves with the bootstrap's reply string (see `bootstrap.ts`). */
  readonly reply: Promise<unknown>;
  readonly settle: (reply: unknown) => void;
  /** Rejects when the isolate dies under this invocation; raced against the reply. */
  readonly killed: Promise<never>;
  readonly kill: (error: MosaicError) => void;
}

/**
 * Runs one plugin's bundled server script: one isolate per plugin, one context per workspace, budgets
 * per invocation. Plugin code sees only the JSON it is given and `ctx` (workspace, actor and
 * `host.<capability>.<method>(...)`, an async bridge to the caller's {@link InvokeRequest.host}). It gets
 * no timers, no `process`, no `require`, no WebAssembly and no SharedArrayBuffer.
 *
 * A dead isolate (budget, memory limit, crash) is rebuilt on the next call. After `failureThreshold`
 * sandbox failures in a row the plugin is degraded and refuses calls until {@link reset}.
 */
export class PluginSandbox {
  readonly pluginId: string;
  readonly #script: string;
  readonly #memoryLimitMb: number;
  readonly #maxContexts: number;
  readonly #watchdogIntervalMs: number;
  readonly #limits: SandboxLimits;
  readonly #health: Health;
  readonly #options: PluginSandboxOptions;
  readonly #invocations = new Map<number, Invocation>();
  readonly #bridge: BridgeHandler;
  #runtime: IsolateRuntime | null = null;
  #nextId = 1;
  #disposed = false;

  constructor(options: PluginSandboxOptions) {
    if (typeof options.pluginId !== 'string' || options.pluginId.length === 0) throw new TypeError('pluginId is required.');
    if (typeof options.script !== 'string') throw new TypeError('script must be the bundled server script.');
    this.pluginId = options.pluginId;
    this.#script = options.script;
    this.#options = options;
    this.#memoryLimitMb = atLeast('memoryLimitMb', options.memoryLimitMb ?? 64, 8);
    this.#maxContexts = atLeast('maxContexts', options.maxContexts ?? 50, 1);
    this.#watchdogIntervalMs = atLeast('watchdogIntervalMs', options.watchdogIntervalMs ?? 10, 1);
    this.#health = new Health(atLeast('failureThreshold', options.failureThreshold ?? 5, 1));
    this.#limits = resolveLimits(DEFAULT_LIMITS, options.limits);
    this.#bridge = createBridgeHandler({
      pluginId: this.pluginId,
      lookup: (id) => this.#invocations.get(id),
      ...(options.log ? { log: options.log } : {}),
    });
  }

  /** Health for the admin UI: ready, degraded (with the last failure) or disposed. */
  status(): SandboxStatus {
    const runtime = this.#runtime && !this.#runtime.death ? this.#runtime : null;
    return {
      state: this.#disposed ? 'disposed' : this.#health.degraded ? 'degraded' : 'ready',
      failures: this.#health.failures,
      lastError: this.#health.lastError,
      lastErrorAt: this.#health.lastErrorAt,
      contexts: runtime ? runtime.contextCount : 0,
    };
  }

  /** Clear a degraded plugin so it takes calls again (an administrator's decision). */
  reset(): void {
    this.#health.reset();
  }

  /** Stop the isolate for good; calls in flight and later calls fail with `MOSAIC_ERR_PLUGIN_STOPPED`. */
  dispose(): void {
    this.#disposed = true;
    if (this.#runtime) this.#kill(this.#runtime, { error: this.#stopped(), culprits: new Map() }, false);
  }

  /**
   * Call `handler` in the `kind` table of the plugin, in the context of `workspaceId`, and resolve with
   * its JSON result. Rejects with a coded {@link MosaicError}: `MOSAIC_ERR_PLUGIN_ERROR` when the handler
   * threw (with the plugin's message), or one of the sandbox's own codes.
   */
  async invoke(request: InvokeRequest): Promise<unknown> {
    if (this.#disposed) throw this.#stopped();
    if (this.#health.degraded) throw this.#degradedError();
    const limits = resolveLimits(this.#limits, request.limits);
    const call: CallInfo = { pluginId: this.pluginId, kind: request.kind, handler: request.handler, limits };
    if (!HANDLER_KINDS.includes(request.kind) || typeof request.handler !== 'string' || !HANDLER_NAME.test(request.handler)) {
      throw new MosaicError('MOSAIC_ERR_PLUGIN_HANDLER_MISSING', `The plugin "${this.pluginId}" has no ${String(request.kind)} handler "${String(request.handler)}".`);
    }
    const { workspaceId, actor } = request;
    if (typeof workspaceId !== 'string' || workspaceId.length === 0) {
      throw new MosaicError('MOSAIC_ERR_REQUEST_INVALID', 'A plugin call needs a workspace id.');
    }
    const inputJson = toJson(request.input ?? null);
    if (inputJson === undefined) throw new MosaicError('MOSAIC_ERR_REQUEST_INVALID', 'The input of a plugin handler must be JSON.');
    const metaJson = JSON.stringify({ workspace: { id: workspaceId }, actor: { type: actor.type, id: actor.id, name: actor.name } });

    const runtime = this.#currentRuntime();
    const invocation = this.#track(runtime, call, request);
    const stopWatch = runtime.watchdog.watch(invocation.id, limits);
    const run = (async () => {
      const context = await runtime.acquire(workspaceId);
      try {
        context.start({
          invocationId: invocation.id,
          kind: call.kind,
          handler: call.handler,
          inputJson,
          metaJson,
          maxOutput: limits.outputChars,
          maxCalls: limits.hostCalls,
        });
        return await invocation.reply;
      } finally {
        runtime.release(workspaceId);
      }
    })();

    let reply: unknown;
    try {
      reply = await Promise.race([run, invocation.killed]);
    } catch (error) {
      throw this.#runFailed(invocation, error);
    } finally {
      stopWatch();
      this.#invocations.delete(invocation.id);
    }
    try {
      const value = decodeReply(reply, call, invocation.quotaExceeded);
      this.#health.success();
      return value;
    } catch (error) {
      if (isMosaicError(error) && isSandboxFailure(error)) this.#recordFailure(error);
      throw error;
    }
  }

  #currentRuntime(): IsolateRuntime {
    if (this.#runtime && !this.#runtime.death) return this.#runtime;
    const runtime: IsolateRuntime = new IsolateRuntime({
      pluginId: this.pluginId,
      script: this.#script,
      memoryLimitMb: this.#memoryLimitMb,
      maxContexts: this.#maxContexts,
      watchdogIntervalMs: this.#watchdogIntervalMs,
      idleCpuMs: this.#limits.cpuMs,
      onCall: this.#bridge,
      onDone: (workspaceId, invocationId, reply) => {
        const invocation = typeof invocationId === 'number' ? this.#invocations.get(invocationId) : undefined;
        if (invocation && invocation.runtime === runtime && invocation.workspaceId === workspaceId) invocation.settle(reply);
      },
      onCatastrophicError: (message) => this.#catastrophe(runtime, message),
      onGone: () => this.#kill(runtime, { error: this.#memoryError(), culprits: new Map() }, true),
      onIdleOverrun: () => {
        const error = new MosaicError('MOSAIC_ERR_PLUGIN_TIMEOUT', `The plugin "${this.pluginId}" kept running after its calls had finished and was stopped.`);
        this.#kill(runtime, { error, culprits: new Map() }, true);
      },
      onExpire: (expired) => {
        const culprits = new Map<number, MosaicError>();
        for (const { id, kind } of expired) {
          const invocation = this.#invocations.get(id);
          if (invocation) culprits.set(id, timeoutError(invocation.call, kind));
        }
        // The watchdog has stopped itself: the isolate must go even if those calls already ended.
        const first = culprits.values().next().value ?? new MosaicError('MOSAIC_ERR_PLUGIN_TIMEOUT');
        this.#kill(runtime, { error: first, culprits }, true);
      },
    });
    this.#runtime = runtime;
    return runtime;
  }

  #track(runtime: IsolateRuntime, call: CallInfo, request: InvokeRequest): Invocation {
    let settle!: (reply: unknown) => void;
    const reply = new Promise<unknown>((resolve) => (settle = resolve));
    let kill!: (error: MosaicError) => void;
    const killed = new Promise<never>((_, reject) => (kill = reject));
    killed.catch(() => {}); // raced while the call runs; a kill after that has no one left to tell
    const invocation: Invocation = {
      id: this.#nextId++,
      workspaceId: request.workspaceId,
      host: request.host,
      limits: call.limits,
      hostCalls: 0,
      quotaExceeded: false,
      runtime,
      call,
      reply,
      settle,
      killed,
      kill,
    };
    this.#invocations.set(invocation.id, invocation);
    return invocation;
  }

  /** The call into the isolate rejected: a start failure of the plugin, or the isolate died. */
  #runFailed(invocation: Invocation, error: unknown): MosaicError {
    const { runtime, call } = invocation;
    if (!runtime.death) {
      const disposed = runtime.isolate.isDisposed;
      if (isMosaicError(error) && !disposed) {
        if (isSandboxFailure(error)) this.#recordFailure(error);
        return error;
      }
      this.#kill(runtime, { error: deathFromRejection(call, error, disposed), culprits: new Map() }, true);
    }
    return errorForDeath(runtime.death as Death, invocation.id, call);
  }

  /** Tear a runtime down once, tell every invocation running in it, and count the failure once. */
  #kill(runtime: IsolateRuntime, death: Death, countsAsFailure: boolean): void {
    if (!runtime.die(death)) return;
    if (this.#runtime === runtime) this.#runtime = null;
    for (const invocation of this.#invocations.values()) {
      if (invocation.runtime === runtime) invocation.kill(errorForDeath(death, invocation.id, invocation.call));
    }
    if (countsAsFailure) this.#recordFailure(death.error);
  }

  #recordFailure(error: MosaicError): void {
    if (!this.#health.failure(error)) return;
    this.#options.log?.warn({ pluginId: this.pluginId, failures: this.#health.failures, code: error.code }, 'plugin degraded');
    // Free the isolate while the plugin is paused; calls still in flight learn why.
    if (this.#runtime) this.#kill(this.#runtime, { error: this.#degradedError(), culprits: new Map() }, false);
    this.#options.onDegraded?.({ code: error.code, message: error.message });
  }

  #catastrophe(runtime: IsolateRuntime, message: string): void {
    const error = new MosaicError('MOSAIC_ERR_PLUGIN_CRASHED', `V8 lost control of the isolate of plugin "${this.pluginId}": ${message}`);
    this.#options.log?.error({ pluginId: this.pluginId, message }, 'plugin isolate catastrophic error');
    this.#health.degrade(error);
    this.#kill(runtime, { error, culprits: new Map() }, false);
    this.#options.onDegraded?.({ code: error.code, message: error.message });
    this.#options.onCatastrophicError?.(message);
  }

  #degradedError(): MosaicError {
    const last = this.#health.lastError;
    const reason = last ? ` The last failure was ${last.code}: ${last.message}` : '';
    return new MosaicError(
      'MOSAIC_ERR_PLUGIN_DEGRADED',
      `The plugin "${this.pluginId}" is paused after repeated failures; an administrator can reset it.${reason}`,
    );
  }

  #memoryError(): MosaicError {
    return new MosaicError(
      'MOSAIC_ERR_PLUGIN_MEMORY',
      `The plugin "${this.pluginId}" ran past its memory limit of ${this.#memoryLimitMb} MB and its sandbox was stopped.`,
    );
  }

  #stopped(): MosaicError {
    return new MosaicError('MOSAIC_ERR_PLUGIN_STOPPED', `The sandbox of plugin "${this.pluginId}" has been shut down.`);
  }
}

function atLeast(name: string, value: number, min: number): number {
  if (!Number.isFinite(value) || value < min) throw new RangeError(`${name} must be a number of at least ${min}.`);
  return value;
}

function toJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value) as string | undefined;
  } catch {
    return undefined;
  }
}
