import { SDK_ERROR_CODES, type SdkErrorCode } from '../errors.js';

/**
 * One thing wrong with a manifest. `path` locates it inside the manifest, JavaScript-style
 * (`routes[0].handler`, `dependencies["acme.crm"]`; empty for the manifest itself); problems about a set
 * of manifests prefix it with the plugin id and a colon (`acme.enrichment:fields[0].object`). The shape
 * fits the kernel's error `details`.
 */
export interface ManifestProblem {
  /** What kind of problem, from `SDK_ERROR_CODES`. */
  readonly code: SdkErrorCode;
  /** Where it is (see above). */
  readonly path: string;
  /** What is wrong and how to fix it, naming the offending value. */
  readonly message: string;
}

/** A segment of a path inside a manifest: a key or an array index. */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Formats path segments as `routes[0].handler` / `dependencies["acme.crm"]`. */
export function formatPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (PLAIN_KEY.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Builds a problem; the path is given as segments. */
export function problem(code: SdkErrorCode, segments: readonly PathSegment[], message: string): ManifestProblem {
  return { code, path: formatPath(segments), message };
}

/**
 * A manifest, or a set of manifests, was refused. `problems` lists every problem found, not only the
 * first, so an author can fix them all in one go.
 */
export class ManifestError extends Error {
  /** Always `MOSAIC_ERR_MANIFEST_INVALID`; the problems carry the specific codes. */
  readonly code = 'MOSAIC_ERR_MANIFEST_INVALID' as const;
  /** Every problem found. */
  readonly problems: readonly ManifestProblem[];

  constructor(problems: readonly ManifestProblem[], what = 'The plugin manifest') {
    const list = problems.map((p) => `\n  - ${p.path ? `${p.path}: ` : ''}${p.message} [${p.code}]`).join('');
    const count = problems.length === 1 ? 'a problem' : `${problems.length} problems`;
    super(`${what} has ${count}:${list}`);
    this.name = 'ManifestError';
    this.problems = problems;
  }

  /** A JSON body in the kernel's error format. */
  toJSON(): { code: 'MOSAIC_ERR_MANIFEST_INVALID'; message: string; details: readonly ManifestProblem[] } {
    return { code: this.code, message: SDK_ERROR_CODES.MOSAIC_ERR_MANIFEST_INVALID, details: this.problems };
  }
}

/** True when `value` is a {@link ManifestError}. */
export function isManifestError(value: unknown): value is ManifestError {
  return value instanceof ManifestError;
}
