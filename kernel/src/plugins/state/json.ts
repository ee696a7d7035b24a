/** Why a JSON value cannot be stored, or `ok` with its JSON text. */
export type StorableJson =
  | { readonly ok: true; readonly text: string; readonly bytes: number }
  | { readonly ok: false; readonly reason: 'too-large' | 'unstorable'; readonly message: string };

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Serialises a JSON value that a plugin or an admin wants stored in a `jsonb` column, refusing what
 * PostgreSQL would reject only later, as an opaque internal error: the NUL character (`\u0000`) and
 * unpaired UTF-16 surrogates, in keys or strings. `maxBytes` bounds the UTF-8 size of the JSON text.
 */
export function storableJson(value: unknown, maxBytes: number): StorableJson {
  const text = JSON.stringify(value);
  if (text === undefined) return { ok: false, reason: 'unstorable', message: 'the value is not JSON' };
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maxBytes) return { ok: false, reason: 'too-large', message: `the value is ${bytes} bytes of JSON, more than ${maxBytes}` };
  // JSON.stringify writes NUL as the escape \u0000 and a lone surrogate as \udXXX; only then is the value
  // walked, since the same letters can also come from an escaped backslash.
  if ((text.includes('\\u0000') || /\\ud[89a-f]/.test(text)) && hasUnstorableText(value)) {
    return { ok: false, reason: 'unstorable', message: 'strings cannot hold the NUL character (\\u0000) or unpaired UTF-16 surrogates' };
  }
  return { ok: true, text, bytes };
}

/** True when a text value PostgreSQL stores as `text` would be altered or refused (NUL, lone surrogates). */
export function unstorableText(text: string): boolean {
  return text.includes('\u0000') || LONE_SURROGATE.test(text);
}

function hasUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return unstorableText(value);
  if (Array.isArray(value)) return value.some(hasUnstorableText);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([k, v]) => unstorableText(k) || hasUnstorableText(v));
  }
  return false;
}
