import { sdkError } from '../sdk-error.js';

/** The key and value that mark a route result as a response envelope. */
export const RESPONSE_MARK = '$mosaic';

/** A JSON response with a status of your choosing. */
export interface JsonResponseInit {
  /** An HTTP status, 200 to 599. */
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON (`application/json`); omit for an empty body. */
  readonly body?: unknown;
}

/** A text response (`text/plain` unless `headers` names another `content-type`). */
export interface TextResponseInit {
  /** An HTTP status, 200 to 599. */
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly text: string;
}

/**
 * The plain object a route returns to choose its status, headers or a text body. The kernel recognises
 * exactly this shape: an own key `$mosaic` equal to `"response"`. Anything else a route returns is
 * answered 200 as JSON.
 */
export type PluginResponse =
  | { readonly $mosaic: 'response'; readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly body?: unknown }
  | { readonly $mosaic: 'response'; readonly status: number; readonly headers?: Readonly<Record<string, string>>; readonly text: string };

const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function checkedHeaders(headers: unknown): Record<string, string> | undefined {
  if (headers === undefined) return undefined;
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) throw sdkError('MOSAIC_ERR_DEFINE_RESPONSE_INVALID', 'respond(): headers must be an object of strings.');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw sdkError('MOSAIC_ERR_DEFINE_RESPONSE_INVALID', `respond(): "${name}" is not a valid header name.`);
    // A line break in a value would be a header injection; the kernel refuses it too, earlier is kinder.
    if (typeof value !== 'string' || /[\r\n\0]/.test(value)) throw sdkError('MOSAIC_ERR_DEFINE_RESPONSE_INVALID', `respond(): header "${name}" must be a string on one line.`);
    out[name.toLowerCase()] = value;
  }
  return out;
}

/**
 * Builds a route response with a status other than 200, extra headers, or a text body:
 *
 * ```ts
 * return respond({ status: 201, body: created });
 * return respond({ status: 200, headers: { 'content-type': 'text/csv' }, text: csv });
 * ```
 *
 * Give either `body` (JSON) or `text`, not both. Returns a plain object (see {@link PluginResponse}),
 * so a unit test can assert on it directly. The kernel checks it again and answers
 * `MOSAIC_ERR_PLUGIN_RESPONSE_INVALID` for headers outside its allow-list — `cache-control`,
 * `content-disposition`, `content-language`, `etag`, `expires`, `last-modified`, `location`, `vary`,
 * `x-…` — or a `content-type` other than `text/plain`, `text/csv`, `text/markdown`, `text/calendar`,
 * `application/json` or `application/xml` (no HTML: it would run on the CRM's origin). A 204 sends no body.
 *
 * @throws Error with code `MOSAIC_ERR_DEFINE_RESPONSE_INVALID` for a status outside 200–599, both
 * `body` and `text`, a non-string `text`, or invalid headers.
 */
export function respond(init: JsonResponseInit | TextResponseInit): PluginResponse {
  if (typeof init !== 'object' || init === null) throw sdkError('MOSAIC_ERR_DEFINE_RESPONSE_INVALID', 'respond() takes { status, headers?, body? } or { status, headers?, text }.');
  const { status } = init;
  // 1xx are protocol steps, not answers; a handler can only answer once.
  if (!Number.isInteger(status) || status < 200 || status > 599) throw sdkError('MOSAIC_ERR_DEFINE_RESPONSE_INVALID', `respond(): status must be a whole number from 200 to 599, got ${String(status)}.`);
  const headers = checkedHeaders(init.headers);
  const base = headers === undefined ? { $mosaic: 'response' as const, status } : { $mosaic: 'response' as const, status, headers };
  if ('text' in init && init.text !== undefined) {
    if ('body' in init && (init as { body?: unknown }).body !== undefined) throw sdkError('MOSAIC_ERR_DEFINE_RESPONSE_INVALID', 'respond(): give either body or text, not both.');
    if (typeof init.text !== 'string') throw sdkError('MOSAIC_ERR_DEFINE_RESPONSE_INVALID', 'respond(): text must be a string.');
    return { ...base, text: init.text };
  }
  const body = (init as JsonResponseInit).body;
  return body === undefined ? base : { ...base, body };
}

/** True when `value` is a response envelope built by {@link respond} (or by hand in the same shape). */
export function isPluginResponse(value: unknown): value is PluginResponse {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, RESPONSE_MARK) && (value as Record<string, unknown>)[RESPONSE_MARK] === 'response';
}
