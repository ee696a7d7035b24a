import type ivm from 'isolated-vm';

/** Which budget ran out. */
export type BudgetKind = 'cpu' | 'wall';

interface Watch {
  readonly cpuStart: bigint;
  readonly wallStart: number;
  readonly cpuNs: bigint;
  readonly wallMs: number;
  readonly onExpire: (kind: BudgetKind) => void;
}

/**
 * Enforces per-invocation CPU and wall budgets on one isolate from the host's event loop.
 *
 * isolated-vm's own `timeout` only covers the first synchronous stretch of a call: code after an `await`,
 * a promise that never settles or a long native call escape it. The watchdog instead samples the
 * isolate's `cpuTime` (readable while the isolate runs on its own thread) and the wall clock every few
 * milliseconds, and reports an expired budget; the owner then disposes the isolate, which stops
 * everything running in it.
 *
 * CPU time is per isolate, not per call, so with concurrent invocations each one is charged for all CPU
 * spent since it started. That over-counts, never under-counts: a hog cannot hide behind neighbours.
 */
export class Watchdog {
  readonly #isolate: ivm.Isolate;
  readonly #intervalMs: number;
  readonly #watches = new Set<Watch>();
  #timer: NodeJS.Timeout | null = null;

  constructor(isolate: ivm.Isolate, intervalMs: number) {
    this.#isolate = isolate;
    this.#intervalMs = intervalMs;
  }

  /**
   * Start charging an invocation. `onExpire` is called at most once, from a timer callback; the returned
   * function stops the watch and must be called when the invocation ends.
   */
  watch(budget: { readonly cpuMs: number; readonly wallMs: number }, onExpire: (kind: BudgetKind) => void): () => void {
    const watch: Watch = {
      cpuStart: this.#cpuTime(),
      wallStart: performance.now(),
      cpuNs: BigInt(Math.round(budget.cpuMs * 1e6)),
      wallMs: budget.wallMs,
      onExpire,
    };
    this.#watches.add(watch);
    // The timer is deliberately not unref'd: a pending isolate call holds no handle on the event loop,
    // so without it a process waiting on a plugin that never settles would exit instead of timing out.
    // It only runs while calls are in flight, and never longer than their wall budget.
    this.#timer ??= setInterval(() => this.#tick(), this.#intervalMs);
    return () => this.#unwatch(watch);
  }

  /** Stop every watch without reporting; used when the isolate is gone anyway. */
  stop(): void {
    this.#watches.clear();
    this.#clearTimer();
  }

  #unwatch(watch: Watch): void {
    this.#watches.delete(watch);
    if (this.#watches.size === 0) this.#clearTimer();
  }

  #clearTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
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
    const cpu = this.#cpuTime();
    const now = performance.now();
    for (const watch of [...this.#watches]) {
      let kind: BudgetKind | null = null;
      if (cpu - watch.cpuStart > watch.cpuNs) kind = 'cpu';
      else if (now - watch.wallStart > watch.wallMs) kind = 'wall';
      if (kind) {
        this.#unwatch(watch);
        watch.onExpire(kind);
      }
    }
  }
}
