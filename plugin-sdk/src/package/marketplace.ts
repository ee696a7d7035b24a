/**
 * A marketplace folder: `index.json` plus `packages/<id>-<version>.tgz`. The index names publishers
 * and their keys, plugins and their versions (checksum, size, kernel range, permissions, dependencies,
 * signer) and revoked versions. The same JSON can be served by any HTTP server.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import semver from 'semver';
import { ID_PATTERN } from '../manifest/schema.js';
import type { PluginPermissions } from '../manifest/types.js';
import { KEY_ID, archiveName } from './format.js';
import { keyIdOf, publicKeyObject } from './keys.js';

/** The index file of a marketplace folder. */
export const INDEX_FILE = 'index.json';
/** The folder of a marketplace holding the archives. */
export const PACKAGES_DIR = 'packages';

/** A publisher key in the index. */
export interface MarketplaceKey {
  readonly key_id: string;
  /** Base64 of the raw 32-byte ed25519 public key. */
  readonly public_key: string;
}

/** A publisher: a display name and the keys its packages may be signed with. */
export interface MarketplacePublisher {
  readonly name: string;
  readonly keys: readonly MarketplaceKey[];
}

/** One published version. */
export interface MarketplaceVersion {
  /** Always `packages/<id>-<version>.tgz`; the index is refused otherwise. */
  readonly file: string;
  /** Hex SHA-256 of the archive. */
  readonly sha256: string;
  readonly size: number;
  /** The manifest's kernel semver range. */
  readonly kernel: string;
  readonly permissions: PluginPermissions;
  readonly dependencies: Readonly<Record<string, string>>;
  /** The key id that signed the package, or null for an unsigned one. */
  readonly signed_by: string | null;
  readonly published_at: string;
}

/** A plugin with every published version. */
export interface MarketplacePlugin {
  readonly name: string;
  readonly description: string;
  readonly publisher: string;
  readonly versions: Readonly<Record<string, MarketplaceVersion>>;
}

/** A version withdrawn by its publisher or the marketplace. */
export interface MarketplaceRevocation {
  readonly id: string;
  readonly version: string;
  readonly reason: string;
}

/** `index.json`, format 1. */
export interface MarketplaceIndex {
  readonly format: 1;
  readonly name: string;
  readonly publishers: Readonly<Record<string, MarketplacePublisher>>;
  readonly plugins: Readonly<Record<string, MarketplacePlugin>>;
  readonly revoked: readonly MarketplaceRevocation[];
}

/** The outcome of {@link parseMarketplaceIndex}: the index, or every problem found. */
export type MarketplaceIndexParse = { readonly ok: true; readonly index: MarketplaceIndex } | { readonly ok: false; readonly problems: readonly string[] };

const ID = new RegExp(ID_PATTERN);
/** A publisher id in the index: lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit. */
export const PUBLISHER_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}

/** A version as manifests write it: semver, build metadata allowed, nothing semver would forgive (`v1.0.0`). */
function isExactVersion(version: string): boolean {
  return semver.parse(version)?.raw === version && /^\d/.test(version);
}

function checkVersion(id: string, version: string, v: unknown, problems: string[]): void {
  const at = `plugins.${id}.versions.${version}`;
  if (!isExactVersion(version)) problems.push(`${at}: "${version}" is not a semver version`);
  if (!isRecord(v)) return void problems.push(`${at}: not an object`);
  // A fixed file name: a client joining it to the marketplace folder or URL cannot be led elsewhere.
  if (v.file !== `${PACKAGES_DIR}/${archiveName(id, version)}`) problems.push(`${at}.file: must be ${PACKAGES_DIR}/${archiveName(id, version)}`);
  if (typeof v.sha256 !== 'string' || !SHA256_HEX.test(v.sha256)) problems.push(`${at}.sha256: must be a hex SHA-256`);
  if (!Number.isSafeInteger(v.size) || (v.size as number) < 0) problems.push(`${at}.size: must be a whole number of bytes`);
  if (typeof v.kernel !== 'string' || semver.validRange(v.kernel) === null) problems.push(`${at}.kernel: must be a semver range`);
  if (!isRecord(v.permissions)) problems.push(`${at}.permissions: must be an object`);
  if (!isStringRecord(v.dependencies)) problems.push(`${at}.dependencies: must map plugin ids to ranges`);
  if (v.signed_by !== null && (typeof v.signed_by !== 'string' || !KEY_ID.test(v.signed_by))) problems.push(`${at}.signed_by: must be a key id or null`);
  if (typeof v.published_at !== 'string' || Number.isNaN(Date.parse(v.published_at))) problems.push(`${at}.published_at: must be an ISO date`);
}

