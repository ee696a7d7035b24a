/**
 * `ctx.host.imports`: CSV imports (and the export columns) for the member calling a route, on that
 * member's role. Needs `"imports": true` in `permissions`; only route handlers have a member to act for.
 * See docs/plugins.md ("imports") and docs/api.md ("CSV export and import").
 */

/** An object the member may export or import into. */
export interface ImportObject {
  readonly name: string;
  readonly label_singular: string;
  readonly label_plural: string;
  /** Whether the member's role may create its records (and so import). */
  readonly can_import: boolean;
  /** The fields the member may read, in order: what an export's `fields=` can name. */
  readonly fields: readonly { readonly name: string; readonly label: string; readonly type: string }[];
  /** The columns of an export of every readable field (`address.city` for a composite's sub-field). */
  readonly columns: readonly { readonly key: string; readonly label: string }[];
}

/** A prepared import: the member's browser sends the file to `upload_url` (`PUT`, raw body, `text/csv`). */
export interface PreparedImport {
  readonly id: string;
  /** Same-origin path with a one-time token; it authorises this one upload, within the hour. */
  readonly upload_url: string;
  readonly max_bytes: number;
  readonly expires_at: string;
}

/** One problem of the per-row report. `row` is the line of the file the row starts on (the header is 1). */
export interface ImportRowError {
  readonly row: number;
  readonly column: string | null;
  readonly field: string | null;
  readonly reason: string;
}

/** An import: its file, its progress and its outcome. */
export interface ImportInfo {
  readonly id: string;
  readonly object: string;
  readonly status: 'awaiting_file' | 'uploaded' | 'running' | 'completed' | 'failed';
  readonly file_name: string | null;
  readonly file_bytes: number;
  readonly headers: readonly string[];
  readonly row_count: number;
  readonly preview: readonly (readonly string[])[];
  readonly processed: number;
  readonly created: number;
  readonly updated: number;
  readonly failed: number;
  readonly errors: readonly ImportRowError[];
  /** The outcome in one sentence, once it ended. */
  readonly message: string | null;
  /** While `uploaded`: the fields and sub-fields a column can go to. */
  readonly targets?: readonly { readonly key: string; readonly label: string; readonly type: string; readonly unique: boolean }[];
  /** While `uploaded`: one target key or null per column, matched on names and labels. */
  readonly suggested_mapping?: readonly (string | null)[];
  readonly created_at: string;
  readonly started_at: string | null;
  readonly finished_at: string | null;
}

/** How to run an uploaded import. */
export interface ImportStart {
  /** One target key (`name`, `address.city`) or null per column of the file. */
  readonly mapping: readonly (string | null)[];
  /** `id` or a unique field (mapped): update the record with the same value, create the others. */
  readonly upsert_on?: string | null;
  /** `abort` (default): all or nothing. `skip`: import the good rows, report the others. */
  readonly on_error?: 'abort' | 'skip';
  /** How to read `03/04/2025` (default `dmy`). */
  readonly date_order?: 'dmy' | 'mdy';
}

/** `ctx.host.imports`. */
export interface ImportsHost {
  /** The objects the member may export or import into. */
  objects(): Promise<ImportObject[]>;
  /** A job waiting for its file and the one-time URL the member's browser sends it to. */
  prepare(object: string, options?: { readonly file_name?: string }): Promise<PreparedImport>;
  /** One of the member's imports (with targets and a suggested mapping while it waits to start). */
  get(id: string): Promise<ImportInfo>;
  /** Starts an uploaded import in the background; resolves with it running. */
  start(id: string, options: ImportStart): Promise<ImportInfo>;
  /** The member's imports, newest first, without their report. */
  list(options?: { readonly object?: string; readonly limit?: number }): Promise<ImportInfo[]>;
}
