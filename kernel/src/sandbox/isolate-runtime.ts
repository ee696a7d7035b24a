import ivm from 'isolated-vm';
import { MosaicError } from '../errors/index.js';
import { BOOTSTRAP_SOURCE } from './bootstrap.js';
import { Watchdog, type Expiry } from './watchdog.js';

/** Answers a host call from a workspace context; arguments come from the isolate, unchecked. Never rejects. */
export type BridgeHandler = (workspaceId: string, invocationId: unknown, capability: unknown, method: unknown, argsJson: unknown) => Promise<string>;

/** Receives an invocation's reply from a workspace context; arguments come from the isolate, unchecked. */
export type DoneHandler = (workspaceId: string, invocationId: unknown, reply: unknown) => void;

/** Why an isolate was torn down. */
export interface Death {
  /** What every invocation running at the time reports, unless it is one of the culprits. */
  readonly error: MosaicError;
  /** Invocations that ran past their own budget, with their errors; empty when there is no culprit. */
  readonly culprits: ReadonlyMap<number, MosaicError>;
}

/** What the bootstrap needs to start one invocation; its reply comes back through the {@link DoneHandler}. */
export interface StartMessage {
  readonly invocationId: number;
  readonly kind: string;
  readonly handler: string;
  readonly inputJson: string;
  readonly metaJson: string;
  readonly maxOutput: number;
  readonly maxCalls: number;
}

/** One workspace's context in the isolate. */
export interface WorkspaceContext {
  readonly workspaceId: string;
  /** Start an invocation; throws only when the isolate is gone. */
  start(message: StartMessage): void;
}

interface Handles {
  readonly context: ivm.Context;
  /** The bootstrap's entry function (`invoke` / `deliver`); only the host holds it. */
  readonly entry: ivm.Reference<unknown>;
  readonly bridge: ivm.Reference<unknown>;
}

interface Entry {
  readonly promise: Promise<WorkspaceContext>;
  /** Set once created; only resolved, idle entries are evicted. */
  resolved: Handles | null;
  active: number;
}

/** Settings for {@link IsolateRuntime}. */
export interface IsolateRuntimeOptions {
  readonly pluginId: string;
  readonly script: string;
  readonly memoryLimitMb: number;
  readonly maxContexts: number;
  readonly watchdogIntervalMs: number;
  /** CPU code left behind by finished invocations may use per idle period (ms). */
  readonly idleCpuMs: number;
  readonly onCall: BridgeHandler;
  readonly onDone: DoneHandler;
  readonly onCatastrophicError: (message: string) => void;
  /** The watchdog saw the isolate disposed by isolated-vm (memory limit) or overrunning while idle. */
  readonly onGone: () => void;
  readonly onIdleOverrun: () => void;
  readonly onExpire: (expired: readonly Expiry[]) => void;
}

/**
 * One plugin isolate and everything created in it: the compiled bundle (compiled once per isolate), a
 * context per workspace (created lazily, least recently used idle ones dropped beyond `maxContexts`) and
 * the watchdog. When the isolate dies — disposed by the watchdog, by its memory limit, or on shutdown —
 * the whole runtime is finished and the sandbox starts a new one on the next call.
 */
export class IsolateRuntime {
  readonly isolate: ivm.Isolate;
  readonly watchdog: Watchdog;
  /** Settles once, with the first {@link Death}; every in-flight invocation races against it. */
  readonly died: Promise<Death>;
  readonly #options: IsolateRuntimeOptions;
  readonly #contexts = new Map<string, Entry>();
  #script: Promise<ivm.Script> | null = null;
  #death: Death | null = null;
  #announceDeath!: (death: Death) => void;

