import type { Invalidation } from '../invalidation/index.js';
import type { AuthContext } from './context.js';

/** A resolved session or API key, as the authenticate hook needs it on every request. */
export interface Credential {
  readonly kind: 'session' | 'api_key';
  /** The session id or API key id. */
  readonly id: string;
  readonly workspaceId: string;
  /** Epoch milliseconds; null for an API key without expiry. */
  readonly expiresAt: number | null;
  /** Built once per load and shared by every request that presents the credential. */
  readonly auth: AuthContext;
  /** Sessions only: the token unsafe requests must echo in `x-csrf-token`. */
  readonly csrfToken?: string;
  /** API keys only: when this process last recorded a use (epoch ms), to throttle the write. */
  lastUsedAt?: number;
}

/** How long a resolved credential is trusted without asking the database. */
const TTL_MS = 30_000;
/** Bound on memory; the oldest entries go first when it is reached. */
const MAX_ENTRIES = 50_000;

interface Entry {
  readonly credential: Credential;
  readonly loadedAt: number;
}

/**
 * The per-process cache of resolved credentials, keyed by token hash. Entries live at most 30 s and
 * are dropped at once when any process announces a change through {@link Invalidation}:
 * `session` and `api_key` carry the row id, `roles` and `members` carry the workspace id (a role edit
 * or a membership change may affect any credential of that workspace). `*` drops everything.
 */
export class CredentialCache {
  readonly #entries = new Map<string, Entry>();
  /** Bumped on every eviction so a load that raced with a change never fills the cache. */
  #generation = 0;

  constructor(invalidation: Invalidation) {
    invalidation.on('session', (id) => this.#evict((c) => c.kind === 'session' && c.id === id, id));
    invalidation.on('api_key', (id) => this.#evict((c) => c.kind === 'api_key' && c.id === id, id));
    invalidation.on('roles', (ws) => this.#evict((c) => c.workspaceId === ws, ws));
    invalidation.on('members', (ws) => this.#evict((c) => c.workspaceId === ws, ws));
  }

  /** The cached credential for a token hash, if still fresh. */
  get(tokenHash: string): Credential | undefined {
    const entry = this.#entries.get(tokenHash);
    if (!entry) return undefined;
    if (Date.now() - entry.loadedAt > TTL_MS) {
      this.#entries.delete(tokenHash);
      return undefined;
    }
    return entry.credential;
  }

  /** Loads a credential and caches it, unless an eviction happened while it loaded. */
  async load(tokenHash: string, loader: () => Promise<Credential | undefined>): Promise<Credential | undefined> {
    const generation = this.#generation;
    const credential = await loader();
    if (credential && generation === this.#generation) {
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value as string);
      this.#entries.set(tokenHash, { credential, loadedAt: Date.now() });
    }
    return credential;
  }

  /** Drops one token's entry (an expired credential seen on the hot path). */
  delete(tokenHash: string): void {
    this.#entries.delete(tokenHash);
  }

  #evict(match: (c: Credential) => boolean, key: string): void {
    this.#generation++;
    if (key === '*') {
      this.#entries.clear();
      return;
    }
    // A linear scan: evictions are rare (admin actions), lookups are the hot path.
    for (const [hash, entry] of this.#entries) if (match(entry.credential)) this.#entries.delete(hash);
  }
}
