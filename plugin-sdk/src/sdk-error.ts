import type { SdkErrorCode } from './errors.js';

/**
 * An error the SDK raises itself: an ordinary `Error` with a stable `code` from `SDK_ERROR_CODES`, and
 * optional detail lines (one per problem: a manifest path, an esbuild location). In the sandbox it
 * reaches the kernel like any handler error; the CLI prints the code, message and details.
 */
export class SdkError extends Error {
  readonly code: SdkErrorCode;
  /** One line per problem, when there are several. */
  readonly details: readonly string[];

  constructor(code: SdkErrorCode, message: string, details: readonly string[] = [], options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SdkError';
    this.code = code;
    this.details = details;
  }
}

/** Shorthand for `new SdkError(code, message, details)`. */
export function sdkError(code: SdkErrorCode, message: string, details: readonly string[] = []): SdkError {
  return new SdkError(code, message, details);
}

/** True when `value` is an {@link SdkError}. */
export function isSdkError(value: unknown): value is SdkError {
  return value instanceof SdkError;
}
