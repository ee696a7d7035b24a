import type { PluginPermissions } from '@mosaic/plugin-sdk';
import { MosaicError } from '../errors/index.js';

/** One version of a plugin as a marketplace's `index.json` lists it (written by `mosaic-plugin publish`). */
export interface IndexVersion {
  /** The archive, relative to the marketplace folder, e.g. `packages/acme-1.0.0.tgz`. */
  readonly file: string;
  /** Hex SHA-256 of the archive; the downloaded bytes must match it. */
  readonly sha256: string;
  readonly size: number;
  /** The manifest's kernel range. */
  readonly kernel: string;
  readonly permissions: PluginPermissions;
  readonly dependencies: Readonly<Record<string, string>>;
  /** The key id that signed it, or null for an unsigned package. */
  readonly signed_by: string | null;
  readonly published_at: string;
}

/** One plugin of a marketplace. */
export interface IndexPlugin {
  readonly name: string;
  readonly description?: string;
  readonly publisher: string;
  readonly versions: Readonly<Record<string, IndexVersion>>;
}

/** A marketplace's `index.json` (format 1). */
export interface MarketplaceIndex {
  readonly format: 1;
  readonly name: string;
  readonly publishers: Readonly<Record<string, { readonly name: string; readonly keys: readonly { readonly key_id: string; readonly public_key: string }[] }>>;
  readonly plugins: Readonly<Record<string, IndexPlugin>>;
  readonly revoked: readonly { readonly id: string; readonly version: string; readonly reason: string }[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the shape of a fetched `index.json`. The index is not trusted for what gets installed (the
 * archive's checksum, signature and manifest are checked against it), but a malformed one must fail with
 * a clear message rather than a TypeError deep in the browse code.
 */
export function parseIndex(raw: unknown, location: string): MarketplaceIndex {
  const problems: string[] = [];
  if (!isObject(raw)) problems.push('the index is not a JSON object');
  else {
    if (raw.format !== 1) problems.push(`format must be 1, got ${JSON.stringify(raw.format)}`);
    if (typeof raw.name !== 'string' || raw.name === '') problems.push('name must be a non-empty string');
    if (!isObject(raw.publishers)) problems.push('publishers must be an object');
    if (!isObject(raw.plugins)) problems.push('plugins must be an object');
    else {
      for (const [id, plugin] of Object.entries(raw.plugins)) {
        if (!isObject(plugin) || typeof plugin.name !== 'string' || typeof plugin.publisher !== 'string' || !isObject(plugin.versions)) {
          problems.push(`plugins.${id} needs name, publisher and versions`);
          continue;
        }
        for (const [version, entry] of Object.entries(plugin.versions)) {
          if (!isObject(entry) || typeof entry.file !== 'string' || typeof entry.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(entry.sha256) || typeof entry.kernel !== 'string') {
            problems.push(`plugins.${id}.versions.${version} needs file, sha256 (64 hex) and kernel`);
          } else if (entry.permissions !== undefined && !isObject(entry.permissions)) {
            problems.push(`plugins.${id}.versions.${version}.permissions must be an object`);
          }
        }
      }
    }
    if (raw.revoked !== undefined && !Array.isArray(raw.revoked)) problems.push('revoked must be an array');
  }
  if (problems.length > 0) {
    throw new MosaicError('MOSAIC_ERR_MARKETPLACE_INDEX_INVALID', `The marketplace index at ${location} is invalid: ${problems.slice(0, 5).join('; ')}.`, problems.map((message) => ({ path: location, message })));
  }
  const index = raw as Record<string, unknown>;
  // Optional parts get their defaults, so the rest of the code reads one shape.
  const plugins: Record<string, IndexPlugin> = {};
  for (const [id, plugin] of Object.entries(index.plugins as Record<string, IndexPlugin>)) {
    const versions: Record<string, IndexVersion> = {};
    for (const [version, entry] of Object.entries(plugin.versions)) {
      versions[version] = { ...entry, permissions: entry.permissions ?? {}, dependencies: entry.dependencies ?? {}, signed_by: entry.signed_by ?? null, size: entry.size ?? 0, published_at: entry.published_at ?? '' };
    }
    plugins[id] = { ...plugin, versions };
  }
  return { format: 1, name: index.name as string, publishers: index.publishers as MarketplaceIndex['publishers'], plugins, revoked: (index.revoked as MarketplaceIndex['revoked'] | undefined) ?? [] };
}
