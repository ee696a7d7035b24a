import semver from 'semver';
import { validateManifestSet, type PluginManifest } from '@mosaic/plugin-sdk';
import { MosaicError } from '../errors/index.js';
import type { WorkspaceMetadata } from '../metadata/model.js';
import type { PluginInstallation } from './store.js';

/**
 * The plugin API version of this kernel, matched against each manifest's `kernel` range. It changes
 * only when what plugins can rely on changes (major: something they used is gone).
 */
export const PLUGIN_API_VERSION = '1.0.0';

/**
 * Checks a manifest against the other plugins of the workspace and its objects (id clashes, object
 * clashes, dependency ranges, cycles, the kernel range, field targets), then that every dependency is
 * installed and enabled. Every problem is listed in one coded error.
 */
export function assertFits(manifest: PluginManifest, installed: readonly PluginInstallation[], metadata: WorkspaceMetadata): void {
  const others = installed.filter((i) => i.pluginId !== manifest.id);
  const existingObjects = [...metadata.objects.values()]
    .filter((o) => o.pluginId === null || !others.some((i) => i.pluginId === o.pluginId))
    .filter((o) => o.pluginId !== manifest.id)
    .map((o) => ({ name: o.name, owner: o.pluginId }));
  const result = validateManifestSet([...others.map((i) => i.manifest), manifest], { kernelVersion: PLUGIN_API_VERSION, existingObjects });
  if (!result.ok) {
    // Problems of other plugins that were already there are not this install's to fix.
    const mine = result.problems.filter((p) => p.path.startsWith(`${manifest.id}:`) || p.message.includes(`"${manifest.id}"`));
    const problems = mine.length > 0 ? mine : result.problems;
    if (problems.length > 0) {
      const missing = problems.every((p) => p.code === 'MOSAIC_ERR_MANIFEST_DEPENDENCY_MISSING' || p.code === 'MOSAIC_ERR_MANIFEST_DEPENDENCY_RANGE');
      throw new MosaicError(
        missing ? 'MOSAIC_ERR_PLUGIN_DEPENDENCY_MISSING' : 'MOSAIC_ERR_PLUGIN_CONFLICT',
        `${manifest.name} ${manifest.version} cannot be installed here: ${problems.map((p) => p.message).join(' ')}`,
        problems.map((p) => ({ path: p.path, message: p.message, code: p.code })),
      );
    }
  }
  assertDependenciesEnabled(manifest, installed);
}

/** Every dependency must be installed, enabled, and at a version in range. */
export function assertDependenciesEnabled(manifest: PluginManifest, installed: readonly PluginInstallation[]): void {
  const problems: { path: string; message: string }[] = [];
  for (const [id, range] of Object.entries(manifest.dependencies ?? {})) {
    const dependency = installed.find((i) => i.pluginId === id);
    if (!dependency) problems.push({ path: `dependencies.${id}`, message: `"${id}" ${range} is not installed.` });
    else if (!dependency.enabled) problems.push({ path: `dependencies.${id}`, message: `"${id}" is installed but disabled.` });
    else if (!semver.satisfies(dependency.version, range, { includePrerelease: true })) {
      problems.push({ path: `dependencies.${id}`, message: `"${id}" is at ${dependency.version}, which is not in ${range}.` });
    }
  }
  if (problems.length > 0) {
    throw new MosaicError('MOSAIC_ERR_PLUGIN_DEPENDENCY_MISSING', `${manifest.name} needs other plugins first: ${problems.map((p) => p.message).join(' ')}`, problems);
  }
}

/** The enabled plugins that depend on `pluginId` (optionally: whose range `version` would not satisfy). */
export function dependants(pluginId: string, installed: readonly PluginInstallation[], version?: string): PluginInstallation[] {
  return installed.filter((i) => {
    if (!i.enabled || i.pluginId === pluginId) return false;
    const range = i.manifest.dependencies?.[pluginId];
    if (range === undefined) return false;
    return version === undefined || !semver.satisfies(version, range, { includePrerelease: true });
  });
}

/** The refusal naming the dependants. */
export function dependedOn(pluginId: string, action: string, by: readonly PluginInstallation[]): MosaicError {
  const names = by.map((i) => `${i.manifest.name} (${i.pluginId})`);
  return new MosaicError(
    'MOSAIC_ERR_PLUGIN_DEPENDED_ON',
    `"${pluginId}" cannot be ${action}: ${names.join(', ')} depend${by.length === 1 ? 's' : ''} on it. Disable ${by.length === 1 ? 'it' : 'them'} first.`,
    by.map((i) => ({ path: i.pluginId, message: `depends on ${pluginId} ${i.manifest.dependencies?.[pluginId] ?? ''}`.trim() })),
  );
}
