import type ivm from 'isolated-vm';

/** Which budget ran out. */
export type BudgetKind = 'cpu' | 'wall';

/** One invocation whose budget ran out. */
export interface Expiry {
  readonly id: number;
  readonly kind: BudgetKind;
}

interface Watch {
  readonly id: number;
  readonly cpuStart: bigint;
  readonly wallStart: number;
  readonly cpuNs: bigint;
  readonly wallMs: number;
}

/** Settings and callbacks of a {@link Watchdog}. */
export interface WatchdogOptions {
  /** Sampling period while invocations run (ms). */
  readonly activeIntervalMs: number;
  /** Sampling period while none runs (ms); this timer does not keep the process alive. */
  readonly idleIntervalMs: number;
  /** CPU the isolate may spend while no invocation runs, per idle period (ms). */
  readonly idleCpuMs: number;
  /** Code left behind by finished invocations kept running past {@link idleCpuMs}. */
  readonly onIdleOverrun: () => void;
  /**
   * Budgets ran out. Every invocation over budget at the same sample is reported together: with CPU
   * charged per isolate, a call that shared the isolate with a runaway one may cross its budget in the
   * same sample, and the owner should not have to pick one of them at random.
   */
  readonly onExpire: (expired: readonly Expiry[]) => void;
  /** The isolate was disposed by someone else: isolated-vm does that when it hits its memory limit. */
  readonly onGone: () => void;
}

/**
 * Enforces CPU and wall budgets on one isolate from the host's event loop.
 *
 * isolated-vm's own `timeout` only covers the first synchronous stretch of a call: code after an `await`,
 * a promise that never settles or a long native call escape it. The watchdog instead samples the
 * isolate's `cpuTime` (readable while the isolate runs on its own thread) and the wall clock every few
 * milliseconds, and reports an expired budget; the owner then disposes the isolate, which stops
 * everything running in it.
 *
 * CPU time is per isolate, not per call, so with concurrent invocations each one is charged for all CPU
 * spent since it started. That over-counts, never under-counts: a hog cannot hide behind neighbours.
 * Between invocations it keeps sampling, slowly: a handler can leave work behind (a continuation that
 * runs when a late host reply arrives, a chain of microtasks) and that work gets a budget too.
 */
export class Watchdog {
  readonly #isolate: ivm.Isolate;
  readonly #options: WatchdogOptions;
  readonly #watches = new Set<Watch>();
  #timer: NodeJS.Timeout | null = null;
  #idleCpuStart = 0n;
  #stopped = false;

  constructor(isolate: ivm.Isolate, options: WatchdogOptions) {
    this.#isolate = isolate;
    this.#options = options;
    this.#schedule();
  }

  /**
   * Start charging invocation `id`; an expiry is reported through `onExpire` at most once. The returned
   * function stops the watch and must be called when the invocation ends.
   */
  watch(id: number, budget: { readonly cpuMs: number; readonly wallMs: number }): () => void {
    const watch: Watch = {
      id,
      cpuStart: this.#cpuTime(),
      wallStart: performance.now(),
      cpuNs: BigInt(Math.round(budget.cpuMs * 1e6)),
      wallMs: budget.wallMs,
    };
    this.#watches.add(watch);
    if (this.#watches.size === 1) this.#schedule();
    return () => this.#unwatch(watch);
  }

  /** Stop for good without reporting; used when the isolate is torn down anyway. */
  stop(): void {
    this.#stopped = true;
    this.#watches.clear();
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }

  #unwatch(watch: Watch): void {
    if (this.#watches.delete(watch) && this.#watches.size === 0) this.#schedule();
  }

  /** Switch between the fast, process-holding active timer and the slow, unref'd idle one. */
  #schedule(): void {
    if (this.#stopped) return;
    if (this.#timer) clearInterval(this.#timer);
    if (this.#watches.size > 0) {
      // Not unref'd: a pending isolate call holds no handle on the event loop, so without this timer a
      // process waiting on a plugin that never settles would exit instead of timing the plugin out.
      this.#timer = setInterval(() => this.#tick(), this.#options.activeIntervalMs);
    } else {
      this.#idleCpuStart = this.#cpuTime();
      this.#timer = setInterval(() => this.#tick(), this.#options.idleIntervalMs);
      this.#timer.unref();
    }
  }

  #cpuTime(): bigint {
    // Reading a disposed isolate's counters throws; a dead isolate spends no more CPU.
    try {
      return this.#isolate.cpuTime;
    } catch {
      return 0n;
    }
  }

  #tick(): void {
    if (this.#isolate.isDisposed) {
      this.stop();
      this.#options.onGone();
      return;
    }
    const cpu = this.#cpuTime();
    if (this.#watches.size === 0) {
      if (cpu - this.#idleCpuStart > BigInt(Math.round(this.#options.idleCpuMs * 1e6))) {
        this.stop();
        this.#options.onIdleOverrun();
      }
      return;
    }
    const now = performance.now();
    const expired: Expiry[] = [];
    for (const watch of this.#watches) {
      if (cpu - watch.cpuStart > watch.cpuNs) expired.push({ id: watch.id, kind: 'cpu' });
      else if (now - watch.wallStart > watch.wallMs) expired.push({ id: watch.id, kind: 'wall' });
    }
    if (expired.length === 0) return;
    this.stop(); // the owner disposes the isolate: every watch ends here
    this.#options.onExpire(expired);
  }
}
