import { ApiError, SIGNED_OUT_CODES, toApiError } from './errors.js';
import type { DirectoryMember, ObjectMeta, PluginInfo, RecordData, RecordPage, SavedView, SavedViewInput, SearchHit, SessionInfo, TimelinePage } from './types.js';

/** Query of a record list, in the API's own words. */
export interface ListQuery {
  readonly filter?: string;
  readonly order_by?: string;
  readonly limit?: number;
  readonly starting_after?: string;
  readonly ending_before?: string;
  readonly count?: boolean;
  readonly depth?: number;
}

/**
 * A small typed client over the kernel's API for the member's own session. It remembers the CSRF token
 * from the last session answer and sends it on every unsafe request; errors come back as {@link ApiError}.
 * `onSignedOut` runs when the API says the session is gone, so the shell can show the sign-in page.
 */
export class ApiClient {
  #csrf: string | undefined;
  onSignedOut: (() => void) | undefined;

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.exchange<T>(method, path, body)).body;
  }

  /** Like {@link request}, with the answer's status (201 and 200 differ for plugin routes). */
  async exchange<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && this.#csrf) headers['x-csrf-token'] = this.#csrf;
    let res: Response;
    try {
      res = await fetch(path, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) });
    } catch {
      throw toApiError(0, null);
    }
    const text = await res.text();
    let parsed: unknown = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = null;
      }
    }
    if (!res.ok) {
      const error = toApiError(res.status, parsed);
      if (SIGNED_OUT_CODES.has(error.code)) {
        this.#csrf = undefined;
        this.onSignedOut?.();
      }
      throw error;
    }
    return { status: res.status, body: parsed as T };
  }

  #remember<T extends { csrf_token: string }>(body: T): T {
    this.#csrf = body.csrf_token;
    return body;
  }

  /** The current session, or null when signed out. */
  async session(): Promise<SessionInfo | null> {
    try {
      return this.#remember(await this.request<SessionInfo>('GET', '/api/auth/session'));
    } catch (err) {
      if (err instanceof ApiError && SIGNED_OUT_CODES.has(err.code)) return null;
      throw err;
    }
  }

  async signUp(input: { email: string; password: string; name: string; workspace_name: string }): Promise<void> {
    this.#remember(await this.request<{ csrf_token: string }>('POST', '/api/auth/sign-up', input));
  }

  async signIn(input: { email: string; password: string }): Promise<void> {
    this.#remember(await this.request<{ csrf_token: string }>('POST', '/api/auth/sign-in', input));
  }

  async signOut(): Promise<void> {
    await this.request('POST', '/api/auth/sign-out');
    this.#csrf = undefined;
  }

  async switchWorkspace(workspaceId: string): Promise<void> {
    this.#remember(await this.request<{ csrf_token: string }>('POST', '/api/auth/switch-workspace', { workspace_id: workspaceId }));
  }

  async objects(): Promise<ObjectMeta[]> {
    return (await this.request<{ data: ObjectMeta[] }>('GET', '/api/metadata/objects')).data;
  }

  /** The workspace's members (names and emails), for showing and picking `member` field values. */
  async directory(): Promise<DirectoryMember[]> {
    return (await this.request<{ data: DirectoryMember[] }>('GET', '/api/workspace/directory')).data;
  }

  async createObject(input: { name: string; label_singular?: string; label_plural?: string; fields?: unknown[] }): Promise<ObjectMeta> {
    return (await this.request<{ data: ObjectMeta }>('POST', '/api/metadata/objects', input)).data;
  }

  async plugins(): Promise<PluginInfo[]> {
    return (await this.request<{ data: PluginInfo[] }>('GET', '/api/plugins')).data;
  }

  async list(object: string, query: ListQuery = {}): Promise<RecordPage> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    const qs = params.toString();
    return this.request<RecordPage>('GET', `/api/objects/${encodeURIComponent(object)}${qs ? `?${qs}` : ''}`);
  }

  /** One record; `depth: 1` embeds related records (both sides of each relation). */
  async get(object: string, id: string, depth = 0): Promise<RecordData> {
    return (await this.request<{ data: RecordData }>('GET', `/api/objects/${encodeURIComponent(object)}/${encodeURIComponent(id)}${depth ? `?depth=${depth}` : ''}`)).data;
  }

  async create(object: string, data: Record<string, unknown>): Promise<RecordData> {
    return (await this.request<{ data: RecordData }>('POST', `/api/objects/${encodeURIComponent(object)}`, data)).data;
  }

  async update(object: string, id: string, data: Record<string, unknown>): Promise<RecordData> {
    return (await this.request<{ data: RecordData }>('PATCH', `/api/objects/${encodeURIComponent(object)}/${encodeURIComponent(id)}`, data)).data;
  }

  async remove(object: string, id: string): Promise<void> {
    await this.request('DELETE', `/api/objects/${encodeURIComponent(object)}/${encodeURIComponent(id)}`);
  }

  /** Records of every readable object whose text matches `q` (label-field prefix matches first). */
  async search(q: string, limit = 20): Promise<SearchHit[]> {
    const params = new URLSearchParams({ q, limit: String(limit) });
    return (await this.request<{ data: SearchHit[] }>('GET', `/api/search?${params}`)).data;
  }

  /** A record's events, newest first; `before` is the previous page's `end_cursor`. */
  async timeline(object: string, id: string, query: { limit?: number; before?: string } = {}): Promise<TimelinePage> {
    const params = new URLSearchParams();
    if (query.limit) params.set('limit', String(query.limit));
    if (query.before) params.set('before', query.before);
    const qs = params.toString();
    return this.request<TimelinePage>('GET', `/api/objects/${encodeURIComponent(object)}/${encodeURIComponent(id)}/timeline${qs ? `?${qs}` : ''}`);
  }

  /** The object's saved views the member sees: shared ones and their own. */
  async views(object: string): Promise<SavedView[]> {
    return (await this.request<{ data: SavedView[] }>('GET', `/api/views?object=${encodeURIComponent(object)}`)).data;
  }

  async createView(object: string, input: SavedViewInput & { name: string }): Promise<SavedView> {
    return (await this.request<{ data: SavedView }>('POST', '/api/views', { object, ...input })).data;
  }

  async updateView(id: string, input: SavedViewInput): Promise<SavedView> {
    return (await this.request<{ data: SavedView }>('PATCH', `/api/views/${encodeURIComponent(id)}`, input)).data;
  }

  async deleteView(id: string): Promise<void> {
    await this.request('DELETE', `/api/views/${encodeURIComponent(id)}`);
  }
}
