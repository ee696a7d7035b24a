/**
 * The package format, version 1. An archive `<id>-<version>.tgz` (gzip tar) holds at its root the
 * manifest, the bundles and icon it names, the README, {@link FILE_LIST} and, when signed,
 * {@link SIGNATURE_FILE}. docs/plugins.md ("Signing and publishing") describes the same format.
 */
import { PackageError } from './errors.js';

/** The list of every other file, with sizes and SHA-256s. */
export const FILE_LIST = 'files.json';

/** The ed25519 signature over the exact bytes of {@link FILE_LIST}. */
export const SIGNATURE_FILE = 'signature.json';

/** One entry of `files.json`. */
export interface PackedFile {
  /** Relative to the package root, `/`-separated. */
  readonly path: string;
  readonly size: number;
  /** Hex SHA-256 of the file's bytes. */
  readonly sha256: string;
}

/** `files.json`: every file of the package except itself and `signature.json`. */
export interface FileList {
  readonly format: 1;
  readonly id: string;
  readonly version: string;
  readonly files: readonly PackedFile[];
}

/** `signature.json`. */
export interface SignatureFile {
  readonly format: 1;
  readonly algorithm: 'ed25519';
  /** First 16 hex characters of the SHA-256 of the raw 32-byte public key. */
  readonly key_id: string;
  /** Base64 of the 64-byte ed25519 signature over the exact bytes of `files.json`. */
  readonly signature: string;
}

/** `<name>.pub.json`, written by `mosaic-plugin keygen`: what a marketplace and a kernel trust. */
export interface PublicKeyFile {
  readonly key_id: string;
  /** Base64 of the raw 32-byte ed25519 public key. */
  readonly public_key: string;
  readonly publisher?: string;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** A key id: 16 lower-case hex characters. */
export const KEY_ID = /^[0-9a-f]{16}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(bytes: Buffer, name: string, code: 'MOSAIC_ERR_PACKAGE_INVALID' | 'MOSAIC_ERR_PACKAGE_SIGNATURE_INVALID'): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new PackageError(code, `${name} is not valid JSON: ${(error as Error).message}`, [{ path: name, message: 'not JSON' }]);
  }
}

/** Parses and checks the shape of `files.json`; paths are checked by the archive reader's rules. */
export function parseFileList(bytes: Buffer): FileList {
  const raw = parseJson(bytes, FILE_LIST, 'MOSAIC_ERR_PACKAGE_INVALID');
  const bad = (message: string): PackageError => new PackageError('MOSAIC_ERR_PACKAGE_INVALID', `${FILE_LIST} is malformed: ${message}`, [{ path: FILE_LIST, message }]);
  if (!isRecord(raw)) throw bad('not an object');
  if (raw.format !== 1) throw bad('format must be 1');
  if (typeof raw.id !== 'string' || typeof raw.version !== 'string') throw bad('id and version must be strings');
  if (!Array.isArray(raw.files)) throw bad('files must be an array');
  const files: PackedFile[] = [];
  for (const [i, entry] of raw.files.entries()) {
    if (!isRecord(entry) || typeof entry.path !== 'string' || !Number.isSafeInteger(entry.size) || (entry.size as number) < 0 || typeof entry.sha256 !== 'string' || !SHA256_HEX.test(entry.sha256)) {
      throw bad(`files[${i}] must be { path, size, sha256 } with a whole size and a hex SHA-256`);
    }
    files.push({ path: entry.path, size: entry.size as number, sha256: entry.sha256 });
  }
  return { format: 1, id: raw.id, version: raw.version, files };
}

/** Parses and checks the shape of `signature.json`. */
export function parseSignatureFile(bytes: Buffer): SignatureFile {
  const raw = parseJson(bytes, SIGNATURE_FILE, 'MOSAIC_ERR_PACKAGE_SIGNATURE_INVALID');
  const bad = (message: string): PackageError =>
    new PackageError('MOSAIC_ERR_PACKAGE_SIGNATURE_INVALID', `${SIGNATURE_FILE} is malformed: ${message}`, [{ path: SIGNATURE_FILE, message }]);
  if (!isRecord(raw)) throw bad('not an object');
  if (raw.format !== 1) throw bad('format must be 1');
  if (raw.algorithm !== 'ed25519') throw bad('algorithm must be "ed25519"');
  if (typeof raw.key_id !== 'string' || !KEY_ID.test(raw.key_id)) throw bad('key_id must be 16 lower-case hex characters');
  if (typeof raw.signature !== 'string' || !BASE64.test(raw.signature)) throw bad('signature must be base64');
  return { format: 1, algorithm: 'ed25519', key_id: raw.key_id, signature: raw.signature };
}

/** The archive name of a plugin version: `<id>-<version>.tgz`. */
export function archiveName(id: string, version: string): string {
  return `${id}-${version}.tgz`;
}
