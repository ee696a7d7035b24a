import type { Knex } from '@mikro-orm/postgresql';
import type { PluginManifest } from '@mosaic/plugin-sdk';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { MosaicError, type ErrorDetail } from '../../errors/index.js';
import { storableJson } from './json.js';

/** Largest settings object stored, as UTF-8 JSON. A form of settings never comes near it. */
export const MAX_SETTINGS_BYTES = 64 * 1024;

/** What a plugin without a `settings` schema may store: nothing but `{}`. */
const NO_SETTINGS = Object.freeze({ type: 'object', additionalProperties: false });

// Not strict: the SDK already refused any schema outside its supported subset, with strict checks; here a
// schema that passed there must never fail to compile over a keyword nuance.
const ajv = new Ajv2020({ allErrors: true, useDefaults: true, strict: false });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);

/**
 * Compiled validators by schema text. Manifests are read fresh from the database, so the same schema
 * arrives as a new object each time; keying by text compiles each schema once. Bounded, and an evicted
 * schema is removed from ajv too, since ajv keeps every schema object it compiled.
 */
const compiled = new Map<string, { schema: object; validate: ValidateFunction }>();
const MAX_COMPILED = 200;

function validatorFor(manifest: PluginManifest): ValidateFunction {
  const text = JSON.stringify(manifest.settings ?? NO_SETTINGS);
  const hit = compiled.get(text);
  if (hit) {
    compiled.delete(text);
    compiled.set(text, hit); // most recently used last
    return hit.validate;
  }
  const schema = JSON.parse(text) as object;
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema);
  } catch (error) {
    throw new MosaicError('MOSAIC_ERR_PLUGIN_MANIFEST_INVALID', `The settings schema of "${manifest.id}" does not compile: ${(error as Error).message}`, [
      { path: 'settings', message: (error as Error).message },
    ]);
  }
  compiled.set(text, { schema, validate });
  if (compiled.size > MAX_COMPILED) {
    const [oldest, entry] = compiled.entries().next().value as [string, { schema: object }];
    compiled.delete(oldest);
    ajv.removeSchema(entry.schema);
  }
  return validate;
}

/** ajv's errors as one detail per problem, with dotted paths (`address.city`). */
function details(errors: readonly ErrorObject[]): ErrorDetail[] {
  return errors.map((e) => {
    let path = e.instancePath.replace(/^\//, '').replace(/\//g, '.').replace(/~1/g, '/').replace(/~0/g, '~');
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path = [path, String(e.params.missingProperty)].filter(Boolean).join('.');
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      path = [path, String(e.params.additionalProperty)].filter(Boolean).join('.');
      message = 'is not a setting of this plugin';
    } else if (e.keyword === 'enum') {
      message = `must be one of: ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return { path, message, code: e.keyword };
  });
}

/** A deep copy of plain JSON, so ajv's defaults never write into a caller's object. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/**
 * The plugin's settings in a workspace, with the defaults of the manifest's `settings` schema filled in
 * (`{}` and defaults when an admin never saved any). Stored settings are returned even when a newer
 * version's schema would refuse them; {@link writeSettings} is where they are checked.
 */
export async function readSettings(knex: Knex, workspaceId: string, manifest: PluginManifest): Promise<Record<string, unknown>> {
  const row = (await knex('plugin_settings').where({ workspace_id: workspaceId, plugin_id: manifest.id }).first('value')) as { value: unknown } | undefined;
  const stored = row && typeof row.value === 'object' && row.value !== null && !Array.isArray(row.value) ? (row.value as Record<string, unknown>) : {};
  const value = copy(stored);
  validatorFor(manifest)(value); // for its defaults only
  return value;
}

/**
 * Validates settings against the manifest's `settings` schema (JSON Schema 2020-12, every problem
 * reported as one detail of `MOSAIC_ERR_PLUGIN_SETTINGS_INVALID`) and saves them for the workspace,
 * replacing what was there. The value is stored as given; defaults are applied when read, so a later
 * version's new defaults reach settings saved before it. Returns the settings as the plugin will read them.
 */
export async function writeSettings(knex: Knex, workspaceId: string, manifest: PluginManifest, value: unknown): Promise<Record<string, unknown>> {
  const invalid = (list: ErrorDetail[]) =>
    new MosaicError('MOSAIC_ERR_PLUGIN_SETTINGS_INVALID', `The settings of "${manifest.id}" are invalid: ${list.map((d) => `${d.path || '(settings)'} ${d.message}`).join('; ')}.`, list);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid([{ path: '', message: 'must be an object', code: 'type' }]);
  const json = storableJson(value, MAX_SETTINGS_BYTES);
  if (!json.ok) throw invalid([{ path: '', message: json.message, code: json.reason }]);
  const withDefaults = JSON.parse(json.text) as Record<string, unknown>;
  const validate = validatorFor(manifest);
  if (!validate(withDefaults)) throw invalid(details(validate.errors ?? []));
  await knex('plugin_settings')
    .insert({ workspace_id: workspaceId, plugin_id: manifest.id, value: json.text, updated_at: knex.fn.now() })
    .onConflict(['workspace_id', 'plugin_id'])
    .merge(['value', 'updated_at']);
  return withDefaults;
}
