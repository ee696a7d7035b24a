import { ERROR_CODES, type ErrorCode } from './codes.js';

/** One problem inside a failed request, e.g. a single invalid field of a record body. */
export interface ErrorDetail {
  /** Where the problem is: a field name, a dotted path, or a query parameter. */
  readonly path?: string;
  readonly message: string;
  readonly code?: string;
}

/**
 * The only error type the kernel throws on purpose. It carries a stable code from the registry in
 * `codes.ts`, the HTTP status that code maps to, and a message a user can act on.
 */
export class MosaicError extends Error {
  readonly code: ErrorCode;
  readonly statusCode: number;
  readonly details: readonly ErrorDetail[];

  constructor(code: ErrorCode, message?: string, details: readonly ErrorDetail[] = [], options?: { cause?: unknown }) {
    super(message ?? ERROR_CODES[code].message, options);
    this.name = 'MosaicError';
    this.code = code;
    this.statusCode = ERROR_CODES[code].status;
    this.details = details;
  }

  /** The JSON body sent to clients. */
  toJSON(): { code: ErrorCode; message: string; details?: readonly ErrorDetail[] } {
    return this.details.length > 0
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

/** True when `value` is a {@link MosaicError}, also across module copies. */
export function isMosaicError(value: unknown): value is MosaicError {
  return value instanceof MosaicError;
}
