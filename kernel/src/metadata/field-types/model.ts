/**
 * The vocabulary of field types. A field type says how a field's API value is validated, which typed
 * columns store it, how it is read back, and which columns ("leaves") filters and sorts can reach.
 */

/**
 * Every field type an admin or a plugin can declare, and the union of them. The list is the plugin SDK's,
 * so a manifest and the metadata API accept exactly the same types.
 */
import type { FieldType } from '@mosaic/plugin-sdk';

export { FIELD_TYPES, type FieldType } from '@mosaic/plugin-sdk';

/** Types used only by the system fields every object has. */
export type SystemFieldType = 'uuid' | 'actor' | 'position' | 'one_to_many';

/** How a stored column is compared, filtered and cast. */
export type LeafKind = 'text' | 'integer' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'uuid' | 'text_array' | 'json';

/** One stored column of a field. A scalar field has one leaf (`sub` null); a composite has several. */
export interface Leaf {
  /** Sub-field name for composites (`first_name`), or null for the field itself. */
  readonly sub: string | null;
  readonly column: string;
  readonly kind: LeafKind;
  /** PostgreSQL column type used in DDL. */
  readonly sqlType: string;
}

/** A JSON Schema fragment (kept loose: ajv checks it when it is compiled). */
export type JsonSchema = Record<string, unknown>;

/** The in-memory description of a field that type code works from. */
export interface FieldDef {
  readonly id: string;
  readonly name: string;
  readonly label: string;
  readonly description: string | null;
  readonly type: FieldType | SystemFieldType;
  readonly options: Readonly<Record<string, unknown>>;
  readonly isNullable: boolean;
  readonly isUnique: boolean;
  readonly isIndexed: boolean;
  readonly defaultValue: unknown;
  readonly position: number;
  readonly pluginId: string | null;
  /** True for id, created_at, updated_at, deleted_at, created_by and position. */
  readonly system: boolean;
  /** For the reverse side of a relation: the field id of the owning many-to-one field. */
  readonly relationFieldId: string | null;
}

/** Row values keyed by column name. */
export type ColumnValues = Record<string, unknown>;

/** How one field type behaves. */
export interface FieldTypeDef {
  /** The stored columns; empty for virtual fields (the reverse side of a relation). */
  leaves(field: FieldDef): Leaf[];
  /** The key under which the value appears in records (`company_id` for a relation named `company`). */
  recordKey(field: FieldDef): string;
  /** JSON Schema of the value accepted on write (null is added by the caller for nullable fields). */
  writeSchema(field: FieldDef): JsonSchema;
  /**
   * Writes a validated API value into `out` as column values. `partial` is true for updates, where a
   * composite value only changes the sub-fields it names.
   */
  toColumns(field: FieldDef, value: unknown, out: ColumnValues, partial: boolean): void;
  /** Reads the API value back from a database row. */
  fromRow(field: FieldDef, row: Readonly<Record<string, unknown>>): unknown;
  /** JSON Schema of `options` accepted when the field is declared. */
  optionsSchema: JsonSchema;
  /** The sub-field a filter or sort on the bare field name means (e.g. `amount` for currency). */
  defaultSub?: string;
  /** Whether a DB default may be declared (scalar types only). */
  allowsDefault: boolean;
}
