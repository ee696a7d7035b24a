import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { Ajv } from 'ajv';
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

const permissions = { type: 'object' } as const;
const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    plugins: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        oneOf: [{ required: ['path'] }, { required: ['package'] }],
        properties: {
          path: { type: 'string', minLength: 1, description: 'A plugin folder, relative to this file.' },
          package: { type: 'string', minLength: 1, description: 'An installed npm package holding a plugin.' },
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
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return [];
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
  const entries = (raw as { plugins: { path?: string; package?: string; enabled?: boolean; grant?: Grant; settings?: Record<string, unknown> }[] }).plugins;
  return entries.map((entry, index) => {
    let folder: string;
    if (entry.path !== undefined) folder = isAbsolute(entry.path) ? entry.path : resolve(base, entry.path);
    else {
      try {
        folder = dirname(createRequire(file).resolve(`${entry.package}/package.json`));
      } catch {
        throw new MosaicError('MOSAIC_ERR_PLUGIN_CONFIG_INVALID', `${file}: plugins[${index}] names the package "${entry.package}", which is not installed.`, [{ path: `/plugins/${index}/package`, message: 'not installed' }]);
      }
    }
    return {
      folder,
      label: entry.path ?? entry.package!,
      enabled: entry.enabled ?? true,
      ...(entry.grant !== undefined ? { grant: entry.grant } : {}),
      ...(entry.settings !== undefined ? { settings: entry.settings } : {}),
    };
  });
}
