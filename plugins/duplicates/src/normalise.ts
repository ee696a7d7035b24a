/**
 * The keys two records must share to be likely duplicates. Pure functions, so the rules are easy to test
 * and to read: a company by its web domain or its name without legal form, a person by any email address
 * or by first and last name.
 */

/** Legal forms dropped from company names ("Acme Inc." and "ACME GmbH" are both "acme"). */
export const LEGAL_SUFFIXES = [
  'inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'llc', 'llp', 'lp', 'ltd', 'limited', 'plc',
  'gmbh', 'ag', 'kg', 'ug', 'se', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'oy', 'ab', 'as', 'aps', 'pty', 'kk',
] as const;
const SUFFIXES: ReadonlySet<string> = new Set(LEGAL_SUFFIXES);

/** Lower case, accents and punctuation removed, words separated by single spaces. */
export function normaliseText(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** A company name as compared: {@link normaliseText}, then trailing legal forms dropped ("ACME G.m.b.H." → "acme"). */
export function companyNameKey(name: unknown): string {
  // Dots go first, so "G.m.b.H." and "Inc." read as the words "gmbh" and "inc".
  const words = normaliseText(typeof name === 'string' ? name.replace(/\./g, '') : name).split(' ').filter(Boolean);
  while (words.length > 1 && SUFFIXES.has(words.at(-1)!)) words.pop();
  return words.join(' ');
}

/** A web domain as compared: lower case, no scheme, no `www.`, no path or port ("https://WWW.Acme.com/x" → "acme.com"). */
export function domainKey(value: unknown): string {
  if (typeof value !== 'string') return '';
  const host = value.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '').split(/[/?#:]/)[0]!.replace(/\.$/, '');
  return host.replace(/^www\d*\./, '');
}

/** An email address as compared: trimmed, lower case. */
export function emailKey(value: unknown): string {
  return typeof value === 'string' && value.includes('@') ? value.trim().toLowerCase() : '';
}

/** A person's first and last name as compared ("Zoë  O'Brien" → "zoe o brien"); empty unless both are there. */
export function personNameKey(name: unknown): string {
  const n = (name ?? {}) as { first_name?: unknown; last_name?: unknown };
  const first = normaliseText(n.first_name);
  const last = normaliseText(n.last_name);
  return first && last ? `${first} ${last}` : '';
}

/** Every email address of a person's `emails` field. */
export function emailsOf(emails: unknown): string[] {
  const e = (emails ?? {}) as { primary?: unknown; additional?: unknown };
  const all = [e.primary, ...(Array.isArray(e.additional) ? e.additional : [])].map(emailKey).filter(Boolean);
  return [...new Set(all)];
}

/**
 * A prefix pattern for an `ilike` filter that finds the stored values whose normalised form may start like
 * `raw`'s: the first letters, with every non-ASCII letter (an accent the stored value may or may not have)
 * and every LIKE wildcard turned into `_`, which matches any one character.
 */
export function prefixPattern(raw: unknown, length = 3): string {
  if (typeof raw !== 'string') return '';
  const start = [...raw.trim()].slice(0, length);
  return start.map((c) => (/^[A-Za-z0-9 ]$/.test(c) ? c : '_')).join('');
}
