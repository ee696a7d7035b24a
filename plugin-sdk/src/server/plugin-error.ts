import { sdkError } from '../sdk-error.js';

/** Plugin error codes: UPPER_SNAKE_CASE, starting with a letter. */
const CODE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

// A brand rather than `instanceof`, so an error from a second copy of the SDK in one bundle still counts.
const BRAND = Symbol.for('mosaic.plugin-error');

/**
 * An error a handler throws on purpose, with a code its callers can match on.
 *
 * - In a **route**, with a `status`, the caller gets that status and the kernel's error shape:
 *   `{ "error": { "code": "ACME_NOT_FOUND", "message": "…" } }`. Without a status the kernel answers
 *   500 `MOSAIC_ERR_PLUGIN_ERROR`, its message naming the plugin and handler, with the plugin's code and
 *   message in `error.details[0]`.
 * - In an **event handler** or a **job**, any thrown error means "failed": the event is retried with
 *   backoff and ends in the dead letters, the job run is recorded as failed; the code and message are
 *   kept with it. `status` plays no part there.
 *
 * Codes are the plugin's own: UPPER_SNAKE_CASE (`ACME_QUOTA_EXCEEDED`), and never `MOSAIC_…`, which
 * belongs to the kernel and the SDK — a caller must be able to tell who is speaking.
 */
export class PluginError extends Error {
  /** The plugin's error code. */
  readonly code: string;
  /** The HTTP status a route answers with, 400 to 599, or undefined for the kernel's 500. */
  readonly status: number | undefined;

  /**
   * @param code UPPER_SNAKE_CASE, not starting with `MOSAIC_`.
   * @param message What went wrong, for the caller.
   * @param status For routes: 400 to 599.
   * @throws Error `MOSAIC_ERR_DEFINE_ERROR_INVALID` for a malformed code or status.
   */
  constructor(code: string, message: string, status?: number) {
    super(message);
    if (typeof code !== 'string' || !CODE.test(code) || code.startsWith('MOSAIC_')) {
      throw sdkError('MOSAIC_ERR_DEFINE_ERROR_INVALID', `PluginError: the code must be UPPER_SNAKE_CASE and not start with MOSAIC_, got ${JSON.stringify(code)}.`);
    }
    if (status !== undefined && (!Number.isInteger(status) || status < 400 || status > 599)) {
      throw sdkError('MOSAIC_ERR_DEFINE_ERROR_INVALID', `PluginError: the status must be a whole number from 400 to 599, got ${String(status)}.`);
    }
    this.name = 'PluginError';
    this.code = code;
    this.status = status;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/** True when `value` is a {@link PluginError} (from any copy of the SDK). */
export function isPluginError(value: unknown): value is PluginError {
  return value instanceof Error && (value as unknown as Record<symbol, unknown>)[BRAND] === true;
}
