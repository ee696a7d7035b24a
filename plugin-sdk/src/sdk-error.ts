import type { SdkErrorCode } from '../errors.js';

/**
 * An SDK misuse error: an ordinary `Error` with a stable `code`. In the sandbox it reaches the kernel
 * like any handler error (message and code), so the author sees the code in the kernel's answer.
 */
export function sdkError(code: SdkErrorCode, message: string): Error & { code: SdkErrorCode } {
  return Object.assign(new Error(message), { code });
}
