/**
 * Verifies a package in memory: the archive is read safely ({@link readArchive}), the signature over
 * `files.json` is checked against trusted keys, every file is checked against `files.json`, and the
 * manifest is validated. Shared by the kernel (installs) and `mosaic-plugin publish`, so a marketplace
 * never accepts what a kernel would refuse.
 */
import { createHash } from 'node:crypto';
import semver from 'semver';
import { MANIFEST_FILE, validateManifest, type PluginManifest } from '../manifest/index.js';
import { DEFAULT_PACKAGE_LIMITS, checkPackagePath, readArchive, type PackageLimits } from './archive.js';
import { PackageError } from './errors.js';
import { FILE_LIST, SIGNATURE_FILE, parseFileList, parseSignatureFile, type FileList } from './format.js';
import { keyIdOf, verifyBytes } from './keys.js';

/** A publisher key the reader accepts signatures from. */
export interface TrustedKey {
  /** 16 hex characters: the first of the SHA-256 of the raw public key. */
  readonly keyId: string;
  /** Base64 of the raw 32-byte ed25519 public key. */
  readonly publicKey: string;
  readonly publisher?: string;
}

/** How to verify a package. */
export interface VerifyOptions {
  readonly trustedKeys: readonly TrustedKey[];
  /** Accept a package without `signature.json` (a development setting). A signed package is always checked. */
  readonly allowUnsigned: boolean;
  /** The kernel plugin API version the manifest's `kernel` range must include; omitted, the range is not checked. */
  readonly kernelVersion?: string;
  readonly limits?: Partial<PackageLimits>;
}

/** A package that passed every check. */
export interface VerifiedPackage {
  readonly manifest: PluginManifest;
  /** Every file listed in `files.json`, by path (not `files.json` or `signature.json` themselves). */
  readonly files: ReadonlyMap<string, Buffer>;
  readonly fileList: FileList;
  /** Who signed it; null for an unsigned package (only with `allowUnsigned`). */
  readonly signer: { readonly keyId: string; readonly publisher?: string } | null;
  /** Hex SHA-256 of the archive bytes. */
  readonly sha256: string;
}

function hashMismatch(path: string, message: string): PackageError {
  return new PackageError('MOSAIC_ERR_PACKAGE_HASH_MISMATCH', `${path}: ${message}`, [{ path, message }]);
}

/** Checks `signature.json` against the trusted keys; returns the signer, or null when unsigned and allowed. */
function checkSignature(archive: Map<string, Buffer>, fileListBytes: Buffer, options: VerifyOptions): VerifiedPackage['signer'] {
  const signatureBytes = archive.get(SIGNATURE_FILE);
  if (signatureBytes === undefined) {
    if (options.allowUnsigned) return null;
    throw new PackageError('MOSAIC_ERR_PACKAGE_UNSIGNED', 'The package is not signed (it has no signature.json); sign it with mosaic-plugin pack --key, or turn on unsigned packages for development.');
  }
  const signature = parseSignatureFile(signatureBytes);
  const candidates = options.trustedKeys.filter((k) => k.keyId === signature.key_id);
  if (candidates.length === 0) {
    throw new PackageError('MOSAIC_ERR_PACKAGE_KEY_UNKNOWN', `The package is signed with key ${signature.key_id}, which is not a trusted publisher key.`, [{ path: SIGNATURE_FILE, message: `key_id ${signature.key_id}` }]);
  }
  // The id names the key, the key decides: a trusted entry whose key does not hash to its id never matches.
  const key = candidates.find((k) => keyIdOf(k.publicKey) === signature.key_id && verifyBytes(fileListBytes, signature.signature, k.publicKey));
  if (key === undefined) {
    throw new PackageError('MOSAIC_ERR_PACKAGE_SIGNATURE_INVALID', `The signature in ${SIGNATURE_FILE} does not match ${FILE_LIST} and key ${signature.key_id}; the package was changed after it was signed.`, [{ path: SIGNATURE_FILE, message: 'signature does not verify' }]);
  }
  return key.publisher === undefined ? { keyId: key.keyId } : { keyId: key.keyId, publisher: key.publisher };
}

/** Every listed file is present with its size and hash, and nothing else is in the package. */
function checkFiles(archive: Map<string, Buffer>, list: FileList): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of list.files) {
    const path = checkPackagePath(entry.path);
    if (path === FILE_LIST || path === SIGNATURE_FILE) throw hashMismatch(path, `${FILE_LIST} must not list itself or ${SIGNATURE_FILE}.`);
    if (files.has(path)) throw new PackageError('MOSAIC_ERR_PACKAGE_PATH_UNSAFE', `${FILE_LIST} lists ${path} twice.`, [{ path, message: 'listed twice' }]);
    const bytes = archive.get(path);
    if (bytes === undefined) throw hashMismatch(path, `${FILE_LIST} lists it, but the package does not hold it.`);
    if (bytes.byteLength !== entry.size) throw hashMismatch(path, `it is ${bytes.byteLength} bytes, ${FILE_LIST} says ${entry.size}.`);
    if (createHash('sha256').update(bytes).digest('hex') !== entry.sha256) throw hashMismatch(path, `its SHA-256 differs from ${FILE_LIST}; the file was changed after packing.`);
    files.set(path, bytes);
  }
  for (const path of archive.keys()) {
    if (path !== FILE_LIST && path !== SIGNATURE_FILE && !files.has(path)) throw hashMismatch(path, `the package holds it, but ${FILE_LIST} does not list it.`);
  }
  return files;
}

