export * from './types.js';
export { MANIFEST_SCHEMA } from './schema.js';
export { ManifestError, isManifestError, type ManifestProblem } from './problems.js';
export { validateManifest, assertValidManifest, type ManifestValidation } from './validate.js';
export { validateManifestSet, installOrder, type ExistingObject, type ManifestSetOptions, type ManifestSetValidation } from './set.js';
export { describePermissions, diffPermissions, type PermissionDiff, type PermissionSource } from './describe.js';
export { eventPatternCovers, httpPatternCovers, matchesHttpPattern, parseHttpPattern, type HttpPattern } from './patterns.js';
