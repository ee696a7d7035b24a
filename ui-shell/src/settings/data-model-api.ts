import type { ApiClient } from '../api/client.js';
import { ApiError } from '../api/errors.js';
import type { FieldMeta, ObjectMeta, PluginInfo } from '../api/types.js';

/** A field as `GET /api/metadata/objects` returns it in full (the shell's `FieldMeta` holds what views need). */
export interface FieldDetail extends FieldMeta {
  readonly description?: string | null;
  readonly is_unique?: boolean;
  readonly is_indexed?: boolean;
  readonly default_value?: unknown;
  readonly plugin_id?: string | null;
}

/** A select option as stored in `options.options`. */
export interface SelectOption {
  readonly value: string;
  readonly label: string;
  readonly color?: string;
}

/** Changes to an object's own properties (`PATCH /api/metadata/objects/:object`). */
export interface ObjectPatch {
  readonly name?: string;
  readonly label_singular?: string;
  readonly label_plural?: string;
  readonly description?: string | null;
  readonly icon?: string | null;
  readonly label_field?: string | null;
}

const path = (s: string) => encodeURIComponent(s);

/** The metadata API calls the data model pages make beyond creating an object (the shell's client has that). */
export class DataModelApi {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  async updateObject(object: string, patch: ObjectPatch): Promise<ObjectMeta> {
    return (await this.#api.request<{ data: ObjectMeta }>('PATCH', `/api/metadata/objects/${path(object)}`, patch)).data;
  }

  async deleteObject(object: string): Promise<void> {
    await this.#api.request('DELETE', `/api/metadata/objects/${path(object)}`);
  }

  async addField(object: string, input: Record<string, unknown>): Promise<ObjectMeta> {
    return (await this.#api.request<{ data: ObjectMeta }>('POST', `/api/metadata/objects/${path(object)}/fields`, input)).data;
  }

  async updateField(object: string, field: string, patch: Record<string, unknown>): Promise<ObjectMeta> {
    return (await this.#api.request<{ data: ObjectMeta }>('PATCH', `/api/metadata/objects/${path(object)}/fields/${path(field)}`, patch)).data;
  }

  async deleteField(object: string, field: string): Promise<ObjectMeta> {
    return (await this.#api.request<{ data: ObjectMeta }>('DELETE', `/api/metadata/objects/${path(object)}/fields/${path(field)}`)).data;
  }
}

/** Form errors by input key; `''` holds what belongs to no input. */
export type FormErrors = Readonly<Record<string, string>>;

/**
 * Puts an API error's details on the inputs they name. The kernel's paths come in three shapes: a
 * property (`name`, `options.target`), a schema check (`field options/options/0/label`,
 * `default value`), or request validation (`/label`, `body/label`); all become the property's key.
 * The message with its code also goes to `''`, so nothing the kernel said is hidden.
 */
export function formErrors(err: unknown, keys: readonly string[]): FormErrors {
  if (!(err instanceof ApiError)) return { '': (err as Error).message };
  const out: Record<string, string> = {};
  for (const detail of err.details) {
    const normalized = detail.path
      .replace(/^body\b/, '')
      .replace(/^field options/, 'options')
      .replace(/^default value/, 'default_value')
      .replace(/^[/.]+/, '')
      .replace(/\//g, '.');
    const key = keys.find((k) => normalized === k || normalized.startsWith(`${k}.`));
    if (key && !out[key]) out[key] = detail.message === 'already exists' ? err.message : `${detail.message}${normalized !== key ? ` (${normalized})` : ''}`;
  }
  out[''] = `${err.message} (${err.code})`;
  return out;
}

/** Why an object or field cannot be changed freely, or null when it can. */
export function pluginLock(pluginId: string | null | undefined, plugins: readonly PluginInfo[]): string | null {
  if (!pluginId) return null;
  const plugin = plugins.find((p) => p.id === pluginId);
  // Uninstalled with its data kept: the kernel lets the workspace change it.
  if (!plugin) return null;
  return `Added by the plugin ${plugin.name}, whose code relies on it: only labels, description and icon can change.`;
}

/** Who owns an object or field, for the admin: "Custom", or the plugin's name. */
export function ownerLabel(pluginId: string | null | undefined, plugins: readonly PluginInfo[]): string {
  if (!pluginId) return 'Custom';
  const plugin = plugins.find((p) => p.id === pluginId);
  return plugin ? plugin.name : `${pluginId} (uninstalled)`;
}

/** Lower snake_case from a label, the way the API names things. */
export function nameFromLabel(label: string): string {
  return label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/_+/g, '_')
    .replace(/^(\d)/, 'f_$1')
    .slice(0, 48);
}
