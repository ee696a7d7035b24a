import { parseMarketplaceIndex, type MarketplaceIndex, type MarketplacePlugin, type MarketplaceVersion } from '@mosaic/plugin-sdk/package';
import { MosaicError } from '../errors/index.js';

export type { MarketplaceIndex };
/** One plugin of a marketplace's `index.json`. */
export type IndexPlugin = MarketplacePlugin;
/** One version of a plugin as the index lists it (archive, checksum, kernel range, permissions, signer). */
export type IndexVersion = MarketplaceVersion;

/**
 * Checks a fetched `index.json` with the SDK's rules — the same `mosaic-plugin publish` writes by — so a
 * malformed index (or one naming an archive anywhere but `packages/<id>-<version>.tgz`) fails with a clear,
 * coded message. The index is not trusted for what gets installed: each archive's checksum, signature and
 * manifest are checked against it.
 */
export function parseIndex(raw: unknown, location: string): MarketplaceIndex {
  const parsed = parseMarketplaceIndex(raw);
  if (parsed.ok) return parsed.index;
  const { problems } = parsed;
  throw new MosaicError('MOSAIC_ERR_MARKETPLACE_INDEX_INVALID', `The marketplace index at ${location} is invalid: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (and ${problems.length - 5} more)` : ''}.`, problems.map((message) => ({ path: location, message })));
}
