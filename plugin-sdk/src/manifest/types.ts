/**
 * The plugin manifest: everything the kernel needs to know about a plugin without running its code —
 * who it is, what it asks to be allowed to do, and what it contributes. Keys are snake_case like the rest
 * of the API. The published JSON Schema (`manifest.schema.json`) describes the same format.
 */

/** The operations a plugin can be granted on the records of one object. */
export const RECORD_OPERATIONS = ['read', 'create', 'update', 'delete'] as const;

/** An operation on records. */
export type RecordOperation = (typeof RECORD_OPERATIONS)[number];

/**
 * The object name that stands for every object of the workspace, including objects an admin or another
 * plugin adds after the install: in `permissions.records` (`{ "*": ["read"] }`), in an event
 * subscription's `objects` and in the `object` of a `record.tab` or `record.action` view.
 */
export const ANY_OBJECT = '*';

/**
 * The operations `permissions.records["*"]` may carry: reading only. Writing to every object, present
 * and future, would make a plugin an administrator of all data; a plugin that writes to another
 * plugin's objects names each of them, so the consent screen says which.
 */
export const ANY_OBJECT_OPERATIONS: readonly RecordOperation[] = ['read'];

/** The named places of the UI shell where a plugin view can be mounted. */
export const VIEW_SLOTS = ['nav.page', 'record.tab', 'record.action', 'field.renderer', 'dashboard.widget', 'settings.page'] as const;

/** A UI slot. */
export type ViewSlot = (typeof VIEW_SLOTS)[number];

/**
 * Slots that show a record of one object, so a view in them must name its `object`. A `field.renderer`
 * names either `object` + `field` or a `field_type`, so it is not listed here.
 */
export const OBJECT_SLOTS: readonly ViewSlot[] = ['record.tab', 'record.action'];

/** HTTP methods a plugin route can answer. */
export const ROUTE_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** A route method. */
export type RouteMethod = (typeof ROUTE_METHODS)[number];

/**
 * The field types a plugin can declare — the kernel's declarable field types (the metadata API's
 * `GET /api/metadata/field-types`). The kernel takes its list from here; a test checks the kernel still
 * exposes this same list.
 */
export const FIELD_TYPES = [
  'text', 'long_text', 'number', 'currency', 'boolean', 'date', 'datetime',
  'email', 'emails', 'phone', 'phones', 'link', 'links', 'full_name', 'address',
  'select', 'multi_select', 'rating', 'relation', 'json', 'member',
] as const;

/** A declarable field type. */
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * A field as a plugin declares it: the same format as the metadata API's field input. Type-specific
 * `options` and `default_value` are checked by the kernel at install, with the metadata API's rules.
 */
export interface ManifestField {
  /** lower snake_case, at most 48 characters; a relation named `company` is stored as `company_id`. */
  readonly name: string;
  /** One of {@link FIELD_TYPES}. */
  readonly type: FieldType;
  /** Shown in the UI; defaults to the name made readable (`annual_revenue` → `Annual revenue`). */
  readonly label?: string;
  /** Help text for the field. */
  readonly description?: string | null;
  /** Depends on `type`, e.g. `{ "target": "company" }` for a relation, `{ "options": [...] }` for a select. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** `false` makes the field required (single-value types only). Default `true`. */
  readonly is_nullable?: boolean;
  /** Default `false`. */
  readonly is_unique?: boolean;
  /** Default `false`. */
  readonly is_indexed?: boolean;
  /** A value valid for the field's type (scalar types only). */
  readonly default_value?: unknown;
  /** Display order among the object's fields. */
  readonly position?: number;
}

/**
 * An object (a table of records) the plugin contributes. The plugin owns it: it may read and write its
 * records without listing it in `permissions.records`.
 */
export interface ManifestObject {
  /** lower snake_case, at most 48 characters, unique across the plugins of an instance. */
  readonly name: string;
  /** e.g. `Enrichment log`; defaults to the name made readable. */
  readonly label_singular?: string;
  /** e.g. `Enrichment logs`; defaults to the singular label. */
  readonly label_plural?: string;
  /** What the object holds. */
  readonly description?: string | null;
  /** An icon name for the UI. */
  readonly icon?: string | null;
  /** The field whose value names a record (shown in lists and relations). */
  readonly label_field?: string | null;
  /** The object's fields (system fields such as `id` and `created_at` are added by the kernel). */
  readonly fields?: readonly ManifestField[];
}

/** A field the plugin adds to an object it does not contribute. */
export interface ManifestFieldContribution {
  /** The object's name: an object of a plugin this one depends on, or one an admin created. */
  readonly object: string;
  /** The field. Needs `update` on the object in `permissions.records`. */
  readonly field: ManifestField;
}