  constructor(options: IsolateRuntimeOptions) {
    this.#options = options;
    this.isolate = new ivm.Isolate({ memoryLimit: options.memoryLimitMb, onCatastrophicError: options.onCatastrophicError });
    this.watchdog = new Watchdog(this.isolate, {
      activeIntervalMs: options.watchdogIntervalMs,
      idleIntervalMs: Math.max(100, options.watchdogIntervalMs),
      idleCpuMs: options.idleCpuMs,
      onGone: options.onGone,
      onIdleOverrun: options.onIdleOverrun,
      onExpire: options.onExpire,
    });
    this.died = new Promise((resolve) => (this.#announceDeath = resolve));
  }

  /** The death of this runtime, or `null` while it lives. */
  get death(): Death | null {
    return this.#death;
  }

  /** Live (created or being created) workspace contexts. */
  get contextCount(): number {
    return this.#contexts.size;
  }

  /**
   * Tear the isolate down; everything running in it stops. The first call wins and returns `true`; the
   * death it carries is what the runtime's in-flight invocations report.
   */
  die(death: Death): boolean {
    if (this.#death) return false;
    this.#death = death;
    this.watchdog.stop();
    this.#contexts.clear();
    try {
      if (!this.isolate.isDisposed) this.isolate.dispose();
    } catch {
      // Already disposed by isolated-vm itself (memory limit); nothing left to free.
    }
    this.#announceDeath(death);
    return true;
  }

  /**
   * The context for `workspaceId`, created on first use, marked busy until {@link release}. Creation runs
   * the bootstrap and the plugin's top-level code, so callers must already be under the watchdog.
   */
  async acquire(workspaceId: string): Promise<WorkspaceContext> {
    let entry = this.#contexts.get(workspaceId);
    if (entry) {
      this.#contexts.delete(workspaceId); // re-insert: Map order doubles as least-recently-used order
    } else {
      const created: Entry = {
        promise: this.#create(workspaceId).then((handles) => {
          created.resolved = handles;
          return { workspaceId, start: (message: StartMessage) => startInvocation(handles.entry, message) };
        }),
        resolved: null,
        active: 0,
      };
      created.promise.catch(() => {
        if (this.#contexts.get(workspaceId) === created) this.#contexts.delete(workspaceId);
      });
      entry = created;
    }
    this.#contexts.set(workspaceId, entry);
    entry.active++;
    try {
      return await entry.promise;
    } catch (error) {
      entry.active--;
      throw error;
    } finally {
      this.#evict();
    }
  }

  /** Mark a context acquired with {@link acquire} as idle again. */
  release(workspaceId: string): void {
    const entry = this.#contexts.get(workspaceId);
    if (entry && entry.active > 0) entry.active--;
    this.#evict();
  }

  #compiled(): Promise<ivm.Script> {
    // The trailing `void 0` makes the script's completion value undefined, so a bundle ending in a
    // huge string expression cannot make `run` copy it out to the host.
    if (!this.#script) {
      this.#script = this.isolate.compileScript(`${this.#options.script}\n;void 0;\n`, {
        filename: `plugin://${encodeURIComponent(this.#options.pluginId)}/server.js`,
      });
      this.#script.catch(() => {}); // reported through each context creation that awaits it
    }
    return this.#script;
  }

  async #create(workspaceId: string): Promise<Handles> {
    const script = this.#compiled();
    const context = await this.isolate.createContext();
    let entry: ivm.Reference<unknown> | null = null;
    // The one bridge the isolate holds: fire-and-forget messages of strings and numbers (see bootstrap.ts).
    const bridge = new ivm.Reference((op: unknown, a: unknown, b: unknown, c: unknown, d: unknown, e: unknown) => {
      if (op === 'done') {
        this.#options.onDone(workspaceId, a, b);
      } else if (op === 'call' && typeof b === 'number') {
        void this.#options.onCall(workspaceId, a, c, d, e).then((reply) => deliver(entry, b, reply));
      }
    });
    try {
      entry = (await context.evalClosure(BOOTSTRAP_SOURCE, [bridge], {
        result: { reference: true },
        filename: 'mosaic:bootstrap',
      })) as ivm.Reference<unknown>;
      await (await script).run(context);
    } catch (error) {
      entry?.release();
      bridge.release();
      context.release();
      throw this.isolate.isDisposed ? error : startFailure(this.#options.pluginId, error);
    }
    return { context, entry, bridge };
  }

  #evict(): void {
    let excess = this.#contexts.size - this.#options.maxContexts;
    for (const [workspaceId, entry] of this.#contexts) {
      if (excess <= 0) break;
      if (entry.active > 0 || !entry.resolved) continue;
      this.#contexts.delete(workspaceId);
      entry.resolved.entry.release();
      entry.resolved.bridge.release();
      entry.resolved.context.release();
      excess--;
    }
  }
}

function startInvocation(entry: ivm.Reference<unknown>, m: StartMessage): void {
  entry.applyIgnored(undefined, ['invoke', m.invocationId, m.kind, m.handler, m.inputJson, m.metaJson, m.maxOutput, m.maxCalls]);
}

/** Hand a host reply back to the isolate; if the context or isolate is gone, nobody is waiting for it. */
function deliver(entry: ivm.Reference<unknown> | null, callId: number, reply: string): void {
  try {
    entry?.applyIgnored(undefined, ['deliver', callId, reply]);
  } catch {
    // Released or disposed in the meantime.
  }
}

/** The plugin's bundle did not compile or its top-level code threw: a coded error with the plugin's own message. */
function startFailure(pluginId: string, error: unknown): MosaicError {
  const raw = error instanceof Error ? error.message : String(error);
  const message = raw.length > 4096 ? raw.slice(0, 4096) : raw;
  return new MosaicError('MOSAIC_ERR_PLUGIN_CRASHED', `Plugin "${pluginId}" failed to start: ${message}`);
}
