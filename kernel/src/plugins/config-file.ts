import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Ajv } from 'ajv';
import semver from 'semver';
import { MosaicError } from '../errors/index.js';
import type { Grant } from './consent.js';

/** One plugin the config file asks every workspace to run. */
export interface ConfiguredPlugin {
  /** The plugin folder (absolute). */
  readonly folder: string;
  /** How the entry named it, for reports. */
  readonly label: string;
  readonly enabled: boolean;
  /** What the admin grants; absent: nothing, so a plugin asking for permissions waits for consent. */
  readonly grant?: Grant;
  /** Settings written at install and on every boot (the file wins over the UI). */
  readonly settings?: Record<string, unknown>;
}

/** One plugin the config file asks for from a marketplace, by id and semver range. */
export interface ConfiguredMarketplacePlugin {
  readonly id: string;
  /** The semver range; the highest matching, not revoked version is installed at boot. */
  readonly range: string;
  /** The marketplace to take it from (its name or location); absent: the first that lists it. */
  readonly marketplace?: string;
  readonly label: string;
  readonly enabled: boolean;
  readonly grant?: Grant;
  readonly settings?: Record<string, unknown>;
}

/** A publisher key trusted through the config file. */
export interface ConfiguredKey {
  readonly keyId: string;
  readonly publicKey: string;
  readonly publisher?: string;
}

/** Everything `plugins.config.json` holds. */
export interface PluginsConfigFile {
  /** Plugins by folder or npm package. */
  readonly plugins: ConfiguredPlugin[];
  /** Plugins from a marketplace (`"plugin": "id@range"`). */
  readonly marketplacePlugins: ConfiguredMarketplacePlugin[];
  /** Marketplace locations (folder or http(s) URL), in addition to `MARKETPLACES`. */
  readonly marketplaces: string[];
  /** Publisher keys, in addition to `TRUSTED_PUBLISHER_KEYS`. */
  readonly trustedKeys: ConfiguredKey[];
}

const permissions = { type: 'object' } as const;
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    marketplaces: { type: 'array', items: { type: 'string', minLength: 1 } },
    trusted_keys: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['key_id', 'public_key'],
        properties: { key_id: { type: 'string', pattern: '^[0-9a-f]{16}$' }, public_key: { type: 'string', minLength: 40, maxLength: 60 }, publisher: { type: 'string' } },
      },
    },
    plugins: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        oneOf: [{ required: ['path'] }, { required: ['package'] }, { required: ['plugin'] }],
        properties: {
          path: { type: 'string', minLength: 1, description: 'A plugin folder, relative to this file.' },
          package: { type: 'string', minLength: 1, description: 'An installed npm package holding a plugin.' },
          plugin: { type: 'string', pattern: '^[a-z][a-z0-9.-]*@.+$', description: 'A marketplace plugin as id@range, e.g. enrichment@^1.0.' },
          marketplace: { type: 'string', minLength: 1, description: 'The marketplace (name or location) to take "plugin" from.' },
          enabled: { type: 'boolean' },
          grant: { oneOf: [{ const: 'requested' }, permissions] },
          settings: { type: 'object' },
        },
      },
    },
  },
  required: ['plugins'],
} as const;

const validate = new Ajv({ allErrors: true, strict: false }).compile(SCHEMA);

/**
 * Reads `plugins.config.json`: the plugins this instance assembles, by folder or npm package, with
 * whether they are enabled, what the admin grants them and their settings. A missing file means no
 * plugins; an invalid one stops the boot with every problem listed.
 */
export async function readPluginsConfig(file: string): Promise<ConfiguredPlugin[]> {
  return (await readPluginsConfigFile(file)).plugins;
}

type Entry = { path?: string; package?: string; plugin?: string; marketplace?: string; enabled?: boolean; grant?: Grant; settings?: Record<string, unknown> };

/**
 * Reads the whole of `plugins.config.json`: folder and package plugins, marketplace plugins named
 * `id@range`, marketplaces and trusted publisher keys. A missing file holds nothing.
 */
export async function readPluginsConfigFile(file: string): Promise<PluginsConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return { plugins: [], marketplacePlugins: [], marketplaces: [], trustedKeys: [] };
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new MosaicError('MOSAIC_ERR_PLUGIN_CONFIG_INVALID', `${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!validate(raw)) {
    const problems = (validate.errors ?? []).map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'invalid' }));
    throw new MosaicError('MOSAIC_ERR_PLUGIN_CONFIG_INVALID', `${file} is invalid: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}.`, problems);
  }
  const base = dirname(file);
  const parsed = raw as { plugins: Entry[]; marketplaces?: string[]; trusted_keys?: { key_id: string; public_key: string; publisher?: string }[] };
  const marketplacePlugins = parsed.plugins.flatMap((entry, index) => (entry.plugin === undefined ? [] : [marketplaceEntry(file, entry, index)]));
  const plugins = parsed.plugins.flatMap((entry, index): ConfiguredPlugin[] => {
    if (entry.plugin !== undefined) return [];
    let folder: string;
    if (entry.path !== undefined) folder = isAbsolute(entry.path) ? entry.path : resolve(base, entry.path);
    else {
      try {
        folder = dirname(createRequire(file).resolve(`${entry.package}/package.json`));
      } catch {
        throw new MosaicError('MOSAIC_ERR_PLUGIN_CONFIG_INVALID', `${file}: plugins[${index}] names the package "${entry.package}", which is not installed.`, [{ path: `/plugins/${index}/package`, message: 'not installed' }]);
      }
    }
    return [{
      folder,
      label: entry.path ?? entry.package!,
      enabled: entry.enabled ?? true,
      ...(entry.grant !== undefined ? { grant: entry.grant } : {}),
      ...(entry.settings !== undefined ? { settings: entry.settings } : {}),
    }];
  });
  return {
    plugins,
    marketplacePlugins,
    // A relative marketplace folder is relative to this file, like plugin paths.
    marketplaces: (parsed.marketplaces ?? []).map((m) => (/^https?:\/\//i.test(m) || isAbsolute(m) ? m : resolve(base, m))),
    trustedKeys: (parsed.trusted_keys ?? []).map((k) => ({ keyId: k.key_id, publicKey: k.public_key, ...(k.publisher !== undefined ? { publisher: k.publisher } : {}) })),
  };
}

/** `"plugin": "id@range"`: the range must be a valid semver range. */
function marketplaceEntry(file: string, entry: Entry, index: number): ConfiguredMarketplacePlugin {
  const text = entry.plugin!;
  const at = text.indexOf('@');
  const id = text.slice(0, at);
  const range = semver.validRange(text.slice(at + 1));
  if (range === null) {
    throw new MosaicError('MOSAIC_ERR_PLUGIN_CONFIG_INVALID', `${file}: plugins[${index}] names "${text}", whose range is not a semver range.`, [{ path: `/plugins/${index}/plugin`, message: 'invalid range' }]);
  }
  return {
    id,
    range: text.slice(at + 1),
    label: text,
    enabled: entry.enabled ?? true,
    ...(entry.marketplace !== undefined ? { marketplace: entry.marketplace } : {}),
    ...(entry.grant !== undefined ? { grant: entry.grant } : {}),
    ...(entry.settings !== undefined ? { settings: entry.settings } : {}),
  };
}
