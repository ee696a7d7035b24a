/**
 * Building blocks shared by every part of the OpenAPI document: references, response sets and the
 * operation builder. The document is plain data; tests check it with a real OpenAPI validator.
 */

/** A JSON Schema or OpenAPI fragment; kept loose because the document is data, checked by a validator in tests. */
export type Json = Record<string, unknown>;

/** The `paths` object: path → method → operation. */
export type Paths = Record<string, Record<string, Json>>;

/** A `$ref` to a component schema. */
export function ref(name: string): Json {
  return { $ref: `#/components/schemas/${name}` };
}

/** `schema` or null (JSON Schema 2020-12 style, as OpenAPI 3.1 allows). */
export function orNull(schema: Json): Json {
  return { anyOf: [schema, { type: 'null' }] };
}

/** An object schema whose listed properties are all required. */
export function object(properties: Record<string, Json>, options: { optional?: readonly string[]; description?: string; open?: boolean } = {}): Json {
  const optional = new Set(options.optional ?? []);
  return {
    type: 'object',
    ...(options.description ? { description: options.description } : {}),
    ...(options.open ? {} : { additionalProperties: false }),
    required: Object.keys(properties).filter((k) => !optional.has(k)),
    properties,
  };
}

/** The `{ data: … }` envelope most routes answer with. */
export function dataOf(schema: Json): Json {
  return object({ data: schema });
}

/** Error statuses and the reusable response each maps to (see `errorResponses` in document.ts). */
export const ERROR_RESPONSES = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
} as const;

/** An error status the document has a reusable response for. */
export type ErrorStatus = keyof typeof ERROR_RESPONSES;

/** Who may call an operation: anyone, a session only, or the document's default (session or API key). */
export type Security = 'public' | 'optional' | 'session' | 'default';

/** What {@link addOperation} needs to describe one route. */
export interface OperationSpec {
  readonly id: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag: string;
  readonly parameters?: readonly Json[];
  /** The JSON request body schema; required unless `bodyOptional`. */
  readonly body?: Json;
  readonly bodyOptional?: boolean;
  /** The success status and its body schema (none for 204). */
  readonly ok: { readonly status: 200 | 201 | 204; readonly schema?: Json; readonly description: string };
  readonly errors: readonly ErrorStatus[];
  readonly security?: Security;
  /** False for the routes that start a session and so take no CSRF token. */
  readonly csrf?: boolean;
}

const UNSAFE = new Set(['post', 'patch', 'put', 'delete']);

/** Adds one operation to `paths`. Unsafe methods get the `x-csrf-token` header parameter (sessions need it). */
export function addOperation(paths: Paths, path: string, method: 'get' | 'post' | 'patch' | 'delete', spec: OperationSpec): void {
  const security = spec.security ?? 'default';
  const parameters = [...(spec.parameters ?? [])];
  if (UNSAFE.has(method) && spec.csrf !== false && security !== 'public') parameters.push({ $ref: '#/components/parameters/CsrfToken' });
  const responses: Json = {
    [spec.ok.status]: {
      description: spec.ok.description,
      ...(spec.ok.schema ? { content: { 'application/json': { schema: spec.ok.schema } } } : {}),
    },
  };
  const errors = new Set<ErrorStatus>(spec.errors);
  if (security === 'default' || security === 'session') errors.add(401);
  for (const status of [...errors].sort()) responses[status] = { $ref: `#/components/responses/${ERROR_RESPONSES[status]}` };
  (paths[path] ??= {})[method] = {
    operationId: spec.id,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(spec.body ? { requestBody: { required: spec.bodyOptional !== true, content: { 'application/json': { schema: spec.body } } } } : {}),
    responses,
    ...(security === 'public' ? { security: [] } : {}),
    ...(security === 'optional' ? { security: [{}, { sessionCookie: [] }, { apiKey: [] }] } : {}),
    ...(security === 'session' ? { security: [{ sessionCookie: [] }] } : {}),
  };
}

/** A path parameter. */
export function pathParam(name: string, schema: Json, description: string): Json {
  return { name, in: 'path', required: true, description, schema };
}

/** A query parameter. */
export function queryParam(name: string, schema: Json, description: string): Json {
  return { name, in: 'query', required: false, description, schema };
}