/** Checks the shape of a parsed `index.json`, listing every problem (an index may come from any server). */
export function parseMarketplaceIndex(raw: unknown): MarketplaceIndexParse {
  const problems: string[] = [];
  if (!isRecord(raw)) return { ok: false, problems: ['the index is not a JSON object'] };
  if (raw.format !== 1) problems.push('format: must be 1');
  if (typeof raw.name !== 'string') problems.push('name: must be a string');
  const keyOwners = new Map<string, string>();
  if (!isRecord(raw.publishers)) problems.push('publishers: must be an object');
  else {
    for (const [id, p] of Object.entries(raw.publishers)) {
      if (!PUBLISHER_ID.test(id)) problems.push(`publishers.${id}: not a publisher id (${PUBLISHER_ID.source})`);
      if (!isRecord(p) || typeof p.name !== 'string' || !Array.isArray(p.keys)) { problems.push(`publishers.${id}: must be { name, keys: [] }`); continue; }
      for (const [i, k] of p.keys.entries()) {
        const at = `publishers.${id}.keys[${i}]`;
        if (!isRecord(k) || typeof k.key_id !== 'string' || !KEY_ID.test(k.key_id) || typeof k.public_key !== 'string') { problems.push(`${at}: must be { key_id, public_key }`); continue; }
        // A key id is the hash of its key, and one key speaks for one publisher.
        if (publicKeyObject(k.public_key) === null) problems.push(`${at}.public_key: must be base64 of a raw 32-byte ed25519 key`);
        else if (keyIdOf(k.public_key) !== k.key_id) problems.push(`${at}.key_id: is not the id of its public_key`);
        const owner = keyOwners.get(k.key_id);
        if (owner !== undefined && owner !== id) problems.push(`${at}: key ${k.key_id} is also a key of publisher "${owner}"`);
        keyOwners.set(k.key_id, id);
      }
    }
  }
  if (!isRecord(raw.plugins)) problems.push('plugins: must be an object');
  else {
    for (const [id, p] of Object.entries(raw.plugins)) {
      if (!ID.test(id)) problems.push(`plugins.${id}: not a plugin id`);
      if (!isRecord(p) || typeof p.name !== 'string' || typeof p.description !== 'string' || typeof p.publisher !== 'string' || !isRecord(p.versions)) {
        problems.push(`plugins.${id}: must be { name, description, publisher, versions: {} }`);
        continue;
      }
      if (isRecord(raw.publishers) && !Object.hasOwn(raw.publishers, p.publisher)) problems.push(`plugins.${id}.publisher: "${p.publisher}" is not in publishers`);
      for (const [version, v] of Object.entries(p.versions)) checkVersion(id, version, v, problems);
    }
  }
  if (!Array.isArray(raw.revoked) || !raw.revoked.every((r) => isRecord(r) && typeof r.id === 'string' && typeof r.version === 'string' && typeof r.reason === 'string')) {
    problems.push('revoked: must be a list of { id, version, reason }');
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, index: raw as unknown as MarketplaceIndex };
}

/** A marketplace with nothing in it yet. */
export function emptyMarketplaceIndex(name: string): MarketplaceIndex {
  return { format: 1, name, publishers: {}, plugins: {}, revoked: [] };
}

/** The text of `index.json` in a marketplace folder, or null when the folder has none. */
export async function readIndexText(dir: string): Promise<string | null> {
  try {
    return await readFile(join(dir, INDEX_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Writes `index.json` atomically: a temporary file in the same folder, then a rename, so a reader
 * (a kernel fetching the index) sees the old index or the new one, never half of one.
 */
export async function writeMarketplaceIndex(dir: string, index: MarketplaceIndex): Promise<void> {
  const temp = join(dir, `.${INDEX_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temp, `${JSON.stringify(index, null, 2)}\n`, { flag: 'wx' });
    await rename(temp, join(dir, INDEX_FILE));
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
