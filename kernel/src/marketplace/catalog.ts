import semver from 'semver';
import { describePermissions } from '@mosaic/plugin-sdk';
import type { PluginInstallation } from '../plugins/store.js';
import type { IndexVersion } from './catalog-types.js';
import { installableVersions, kernelMatches, revocation } from './plan.js';
import type { LoadedMarketplace, MarketplaceSettings } from './sources.js';

/**
 * A version's signature as this kernel sees it: `verified` (signed by a trusted key; the archive is
 * checked at install), `untrusted_key` (signed, but by a key the admin has not trusted) or `unsigned`.
 */
export type SignatureStatus = 'verified' | 'untrusted_key' | 'unsigned';

/** Signature status from the index's `signed_by` and the trusted keys. */
export function signatureStatus(entry: IndexVersion, settings: MarketplaceSettings): SignatureStatus {
  if (entry.signed_by === null) return 'unsigned';
  return settings.trustedKeys.some((k) => k.keyId === entry.signed_by) ? 'verified' : 'untrusted_key';
}

const publisherOf = (market: LoadedMarketplace, publisher: string) => ({ id: publisher, name: market.index.publishers[publisher]?.name ?? publisher });

/** The newest version to offer: the newest installable one, else the newest listed. */
function latest(market: LoadedMarketplace, id: string): string | null {
  const listed = Object.keys(market.index.plugins[id]!.versions).filter((v) => semver.valid(v) !== null).sort(semver.rcompare);
  return installableVersions(market.index, id)[0] ?? listed[0] ?? null;
}

/** One line of the browse list. */
export function presentSummary(market: LoadedMarketplace, id: string, installed: PluginInstallation | undefined, settings: MarketplaceSettings) {
  const plugin = market.index.plugins[id]!;
  const version = latest(market, id);
  const entry = version === null ? undefined : plugin.versions[version];
  return {
    id,
    name: plugin.name,
    description: plugin.description ?? null,
    publisher: publisherOf(market, plugin.publisher),
    marketplace: { name: market.index.name, location: market.location },
    latest_version: version,
    installed_version: installed?.version ?? null,
    installed_revoked: installed ? revocation(market.index, id, installed.version) : null,
    update_available: installed !== undefined && version !== null && semver.valid(installed.version) !== null && semver.gt(version, installed.version),
    signature: entry ? signatureStatus(entry, settings) : null,
    revoked: version === null ? null : revocation(market.index, id, version),
  };
}

/** Whether a plugin matches a search: id, name, description or publisher, case-insensitive. */
export function matches(market: LoadedMarketplace, id: string, q: string): boolean {
  if (q === '') return true;
  const plugin = market.index.plugins[id]!;
  const text = [id, plugin.name, plugin.description ?? '', publisherOf(market, plugin.publisher).name].join('\n').toLowerCase();
  return q.toLowerCase().split(/\s+/).filter(Boolean).every((word) => text.includes(word));
}

/** A plugin's page: every version with its signature, kernel match, revocation, permissions in plain words and dependencies. */
export function presentDetail(market: LoadedMarketplace, id: string, installed: PluginInstallation | undefined, settings: MarketplaceSettings) {
  const plugin = market.index.plugins[id]!;
  const versions = Object.entries(plugin.versions)
    .filter(([v]) => semver.valid(v) !== null)
    .sort(([a], [b]) => semver.rcompare(a, b))
    .map(([version, entry]) => ({
      version,
      published_at: entry.published_at || null,
      size: entry.size,
      signed_by: entry.signed_by,
      signature: signatureStatus(entry, settings),
      kernel: entry.kernel,
      kernel_matches: kernelMatches(entry.kernel),
      revoked: revocation(market.index, id, version),
      permissions: describePermissions({ permissions: entry.permissions }),
      requested: entry.permissions,
      dependencies: entry.dependencies,
    }));
  return {
    ...presentSummary(market, id, installed, settings),
    installed: installed ? { version: installed.version, enabled: installed.enabled, pending_version: installed.pending?.version ?? null, granted: installed.granted } : null,
    allow_unsigned: settings.allowUnsigned,
    versions,
  };
}
