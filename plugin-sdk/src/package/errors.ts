/**
 * Why a package was refused. The reader runs in the kernel (installs) and in the CLI (`publish`), so
 * its codes are plain data: the kernel raises them as its own coded HTTP errors (docs/api.md lists
 * them), and the CLI prints them inside `MOSAIC_ERR_CLI_PACKAGE_REFUSED`.
 */
export const PACKAGE_ERROR_CODES = {
  MOSAIC_ERR_PACKAGE_INVALID: 'The package is not a gzipped tar, lacks files.json or mosaic-plugin.json, or its manifest is invalid or disagrees with files.json.',
  MOSAIC_ERR_PACKAGE_PATH_UNSAFE: 'A path in the package is absolute, climbs out with .., holds a backslash or control character, or appears twice.',
  MOSAIC_ERR_PACKAGE_LINK: 'The package holds a symbolic link, a hard link, a device or another entry that is neither a file nor a folder.',
  MOSAIC_ERR_PACKAGE_TOO_LARGE: 'The package is over a size limit: archive bytes, unpacked bytes, one file, or the number of files.',
  MOSAIC_ERR_PACKAGE_HASH_MISMATCH: 'A file differs from files.json (size or SHA-256), a listed file is missing, or a file is not listed.',
  MOSAIC_ERR_PACKAGE_SIGNATURE_INVALID: 'signature.json is malformed or its signature does not match files.json and the key.',
  MOSAIC_ERR_PACKAGE_KEY_UNKNOWN: 'The package is signed with a key that is not among the trusted publisher keys.',
  MOSAIC_ERR_PACKAGE_UNSIGNED: 'The package has no signature.json, and unsigned packages are not allowed.',
  MOSAIC_ERR_PACKAGE_KERNEL_RANGE: "The plugin's kernel range does not include this kernel's plugin API version.",
} as const satisfies Record<string, string>;

/** A stable package refusal code. */
export type PackageErrorCode = keyof typeof PACKAGE_ERROR_CODES;

/** One specific problem behind a refusal, such as the file whose hash differs. */
export interface PackageProblem {
  /** The path inside the package, or `files.json`, `signature.json`, a manifest path. */
  readonly path?: string;
  readonly message: string;
}

/** A refused package: a stable {@link PackageErrorCode}, a message a person can act on, and details. */
export class PackageError extends Error {
  readonly code: PackageErrorCode;
  readonly details: readonly PackageProblem[];

  constructor(code: PackageErrorCode, message: string, details: readonly PackageProblem[] = []) {
    super(message);
    this.name = 'PackageError';
    this.code = code;
    this.details = details;
  }
}

/** True when `value` is a {@link PackageError}. */
export function isPackageError(value: unknown): value is PackageError {
  return value instanceof PackageError;
}
