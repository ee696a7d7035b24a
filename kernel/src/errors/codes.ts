/**
 * The kernel's error registry. Every error the kernel returns has a code from this table; codes are
 * stable API (clients match on them), so never rename one — add a new code instead.
 * `docs/api.md` lists every code, and a test checks that the two agree.
 */
export const ERROR_CODES = {
  // config / boot
  MOSAIC_ERR_CONFIG_INVALID: { status: 500, message: 'The configuration is invalid.' },
  MOSAIC_ERR_DB_PORT_IN_USE: { status: 500, message: 'The embedded PostgreSQL port is already in use.' },
  MOSAIC_ERR_DB_STALE_SERVER: { status: 500, message: 'A PostgreSQL server from an earlier run still holds the data folder.' },
  MOSAIC_ERR_DB_VERSION_MISMATCH: { status: 500, message: 'The data folder was created by another PostgreSQL version.' },
  MOSAIC_ERR_DB_START_FAILED: { status: 500, message: 'The embedded PostgreSQL server did not start.' },
  // generic request errors
  MOSAIC_ERR_INTERNAL: { status: 500, message: 'Something went wrong on our side; the request id identifies it in the logs.' },
  MOSAIC_ERR_REQUEST_INVALID: { status: 400, message: 'The request is invalid.' },
  MOSAIC_ERR_BODY_TOO_LARGE: { status: 413, message: 'The request body is too large.' },
  MOSAIC_ERR_ROUTE_NOT_FOUND: { status: 404, message: 'No such route.' },
  MOSAIC_ERR_RATE_LIMITED: { status: 429, message: 'Too many requests; wait and try again.' },
  MOSAIC_ERR_NOT_READY: { status: 503, message: 'The database is not reachable or its migrations are not applied.' },
  // auth
  MOSAIC_ERR_AUTH_REQUIRED: { status: 401, message: 'Sign in or send an API key.' },
  MOSAIC_ERR_AUTH_INVALID_CREDENTIALS: { status: 401, message: 'The email or password is wrong.' },
  MOSAIC_ERR_AUTH_SESSION_EXPIRED: { status: 401, message: 'The session has expired; sign in again.' },
  MOSAIC_ERR_AUTH_API_KEY_INVALID: { status: 401, message: 'The API key is unknown, revoked or expired.' },
  MOSAIC_ERR_AUTH_CSRF: { status: 403, message: 'The CSRF token is missing or wrong; send the x-csrf-token header from the session.' },
  MOSAIC_ERR_AUTH_EMAIL_TAKEN: { status: 409, message: 'An account with this email already exists; sign in instead.' },
  MOSAIC_ERR_AUTH_NOT_A_MEMBER: { status: 403, message: 'You are not a member of that workspace.' },
  MOSAIC_ERR_INVITE_INVALID: { status: 400, message: 'The invite is unknown, used or expired.' },
  // permissions
  MOSAIC_ERR_FORBIDDEN: { status: 403, message: 'Your role does not allow this.' },
  MOSAIC_ERR_FIELD_FORBIDDEN: { status: 403, message: 'Your role does not allow access to this field.' },
  // workspace administration
  MOSAIC_ERR_MEMBER_NOT_FOUND: { status: 404, message: 'No such member.' },
  MOSAIC_ERR_MEMBER_EXISTS: { status: 409, message: 'This person is already a member of the workspace.' },
  MOSAIC_ERR_LAST_OWNER: { status: 409, message: 'A workspace needs at least one owner.' },
  MOSAIC_ERR_ROLE_NOT_FOUND: { status: 404, message: 'No such role.' },
  MOSAIC_ERR_ROLE_EXISTS: { status: 409, message: 'A role with this key already exists.' },
  MOSAIC_ERR_ROLE_BUILT_IN: { status: 409, message: 'Built-in roles cannot be changed or deleted.' },
  MOSAIC_ERR_ROLE_IN_USE: { status: 409, message: 'The role is still assigned to members or API keys.' },
  MOSAIC_ERR_API_KEY_NOT_FOUND: { status: 404, message: 'No such API key.' },
  MOSAIC_ERR_INVITE_NOT_FOUND: { status: 404, message: 'No such invite.' },
  // metadata
  MOSAIC_ERR_OBJECT_NOT_FOUND: { status: 404, message: 'No such object.' },
  MOSAIC_ERR_OBJECT_EXISTS: { status: 409, message: 'An object with this name already exists.' },
  MOSAIC_ERR_OBJECT_IN_USE: { status: 409, message: 'Other objects relate to this object; delete those relation fields first.' },
  MOSAIC_ERR_FIELD_NOT_FOUND: { status: 404, message: 'No such field.' },
  MOSAIC_ERR_FIELD_EXISTS: { status: 409, message: 'A field with this name already exists on the object.' },
  MOSAIC_ERR_FIELD_TYPE_UNKNOWN: { status: 400, message: 'Unknown field type.' },
  MOSAIC_ERR_FIELD_TYPE_IMMUTABLE: { status: 400, message: 'A field type cannot be changed; add a new field instead.' },
  MOSAIC_ERR_FIELD_SYSTEM: { status: 400, message: 'System fields cannot be changed or deleted.' },
  MOSAIC_ERR_FIELD_IN_USE: { status: 409, message: 'This field is the reverse side of a relation; delete the relation field instead.' },
  MOSAIC_ERR_NAME_INVALID: { status: 400, message: 'Names are lower snake_case: a letter, then letters, digits or single underscores, at most 48 characters.' },
  MOSAIC_ERR_NAME_RESERVED: { status: 400, message: 'This name is reserved.' },
  MOSAIC_ERR_FIELD_OPTIONS_INVALID: { status: 400, message: 'The field options are invalid for its type.' },
  MOSAIC_ERR_RELATION_TARGET_MISSING: { status: 400, message: 'The relation points to an object that does not exist.' },
  MOSAIC_ERR_UNIQUE_VIOLATION_EXISTING: { status: 409, message: 'Existing records have duplicate values, so the field cannot be made unique.' },
  MOSAIC_ERR_METADATA_BUSY: { status: 503, message: 'The table is busy; the schema change was not applied. Try again.' },
  // records
  MOSAIC_ERR_RECORD_NOT_FOUND: { status: 404, message: 'No such record.' },
  MOSAIC_ERR_RECORD_INVALID: { status: 400, message: 'The record is invalid.' },
  MOSAIC_ERR_RECORD_UNIQUE: { status: 409, message: 'Another record already has this value in a unique field.' },
  MOSAIC_ERR_RECORD_RELATION_MISSING: { status: 400, message: 'A relation points to a record that does not exist.' },
  MOSAIC_ERR_RECORD_REFERENCED: { status: 409, message: 'Other records still point to this record.' },
  MOSAIC_ERR_BATCH_TOO_LARGE: { status: 400, message: 'A batch holds at most 1,000 records.' },
  MOSAIC_ERR_QUERY_FILTER_SYNTAX: { status: 400, message: 'The filter is not valid filter grammar.' },
  MOSAIC_ERR_QUERY_UNKNOWN_FIELD: { status: 400, message: 'The query names a field the object does not have.' },
  MOSAIC_ERR_QUERY_OPERATOR: { status: 400, message: 'This operator cannot be used on this field.' },
  MOSAIC_ERR_QUERY_VALUE: { status: 400, message: 'The value does not fit the field.' },
  MOSAIC_ERR_QUERY_ORDER_BY: { status: 400, message: 'The order_by parameter is invalid.' },
  MOSAIC_ERR_QUERY_CURSOR: { status: 400, message: 'The cursor is invalid or belongs to another sort order.' },
  MOSAIC_ERR_QUERY_LIMIT: { status: 400, message: 'limit must be a whole number from 1 to 500.' },
  // events
  MOSAIC_ERR_DEAD_LETTER_NOT_FOUND: { status: 404, message: 'No such dead letter.' },
  MOSAIC_ERR_EVENT_REPLAY_FAILED: { status: 502, message: 'The subscriber failed again; the dead letter is kept.' },
  MOSAIC_ERR_SUBSCRIBER_UNAVAILABLE: { status: 503, message: 'No deliverer for this subscriber is running in this kernel process.' },
  // webhooks
  MOSAIC_ERR_WEBHOOK_NOT_FOUND: { status: 404, message: 'No such webhook.' },
  MOSAIC_ERR_WEBHOOK_URL_INVALID: { status: 400, message: 'The webhook URL is invalid: use an absolute http or https URL without a user name or password.' },
  MOSAIC_ERR_WEBHOOK_URL_FORBIDDEN: { status: 400, message: 'The webhook URL points to a loopback, private or link-local address; an administrator can allow such targets with WEBHOOK_ALLOW_PRIVATE=true.' },
  // sandbox
  MOSAIC_ERR_PLUGIN_TIMEOUT: { status: 504, message: 'The plugin ran past its CPU or wall-time budget and was stopped.' },
  MOSAIC_ERR_PLUGIN_MEMORY: { status: 500, message: 'The plugin ran out of memory and was stopped.' },
  MOSAIC_ERR_PLUGIN_CRASHED: { status: 500, message: "The plugin's sandbox stopped unexpectedly; try again." },
  MOSAIC_ERR_PLUGIN_HANDLER_MISSING: { status: 404, message: 'The plugin has no such handler.' },
  MOSAIC_ERR_PLUGIN_HOST_CALLS: { status: 429, message: 'The plugin made more host calls than one invocation allows.' },
  MOSAIC_ERR_PLUGIN_BRIDGE_INVALID: { status: 400, message: 'The plugin made a malformed host call, or one after its invocation ended.' },
  MOSAIC_ERR_PLUGIN_OUTPUT_TOO_LARGE: { status: 502, message: 'The plugin returned more data than one invocation allows.' },
  MOSAIC_ERR_PLUGIN_OUTPUT_INVALID: { status: 502, message: 'The plugin returned JSON that is malformed or nested too deeply.' },
  MOSAIC_ERR_PLUGIN_ERROR: { status: 500, message: "The plugin's handler failed." },
  MOSAIC_ERR_PLUGIN_DEGRADED: { status: 503, message: 'The plugin failed repeatedly and is paused until an administrator resets it.' },
  MOSAIC_ERR_PLUGIN_STOPPED: { status: 503, message: "The plugin's sandbox has been shut down." },
  MOSAIC_ERR_PLUGIN_BUNDLE_FAILED: { status: 400, message: "The plugin's server code could not be bundled." },
  // plugins
  MOSAIC_ERR_PLUGIN_MANIFEST_INVALID: { status: 400, message: 'The plugin manifest is invalid; see details for every problem.' },
  MOSAIC_ERR_PLUGIN_PATH_FORBIDDEN: { status: 400, message: 'Plugins can be installed only from a folder under one of the PLUGIN_DIRS directories.' },
  MOSAIC_ERR_PLUGIN_ALREADY_INSTALLED: { status: 409, message: 'This plugin is already installed in the workspace.' },
  MOSAIC_ERR_PLUGIN_NOT_INSTALLED: { status: 404, message: 'No such plugin is installed in this workspace.' },
  MOSAIC_ERR_PLUGIN_ROUTE_NOT_FOUND: { status: 404, message: 'The plugin has no route for this method and path.' },
  // plugin host API (ctx.host.*) and plugin state
  MOSAIC_ERR_PLUGIN_PERMISSION: { status: 403, message: "The plugin's manifest does not grant this; the plugin must ask for the permission and an administrator must consent to it." },
  MOSAIC_ERR_PLUGIN_VALUE_TOO_LARGE: { status: 413, message: 'A value the plugin passed to the host API is over its size limit.' },
  MOSAIC_ERR_PLUGIN_KV_QUOTA: { status: 409, message: 'The plugin already stores 10,000 keys in this workspace; delete some first.' },
  MOSAIC_ERR_PLUGIN_KV_NOT_NUMBER: { status: 409, message: 'kv.increment works only on a key whose value is a number.' },
  MOSAIC_ERR_PLUGIN_HTTP_ADDRESS: { status: 403, message: 'Plugins may not reach loopback, private or link-local addresses; an administrator can allow them with PLUGIN_HTTP_ALLOW_PRIVATE=true.' },
  MOSAIC_ERR_PLUGIN_HTTP_TIMEOUT: { status: 504, message: 'The outbound HTTP request got no complete response in time.' },
  MOSAIC_ERR_PLUGIN_HTTP_TOO_LARGE: { status: 502, message: 'The outbound HTTP response is larger than plugins may read.' },
  MOSAIC_ERR_PLUGIN_HTTP_FAILED: { status: 502, message: 'The outbound HTTP request failed: no answer, a broken connection, or too many redirects.' },
  MOSAIC_ERR_PLUGIN_SETTINGS_INVALID: { status: 422, message: "The settings do not match the plugin's settings schema; see details for every problem." },
  MOSAIC_ERR_PLUGIN_SECRET_UNKNOWN: { status: 404, message: "The plugin's manifest declares no secret with this name." },
} as const satisfies Record<string, { status: number; message: string }>;

/** A stable error code. */
export type ErrorCode = keyof typeof ERROR_CODES;
