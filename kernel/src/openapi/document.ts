import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { SESSION_COOKIE } from '../auth/cookie.js';
import { ERROR_CODES } from '../errors/index.js';
import type { WorkspaceMetadata } from '../metadata/model.js';
import type { Access } from '../roles/index.js';
import { ADMIN_SCHEMAS, adminPaths } from './admin-paths.js';
import { CONNECTED_APP_SCHEMAS, CONNECTED_APP_TAGS, connectedAppPaths } from './connected-app-paths.js';
import { ERROR_RESPONSES, object, type Json, type Paths } from './common.js';
import { EVENT_SCHEMAS, eventPaths, eventTags } from './event-paths.js';
import { filterGrammar } from './filter-docs.js';
import { METADATA_SCHEMAS, metadataPaths } from './metadata-paths.js';
import { assignNames } from './naming.js';
import { objectSchemas } from './record-schemas.js';
import { objectTag, recordPaths } from './record-paths.js';
import { timelinePaths, VIEW_SCHEMAS, VIEW_TAGS, viewPaths } from './view-paths.js';

/** The kernel's version, the first part of `info.version`; the rest fingerprints the document. */
const KERNEL_VERSION = ((): string => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

const SHARED_SCHEMAS: Record<string, Json> = {
  Error: object({
    error: object(
      {
        code: { type: 'string', enum: Object.keys(ERROR_CODES), description: 'A stable code; match on it, not on the message.' },
        message: { type: 'string', description: 'What went wrong, worded for a person.' },
        details: {
          type: 'array',
          description: 'One entry per problem, e.g. per invalid field of a record.',
          items: object({ path: { type: 'string' }, message: { type: 'string' }, code: { type: 'string' } }, { optional: ['path', 'code'] }),
        },
      },
      { optional: ['details'] },
    ),
    request_id: { type: 'string', description: 'Also sent as the `x-request-id` header; it identifies the request in the logs.' },
  }),
  PageInfo: object({
    has_next_page: { type: 'boolean' },
    has_previous_page: { type: 'boolean' },
    start_cursor: { type: ['string', 'null'], description: 'Pass as `ending_before` for the previous page.' },
    end_cursor: { type: ['string', 'null'], description: 'Pass as `starting_after` for the next page.' },
  }),
};

const RESPONSE_TEXT: Record<keyof typeof ERROR_RESPONSES, string> = {
  400: 'The request is invalid: a body, parameter, filter or value does not fit (`MOSAIC_ERR_REQUEST_INVALID`, `MOSAIC_ERR_RECORD_INVALID`, `MOSAIC_ERR_QUERY_*`, …).',
  401: 'No valid credential: sign in or send an API key (`MOSAIC_ERR_AUTH_*`).',
  403: 'Your role does not allow this, or the CSRF token is missing (`MOSAIC_ERR_FORBIDDEN`, `MOSAIC_ERR_FIELD_FORBIDDEN`, `MOSAIC_ERR_AUTH_CSRF`).',
  404: 'No such object, record or resource. Objects your role cannot read answer 404 too.',
  409: 'The change conflicts with existing data (`MOSAIC_ERR_RECORD_UNIQUE`, `MOSAIC_ERR_RECORD_REFERENCED`, `*_EXISTS`, …).',
  429: 'Too many requests; wait and try again (`MOSAIC_ERR_RATE_LIMITED`).',
  502: 'A receiver behind the server failed (`MOSAIC_ERR_EVENT_REPLAY_FAILED`).',
  503: 'Not available now: the server is not ready, or nothing here can deliver to that subscriber (`MOSAIC_ERR_NOT_READY`, `MOSAIC_ERR_SUBSCRIBER_UNAVAILABLE`).',
};

function overview(workspaceName: string): string {
  return [
    `The Mosaic CRM API of the workspace "${workspaceName}", generated from its metadata for your role: it lists the objects and fields you can read and the operations you may perform.`,
    '',
    '**Authentication**: the `mosaic_session` cookie from `/api/auth/sign-in` (then every POST, PATCH and DELETE needs the `x-csrf-token` header with the `csrf_token` from the sign-in answer), or an API key as `Authorization: Bearer mk_…`.',
    '',
    '**Errors** always have the shape of the `Error` schema, with a stable `code`.',
    '',
    '**Records** live under `/api/objects/<object>`; lists are paginated with cursors (`page_info`) and filtered with the grammar below.',
    '',
    filterGrammar(),
  ].join('\n');
}

/**
 * Builds the OpenAPI 3.1 document of one workspace for one role: record schemas and paths for every
 * object the role can read (with only the fields it can read), and the metadata, auth, workspace,
 * event and webhook routes. Pure: the same inputs give an equal document.
 */
export function buildDocument(metadata: WorkspaceMetadata, access: Access, workspaceName: string): Json {
  const objects = [...metadata.objects.values()].filter((o) => access.object(o.name, 'read')).sort((a, b) => a.name.localeCompare(b.name));
  const fixed = { ...SHARED_SCHEMAS, ...METADATA_SCHEMAS, ...ADMIN_SCHEMAS, ...EVENT_SCHEMAS, ...VIEW_SCHEMAS, ...CONNECTED_APP_SCHEMAS };
  const names = assignNames(objects.map((o) => o.name), new Set(Object.keys(fixed)));
  const schemas: Record<string, Json> = { ...fixed };
  const paths: Paths = metadataPaths(access);
  for (const object_ of objects) {
    Object.assign(schemas, objectSchemas(object_, metadata, access, names));
    Object.assign(paths, recordPaths(object_, access, names.get(object_.name)!));
    Object.assign(paths, timelinePaths(object_, names.get(object_.name)!));
  }
  Object.assign(paths, adminPaths(access), connectedAppPaths(access), eventPaths(access), viewPaths(access));

  const responses = Object.fromEntries(
    Object.entries(ERROR_RESPONSES).map(([status, name]) => [
      name,
      { description: RESPONSE_TEXT[Number(status) as keyof typeof ERROR_RESPONSES], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );
  const document: Json = {
    openapi: '3.1.0',
    info: { title: `Mosaic CRM API — ${workspaceName}`, version: KERNEL_VERSION, description: overview(workspaceName) },
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    servers: [{ url: '/', description: 'This server' }],
    security: [{ sessionCookie: [] }, { apiKey: [] }],
    tags: [
      { name: 'Auth', description: 'Accounts and sessions.' },
      { name: 'Metadata', description: 'Objects and fields: the schema of the workspace.' },
      ...objects.map(objectTag),
      ...VIEW_TAGS,
      { name: 'Workspace', description: 'Members, invites and API keys.' },
      { name: 'Roles', description: 'Built-in and custom roles.' },
      ...CONNECTED_APP_TAGS,
      ...eventTags(access),
      { name: 'Health', description: 'Liveness and readiness.' },
      { name: 'Meta', description: 'This document.' },
    ],
    paths,
    components: {
      schemas,
      responses,
      parameters: {
        CsrfToken: {
          name: 'x-csrf-token',
          in: 'header',
          required: false,
          description: 'Required with the session cookie (the `csrf_token` of the session); not needed with an API key.',
          schema: { type: 'string' },
        },
      },
      securitySchemes: {
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: `The session cookie set by sign-in, sign-up and accepting an invite. Unsafe methods (POST, PATCH, DELETE) must also send the \`x-csrf-token\` header with the session's \`csrf_token\`.`,
        },
        apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'mk_…', description: 'A workspace API key: `Authorization: Bearer mk_…`. Acts with the role it was created with; needs no CSRF token.' },
      },
    },
  };
  return document;
}

/** A built document with its serialised form and entity tag, so repeated requests only send bytes. */
export interface CachedDocument {
  readonly document: Json;
  readonly json: string;
  /** A strong entity tag (quoted), also the suffix of `info.version`. */
  readonly etag: string;
}

/** Bound per metadata version: role edits add entries, and nothing else removes them until metadata changes. */
const MAX_PER_METADATA = 64;
const cache = new WeakMap<WorkspaceMetadata, Map<string, CachedDocument>>();
const fingerprints = new WeakMap<object, string>();

/**
 * What, besides metadata, the document depends on: the role's key and the permissions it holds (a
 * custom role can be edited without changing its key; the edit reloads the caller's `Access` with a new
 * permissions object), and the workspace name in the title.
 */
function cacheKey(access: Access, workspaceName: string): string {
  let permissions = fingerprints.get(access.permissions);
  if (permissions === undefined) {
    permissions = JSON.stringify(access.permissions);
    fingerprints.set(access.permissions, permissions);
  }
  return `${access.roleKey}\u0000${workspaceName}\u0000${permissions}`;
}

/**
 * The document for a workspace's metadata and a role, built once per metadata version: the store
 * hands out a new `WorkspaceMetadata` after every change, so the WeakMap entry of the old one is
 * simply never hit again and is collected with it.
 */
export function cachedDocument(metadata: WorkspaceMetadata, access: Access, workspaceName: string): CachedDocument {
  let byRole = cache.get(metadata);
  if (!byRole) {
    byRole = new Map();
    cache.set(metadata, byRole);
  }
  const key = cacheKey(access, workspaceName);
  let entry = byRole.get(key);
  if (!entry) {
    const document = buildDocument(metadata, access, workspaceName);
    const hash = createHash('sha256').update(JSON.stringify(document)).digest('hex').slice(0, 16);
    (document.info as Json).version = `${KERNEL_VERSION}+${hash}`;
    entry = { document, json: JSON.stringify(document), etag: `"${hash}"` };
    if (byRole.size >= MAX_PER_METADATA) byRole.delete(byRole.keys().next().value as string);
    byRole.set(key, entry);
  }
  return entry;
}
