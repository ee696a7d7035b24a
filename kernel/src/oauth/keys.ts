import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { KernelServices } from '../app/services.js';

/** The algorithm access tokens are signed with: ECDSA P-256, small signatures, supported everywhere. */
export const SIGNING_ALG = 'ES256';
/** How long a process trusts its copy of the active key before asking the database again. */
const ACTIVE_CACHE_MS = 60_000;
/**
 * How long a replaced key stays published beyond the access-token lifetime: other processes may sign with
 * it for up to {@link ACTIVE_CACHE_MS} after the rotation, and clocks drift a little.
 */
const RETIRE_MARGIN_MS = 5 * 60_000;
/** One advisory lock id for key creation and rotation, so two processes never make two active keys. */
const LOCK = 'mosaic.oauth_signing_key';

/** What key management needs of the kernel: a command run beside the server has these without the rest. */
export type KeyServices = Pick<KernelServices, 'config' | 'db' | 'secretBox'>;

interface KeyRow {
  kid: string;
  public_jwk: JWK;
  private_jwk: string;
  expires_at: string | Date | null;
}

interface KeyState {
  active?: { kid: string; key: CryptoKey; loadedAt: number };
  /** Public keys by kid, with when they stop being accepted (null: the active key). */
  publics: Map<string, { key: CryptoKey; expiresAt: number | null; loadedAt: number }>;
}

/** Per database, because a test process runs many kernels, each on its own database. */
const states = new WeakMap<object, KeyState>();

function state(services: KeyServices): KeyState {
  let s = states.get(services.db);
  if (!s) states.set(services.db, (s = { publics: new Map() }));
  return s;
}

async function newKeyRow(services: KeyServices): Promise<KeyRow> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = await exportJWK(privateKey);
  return {
    kid,
    public_jwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: 'sig' },
    private_jwk: services.secretBox.seal(JSON.stringify(privateJwk)),
    expires_at: null,
  };
}

/** The active key's row, created under the lock when there is none yet (first token of a new install). */
async function activeRow(services: KeyServices): Promise<KeyRow> {
  const { knex } = services.db;
  const found = (await knex('oauth_signing_key').whereNull('retired_at').first()) as KeyRow | undefined;
  if (found) return found;
  return knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [LOCK]);
    const again = (await trx('oauth_signing_key').whereNull('retired_at').first()) as KeyRow | undefined;
    if (again) return again;
    const row = await newKeyRow(services);
    await trx('oauth_signing_key').insert({ ...row, alg: SIGNING_ALG });
    return row;
  });
}

/** The key new access tokens are signed with, and its `kid`. */
export async function signingKey(services: KeyServices): Promise<{ kid: string; key: CryptoKey }> {
  const s = state(services);
  if (s.active && Date.now() - s.active.loadedAt < ACTIVE_CACHE_MS) return s.active;
  const row = await activeRow(services);
  const jwk = JSON.parse(services.secretBox.open(row.private_jwk)) as JWK;
  s.active = { kid: row.kid, key: (await importJWK(jwk, SIGNING_ALG)) as CryptoKey, loadedAt: Date.now() };
  return s.active;
}

/** What a rotation did: the new key, and the keys it retired with the moment they stop being accepted. */
export interface Rotation {
  readonly kid: string;
  readonly retired: readonly { readonly kid: string; readonly expiresAt: Date }[];
}

/**
 * Replaces the signing key: new tokens are signed with a fresh key at once (on this process; others
 * follow within a minute), and the old public key stays published, and accepted, until every token it
 * signed has expired. Returns the new key's `kid` and the keys it retired.
 */
export async function rotateSigningKey(services: KeyServices): Promise<Rotation> {
  const { knex } = services.db;
  const keepMs = services.config.oauthAccessTokenTtlSeconds * 1000 + RETIRE_MARGIN_MS;
  const row = await newKeyRow(services);
  const retired = await knex.transaction(async (trx) => {
    await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [LOCK]);
    await trx('oauth_signing_key').where('expires_at', '<', trx.fn.now()).delete();
    const rows = (await trx('oauth_signing_key')
      .whereNull('retired_at')
      .update({ retired_at: trx.fn.now(), expires_at: trx.raw(`now() + (? * interval '1 millisecond')`, [keepMs]) }, ['kid', 'expires_at'])) as { kid: string; expires_at: string | Date }[];
    await trx('oauth_signing_key').insert({ ...row, alg: SIGNING_ALG });
    return rows.map((r) => ({ kid: r.kid, expiresAt: new Date(r.expires_at) }));
  });
  const s = state(services);
  s.active = undefined;
  s.publics.clear();
  return { kid: row.kid, retired };
}

/** The published keys (RFC 7517 JWK Set): the active one and those retired whose tokens may still be live. */
export async function publicJwks(services: KeyServices): Promise<{ keys: JWK[] }> {
  await activeRow(services);
  const rows = (await services.db.knex('oauth_signing_key')
    .where((q) => q.whereNull('expires_at').orWhere('expires_at', '>', services.db.knex.fn.now()))
    .orderBy('created_at', 'desc')
    .select('public_jwk')) as { public_jwk: JWK }[];
  return { keys: rows.map((r) => r.public_jwk) };
}

/**
 * The public key a token names by `kid`, or undefined when the kernel never had it or has dropped it.
 * An unknown kid reloads the published keys once: it may have been made by another process's rotation.
 */
export async function verificationKey(services: KeyServices, kid: string): Promise<CryptoKey | undefined> {
  const s = state(services);
  let entry = s.publics.get(kid);
  // The active key has no end yet: re-read it now and then, so a rotation on another process is noticed.
  if (entry && entry.expiresAt === null && Date.now() - entry.loadedAt >= ACTIVE_CACHE_MS) entry = undefined;
  if (!entry) {
    const row = (await services.db.knex('oauth_signing_key').where({ kid }).first('public_jwk', 'expires_at')) as
      | Pick<KeyRow, 'public_jwk' | 'expires_at'>
      | undefined;
    if (!row) return undefined;
    entry = {
      key: (await importJWK(row.public_jwk, SIGNING_ALG)) as CryptoKey,
      expiresAt: row.expires_at === null ? null : new Date(row.expires_at).getTime(),
      loadedAt: Date.now(),
    };
    s.publics.set(kid, entry);
  }
  if (entry.expiresAt !== null && entry.expiresAt <= Date.now()) return undefined;
  return entry.key;
}
