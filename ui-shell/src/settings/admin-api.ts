import type { ApiClient } from '../api/client.js';
import type { RolePermissions } from '../api/types.js';

/** A member as `GET /api/workspace/members` lists them. */
export interface Member {
  readonly id: string;
  readonly user_id: string;
  readonly name: string;
  readonly email: string;
  readonly role: string;
  readonly created_at: string | null;
}

/** A pending invite; `accept_path` only in the answer that created it. */
export interface Invite {
  readonly id: string;
  readonly email: string;
  readonly role: string;
  readonly created_at: string | null;
  readonly expires_at: string | null;
  readonly accept_path?: string;
}

/** A role with its permissions. */
export interface Role {
  readonly key: string;
  readonly name: string;
  readonly built_in: boolean;
  readonly permissions: RolePermissions;
}

/** An API key without its secret; `key` only in the answer that created it. */
export interface ApiKey {
  readonly id: string;
  readonly name: string;
  readonly prefix: string;
  readonly role: string;
  readonly created_at: string | null;
  readonly expires_at: string | null;
  readonly last_used_at: string | null;
  readonly key?: string;
}

/** A webhook without its secret; `secret` only in the answer that created (or rotated) it. */
export interface Webhook {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly event_types: readonly string[];
  readonly objects: readonly string[];
  readonly enabled: boolean;
  readonly created_at: string | null;
  readonly secret?: string;
}

/** One delivery attempt of a webhook. */
export interface Delivery {
  readonly id: number;
  readonly event_id: string;
  readonly event_type: string;
  readonly attempt: number;
  readonly status_code: number | null;
  readonly latency_ms: number | null;
  readonly error: string | null;
  readonly created_at: string;
}

const path = (s: string) => encodeURIComponent(s);

/**
 * The workspace administration API (members, invites, roles, API keys, webhooks) for the settings pages,
 * over the shell's {@link ApiClient}. Each call needs the capability the API names; refusals come back as
 * `ApiError` with the API's message.
 */
export class AdminApi {
  readonly #api: ApiClient;

  constructor(api: ApiClient) {
    this.#api = api;
  }

  async members(): Promise<Member[]> {
    return (await this.#api.request<{ members: Member[] }>('GET', '/api/workspace/members')).members;
  }

  async changeRole(memberId: string, role: string): Promise<void> {
    await this.#api.request('PATCH', `/api/workspace/members/${path(memberId)}`, { role });
  }

  async removeMember(memberId: string): Promise<void> {
    await this.#api.request('DELETE', `/api/workspace/members/${path(memberId)}`);
  }

  async invites(): Promise<Invite[]> {
    return (await this.#api.request<{ invites: Invite[] }>('GET', '/api/workspace/invites')).invites;
  }

  invite(email: string, role: string): Promise<Invite> {
    return this.#api.request<Invite>('POST', '/api/workspace/invites', { email, role });
  }

  async revokeInvite(id: string): Promise<void> {
    await this.#api.request('DELETE', `/api/workspace/invites/${path(id)}`);
  }

  async roles(): Promise<Role[]> {
    return (await this.#api.request<{ roles: Role[] }>('GET', '/api/workspace/roles')).roles;
  }

  createRole(input: { key: string; name: string; permissions: RolePermissions }): Promise<Role> {
    return this.#api.request<Role>('POST', '/api/workspace/roles', input);
  }

  updateRole(key: string, input: { name?: string; permissions?: RolePermissions }): Promise<Role> {
    return this.#api.request<Role>('PATCH', `/api/workspace/roles/${path(key)}`, input);
  }

  async deleteRole(key: string): Promise<void> {
    await this.#api.request('DELETE', `/api/workspace/roles/${path(key)}`);
  }

  async apiKeys(): Promise<ApiKey[]> {
    return (await this.#api.request<{ api_keys: ApiKey[] }>('GET', '/api/workspace/api-keys')).api_keys;
  }

  createApiKey(input: { name: string; role: string; expires_at?: string }): Promise<ApiKey> {
    return this.#api.request<ApiKey>('POST', '/api/workspace/api-keys', input);
  }

  async revokeApiKey(id: string): Promise<void> {
    await this.#api.request('DELETE', `/api/workspace/api-keys/${path(id)}`);
  }

  async webhooks(): Promise<Webhook[]> {
    return (await this.#api.request<{ data: Webhook[] }>('GET', '/api/webhooks')).data;
  }

  async createWebhook(input: { url: string; description?: string; event_types?: string[]; objects?: string[] }): Promise<Webhook> {
    return (await this.#api.request<{ data: Webhook }>('POST', '/api/webhooks', input)).data;
  }

  async updateWebhook(id: string, input: { enabled?: boolean; rotate_secret?: boolean }): Promise<Webhook> {
    return (await this.#api.request<{ data: Webhook }>('PATCH', `/api/webhooks/${path(id)}`, input)).data;
  }

  async deleteWebhook(id: string): Promise<void> {
    await this.#api.request('DELETE', `/api/webhooks/${path(id)}`);
  }

  async deliveries(id: string, limit = 50): Promise<Delivery[]> {
    return (await this.#api.request<{ data: Delivery[] }>('GET', `/api/webhooks/${path(id)}/deliveries?limit=${limit}`)).data;
  }

  async testWebhook(id: string): Promise<{ delivered: boolean; status_code: number | null; error: string | null }> {
    return (await this.#api.request<{ data: { delivered: boolean; status_code: number | null; error: string | null } }>('POST', `/api/webhooks/${path(id)}/test`)).data;
  }
}
