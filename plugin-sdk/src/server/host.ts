/**
 * The host API as plugin server code sees it: `ctx.host.<capability>.<method>(...args)`. Every method
 * returns a promise; the kernel runs it outside the sandbox, checks it against the permissions the admin
 * granted, and copies arguments and results across as JSON. A refused or malformed call rejects with an
 * `Error` whose `code` is a kernel error code (`MOSAIC_ERR_…`, see `docs/api.md`).
 *
 * These types describe the contract; the kernel side lives in `kernel/src/plugins/host/`, one file per
 * capability. Keys are snake_case like the HTTP API.
 */

import type { ImportsHost } from './imports-host.js';

/** A JSON value: what crosses the sandbox boundary in either direction. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A record as the records API returns it: the system fields every object has, plus its own fields
 * (a relation `company` reads as `company_id`).
 */
export interface PluginRecord {
  readonly id: string;
  readonly created_at: string;
  readonly updated_at: string;
  readonly deleted_at: string | null;
  readonly created_by: { readonly type: string; readonly id: string; readonly name: string } | null;
  readonly position: number;
  readonly [field: string]: unknown;
}

/** Field values to write: field name → value, in the records API's format. */
export type RecordInput = Readonly<Record<string, unknown>>;

/**
 * A list query in the HTTP API's words (`GET /api/objects/:object`); unknown keys are refused. See
 * `docs/api.md` for the filter and order grammar.
 */
export interface FindQuery {
  /** The filter grammar of `docs/api.md`, e.g. `and(stage[eq]:won,amount[gte]:1000)`. */
  readonly filter?: string;
  /** e.g. `amount[Desc],name[Asc]`; default newest first. */
  readonly order_by?: string;
  /** Page size, 1 to 500; default 50. */
  readonly limit?: number;
  /** A cursor from `page_info.end_cursor`: the page after it. */
  readonly starting_after?: string;
  /** A cursor from `page_info.start_cursor`: the page before it. */
  readonly ending_before?: string;
  /** Only these fields (and `id`). */
  readonly fields?: readonly string[];
  /** 1 embeds related records one level deep. */
  readonly depth?: 0 | 1;
  /** Adds `total_count` to the page. */
  readonly count?: boolean;
  /** Soft-deleted records: `exclude` (default), `include` or `only`. */
  readonly deleted?: 'exclude' | 'include' | 'only';
}

/** One page of a list, the same JSON as the HTTP API's list responses. */
export interface RecordPage<T extends PluginRecord = PluginRecord> {
  readonly data: T[];
  readonly page_info: {
    readonly has_next_page: boolean;
    readonly has_previous_page: boolean;
    /** Pass as `ending_before` for the previous page. */
    readonly start_cursor: string | null;
    /** Pass as `starting_after` for the next page. */
    readonly end_cursor: string | null;
  };
  /** Present when the query asked for `count: true`. */
  readonly total_count?: number;
}

/**
 * `ctx.host.records`: the records API as the plugin itself, with the record operations its manifest
 * asked for (`permissions.records`) plus full access to the objects it contributes. An object it was not
 * granted reads as not found, as over HTTP. Writes are recorded with the plugin as actor and emit the
 * usual `record.*` events.
 */
export interface RecordsHost {
  /** One page of records. */
  find<T extends PluginRecord = PluginRecord>(object: string, query?: FindQuery): Promise<RecordPage<T>>;
  /**
   * Counts (and sums, averages, min/max) records per group, computed by the database over every record
   * that matches, so totals are exact without paging. Counts as one record against the row budget.
   */
  aggregate(object: string, query?: AggregateQuery): Promise<AggregateAnswer>;
  /** One record by id; rejects with `MOSAIC_ERR_RECORD_NOT_FOUND` when there is none. */
  get<T extends PluginRecord = PluginRecord>(object: string, id: string): Promise<T>;
  /** Creates a record and returns it. */
  create<T extends PluginRecord = PluginRecord>(object: string, data: RecordInput): Promise<T>;
  /** Changes the given fields and returns the record. */
  update<T extends PluginRecord = PluginRecord>(object: string, id: string, data: RecordInput): Promise<T>;
  /** Soft-deletes a record and returns it. */
  delete<T extends PluginRecord = PluginRecord>(object: string, id: string): Promise<T>;
  /**
   * Creates the record, or updates the live one whose `on` field (`id` or a unique field) has the same
   * value. Needs both `create` and `update` on the object, as over HTTP.
   */
  upsert<T extends PluginRecord = PluginRecord>(object: string, data: RecordInput, options: { readonly on: string }): Promise<T>;
  /**
   * Merges 1 to 9 records (`from`) into a survivor (`into`) in one transaction: every relation field in
   * the workspace that points at a merged record is re-pointed to the survivor, the merged records'
   * timeline moves to it, they are soft-deleted (so their unique values are free), and `values` is then
   * applied to the survivor, validated like an update. Emits `record.merged` on the survivor (payload
   * `merged_ids`, `values`), `record.deleted` per merged record (with `merged_into`) and `record.updated`
   * per re-pointed record. Needs `update` and `delete` on the object and `update` on every object whose
   * records get re-pointed (else `MOSAIC_ERR_FORBIDDEN` naming it). See `POST /api/objects/:object/merge`.
   */
  merge<T extends PluginRecord = PluginRecord>(object: string, options: MergeOptions): Promise<MergeResult<T>>;
}

/** What {@link RecordsHost.aggregate} computes: `GET /api/objects/:object/aggregate` in the API's words. */
export interface AggregateQuery {
  /** Up to 3 field paths to group by (`stage`, `amount.currency`); none gives one group of everything. */
  readonly group_by?: readonly string[];
  /** Up to 10 of `sum:field`, `avg:field`, `min:field`, `max:field` (numbers; min/max also dates). `count` is always there. */
  readonly metrics?: readonly string[];
  /** The filter grammar of listings. */
  readonly filter?: string;
  readonly deleted?: 'exclude' | 'include' | 'only';
}

