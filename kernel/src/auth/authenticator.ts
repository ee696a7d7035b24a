import type { KernelServices } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import { CredentialCache, type Credential } from './credential-cache.js';
import type { PresentedToken } from './headers.js';
import { loadApiKey, loadSession } from './load-credential.js';
import { hashToken, looksLikeApiKey } from './tokens.js';

/** `last_used_at` is written at most this often per key and process; exact times are not worth a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * Turns a presented token into a {@link Credential}. With a warm cache this does no database work at
 * all: one sha256 and one map lookup.
 */
export class Authenticator {
  readonly #services: KernelServices;
  readonly #cache: CredentialCache;

  constructor(services: KernelServices) {
    this.#services = services;
    this.#cache = new CredentialCache(services.invalidation);
  }

  /** Resolves a session cookie value, or throws `MOSAIC_ERR_AUTH_SESSION_EXPIRED`. */
  async session(token: string): Promise<Credential> {
    const credential = await this.#resolve(token, 'session');
    if (!credential) throw new MosaicError('MOSAIC_ERR_AUTH_SESSION_EXPIRED');
    return credential;
  }

  /** Resolves an API key, or throws `MOSAIC_ERR_AUTH_API_KEY_INVALID`; records its use (throttled). */
  async apiKey(key: string): Promise<Credential> {
    const credential = looksLikeApiKey(key) ? await this.#resolve(key, 'api_key') : undefined;
    if (!credential) throw new MosaicError('MOSAIC_ERR_AUTH_API_KEY_INVALID');
    const now = Date.now();
    if (now - (credential.lastUsedAt ?? 0) >= LAST_USED_RESOLUTION_MS) {
      credential.lastUsedAt = now;
      this.#touch(credential.id);
    }
    return credential;
  }

  /** Resolves a token of either kind, as `presentedToken(headers)` found it; throws like the two above. */
  presented(presented: PresentedToken): Promise<Credential> {
    return presented.kind === 'api_key' ? this.apiKey(presented.token) : this.session(presented.token);
  }

  async #resolve(token: string, kind: Credential['kind']): Promise<Credential | undefined> {
    const hash = hashToken(token);
    let credential = this.#cache.get(hash);
    credential ??= await this.#cache.load(hash, () =>
      kind === 'session' ? loadSession(this.#services.db.knex, hash) : loadApiKey(this.#services.db.knex, hash),
    );
    // A hash of one kind can never match a row of the other, but a cache hit must not cross kinds either.
    if (!credential || credential.kind !== kind) return undefined;
    if (credential.expiresAt !== null && credential.expiresAt <= Date.now()) {
      this.#cache.delete(hash);
      return undefined;
    }
    return credential;
  }

  /** Fire-and-forget: a failed bookkeeping write must not fail the request it rides on. */
  #touch(apiKeyId: string): void {
    const { knex } = this.#services.db;
    knex('api_key')
      .where('id', apiKeyId)
      .where((q) => q.whereNull('last_used_at').orWhere('last_used_at', '<', knex.raw(`now() - interval '1 minute'`)))
      .update({ last_used_at: knex.fn.now() })
      .catch((err: unknown) => this.#services.log.warn({ err, apiKeyId }, 'could not record API key use'));
  }
}