function checkManifest(files: Map<string, Buffer>, list: FileList): PluginManifest {
  const bytes = files.get(MANIFEST_FILE);
  if (bytes === undefined) throw new PackageError('MOSAIC_ERR_PACKAGE_INVALID', `The package has no ${MANIFEST_FILE}.`, [{ path: MANIFEST_FILE, message: 'missing' }]);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new PackageError('MOSAIC_ERR_PACKAGE_INVALID', `${MANIFEST_FILE} is not valid JSON: ${(error as Error).message}`, [{ path: MANIFEST_FILE, message: 'not JSON' }]);
  }
  const result = validateManifest(raw);
  if (!result.ok) {
    const count = result.problems.length;
    throw new PackageError(
      'MOSAIC_ERR_PACKAGE_INVALID',
      `The package's manifest has ${count} problem${count === 1 ? '' : 's'}: ${result.problems.map((p) => `${p.path || '(manifest)'}: ${p.message}`).join(' ')}`,
      result.problems.map((p) => ({ path: p.path, message: `${p.message} [${p.code}]` })),
    );
  }
  const manifest = result.manifest;
  if (manifest.id !== list.id || manifest.version !== list.version) {
    throw new PackageError('MOSAIC_ERR_PACKAGE_INVALID', `${FILE_LIST} is for ${list.id} ${list.version}, but the manifest is ${manifest.id} ${manifest.version}.`, [{ path: FILE_LIST, message: 'id/version mismatch' }]);
  }
  for (const [key, path] of [['server', manifest.server], ['ui', manifest.ui], ['icon', manifest.icon]] as const) {
    if (path !== undefined && !files.has(path)) {
      throw new PackageError('MOSAIC_ERR_PACKAGE_INVALID', `The manifest's ${key} names ${path}, which the package does not hold.`, [{ path: key, message: `${path} missing` }]);
    }
  }
  return manifest;
}

/**
 * The defaults with the given limits over them. An undefined value keeps the default (a spread would
 * turn the limit off); anything but a positive whole number is a configuration bug and throws.
 */
function resolveLimits(partial: Partial<PackageLimits> | undefined): PackageLimits {
  const limits: { -readonly [K in keyof PackageLimits]: number } = { ...DEFAULT_PACKAGE_LIMITS };
  for (const key of Object.keys(DEFAULT_PACKAGE_LIMITS) as (keyof PackageLimits)[]) {
    const value = partial?.[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`Package limit ${key} must be a positive whole number, got ${String(value)}.`);
    limits[key] = value;
  }
  return limits;
}

/**
 * Reads and verifies a package entirely in memory; nothing is written. The checks run in this order,
 * so the first refusal is the most basic one: archive safety and limits, `files.json`, signature,
 * file hashes, manifest, kernel range.
 *
 * @throws PackageError with a {@link PackageErrorCode} saying why the package was refused.
 */
export async function verifyPackage(bytes: Buffer, options: VerifyOptions): Promise<VerifiedPackage> {
  const limits = resolveLimits(options.limits);
  const archive = await readArchive(bytes, limits);
  const fileListBytes = archive.get(FILE_LIST);
  if (fileListBytes === undefined) throw new PackageError('MOSAIC_ERR_PACKAGE_INVALID', `The package has no ${FILE_LIST}; make packages with mosaic-plugin pack.`, [{ path: FILE_LIST, message: 'missing' }]);
  const fileList = parseFileList(fileListBytes);
  if (fileList.files.length > limits.maxFiles) throw new PackageError('MOSAIC_ERR_PACKAGE_TOO_LARGE', `${FILE_LIST} lists ${fileList.files.length} files; a package has at most ${limits.maxFiles}.`);
  const signer = checkSignature(archive, fileListBytes, options);
  const files = checkFiles(archive, fileList);
  const manifest = checkManifest(files, fileList);
  if (options.kernelVersion !== undefined && !semver.satisfies(options.kernelVersion, manifest.kernel)) {
    throw new PackageError('MOSAIC_ERR_PACKAGE_KERNEL_RANGE', `${manifest.id} ${manifest.version} needs kernel ${manifest.kernel}, but this kernel's plugin API is ${options.kernelVersion}.`, [{ path: 'kernel', message: manifest.kernel }]);
  }
  return { manifest, files, fileList, signer, sha256: createHash('sha256').update(bytes).digest('hex') };
}
