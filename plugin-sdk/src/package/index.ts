/**
 * `@mosaic/plugin-sdk/package`: the plugin package format — signing keys, the safe archive reader and
 * verifier, and the marketplace index. Used by the `mosaic-plugin` CLI (keygen, pack, publish) and
 * by the kernel, which installs packages with the same rules. Node-only: never imported by plugin code.
 */
export { PACKAGE_ERROR_CODES, PackageError, isPackageError, type PackageErrorCode, type PackageProblem } from './errors.js';
export { FILE_LIST, SIGNATURE_FILE, KEY_ID, archiveName, parseFileList, parseSignatureFile, type FileList, type PackedFile, type PublicKeyFile, type SignatureFile } from './format.js';
export { keyIdOf, generateSigningKey, loadSigningKey, publicKeyObject, signFileList, verifyBytes, type GeneratedKey } from './keys.js';
export { DEFAULT_PACKAGE_LIMITS, checkPackagePath, readArchive, type PackageLimits } from './archive.js';
export { verifyPackage, type TrustedKey, type VerifiedPackage, type VerifyOptions } from './verify.js';
export {
  INDEX_FILE,
  PACKAGES_DIR,
  PUBLISHER_ID,
  emptyMarketplaceIndex,
  parseMarketplaceIndex,
  readIndexText,
  writeMarketplaceIndex,
  type MarketplaceIndex,
  type MarketplaceIndexParse,
  type MarketplaceKey,
  type MarketplacePlugin,
  type MarketplacePublisher,
  type MarketplaceRevocation,
  type MarketplaceVersion,
} from './marketplace.js';
