import semver from 'semver';
import { describePermissions, type PluginPermissions } from '@mosaic/plugin-sdk';
import { MosaicError, type ErrorDetail } from '../errors/index.js';
import { PLUGIN_API_VERSION } from '../plugins/dependencies.js';
import type { PluginInstallation } from '../plugins/store.js';
import type { IndexVersion, MarketplaceIndex } from './catalog-types.js';

/** One plugin of an install plan. */
export interface PlanStep {
  readonly id: string;
  readonly name: string;
  readonly version: string;
  /** `install`: not installed yet; `upgrade`: installed at `from`, replaced by `version`. */
  readonly action: 'install' | 'upgrade';
  readonly from: string | null;
  readonly entry: IndexVersion;
  /** Why it is in the plan: the plugin asked for, or the plugin whose dependency it is. */
  readonly required_by: string | null;
}

/** What an admin consents to: every plugin of the plan, dependencies first, and their permissions. */
export interface InstallPlan {
  readonly marketplace: { readonly name: string; readonly location: string };
  readonly steps: readonly PlanStep[];
}

/** Which of a plugin's versions can be installed here, newest first: not revoked, kernel range matching. */
export function installableVersions(index: MarketplaceIndex, pluginId: string): string[] {
  const versions = Object.keys(index.plugins[pluginId]?.versions ?? {}).filter((v) => semver.valid(v) !== null);
  return versions
    .filter((v) => revocation(index, pluginId, v) === null && kernelMatches(index.plugins[pluginId]!.versions[v]!.kernel))
    .sort(semver.rcompare);
}

/** Whether this kernel's plugin API version is in a package's kernel range. */
export function kernelMatches(range: string): boolean {
  return semver.validRange(range) !== null && semver.satisfies(PLUGIN_API_VERSION, range, { includePrerelease: true });
}

/** The reason a version was revoked, or null. */
export function revocation(index: MarketplaceIndex, pluginId: string, version: string): string | null {
  const hit = index.revoked.find((r) => r.id === pluginId && r.version === version);
  return hit ? hit.reason || 'revoked by the marketplace' : null;
}

/**
 * Resolves what installing (or upgrading to) `version` of `pluginId` takes: its dependencies from the
 * same marketplace, each at the highest installable version in the range its dependant asks for, unless
 * an installed version already satisfies it. A dependency no version satisfies, or an installed one
 * outside the range, is a conflict named in one coded error.
 */
export function resolvePlan(
  market: { location: string; index: MarketplaceIndex },
  pluginId: string,
  version: string | undefined,
  installed: readonly PluginInstallation[],
): InstallPlan {
  const { index } = market;
  const steps: PlanStep[] = [];
  const conflicts: ErrorDetail[] = [];
  const visiting = new Set<string>();

  const choose = (id: string, range: string | null, exact: string | null): string | null => {
    const plugin = index.plugins[id];
    if (!plugin) return null;
    if (exact !== null) return plugin.versions[exact] ? exact : null;
    return installableVersions(index, id).find((v) => range === null || semver.satisfies(v, range, { includePrerelease: true })) ?? null;
  };

  const visit = (id: string, chosen: string, requiredBy: string | null): void => {
    if (visiting.has(id)) return;
    visiting.add(id);
    const entry = index.plugins[id]!.versions[chosen]!;
    for (const [dep, range] of Object.entries(entry.dependencies)) {
      const current = installed.find((i) => i.pluginId === dep);
      const planned = steps.find((s) => s.id === dep);
      if (planned) {
        if (!semver.satisfies(planned.version, range, { includePrerelease: true })) conflicts.push({ path: `${id}.dependencies.${dep}`, message: `${id} ${chosen} needs ${dep} ${range}, but the plan already takes ${dep} ${planned.version}.`, code: 'range' });
        continue;
      }
      if (current) {
        if (!semver.satisfies(current.version, range, { includePrerelease: true })) {
          conflicts.push({ path: `${id}.dependencies.${dep}`, message: `${id} ${chosen} needs ${dep} ${range}, but ${dep} ${current.version} is installed; upgrade it first.`, code: 'installed_outside_range' });
        }
        continue;
      }
      if (!index.plugins[dep]) {
        conflicts.push({ path: `${id}.dependencies.${dep}`, message: `${id} ${chosen} needs ${dep} ${range}, which this marketplace does not offer and is not installed.`, code: 'missing' });
        continue;
      }
      const depVersion = choose(dep, range, null);
      if (depVersion === null) {
        conflicts.push({ path: `${id}.dependencies.${dep}`, message: `${id} ${chosen} needs ${dep} ${range}, but no installable version of ${dep} satisfies it.`, code: 'unsatisfiable' });
        continue;
      }
      visit(dep, depVersion, id);
    }
    const current = installed.find((i) => i.pluginId === id);
    steps.push({ id, name: index.plugins[id]!.name, version: chosen, action: current ? 'upgrade' : 'install', from: current?.version ?? null, entry, required_by: requiredBy });
  };

  const target = choose(pluginId, null, version ?? null);
  if (target === null) {
    if (version !== undefined) throw new MosaicError('MOSAIC_ERR_MARKETPLACE_VERSION_NOT_FOUND', `The marketplace "${index.name}" has no version ${version} of "${pluginId}".`);
    throw new MosaicError('MOSAIC_ERR_MARKETPLACE_VERSION_NOT_FOUND', `"${pluginId}" has no version that this kernel can install (every version is revoked or needs another kernel).`);
  }
  visit(pluginId, target, null);
  if (conflicts.length > 0) {
    throw new MosaicError('MOSAIC_ERR_MARKETPLACE_CONFLICT', `${pluginId} ${target} cannot be installed: ${conflicts.map((c) => c.message).join(' ')}`, conflicts);
  }
  return { marketplace: { name: index.name, location: market.location }, steps };
}

/** The consent the plan asks for: each plugin's requested permissions, by id. */
export function planConsent(plan: InstallPlan): Record<string, PluginPermissions> {
  return Object.fromEntries(plan.steps.map((s) => [s.id, s.entry.permissions]));
}

/** The plan as the API shows it: plugins in install order with their permissions in plain words. */
export function presentPlan(plan: InstallPlan) {
  const consent = planConsent(plan);
  return {
    marketplace: plan.marketplace,
    plugins: plan.steps.map((s) => ({
      id: s.id,
      name: s.name,
      version: s.version,
      action: s.action,
      from: s.from,
      required_by: s.required_by,
      permissions: describePermissions({ permissions: s.entry.permissions }),
      requested: s.entry.permissions,
    })),
    permissions: [...new Set(plan.steps.flatMap((s) => describePermissions({ permissions: s.entry.permissions })))],
    consent,
  };
}

/** Stable JSON (sorted keys), so two permission sets compare by content. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value as object).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
