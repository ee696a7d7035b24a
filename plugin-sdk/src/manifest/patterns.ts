/**
 * The small languages inside a manifest — handler names, custom element names, event type patterns,
 * HTTP allow-list patterns and package paths — with checks that say what is wrong, and the matchers the
 * runtime uses so that what the admin consented to is exactly what is enforced.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Words that cannot name a function in generated code (`export async function <handler>`). */
const RESERVED_WORDS = new Set(
  ('await break case catch class const continue debugger default delete do else enum export extends false finally for ' +
    'function if implements import in instanceof interface let new null package private protected public return static ' +
    'super switch this throw true try typeof var void while with yield arguments eval').split(' '),
);

/**
 * Names that would resolve to something other than the plugin's handler when the runtime looks a handler
 * up on a plain object (`Object.prototype` members), or that make the handlers object a thenable.
 */
const INHERITED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype', 'then']);

/** Why `name` cannot be a handler name, or null when it can. */
export function handlerProblem(name: string): string | null {
  if (name.length > 64) return `Handler name "${name.slice(0, 64)}…" is longer than 64 characters.`;
  if (!IDENTIFIER.test(name)) return `Handler name "${name}" is not a JavaScript identifier (letters, digits, _ and $, not starting with a digit).`;
  if (RESERVED_WORDS.has(name)) return `Handler name "${name}" is a reserved word of JavaScript.`;
  if (INHERITED_NAMES.has(name)) return `Handler name "${name}" would clash with a built-in property of JavaScript objects.`;
  return null;
}

const ELEMENT = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/;

/** Names the HTML standard reserves although they contain a hyphen. */
const RESERVED_ELEMENTS = new Set([
  'annotation-xml', 'color-profile', 'font-face', 'font-face-src', 'font-face-uri', 'font-face-format', 'font-face-name', 'missing-glyph',
]);

/** Why `name` cannot be a custom element name, or null when it can. */
export function elementProblem(name: string): string | null {
  if (name.length > 100) return `Element name "${name.slice(0, 100)}…" is longer than 100 characters.`;
  if (!ELEMENT.test(name)) {
    return `Element name "${name}" is not a custom element name: use lower-case words joined by hyphens, at least two (e.g. "acme-enrichment-tab").`;
  }
  if (RESERVED_ELEMENTS.has(name)) return `Element name "${name}" is reserved by HTML.`;
  return null;
}

/** An event type pattern: `*`, an exact type, or a prefix ending in `.*` (as the kernel's bus matches them). */
export const EVENT_PATTERN = /^(\*|[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*(\.\*)?)$/;

/** True when the event type pattern `granted` matches every type that `wanted` matches. */
export function eventPatternCovers(granted: string, wanted: string): boolean {
  if (granted === '*') return true;
  if (granted.endsWith('.*')) return wanted !== '*' && wanted.startsWith(granted.slice(0, -1));
  return granted === wanted;
}

/** True when the event type pattern `pattern` can match an event of the record family (`record.…`). */
export function matchesRecordEvents(pattern: string): boolean {
  return pattern === '*' || pattern === 'record.*' || pattern.startsWith('record.');
}

/** An HTTP allow-list pattern, split into its exact origin and its path glob. */
export interface HttpPattern {
  /** Scheme, host and port, as `URL.origin` spells them (`https://api.example.com`). */
  readonly origin: string;
  /** The path, starting with `/`, where `*` matches any characters (including `/`). */
  readonly path: string;
}

const HTTP_PATTERN = /^(https?):\/\/([^/?#]*)(\/[^?#]*)?$/;

/** Parses an allow-list pattern, or says why it is invalid. */
export function parseHttpPattern(pattern: string): { ok: true; value: HttpPattern } | { ok: false; reason: string } {
  const fail = (reason: string) => ({ ok: false as const, reason: `"${pattern.slice(0, 200)}": ${reason}` });
  if (pattern.length > 2048) return fail('longer than 2048 characters.');
  const match = HTTP_PATTERN.exec(pattern);
  if (!match) {
    if (!/^https?:\/\//.test(pattern)) return fail('only http:// and https:// URLs can be allowed.');
    return fail('a pattern has no query string or fragment; allow the path and the query is allowed with it.');
  }
  const [, scheme, authority, path] = match;
  if (authority.includes('@')) return fail('a pattern cannot hold a user name or password; put credentials in secrets.');
  if (authority.includes('*')) return fail('the host must be exact; a wildcard is only allowed in the path.');
  let url: URL;
  try {
    url = new URL(`${scheme}://${authority}/`);
  } catch {
    return fail('the host is not a valid host name.');
  }
  if (url.host !== authority || authority === '') return fail(`write the host in lower case, without the default port (${url.host || 'a host'}).`);
  if (path === undefined) return fail('add a path: "/*" allows every path of the host.');
  let normalized: string;
  try {
    normalized = new URL(path, url).pathname;
  } catch {
    return fail('the path is invalid.');
  }
  if (normalized !== path) return fail(`write the path in normal form ("${normalized}"): no "." or ".." segments, spaces or other characters that need encoding.`);
  return { ok: true, value: { origin: url.origin, path } };
}

/**
 * Whether `text` matches `glob`, where `*` matches any run of characters. A linear-backtracking matcher
 * rather than a RegExp: a pattern with many stars must not make a long URL cost exponential time.
 */
function globMatches(glob: string, text: string): boolean {
  let g = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (g < glob.length && glob[g] === '*') {
      star = g++;
      mark = t;
    } else if (g < glob.length && glob[g] === text[t]) {
      g++;
      t++;
    } else if (star !== -1) {
      g = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (glob[g] === '*') g++;
  return g === glob.length;
}

/**
 * True when `url` is allowed by the pattern: same scheme, host and port, and a path the glob matches.
 * The path is compared after URL normalisation, so `/v1/../admin` is `/admin`; the query string is not
 * part of the match.
 */
export function matchesHttpPattern(pattern: string, url: string): boolean {
  const parsed = parseHttpPattern(pattern);
  if (!parsed.ok) return false;
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.username || target.password) return false;
  return target.origin === parsed.value.origin && globMatches(parsed.value.path, target.pathname);
}

/**
 * True when every URL `wanted` allows is also allowed by `granted`. Conservative: may answer false for
 * some covered pairs, which only means asking for consent once more.
 */
export function httpPatternCovers(granted: string, wanted: string): boolean {
  const a = parseHttpPattern(granted);
  const b = parseHttpPattern(wanted);
  if (!a.ok || !b.ok || a.value.origin !== b.value.origin) return false;
  // A `*` of `wanted` taken literally can only be consumed by a `*` of `granted`, so a match is a proof.
  return globMatches(a.value.path, b.value.path);
}

/** Why `path` is not a safe relative path inside the package, or null when it is. */
export function packagePathProblem(path: string, bundle: boolean): string | null {
  const segments = path.split('/');
  if (path.length > 200) return `"${path.slice(0, 200)}…" is longer than 200 characters.`;
  if (!/^[A-Za-z0-9._@/-]+$/.test(path)) return `"${path}" may only use letters, digits, ".", "_", "-", "@" and "/".`;
  if (path.startsWith('/') || segments.some((s) => s === '' || s === '.' || s === '..')) {
    return `"${path}" must be a relative path inside the plugin package, without ".", ".." or empty segments.`;
  }
  if (bundle && !/\.m?js$/.test(path)) return `"${path}" must point to a built JavaScript bundle (.js or .mjs).`;
  return null;
}