/** An HTTP route, mounted under `/api/plugins/<id>/`. */
export interface ManifestRoute {
  /** The HTTP method. */
  readonly method: RouteMethod;
  /** Starts with `/`; fastify-style parameters (`/summary/:id`). */
  readonly path: string;
  /** The name of the handler in the server bundle's `routes` (a JavaScript identifier). */
  readonly handler: string;
  /** What the route does (shown in the admin's plugin page). */
  readonly description?: string;
  /**
   * What the caller must be allowed to do for the route to run: record operations per object, checked
   * against the calling member's (or API key's) role before the handler runs. Without it, every member
   * of the workspace may call the route, and the route acts with the plugin's grant alone.
   */
  readonly access?: RouteAccess;
}

/** The caller's permissions a route requires (see {@link ManifestRoute.access}). */
export interface RouteAccess {
  /** Object name → operations the caller's role must allow, e.g. `{ "deal": ["update"] }`. */
  readonly records?: Readonly<Record<string, readonly RecordOperation[]>>;
}

/** An event subscription: events of `type` are delivered to `handler`, each subscription with its own queue. */
export interface ManifestEventSubscription {
  /**
   * A type pattern: exact (`record.created`), prefix wildcard (`record.*`) or `*`. Must be covered by
   * `permissions.events.subscribe`.
   */
  readonly type: string;
  /**
   * Only events on these objects. Required when the type can match record events (`record.…`, `*`),
   * and each object needs `read` in `permissions.records` unless the plugin contributes it. `["*"]`
   * ({@link ANY_OBJECT}) means every object, including objects added later; it needs `"*": ["read"]`.
   */
  readonly objects?: readonly string[];
  /** For `record.updated`: only when one of these fields changed. */
  readonly fields?: readonly string[];
  /** The name of the handler in the server bundle's `events` (a JavaScript identifier). */
  readonly handler: string;
}

/** A job run on a schedule, once per schedule across all kernel processes. */
export interface ManifestJob {
  /** Unique within the plugin; the job's id is `<pluginId>.<name>`. */
  readonly name: string;
  /** A standard 5-field cron expression (minute hour day-of-month month day-of-week), in UTC. */
  readonly cron: string;
  /** The name of the handler in the server bundle's `jobs` (a JavaScript identifier). */
  readonly handler: string;
  /** What the job does. */
  readonly description?: string;
}

/** A custom element from the view bundle, mounted by the UI shell into a slot. */
export interface ManifestView {
  /** Where it appears; one of {@link VIEW_SLOTS}. */
  readonly slot: ViewSlot;
  /** The custom element name the view bundle defines: lower case, with a hyphen (`acme-enrichment-tab`). */
  readonly element: string;
  /** The tab, menu or button label. */
  readonly label: string;
  /**
   * The object whose records the view shows: required for `record.tab`, `record.action` and a
   * `field.renderer` that names a `field`. Needs `read` in `permissions.records` unless the plugin contributes the object.
   * A `record.tab` or `record.action` may name `"*"` ({@link ANY_OBJECT}) to appear on the record page of every
   * object the member can read, including objects added later; that needs `"*": ["read"]`.
   */
  readonly object?: string;
  /** For `field.renderer`: the field of `object` the element renders (or give `field_type`). */
  readonly field?: string;
  /**
   * For `field.renderer`, instead of `object` + `field`: every field of this type, on any object, renders
   * through the element (table cells and record pages). The view sees the record only on objects the
   * plugin may read; elsewhere it gets the field and its value.
   */
  readonly field_type?: FieldType;
  /** An icon name for navigation entries. */
  readonly icon?: string;
}

/**
 * A tool the plugin offers AI agents through the kernel's MCP server (`/mcp`). Agents see it as
 * `<id>__<name>` (dots of the id become `_`, e.g. `acme_enrichment__lookup`). Its handler runs in the
 * plugin's sandbox with the plugin's grant intersected with the calling member's role and token scopes.
 */
export interface ManifestMcpTool {
  /** lower snake_case, at most 48 characters, unique within the plugin. */
  readonly name: string;
  /** What the tool does and when to use it, written for a language model. */
  readonly description: string;
  /**
   * A JSON Schema (draft 2020-12) of the tool's arguments: an object schema (`"type": "object"`). The
   * kernel checks the arguments against it before the handler runs.
   */
  readonly input_schema: Readonly<Record<string, unknown>> & { readonly type: 'object' };
  /**
   * The name of the handler in the server bundle's `routes` table (a JavaScript identifier). It is called
   * with the route input shape: `body` holds the arguments, `path` is `/mcp/<name>`, `params` and `query`
   * are empty. What it returns is the tool's result; a `respond()` with an error status is a tool error.
   */
  readonly handler: string;
}

/** Who publishes the plugin (shown on the consent screen). */
export interface PluginPublisher {
  /** A person or company name. */
  readonly name: string;
  /** An http(s) home page. */
  readonly url?: string;
  /** A contact address. */
  readonly email?: string;
}

