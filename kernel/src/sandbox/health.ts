import type { ErrorCode, MosaicError } from '../errors/index.js';

/**
 * Sandbox failures: the kernel had to step in (stop the isolate, refuse output, refuse host calls).
 * They count towards degradation. Handler exceptions (`MOSAIC_ERR_PLUGIN_ERROR`) and unknown handlers
 * do not: a handler that rejects bad input is doing its job, and both are answered cheaply without
 * harm to the kernel. They do not reset the streak either — only a success does — so a plugin cannot
 * launder a run of timeouts by throwing in between.
 */
const SANDBOX_FAILURES: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'MOSAIC_ERR_PLUGIN_TIMEOUT',
  'MOSAIC_ERR_PLUGIN_MEMORY',
  'MOSAIC_ERR_PLUGIN_CRASHED',
  'MOSAIC_ERR_PLUGIN_OUTPUT_TOO_LARGE',
  'MOSAIC_ERR_PLUGIN_OUTPUT_INVALID',
  'MOSAIC_ERR_PLUGIN_HOST_CALLS',
]);

/** True when `error` counts towards a plugin's degradation. */
export function isSandboxFailure(error: MosaicError): boolean {
  return SANDBOX_FAILURES.has(error.code);
}

/** A plugin's run of sandbox failures and whether it crossed the threshold. */
export class Health {
  readonly #threshold: number;
  #streak = 0;
  #degraded = false;
  #lastError: { code: ErrorCode; message: string } | null = null;
  #lastErrorAt: string | null = null;

  constructor(threshold: number) {
    this.#threshold = threshold;
  }

  get degraded(): boolean {
    return this.#degraded;
  }

  get failures(): number {
    return this.#streak;
  }

  get lastError(): { readonly code: ErrorCode; readonly message: string } | null {
    return this.#lastError;
  }

  get lastErrorAt(): string | null {
    return this.#lastErrorAt;
  }

  success(): void {
    this.#streak = 0;
  }

  /** Record a sandbox failure; returns `true` when it made the plugin degraded. */
  failure(error: MosaicError): boolean {
    this.#streak++;
    this.#lastError = { code: error.code, message: error.message };
    this.#lastErrorAt = new Date().toISOString();
    if (this.#degraded || this.#streak < this.#threshold) return false;
    this.#degraded = true;
    return true;
  }

  /** Degrade at once, whatever the streak (V8 lost control of the isolate). */
  degrade(error: MosaicError): void {
    this.#lastError = { code: error.code, message: error.message };
    this.#lastErrorAt = new Date().toISOString();
    this.#degraded = true;
  }

  /** Clear the streak and the degraded mark; the last error stays for the record. */
  reset(): void {
    this.#streak = 0;
    this.#degraded = false;
  }
}
