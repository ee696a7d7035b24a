import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import semver from 'semver';
import { cronProblems } from './cron.js';
import { asList, asRecord, asString, type RuleContext } from './context.js';
import { elementProblem, handlerProblem, packagePathProblem, parseHttpPattern } from './patterns.js';
import { VIEW_SLOTS } from './types.js';

/**
 * The first segments of plugin ids that are refused because a plugin's id is its event namespace: a
 * plugin called `record` (or `record.x`) could emit events that look like the kernel's own.
 */
export const RESERVED_ID_WORDS: ReadonlySet<string> = new Set([
  'record', 'object', 'field', 'member', 'webhook', 'workspace', 'plugin', 'kernel', 'mosaic', 'system', 'metadata', 'auth', 'role', 'invite',
]);

/** The id, version, kernel range and dependency ranges. */
export function checkIdentity(ctx: RuleContext): void {
  const { manifest, id } = ctx;
  if (id !== undefined && RESERVED_ID_WORDS.has(id.split('.')[0])) {
    ctx.report('MOSAIC_ERR_MANIFEST_ID_RESERVED', ['id'], `The id "${id}" starts with "${id.split('.')[0]}", a namespace of kernel events; choose another id.`);
  }
  const version = asString(manifest.version);
  // semver.parse forgives a leading "v" or "=" and surrounding spaces; a manifest must not need forgiving.
  if (version !== undefined && (semver.parse(version) === null || !/^\d/.test(version) || version.trim() !== version)) {
    ctx.report('MOSAIC_ERR_MANIFEST_VERSION', ['version'], `"${version.slice(0, 100)}" is not a semver version such as 1.2.0.`);
  }
  const kernel = asString(manifest.kernel);
  if (kernel !== undefined && (kernel.trim() === '' || semver.validRange(kernel) === null)) {
    ctx.report('MOSAIC_ERR_MANIFEST_KERNEL_RANGE', ['kernel'], `"${kernel.slice(0, 100)}" is not a semver range such as ^1.0.0.`);
  }
  for (const [dependency, range] of Object.entries(asRecord(manifest.dependencies) ?? {})) {
    if (dependency === id) {
      ctx.report('MOSAIC_ERR_MANIFEST_DEPENDENCY_INVALID', ['dependencies', dependency], 'A plugin cannot depend on itself.');
    }
    if (typeof range === 'string' && (range.trim() === '' || semver.validRange(range) === null)) {
      ctx.report('MOSAIC_ERR_MANIFEST_DEPENDENCY_INVALID', ['dependencies', dependency], `"${range.slice(0, 100)}" is not a semver range such as ^1.0.0.`);
    }
  }
}

/** Handler names, cron schedules, view slots and element names. */
export function checkContributionValues(ctx: RuleContext): void {
  for (const kind of ['routes', 'events', 'jobs'] as const) {
    asList(ctx.manifest[kind]).forEach((entry, index) => {
      const handler = asString(asRecord(entry)?.handler);
      const reason = handler === undefined ? null : handlerProblem(handler);
      if (reason) ctx.report('MOSAIC_ERR_MANIFEST_HANDLER', [kind, index, 'handler'], reason);
    });
  }
  asList(ctx.manifest.jobs).forEach((entry, index) => {
    const cron = asString(asRecord(entry)?.cron);
    const reasons = cron === undefined ? [] : cronProblems(cron);
    if (reasons.length > 0) ctx.report('MOSAIC_ERR_MANIFEST_CRON', ['jobs', index, 'cron'], `"${cron}" is not a valid cron expression: ${reasons.join('; ')}.`);
  });
  asList(ctx.manifest.views).forEach((entry, index) => {
    const view = asRecord(entry);
    const slot = asString(view?.slot);
    if (slot !== undefined && !(VIEW_SLOTS as readonly string[]).includes(slot)) {
      ctx.report('MOSAIC_ERR_MANIFEST_SLOT', ['views', index, 'slot'], `"${slot}" is not a UI slot; use one of ${VIEW_SLOTS.join(', ')}.`);
    }
    const element = asString(view?.element);
    const reason = element === undefined ? null : elementProblem(element);
    if (reason) ctx.report('MOSAIC_ERR_MANIFEST_ELEMENT', ['views', index, 'element'], reason);
  });
}

/** HTTP allow-list patterns and file paths inside the package. */
export function checkLocations(ctx: RuleContext): void {
  asList(asRecord(ctx.manifest.permissions)?.http).forEach((pattern, index) => {
    if (typeof pattern !== 'string') return;
    const parsed = parseHttpPattern(pattern);
    if (!parsed.ok) ctx.report('MOSAIC_ERR_MANIFEST_HTTP_PATTERN', ['permissions', 'http', index], parsed.reason);
  });
  for (const key of ['icon', 'server', 'ui'] as const) {
    const path = asString(ctx.manifest[key]);
    const reason = path === undefined ? null : packagePathProblem(path, key !== 'icon');
    if (reason) ctx.report('MOSAIC_ERR_MANIFEST_PATH', [key], reason);
  }
}

let settingsAjv: Ajv2020 | undefined;

/**
 * Compiles the settings schema, which catches what the keyword subset cannot (an invalid `pattern`
 * regex, an unknown `format`). Only called when the settings passed the manifest schema.
 */
export function checkSettings(ctx: RuleContext): void {
  const settings = asRecord(ctx.manifest.settings);
  if (!settings) return;
  if (!settingsAjv) {
    settingsAjv = new Ajv2020({ strict: true, allErrors: true });
    (addFormats as unknown as (ajv: Ajv2020) => void)(settingsAjv);
  }
  try {
    settingsAjv.compile(settings);
  } catch (error) {
    ctx.report('MOSAIC_ERR_MANIFEST_SETTINGS', ['settings'], `The settings schema does not compile: ${(error as Error).message}`);
  } finally {
    // ajv caches every compiled schema; manifests come and go in a long-running kernel.
    settingsAjv.removeSchema(settings);
  }
}
