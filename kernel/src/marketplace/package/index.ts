/**
 * Package verification: reading a marketplace package safely in memory, and writing a verified one to
 * disk. The marketplace module installs through these two functions only.
 */
export { readPackage, type ReadPackageOptions } from './read.js';
export { writePackage } from './write.js';
export { DEFAULT_PACKAGE_LIMITS, type PackageLimits, type TrustedKey, type VerifiedPackage } from '@mosaic/plugin-sdk/package';
