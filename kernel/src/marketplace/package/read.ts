import { isPackageError, verifyPackage, type PackageLimits, type TrustedKey, type VerifiedPackage } from '@mosaic/plugin-sdk/package';
import { MosaicError, type ErrorCode } from '../../errors/index.js';

/** How {@link readPackage} verifies a package. */
export interface ReadPackageOptions {
  /** The publisher keys this kernel trusts (configuration, or a marketplace's keys the admin trusts). */
  readonly trustedKeys: readonly TrustedKey[];
  /** Accept packages without a signature: a development setting, off in production. */
  readonly allowUnsigned: boolean;
  /** This kernel's plugin API version; the manifest's `kernel` range must include it. */
  readonly kernelVersion: string;
  readonly limits?: Partial<PackageLimits>;
}

/**
 * Reads and verifies a package entirely in memory; nothing is written. The rules live in the SDK's
 * package reader, which `mosaic-plugin publish` runs too, so a marketplace never accepts a package
 * a kernel refuses; here its refusals become the kernel's coded errors (HTTP 422), with the same codes.
 *
 * @throws MosaicError `MOSAIC_ERR_PACKAGE_INVALID`, `_PATH_UNSAFE`, `_LINK`, `_TOO_LARGE`, `_HASH_MISMATCH`,
 *   `_SIGNATURE_INVALID`, `_KEY_UNKNOWN`, `_UNSIGNED` or `_KERNEL_RANGE`.
 */
export async function readPackage(bytes: Buffer, options: ReadPackageOptions): Promise<VerifiedPackage> {
  try {
    return await verifyPackage(bytes, options);
  } catch (error) {
    if (!isPackageError(error)) throw error;
    // The type annotation proves every package code is also a kernel code.
    const code: ErrorCode = error.code;
    throw new MosaicError(code, error.message, error.details, { cause: error });
  }
}
