import type { ApiClient } from '../api/client.js';
import { ApiError } from '../api/errors.js';

/** A JSON Schema node of a plugin's settings (the subset the plugin SDK accepts). */
export interface SettingsSchema {
  readonly type?: string | readonly string[];
  readonly title?: string;
  readonly description?: string;
  readonly default?: unknown;
  readonly enum?: readonly unknown[];
  readonly properties?: Readonly<Record<string, SettingsSchema>>;
  readonly required?: readonly string[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly format?: string;
  readonly readOnly?: boolean;
}

/** A plugin as an admin sees it in `GET /api/plugins` (the fields the settings pages use). */
export interface PluginAdminInfo {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  readonly description: string | null;
  readonly enabled: boolean;
  readonly publisher: { readonly name: string; readonly url?: string } | null;
  readonly source: string;
  readonly folder: string;
  /** The permissions it holds, in plain words. */
  readonly permissions: readonly string[];
  readonly granted: unknown;
  readonly objects: readonly string[];
  readonly dependencies: Readonly<Record<string, string>>;
  readonly settings_schema: SettingsSchema | null;
  readonly secrets: readonly string[];
  /** An upgrade that waits for the admin's consent to more permissions. */
  readonly pending: { readonly version: string; readonly folder: string; readonly requested_at: string; readonly permissions: readonly string[]; readonly requested: unknown } | null;
  /** Why the plugin is paused (an event storm, say). */
  readonly error: { readonly code: string; readonly message: string; readonly at: string } | null;
  readonly health: { readonly state: 'ready' | 'degraded' | 'disposed'; readonly failures: number; readonly lastError: { readonly code: string; readonly message: string } | null } | null;
}

/** `GET /api/plugins/:id`: the installation plus its settings and which secrets are set. */
export interface PluginDetail extends PluginAdminInfo {
  readonly settings: Readonly<Record<string, unknown>>;
  readonly secrets_set: readonly { readonly name: string; readonly updatedAt: string }[];
}

/** What a plugin asks for before it may be installed: its name and permissions in plain words. */
export interface ConsentRequest {
  /** The plugin and version, as the API's message names them ("Deal notes 1.2.0"). */
  readonly plugin: string;
  readonly message: string;
  readonly permissions: readonly string[];
}

/** The consent a refused install asks for, or undefined when the error is about something else. */
export function consentRequest(error: unknown): ConsentRequest | undefined {
  if (!(error instanceof ApiError) || error.code !== 'MOSAIC_ERR_PLUGIN_CONSENT_REQUIRED') return undefined;
  // The message reads "<name> <version> asks for permissions that have not been granted: …".
  const plugin = error.message.split(' asks for ')[0] ?? '';
  return { plugin, message: error.message, permissions: error.details.filter((d) => d.path === 'permissions').map((d) => d.message) };
}

const path = (s: string) => `/api/plugins/${encodeURIComponent(s)}`;

/** The plugin admin API (capability `plugins`) for the settings pages. */
export class PluginAdminApi {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  async list(): Promise<PluginAdminInfo[]> {
    return (await this.#api.request<{ data: PluginAdminInfo[] }>('GET', '/api/plugins')).data;
  }

  get(id: string): Promise<PluginDetail> {
    return this.#api.request<PluginDetail>('GET', path(id));
  }

  /**
   * Installs the plugin in a server folder. Without `grant` the API answers with what consent it needs
   * (see {@link consentRequest}); `requested` grants what that version asks for.
   */
  install(folder: string, grant?: 'requested'): Promise<PluginDetail> {
    return this.#api.request<PluginDetail>('POST', '/api/plugins', { path: folder, ...(grant ? { grant } : {}) });
  }

  /** Applies an upgrade from a folder with a grant (the pending upgrade's requested permissions). */
  upgrade(id: string, folder: string, grant: unknown): Promise<{ outcome: string; plugin: PluginDetail }> {
    return this.#api.request('PUT', path(id), { path: folder, grant });
  }

  patch(id: string, body: { enabled?: boolean; settings?: Record<string, unknown>; secrets?: Record<string, string | null>; reset?: true }): Promise<PluginDetail> {
    return this.#api.request<PluginDetail>('PATCH', path(id), body);
  }

  async uninstall(id: string, purge: boolean): Promise<void> {
    await this.#api.request('DELETE', `${path(id)}${purge ? '?purge=true' : ''}`);
  }
}
