import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { SdkErrorCode } from '../errors.js';
import { asRecord, ruleContext } from './context.js';
import { EVENT_PATTERN } from './patterns.js';
import { formatPath, ManifestError, problem, type ManifestProblem, type PathSegment } from './problems.js';
import { checkDuplicates } from './rules-duplicates.js';
import { checkMcpTools } from './rules-mcp-tools.js';
import { checkPermissionNames, checkPermissionsNeeded } from './rules-permissions.js';
import { checkContributionValues, checkIdentity, checkLocations, checkSettings } from './rules-values.js';
import { ID_PATTERN, MANIFEST_SCHEMA, NAME_PATTERN } from './schema.js';
import type { PluginManifest } from './types.js';

/** The outcome of {@link validateManifest}: the manifest, or every problem found in it. */
export type ManifestValidation = { ok: true; manifest: PluginManifest } | { ok: false; problems: ManifestProblem[] };

let compiled: ValidateFunction | undefined;

function schemaValidator(): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
    compiled = ajv.compile(MANIFEST_SCHEMA as Record<string, unknown>);
  }
  return compiled;
}

const PATTERN_HINTS = new Map<string, string>([
  [NAME_PATTERN, 'Must be lower snake_case: a letter, then letters, digits or single underscores, not ending with one.'],
  [ID_PATTERN, 'Must be 1 to 3 dot-separated words of 2 to 31 lower-case letters, digits or hyphens, each starting with a letter (e.g. "acme.enrichment").'],
  [EVENT_PATTERN.source, 'Must be an event type pattern: "*", an exact type ("record.created") or a prefix ending in ".*" ("record.*").'],
  ['^[A-Z][A-Z0-9_]*$', 'Must be UPPER_SNAKE_CASE, e.g. "API_TOKEN".'],
  ['^[a-z][a-z0-9_-]*$', 'Must be lower-case letters, digits, "_" or "-", starting with a letter.'],
]);

function messageOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'Is required.';
    case 'additionalProperties':
      return `"${String(params.additionalProperty)}" is not a known key here; check its spelling.`;
    case 'enum':
      return `Must be one of: ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'const':
      return `Must be ${JSON.stringify(params.allowedValue)}.`;
    case 'not':
      // The only `not` of the schema: a view outside the record slots naming every object.
      return /^\/views\/\d+\/object$/.test(error.instancePath) ? 'Only record.tab and record.action views may name "*" (every object); name one object.' : 'Is not allowed here.';
    case 'type':
      return `Must be of type ${String(params.type).replace(',', ' or ')}.`;
    case 'pattern':
      if (String(params.pattern).startsWith('^/')) return 'Must start with "/" and hold path segments or fastify-style ":param" segments, e.g. "/summary/:id".';
      return PATTERN_HINTS.get(String(params.pattern)) ?? `Must match the pattern ${String(params.pattern)}.`;
    default: {
      const text = error.message ?? 'is invalid';
      return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
    }
  }
}

function segmentsOf(error: ErrorObject): PathSegment[] {
  const segments: PathSegment[] = error.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') segments.push(String(params.missingProperty));
  if (error.keyword === 'additionalProperties') segments.push(String(params.additionalProperty));
  if (error.propertyName !== undefined) segments.push(error.propertyName);
  return segments;
}

/**
 * Paths whose values a semantic rule checks with a dedicated code. The schema still describes them (for
 * editors), and a schema error there is dropped in favour of the rule's — unless the rule found nothing,
 * in which case the schema error is kept under that code, so no bad value can slip through the gap.
 */
const OWNED: readonly (readonly [RegExp, SdkErrorCode])[] = [
  [/^version$/, 'MOSAIC_ERR_MANIFEST_VERSION'],
  [/^kernel$/, 'MOSAIC_ERR_MANIFEST_KERNEL_RANGE'],
  [/^dependencies[.[]/, 'MOSAIC_ERR_MANIFEST_DEPENDENCY_INVALID'],
  [/^(routes|events|jobs|mcp_tools)\[\d+\]\.handler$/, 'MOSAIC_ERR_MANIFEST_HANDLER'],
  [/^jobs\[\d+\]\.cron$/, 'MOSAIC_ERR_MANIFEST_CRON'],
  [/^views\[\d+\]\.slot$/, 'MOSAIC_ERR_MANIFEST_SLOT'],
  [/^views\[\d+\]\.element$/, 'MOSAIC_ERR_MANIFEST_ELEMENT'],
  [/^permissions\.http\[\d+\]$/, 'MOSAIC_ERR_MANIFEST_HTTP_PATTERN'],
  [/^permissions\.records(\..+|\["\*"\])\[\d+\]$/, 'MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN'],
  [/^(icon|server|ui)$/, 'MOSAIC_ERR_MANIFEST_PATH'],
];
const VALUE_KEYWORDS = new Set(['pattern', 'enum', 'const', 'format', 'minLength', 'maxLength']);

/** The code a schema error gets, and whether a semantic rule owns its path. */
function classify(error: ErrorObject, path: string): { code: SdkErrorCode; owned: boolean } {
  if (path === 'settings' || path.startsWith('settings.') || path.startsWith('settings[')) return { code: 'MOSAIC_ERR_MANIFEST_SETTINGS', owned: false };
  if (error.keyword === 'additionalProperties' && (error.instancePath === '/permissions' || error.instancePath === '/permissions/events')) {
    return { code: 'MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN', owned: true };
  }
  if (VALUE_KEYWORDS.has(error.keyword) && error.propertyName === undefined) {
    const owner = OWNED.find(([pattern]) => pattern.test(path));
    if (owner) return { code: owner[1], owned: true };
  }
  return { code: 'MOSAIC_ERR_MANIFEST_SCHEMA', owned: false };
}

function schemaProblems(value: unknown, semantic: readonly ManifestProblem[]): ManifestProblem[] {
  const validate = schemaValidator();
  if (validate(value)) return [];
  const covered = new Set(semantic.map((p) => p.path));
  const out: ManifestProblem[] = [];
  for (const error of validate.errors ?? []) {
    // `if` reports "must match then schema" next to the real error; `propertyNames` next to the name's own.
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    const segments = segmentsOf(error);
    const path = formatPath(segments);
    const { code, owned } = classify(error, path);
    if (owned && covered.has(path)) continue;
    const message =
      code === 'MOSAIC_ERR_MANIFEST_SETTINGS' && error.keyword === 'additionalProperties'
        ? `"${String((error.params as Record<string, unknown>).additionalProperty)}" is not a keyword settings schemas support.`
        : messageOf(error);
    out.push(problem(code, segments, message));
  }
  return out;
}

function dedupe(problems: readonly ManifestProblem[]): ManifestProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}\u0000${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Checks a manifest against the JSON Schema and every rule a schema cannot express, and reports every
 * problem found (never only the first). On success, `manifest` is a copy of the input made by a JSON
 * round trip, so later changes to the input cannot change what was checked.
 */
export function validateManifest(input: unknown): ManifestValidation {
  let value: unknown;
  try {
    value = JSON.parse(JSON.stringify(input) ?? 'null');
  } catch (error) {
    return { ok: false, problems: [problem('MOSAIC_ERR_MANIFEST_SCHEMA', [], `The manifest is not JSON data: ${(error as Error).message}`)] };
  }
  const manifest = asRecord(value);
  if (!manifest) return { ok: false, problems: [problem('MOSAIC_ERR_MANIFEST_SCHEMA', [], 'The manifest must be a JSON object.')] };

  const semantic: ManifestProblem[] = [];
  const ctx = ruleContext(manifest, semantic);
  checkIdentity(ctx);
  checkPermissionNames(ctx);
  checkPermissionsNeeded(ctx);
  checkContributionValues(ctx);
  checkLocations(ctx);
  checkDuplicates(ctx);
  checkMcpTools(ctx);
  const structural = schemaProblems(manifest, semantic);
  if (manifest.settings !== undefined && !structural.some((p) => p.code === 'MOSAIC_ERR_MANIFEST_SETTINGS')) checkSettings(ctx);

  const problems = dedupe([...structural, ...semantic]);
  return problems.length === 0 ? { ok: true, manifest: manifest as unknown as PluginManifest } : { ok: false, problems };
}

/** Returns the checked manifest, or throws a {@link ManifestError} listing every problem. */
export function assertValidManifest(input: unknown): PluginManifest {
  const result = validateManifest(input);
  if (!result.ok) throw new ManifestError(result.problems);
  return result.manifest;
}
