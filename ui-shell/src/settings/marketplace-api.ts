import type { ApiClient } from '../api/client.js';

/** A version's signature as the kernel sees it. */
export type SignatureStatus = 'verified' | 'untrusted_key' | 'unsigned';

/** One plugin of `GET /api/marketplace/plugins`. */
export interface MarketplacePlugin {
  readonly id: string;
  readonly name: string;
  readonly description: string | null;
  readonly publisher: { readonly id: string; readonly name: string };
  readonly marketplace: { readonly name: string; readonly location: string };
  readonly latest_version: string | null;
  readonly installed_version: string | null;
  /** Why the installed version was revoked, or null. */
  readonly installed_revoked: string | null;
  readonly update_available: boolean;
  readonly signature: SignatureStatus | null;
  readonly revoked: string | null;
}

/** One version on a plugin's detail. */
export interface MarketplaceVersion {
  readonly version: string;
  readonly published_at: string | null;
  readonly signed_by: string | null;
  readonly signature: SignatureStatus;
  readonly kernel: string;
  readonly kernel_matches: boolean;
  readonly revoked: string | null;
  /** In plain words. */
  readonly permissions: readonly string[];
  readonly dependencies: Readonly<Record<string, string>>;
}

/** `GET /api/marketplace/plugins/:id`. */
export interface MarketplaceDetail extends MarketplacePlugin {
  readonly installed: { readonly version: string; readonly enabled: boolean; readonly pending_version: string | null } | null;
  readonly allow_unsigned: boolean;
  readonly versions: readonly MarketplaceVersion[];
}

/** What installing takes: every plugin in order, the combined permissions, and the consent to send back. */
export interface InstallPlan {
  readonly plugins: readonly { readonly id: string; readonly name: string; readonly version: string; readonly action: 'install' | 'upgrade'; readonly from: string | null; readonly permissions: readonly string[] }[];
  readonly permissions: readonly string[];
  readonly consent: Readonly<Record<string, unknown>>;
}

/** The browse answer: plugins, the configured marketplaces (with any that failed), the development setting. */
export interface MarketplaceList {
  readonly data: readonly MarketplacePlugin[];
  readonly marketplaces: readonly { readonly name: string | null; readonly location: string; readonly error: { readonly code: string; readonly message: string } | null }[];
  readonly allow_unsigned: boolean;
}

const pluginPath = (id: string) => `/api/marketplace/plugins/${encodeURIComponent(id)}`;

/** The marketplace API (capability `plugins`) for Settings → Marketplace. */
export class MarketplaceApi {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  list(q: string): Promise<MarketplaceList> {
    return this.#api.request<MarketplaceList>('GET', `/api/marketplace/plugins${q ? `?q=${encodeURIComponent(q)}` : ''}`);
  }

  get(id: string): Promise<MarketplaceDetail> {
    return this.#api.request<MarketplaceDetail>('GET', pluginPath(id));
  }

  /** The plan of installing (or upgrading to) a version; changes nothing. */
  plan(id: string, version?: string): Promise<InstallPlan> {
    return this.#api.request<InstallPlan>('GET', `${pluginPath(id)}/plan${version ? `?version=${encodeURIComponent(version)}` : ''}`);
  }

  /** Installs with the plan's consent, dependencies first. */
  install(id: string, version: string, consent: InstallPlan['consent']): Promise<unknown> {
    return this.#api.request('POST', '/api/marketplace/install', { id, version, consent });
  }

  /**
   * Upgrades; without `consent` it applies only if the permissions do not grow, and otherwise fails with
   * `MOSAIC_ERR_MARKETPLACE_CONSENT_REQUIRED` (the version then waits for consent).
   */
  upgrade(id: string, version: string, consent?: InstallPlan['consent']): Promise<unknown> {
    return this.#api.request('POST', '/api/marketplace/upgrade', { id, version, ...(consent ? { consent } : {}) });
  }
}
