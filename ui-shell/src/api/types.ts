/** A field as `GET /api/metadata/objects` returns it (what the shell reads of it). */
export interface FieldMeta {
  readonly id: string;
  readonly name: string;
  /** The key the field's value has in records (`company_id` for a relation named `company`). */
  readonly key: string;
  readonly label: string;
  readonly type: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly is_system: boolean;
  readonly is_nullable: boolean;
  readonly position: number;
}

/** An object with its fields. */
export interface ObjectMeta {
  readonly id: string;
  readonly name: string;
  readonly label_singular: string;
  readonly label_plural: string;
  readonly description: string | null;
  readonly icon: string | null;
  readonly label_field: string | null;
  readonly plugin_id: string | null;
  readonly fields: readonly FieldMeta[];
}

/** The operations a role grants on an object. */
export interface ObjectAccess {
  readonly read: boolean;
  readonly create: boolean;
  readonly update: boolean;
  readonly delete: boolean;
}

/** A role's permissions, as the session carries them. */
export interface RolePermissions {
  readonly workspace: readonly string[];
  readonly objects: Readonly<Record<string, Partial<ObjectAccess>>>;
  readonly fields: Readonly<Record<string, Readonly<Record<string, { read?: boolean; update?: boolean }>>>>;
}

/** `GET /api/auth/session` for a browser session. */
export interface SessionInfo {
  readonly user: { readonly id: string; readonly email: string; readonly name: string };
  readonly workspace: { readonly id: string; readonly name: string };
  readonly member: { readonly id: string; readonly role: string };
  readonly role: { readonly key: string; readonly name: string; readonly permissions: RolePermissions };
  readonly workspaces: readonly { readonly id: string; readonly name: string; readonly role: string }[];
  readonly csrf_token: string;
}

/** A record: its fields by key. */
export type RecordData = Readonly<Record<string, unknown>> & { readonly id: string };

/** A page of `GET /api/objects/:object`. */
export interface RecordPage {
  readonly data: RecordData[];
  readonly page_info: { readonly has_next_page: boolean; readonly has_previous_page: boolean; readonly start_cursor: string | null; readonly end_cursor: string | null };
  readonly total_count?: number;
}

/** A plugin as every member sees it in `GET /api/plugins`. */
export interface PluginInfo {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly enabled: boolean;
  readonly views: readonly PluginViewInfo[];
  readonly views_url: string | null;
  /** Record operations the plugin holds per object: what its views may do (the kernel enforces it). */
  readonly records?: Readonly<Record<string, readonly string[]>>;
}

/** A view a plugin declares: the slot, its element, and what it is about. */
export interface PluginViewInfo {
  readonly slot: string;
  readonly element: string;
  readonly label: string;
  readonly object: string | null;
  /** `field.renderer`: the field of `object`, or null with `field_type`. */
  readonly field?: string | null;
  /** `field.renderer`: every field of this type. */
  readonly field_type?: string | null;
  readonly icon: string | null;
}

/** A hit of `GET /api/search`: a record of some object, its title, and where the text matched. */
export interface SearchHit {
  readonly object: string;
  readonly id: string;
  readonly label: string;
  readonly match: { readonly field: string; readonly value: string };
}

/** An entry of `GET /api/objects/:object/:id/timeline`: one event of the record, newest first. */
export interface TimelineEntry {
  readonly id: string;
  readonly type: string;
  readonly occurred_at: string;
  /** Who did it; null for changes no one made (a migration, the system). */
  readonly actor: { readonly type: string; readonly id: string | null; readonly name: string | null } | null;
  readonly changed_fields?: readonly string[];
  readonly before?: Readonly<Record<string, unknown>> | null;
  readonly after?: Readonly<Record<string, unknown>> | null;
}

/** A page of a record's timeline. */
export interface TimelinePage {
  readonly data: TimelineEntry[];
  readonly page_info: { readonly has_next_page: boolean; readonly end_cursor: string | null };
}

/** A saved view of an object (`/api/views`): its filter, sort, columns and layout, by name. */
export interface SavedView {
  readonly id: string;
  readonly object: string;
  readonly name: string;
  readonly layout: 'table' | 'board';
  /** The API's filter grammar ('' for none). */
  readonly filter: string;
  /** The API's order_by grammar ('' for the default order). */
  readonly order_by: string;
  /** Shown field names in display order; [] shows every field. */
  readonly columns: readonly string[];
  readonly group_by: string | null;
  readonly shared: boolean;
  readonly owner_member_id: string | null;
  readonly position: number;
  readonly created_at: string;
  readonly updated_at: string;
}

/** What a saved view holds, as `POST`/`PATCH /api/views` take it. */
export type SavedViewInput = Partial<Pick<SavedView, 'name' | 'layout' | 'filter' | 'order_by' | 'columns' | 'group_by' | 'shared'>>;

/** A workspace member as `GET /api/workspace/directory` lists them: what `member` fields show and offer. */
export interface DirectoryMember {
  readonly id: string;
  readonly name: string;
  readonly email: string;
}
