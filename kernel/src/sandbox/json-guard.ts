/**
 * JSON text produced inside a plugin's isolate is untrusted. Before the host parses it (on the main
 * thread, where nothing can interrupt a long native call), its length and nesting depth are checked by
 * one linear scan, so neither a huge nor a deeply nested document reaches `JSON.parse` — or the
 * recursive code downstream (serialisers, validators) that would overflow the stack on it.
 */

/** Why a JSON text was refused. */
export type JsonRefusal = 'too-long' | 'too-deep' | 'malformed';

/** Limits for {@link checkJsonShape} and {@link parseGuardedJson}. */
export interface JsonGuardLimits {
  /** Maximum length in UTF-16 code units. */
  readonly maxChars: number;
  /** Maximum nesting of arrays and objects; a scalar has depth 0, `[]` depth 1. */
  readonly maxDepth: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * Scan `text` once and report the first reason to refuse it, or `null` when its size and depth are
 * acceptable. Only structure is checked here; grammar is left to `JSON.parse`, which is safe to call
 * once the depth is bounded.
 */
export function checkJsonShape(text: string, limits: JsonGuardLimits): JsonRefusal | null {
  if (text.length > limits.maxChars) return 'too-long';
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
      continue;
    }
    if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACKET || c === OPEN_BRACE) {
      if (++depth > limits.maxDepth) return 'too-deep';
    } else if (c === CLOSE_BRACKET || c === CLOSE_BRACE) {
      if (--depth < 0) return 'malformed';
    }
  }
  return inString || depth !== 0 ? 'malformed' : null;
}

/** The outcome of {@link parseGuardedJson}. */
export type GuardedJson = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly refusal: JsonRefusal };

/** {@link checkJsonShape}, then `JSON.parse`; never throws. */
export function parseGuardedJson(text: string, limits: JsonGuardLimits): GuardedJson {
  const refusal = checkJsonShape(text, limits);
  if (refusal) return { ok: false, refusal };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, refusal: 'malformed' };
  }
}
