import type { ViewSlot } from '../manifest/types.js';

/** A field of an object, as a view sees it (the metadata API's field, trimmed to what views use). */
export interface ViewField {
  readonly name: string;
  /** The key of its value in records (`company_id` for a relation named `company`). */
  readonly key: string;
  readonly label: string;
  readonly type: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** The object a view is about (record slots and field renderers). */
export interface ViewObject {
  readonly name: string;
  readonly label_singular: string;
  readonly label_plural: string;
  readonly fields: readonly ViewField[];
}

/** The answer of {@link ViewApi.request}: status and parsed JSON body (null when there is none). */
export interface ViewResponse<T = unknown> {
  readonly status: number;
  readonly body: T;
}

/** A workspace member as {@link ViewApi.members} lists them: the id is the value of `member` fields. */
export interface ViewMember {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}

/** A record as a view sees it: its fields by key, a copy. */
export type ViewRecord = Readonly<Record<string, unknown>> & { readonly id: string };

/** A change to a record, as {@link ViewApi.watch} reports it: what the shell's own pages are told. */
export interface ViewChange {
  /** `record.created`, `record.updated`, `record.deleted`, `record.restored`, `record.destroyed`, `record.merged`. */
  readonly type: string;
  readonly object: string;
  readonly record_id: string;
  /** The record after the change (as it was, for a deletion), with the fields the member may read. */
  readonly record?: ViewRecord;
  /** For `record.updated`: the fields that changed. */
  readonly changed_fields?: readonly string[];
}

/** The records API's list query, in its own words (see `GET /api/objects/:object`). */
export interface ViewFindQuery {
  readonly filter?: string;
  readonly order_by?: string;
  readonly limit?: number;
  readonly starting_after?: string;
  readonly ending_before?: string;
  readonly fields?: string;
}

/**
 * The API a view talks to. It carries the **plugin's** grant as well as the member's session: the shell
 * answers the plugin's own routes (`/api/plugins/<id>/…`), and records through
 * `/api/plugin-views/<id>/objects/…`, where the kernel allows what the member's role AND the plugin's
 * `records` grant both allow. A refusal rejects with an Error carrying the kernel's `code`
 * (`MOSAIC_ERR_PLUGIN_PERMISSION` for what the plugin was not granted). Every method is async and takes
 * and returns plain JSON, so the same contract works across a `postMessage` bridge when views move into
 * sandboxed iframes.
 */
export interface ViewApi {
  /** A call to one of the plugin's own routes, by the path after `/api/plugins/<id>` (`/notes`). */
  route<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<ViewResponse<T>>;
  /** Records of an object the plugin may read. `has_more` says a next page exists (`next_cursor` starts it). */
  find<T = ViewRecord>(object: string, query?: ViewFindQuery): Promise<{ data: T[]; has_more: boolean; next_cursor: string | null }>;
  /** One record of an object the plugin may read. */
  get<T = ViewRecord>(object: string, id: string): Promise<T>;
  /** Creates a record of an object the plugin may create. */
  create<T = ViewRecord>(object: string, data: Record<string, unknown>): Promise<T>;
  /** Updates a record of an object the plugin may update. */
  update<T = ViewRecord>(object: string, id: string, data: Record<string, unknown>): Promise<T>;
  /**
   * The workspace's members by name, for showing and picking `member` field values. Needs
   * `permissions.members`; without it, rejects with `MOSAIC_ERR_PLUGIN_PERMISSION`.
   */
  members(): Promise<ViewMember[]>;
  /**
   * Calls `onChange` for every change to records of `object` made anywhere — another tab, another member,
   * a plugin's route or event handler, an import — as the shell's own pages see them live. Needs `read` on
   * the object in the plugin's grant (or the object being the plugin's own) and in the member's role; a
   * change arrives with the fields the member may read. Resolves, once the kernel confirmed the
   * subscription (or after a few seconds without a connection; it goes live when one comes), with a
   * function that stops watching; call it when the view disconnects (the shell also stops watching for a
   * view that is gone).
   * Without the grant, rejects with `MOSAIC_ERR_PLUGIN_PERMISSION`.
   */
  watch(object: string, onChange: (change: ViewChange) => void): Promise<() => void>;
}

/** What every view receives, whatever its slot. */
interface ViewContextBase {
  /** The plugin the view belongs to. */
  readonly plugin: { readonly id: string; readonly name: string; readonly version: string };
  readonly workspace: { readonly id: string };
  /** The API, limited to the member's role and the plugin's grant. */
  readonly api: ViewApi;
  /**
   * Moves the shell to a path of its own (`/objects/deal/<id>`) without reloading the page; resolves once
   * it navigated. Rejects for anything but a path starting with `/` on the shell's origin.
   */
  navigate(path: string): Promise<void>;
  /**
   * Shows a short message to the member in the corner of the shell, announced to screen readers
   * (`role="status"`); it leaves by itself after a few seconds (longer for `error`).
   */
  toast(message: string, kind?: 'info' | 'success' | 'error'): Promise<void>;
  /** Closes the dialog a `record.action` view is shown in; in other slots it does nothing. */
  close(): Promise<void>;
}

/** `nav.page`: a page of its own at `/plugins/<id>/<element>`, linked from the sidebar. */
export interface NavPageContext extends ViewContextBase {
  readonly slot: 'nav.page';
  readonly object: null;
  readonly record: null;
  readonly field: null;
}

/** `record.tab`: a tab on the record page of `object`. */
export interface RecordTabContext extends ViewContextBase {
  readonly slot: 'record.tab';
  readonly object: ViewObject;
  readonly record: ViewRecord;
  readonly field: null;
}

/** `record.action`: a button in the record page's header; the element opens in a dialog. */
export interface RecordActionContext extends ViewContextBase {
  readonly slot: 'record.action';
  readonly object: ViewObject;
  readonly record: ViewRecord;
  readonly field: null;
}

/**
 * `field.renderer`: the value of one field, in a table cell (`where: 'cell'`) or on the record page
 * (`where: 'record'`). `record` is null on objects the plugin may not read (a `field_type` renderer).
 */
export interface FieldRendererContext extends ViewContextBase {
  readonly slot: 'field.renderer';
  readonly object: ViewObject;
  readonly record: ViewRecord | null;
  readonly field: ViewField;
  /** The field's value in the record (its key: `company_id` for a relation `company`). */
  readonly value: unknown;
  readonly where: 'cell' | 'record';
}

/** `dashboard.widget`: a card on the home dashboard. */
export interface DashboardWidgetContext extends ViewContextBase {
  readonly slot: 'dashboard.widget';
  readonly object: null;
  readonly record: null;
  readonly field: null;
}

/** `settings.page`: a page under Settings, at `/settings/plugin/<id>/<element>`. */
export interface SettingsPageContext extends ViewContextBase {
  readonly slot: 'settings.page';
  readonly object: null;
  readonly record: null;
  readonly field: null;
}

/**
 * What the UI shell hands a plugin view when it mounts it: plain data in, async methods out, no live
 * objects shared with the shell. Data is a snapshot: the shell sets a new context object when it
 * changes. Narrow it by `slot`, or use {@link ViewContextOf} for a view written for one slot.
 */
export type ViewContext = NavPageContext | RecordTabContext | RecordActionContext | FieldRendererContext | DashboardWidgetContext | SettingsPageContext;

/** The context of one slot: `ViewContextOf<'record.action'>`. */
export type ViewContextOf<S extends ViewSlot> = Extract<ViewContext, { readonly slot: S }>;