/** Which events a plugin may receive and publish. */
export interface EventPermissions {
  /** Type patterns it may subscribe to (`record.created`, `record.*`, `companies.*`). */
  readonly subscribe?: readonly string[];
  /** Type patterns it may publish; all inside its own namespace `<id>.*`. */
  readonly emit?: readonly string[];
}

/**
 * What a plugin asks to be allowed to do. Nothing is granted that is not listed here, and the admin
 * grants it at install; an upgrade that asks for more waits for the admin's consent again.
 */
export interface PluginPermissions {
  /**
   * Record access per object name. Objects the plugin contributes are fully accessible to it without an
   * entry; an entry for them is allowed (and shown on the consent screen) but not required. The key
   * `"*"` ({@link ANY_OBJECT}) grants {@link ANY_OBJECT_OPERATIONS} (reading) on every object of the
   * workspace, including objects added after the install; named entries add to it object by object.
   */
  readonly records?: Readonly<Record<string, readonly RecordOperation[]>>;
  /** Events it may subscribe to and publish. */
  readonly events?: EventPermissions;
  /**
   * Outbound HTTP allow-list: URL patterns whose scheme (http or https) and host are matched exactly and
   * whose path may contain `*` wildcards, e.g. `https://api.example.com/v1/*`.
   */
  readonly http?: readonly string[];
  /** Key-value storage of its own, per workspace. */
  readonly kv?: boolean;
  /**
   * CSV imports (`ctx.host.imports`) for the member calling one of its routes: they run on that member's
   * role, never on the plugin's grant, so the plugin gains no access to records of its own.
   */
  readonly imports?: boolean;
  /**
   * Reading the workspace's member directory — each member's id, name and email — in its views
   * (`api.members()`), to show and pick the values of `member` fields such as a task's assignee. Roles,
   * and anything else about members, stay out of reach.
   */
  readonly members?: boolean;
  /** Reading its settings (those described by `settings`). */
  readonly settings?: boolean;
  /** Reading its secrets (those named by `secrets`). */
  readonly secrets?: boolean;
}

/** A JSON Schema (draft 2020-12 subset) describing the plugin's settings object. */
export type SettingsSchema = Readonly<Record<string, unknown>>;

/** The file name of the manifest at the root of a plugin folder or package. */
export const MANIFEST_FILE = 'mosaic-plugin.json';

/** A plugin manifest ({@link MANIFEST_FILE}). Only `id`, `name`, `version` and `kernel` are required. */
export interface PluginManifest {
  /** The editor hint `"$schema"`, e.g. `./node_modules/@mosaic/plugin-sdk/manifest.schema.json`; ignored. */
  readonly $schema?: string;
  /**
   * Unique plugin id: 1 to 3 dot-separated lower-case words (`companies`, `acme.enrichment`). It names
   * the plugin's event namespace (`<id>.*`), routes (`/api/plugins/<id>/…`) and jobs (`<id>.<job>`).
   */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** The plugin's version (semver, e.g. `1.2.0`). */
  readonly version: string;
  /** The semver range of the kernel plugin API it works with (e.g. `^1.0.0`). */
  readonly kernel: string;
  /** Who publishes it. */
  readonly publisher?: PluginPublisher;
  /** One paragraph for the marketplace and the consent screen. */
  readonly description?: string;
  /** Path of an icon file inside the package. */
  readonly icon?: string;
  /** Other plugins it needs, by id, with semver ranges. They are installed first. */
  readonly dependencies?: Readonly<Record<string, string>>;
  /** What it asks to be allowed to do. */
  readonly permissions?: PluginPermissions;
  /** Objects it contributes (it owns them). */
  readonly objects?: readonly ManifestObject[];
  /** Fields it adds to objects of plugins it depends on, or to admin-created objects. */
  readonly fields?: readonly ManifestFieldContribution[];
  /** HTTP routes under `/api/plugins/<id>/`. */
  readonly routes?: readonly ManifestRoute[];
  /** Event subscriptions. */
  readonly events?: readonly ManifestEventSubscription[];
  /** Scheduled jobs. */
  readonly jobs?: readonly ManifestJob[];
  /** UI views. */
  readonly views?: readonly ManifestView[];
  /** Tools for AI agents over MCP; their handlers live in the server bundle's `routes`. */
  readonly mcp_tools?: readonly ManifestMcpTool[];
  /** JSON Schema of its settings object; reading settings needs `permissions.settings`. */
  readonly settings?: SettingsSchema;
  /** Names of secrets an admin provides (`API_TOKEN`); reading them needs `permissions.secrets`. */
  readonly secrets?: readonly string[];
  /** Path of the server bundle inside the package (`dist/server.js`); required with routes, events, jobs or MCP tools. */
  readonly server?: string;
  /** Path of the view bundle inside the package (`dist/views.js`); required with views. */
  readonly ui?: string;
}
