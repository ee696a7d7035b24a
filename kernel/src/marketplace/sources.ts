import { MosaicError, isMosaicError } from '../errors/index.js';
import type { TrustedKey } from './package/index.js';
import { parseIndex, type IndexPlugin, type MarketplaceIndex } from './catalog-types.js';
import { FETCH_LIMITS, fetchMarketplaceFile } from './fetch.js';

/** A configured marketplace whose index was read. */
export interface LoadedMarketplace {
  /** The folder or URL it was configured with. */
  readonly location: string;
  readonly index: MarketplaceIndex;
}

/** A configured marketplace that could not be read, reported instead of failing a whole browse. */
export interface FailedMarketplace {
  readonly location: string;
  readonly error: { readonly code: string; readonly message: string };
}

/** Where the kernel looks for plugins and which publisher keys it trusts (environment plus config file). */
export interface MarketplaceSettings {
  readonly locations: readonly string[];
  readonly trustedKeys: readonly TrustedKey[];
  readonly allowUnsigned: boolean;
}

/** Reads and checks one marketplace's `index.json`. */
export async function loadMarketplace(location: string): Promise<LoadedMarketplace> {
  const bytes = await fetchMarketplaceFile(location, 'index.json', FETCH_LIMITS.maxIndexBytes);
  let raw: unknown;
  try {
    raw = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new MosaicError('MOSAIC_ERR_MARKETPLACE_INDEX_INVALID', `The marketplace index at ${location} is not valid JSON: ${(error as Error).message}`);
  }
  return { location, index: parseIndex(raw, location) };
}

/** Reads every configured marketplace; one that fails is reported, the others still answer. */
export async function loadAll(settings: MarketplaceSettings): Promise<{ loaded: LoadedMarketplace[]; failed: FailedMarketplace[] }> {
  const results = await Promise.all(settings.locations.map((location) => loadMarketplace(location).then((m) => m, (error: unknown) => ({ location, error }))));
  const loaded: LoadedMarketplace[] = [];
  const failed: FailedMarketplace[] = [];
  for (const result of results) {
    if ('index' in result) loaded.push(result);
    else {
      const { error } = result as { location: string; error: unknown };
      failed.push({ location: result.location, error: { code: isMosaicError(error) ? error.code : 'MOSAIC_ERR_MARKETPLACE_UNREACHABLE', message: (error as Error).message } });
    }
  }
  return { loaded, failed };
}

/**
 * The marketplace offering `pluginId`: the one named (by its index name or configured location), or the
 * first configured one that lists it.
 */
export async function findPlugin(settings: MarketplaceSettings, pluginId: string, marketplace?: string): Promise<{ market: LoadedMarketplace; plugin: IndexPlugin }> {
  if (settings.locations.length === 0) {
    throw new MosaicError('MOSAIC_ERR_MARKETPLACE_NOT_CONFIGURED', 'No marketplace is configured: set MARKETPLACES or "marketplaces" in plugins.config.json.');
  }
  const { loaded, failed } = await loadAll(settings);
  const candidates = marketplace === undefined ? loaded : loaded.filter((m) => m.index.name === marketplace || m.location === marketplace);
  for (const market of candidates) {
    const plugin = market.index.plugins[pluginId];
    if (plugin) return { market, plugin };
  }
  if (marketplace !== undefined && candidates.length === 0) {
    const broken = failed.find((f) => f.location === marketplace);
    if (broken) throw new MosaicError(broken.error.code === 'MOSAIC_ERR_MARKETPLACE_INDEX_INVALID' ? 'MOSAIC_ERR_MARKETPLACE_INDEX_INVALID' : 'MOSAIC_ERR_MARKETPLACE_UNREACHABLE', broken.error.message);
    throw new MosaicError('MOSAIC_ERR_MARKETPLACE_NOT_CONFIGURED', `No configured marketplace is named "${marketplace}".`);
  }
  const note = failed.length > 0 ? ` (${failed.length} marketplace${failed.length === 1 ? '' : 's'} could not be read: ${failed.map((f) => f.error.message).join(' ')})` : '';
  throw new MosaicError('MOSAIC_ERR_MARKETPLACE_PLUGIN_NOT_FOUND', `No configured marketplace offers the plugin "${pluginId}"${note}.`);
}
