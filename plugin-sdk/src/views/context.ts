import type { ViewSlot } from '../manifest/types.js';

/** A field of an object, as a view sees it (the metadata API's field, trimmed to what views use). */
export interface ViewField {
  readonly name: string;
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

/**
 * The API a view talks to. It carries the **plugin's** grant, never the member's session: the shell
 * answers only the plugin's own routes (`/api/plugins/<id>/…`) and the records API for objects the
 * plugin was granted, with the operations it was granted. Every method is async and takes and returns
 * plain JSON, so the same contract works across a `postMessage` bridge when views move into sandboxed
 * iframes.
 */
export interface ViewApi {
  /** A call to one of the plugin's own routes, by the path after `/api/plugins/<id>` (`/notes`). */
  route<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<ViewResponse<T>>;
  /** Records of an object the plugin may read: the records API's list query in its own words. */
  find<T = Record<string, unknown>>(object: string, query?: { filter?: string; order_by?: string; limit?: number; starting_after?: string }): Promise<{ data: T[]; has_more: boolean }>;
  /** One record of an object the plugin may read. */
  get<T = Record<string, unknown>>(object: string, id: string): Promise<T>;
  /** Updates a record of an object the plugin may update. */
  update<T = Record<string, unknown>>(object: string, id: string, data: Record<string, unknown>): Promise<T>;
}

/**
 * What the UI shell hands a plugin view when it mounts it: plain data in, async methods out, no live
 * objects shared with the shell. Data is a snapshot: the shell sets a new context object when it changes.
 */
export interface ViewContext {
  /** The plugin the view belongs to. */
  readonly plugin: { readonly id: string; readonly name: string; readonly version: string };
  readonly workspace: { readonly id: string };
  /** Where the view is mounted. */
  readonly slot: ViewSlot;
  /** The object of `record.tab`, `record.action` and `field.renderer` views, or null. */
  readonly object: ViewObject | null;
  /** The record shown (record slots and field renderers), or null. */
  readonly record: Readonly<Record<string, unknown>> | null;
  /** For `field.renderer`: the field to render, or null. */
  readonly field: ViewField | null;
  /** The API, limited to the plugin's grant. */
  readonly api: ViewApi;
  /** Moves the shell to a path of its own (`/objects/deal/<id>`); resolves once it navigated. */
  navigate(path: string): Promise<void>;
  /** Shows a short message to the member. */
  toast(message: string, kind?: 'info' | 'success' | 'error'): Promise<void>;
}
