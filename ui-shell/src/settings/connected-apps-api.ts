import type { ApiClient } from '../api/client.js';

/** An application a member authorized (OAuth), as `/api/connected-apps` lists it. */
export interface ConnectedApp {
  readonly id: string;
  readonly client_id: string;
  readonly client_name: string;
  readonly client_kind: 'registered' | 'document';
  readonly redirect_hosts: readonly string[];
  readonly scopes: readonly string[];
  readonly authorizations: number;
  readonly first_authorized_at: string;
  readonly last_used_at: string;
  /** Only in the administrators' list. */
  readonly member?: { readonly id: string; readonly name: string; readonly email: string };
}

/** A registered client authorized here before and connected by no one now. */
export interface IdleClient {
  readonly id: string;
  readonly client_id: string;
  readonly client_name: string;
  readonly last_revoked_at: string | null;
}

const path = (s: string) => encodeURIComponent(s);

/** The connected-apps routes: a member's own, and (with `members`) the whole workspace's. */
export class ConnectedAppsApi {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  async mine(): Promise<ConnectedApp[]> {
    return (await this.#api.request<{ data: ConnectedApp[] }>('GET', '/api/connected-apps')).data;
  }

  async revokeMine(id: string): Promise<void> {
    await this.#api.request('DELETE', `/api/connected-apps/${path(id)}`);
  }

  all(): Promise<{ data: ConnectedApp[]; idle_clients: IdleClient[] }> {
    return this.#api.request('GET', '/api/workspace/connected-apps');
  }

  async revoke(memberId: string, id: string): Promise<void> {
    await this.#api.request('DELETE', `/api/workspace/connected-apps/${path(memberId)}/${path(id)}`);
  }

  async deleteClient(id: string): Promise<void> {
    await this.#api.request('DELETE', `/api/workspace/oauth-clients/${path(id)}`);
  }
}
