import type { SdkErrorCode } from '../errors.js';
import { problem, type ManifestProblem, type PathSegment } from './problems.js';

/**
 * Semantic rules run on any JSON value, also one that failed the schema, so that every problem is found
 * in one pass. These readers return a value only when it has the expected type; a rule silently skips
 * what is missing or mistyped, since the schema already reports it.
 */
export type Loose = Readonly<Record<string, unknown>>;

/** The value when it is a plain object. */
export function asRecord(value: unknown): Loose | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Loose) : undefined;
}

/** The value when it is an array, else an empty one. */
export function asList(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The value when it is a string. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The strings of a list, with their indexes (other items are skipped). */
export function strings(value: unknown): [string, number][] {
  return asList(value).flatMap((item, index): [string, number][] => (typeof item === 'string' ? [[item, index]] : []));
}

/** What a rule sees: the manifest, facts derived from it, and where to report. */
export interface RuleContext {
  readonly manifest: Loose;
  /** The plugin id, when it is a string. */
  readonly id: string | undefined;
  /** Names of the objects the plugin contributes. */
  readonly ownObjects: ReadonlySet<string>;
  report(code: SdkErrorCode, path: readonly PathSegment[], message: string): void;
}

/** A context collecting problems into `out`. */
export function ruleContext(manifest: Loose, out: ManifestProblem[]): RuleContext {
  const ownObjects = new Set(asList(manifest.objects).flatMap((o) => asString(asRecord(o)?.name) ?? []));
  return {
    manifest,
    id: asString(manifest.id),
    ownObjects,
    report: (code, path, message) => out.push(problem(code, path, message)),
  };
}

/** Object names as the consent screen and messages show them: `enrichment_log` → `Enrichment log`. */
export function labelFromName(name: string): string {
  const words = name.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
