/** One problem of a request, as the API reports it (`path` names the field, dotted for sub-fields). */
export interface ApiErrorDetail {
  readonly path: string;
  readonly message: string;
}

/**
 * An error answer of the API, with its stable code. `message` is the API's own, written for the person
 * who acted; the shell shows it as is and uses the code only to decide what to do (sign in again, say).
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details: readonly ApiErrorDetail[];

  constructor(status: number, code: string, message: string, details: readonly ApiErrorDetail[] = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The detail about a field (by record key, or its first sub-field), if the API named it. */
  detailFor(key: string): ApiErrorDetail | undefined {
    return this.details.find((d) => d.path === key || d.path.startsWith(`${key}.`));
  }
}

/** Codes after which the member has to sign in again. */
export const SIGNED_OUT_CODES: ReadonlySet<string> = new Set(['MOSAIC_ERR_AUTH_REQUIRED', 'MOSAIC_ERR_AUTH_SESSION_EXPIRED']);

/** Turns any answer body into an {@link ApiError}; the API always sends `{error: {code, message, details}}`. */
export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string') {
    const details = Array.isArray(error.details) ? (error.details as ApiErrorDetail[]).filter((d) => typeof d?.path === 'string') : [];
    return new ApiError(status, error.code, typeof error.message === 'string' ? error.message : error.code, details);
  }
  return new ApiError(status, 'MOSAIC_ERR_NETWORK', status === 0 ? 'The server cannot be reached. Check your connection and try again.' : `Unexpected answer (${status}).`);
}