/** The groups of an aggregate, largest first (at most 1,000; `has_more` says there were more). */
export interface AggregateAnswer {
  readonly data: readonly {
    /** The group's value per `group_by` path (null for empty). */
    readonly group: Readonly<Record<string, JsonValue>>;
    readonly count: number;
    /** Per requested metric (`sum:amount.amount`): a number, an ISO date for min/max of dates, or null. */
    readonly metrics: Readonly<Record<string, number | string | null>>;
  }[];
  readonly has_more: boolean;
}

/** What {@link RecordsHost.merge} merges. */
export interface MergeOptions {
  /** The id of the record that survives. */
  readonly into: string;
  /** The ids of the 1 to 9 records merged into it (soft-deleted). */
  readonly from: readonly string[];
  /** Field values to set on the survivor, e.g. the value picked from a merged record. */
  readonly values?: RecordInput;
}

/** What a merge did. */
export interface MergeResult<T extends PluginRecord = PluginRecord> {
  /** The survivor after the merge. */
  readonly data: T;
  readonly merged_ids: string[];
  /** Per object, how many records now point at the survivor instead of a merged record. */
  readonly repointed: Readonly<Record<string, number>>;
}

/**
 * `ctx.host.events`: publish events in the plugin's namespace (`<id>.<name>`, covered by
 * `permissions.events.emit`). Payloads are JSON objects up to 64 KB: send ids, not data.
 */
export interface EventsHost {
  /** Publishes `type` (e.g. `acme.enrichment.done`) with a JSON payload; subscribers receive it at least once. */
  emit(type: string, payload?: Readonly<Record<string, JsonValue>>): Promise<void>;
}

/** An outbound request. */
export interface HttpRequestInit {
  /** Default `GET`. */
  readonly method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  readonly headers?: Readonly<Record<string, string>>;
  /** A string is sent as is; set `content-type` yourself (e.g. `JSON.stringify(data)`). */
  readonly body?: string;
}

/**
 * The answer to an outbound request. Up to 3 redirects are followed, each checked against the
 * allow-list again; the whole fetch has 10 s and reads at most 5 MB.
 */
export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body as text. */
  readonly body: string;
  /** The body parsed, when the response was JSON. */
  readonly json?: JsonValue;
}

/**
 * `ctx.host.http`: outbound HTTP to the URLs `permissions.http` allows, never to loopback or private
 * addresses (unless the operator sets `PLUGIN_HTTP_ALLOW_PRIVATE`). Request bodies up to 1 MB.
 */
export interface HttpHost {
  fetch(url: string, init?: HttpRequestInit): Promise<HttpResponse>;
}

/** One page of keys from {@link KvHost.list}. */
export interface KvPage {
  readonly keys: string[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  readonly cursor: string | null;
}

/**
 * `ctx.host.kv`: the plugin's own key-value store, per workspace (`permissions.kv`). Values are JSON; at
 * most 10,000 keys per workspace. Kept when the plugin is uninstalled, unless the admin purges.
 */
export interface KvHost {
  /** The value, or null when the key is absent or expired. */
  get<T extends JsonValue = JsonValue>(key: string): Promise<T | null>;
  /**
   * Stores a value (any JSON but null, up to 64 KB; use `delete` to remove a key); with `ttl_seconds`
   * (1 s to a year) it expires after that long. Keys are 1 to 256 characters.
   */
  set(key: string, value: Exclude<JsonValue, null>, options?: { readonly ttl_seconds?: number }): Promise<void>;
  /** Removes a key; removing an absent key is not an error. */
  delete(key: string): Promise<void>;
  /** Live keys in byte order, optionally only those starting with `prefix`; `limit` 1 to 1,000, default 100. */
  list(options?: { readonly prefix?: string; readonly limit?: number; readonly cursor?: string }): Promise<KvPage>;
  /** Adds `by` (default 1) to a numeric value, starting from 0, atomically; returns the new value. */
  increment(key: string, by?: number): Promise<number>;
}

/** `ctx.host.settings`: the settings an admin saved for the plugin in this workspace (`permissions.settings`). */
export interface SettingsHost {
  /** The settings object, shaped by the manifest's `settings` schema, its defaults filled in. */
  get<T extends Record<string, JsonValue> = Record<string, JsonValue>>(): Promise<T>;
}

/** `ctx.host.secrets`: secrets an admin entered for the plugin (`permissions.secrets`). */
export interface SecretsHost {
  /**
   * The secret, or null when the admin has not set it. `name` must be listed in the manifest's
   * `secrets`, else `MOSAIC_ERR_PLUGIN_SECRET_UNKNOWN`.
   */
  get(name: string): Promise<string | null>;
}

/** `ctx.host.log`: lines in the kernel log, tagged with the plugin, workspace and handler. No permission needed. */
export interface LogHost {
  info(message: string, data?: Readonly<Record<string, unknown>>): Promise<void>;
  warn(message: string, data?: Readonly<Record<string, unknown>>): Promise<void>;
  error(message: string, data?: Readonly<Record<string, unknown>>): Promise<void>;
}

/** Every host capability. Calling one the manifest did not ask for rejects; nothing is granted implicitly. */
export interface Host {
  readonly records: RecordsHost;
  readonly events: EventsHost;
  readonly http: HttpHost;
  readonly kv: KvHost;
  /** Needs `permissions.imports`; route handlers only (see {@link ImportsHost}). */
  readonly imports: ImportsHost;
  readonly settings: SettingsHost;
  readonly secrets: SecretsHost;
  readonly log: LogHost;
}
