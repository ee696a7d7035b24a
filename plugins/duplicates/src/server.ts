import { definePlugin, PluginError, type PluginContext, type PluginRecord, type RouteInput } from '@mosaic/plugin-sdk';
import { companyNameKey, domainKey, emailKey, emailsOf, normaliseText, personNameKey, prefixPattern } from './normalise.js';

/** The objects whose duplicates this plugin finds (contributed by `companies` and `people`). */
export const OBJECTS = ['company', 'person'] as const;
/** One of {@link OBJECTS}. */
export type DuplicateObject = (typeof OBJECTS)[number];
/** Why two records look alike. */
export type Reason = 'domain' | 'email' | 'name';

/** A record in a duplicates answer: its id and a label to show. */
export interface RecordSummary {
  readonly id: string;
  readonly label: string;
}
/** A likely duplicate of one record, with why. */
export interface Candidate {
  readonly record: PluginRecord;
  readonly label: string;
  readonly reasons: Reason[];
}
/** What `GET /candidates/:object/:id` answers. */
export interface Candidates {
  readonly record: PluginRecord;
  readonly data: Candidate[];
}
/** A pair found by a scan: `a` was created first. */
export interface Pair {
  readonly a: RecordSummary;
  readonly b: RecordSummary;
  readonly reasons: Reason[];
}
/** What `GET /scan/:object` answers: the pairs whose first record is in this page of the object. */
export interface ScanPage {
  readonly pairs: Pair[];
  readonly scanned: number;
  /** Pass as `?cursor=` for the next page; null when the whole object has been scanned. */
  readonly next_cursor: string | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Records compared per key and record: a lookup reads at most this many look-alikes. */
const PER_KEY = 100;
/**
 * Records per scan page. Each costs a few look-ups (one per key) against the invocation's 200 host calls
 * and 10,000 records, so 25 records stay far inside both.
 */
const SCAN_PAGE = 25;
const MAX_SCAN_PAGE = 40;
const codeOf = (error: unknown): string | undefined => (error as { code?: string } | null)?.code;
/** A value for the filter grammar: a quoted string with `"` and `\` escaped. */
const quoted = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** A record's label as the duplicates lists show it. */
export function labelOf(object: DuplicateObject, record: PluginRecord): string {
  if (object === 'company') return String(record.name ?? '') || String(record.domain ?? '') || 'Unnamed company';
  const name = (record.full_name ?? {}) as { first_name?: string; last_name?: string };
  return [name.first_name, name.last_name].filter(Boolean).join(' ') || emailsOf(record.emails)[0] || 'Unnamed person';
}

function objectOf(value: unknown): DuplicateObject {
  if (typeof value === 'string' && (OBJECTS as readonly string[]).includes(value)) return value as DuplicateObject;
  throw new PluginError('DUPLICATES_OBJECT_UNSUPPORTED', `Duplicates are found for ${OBJECTS.join(' and ')} records, not for "${String(value ?? '')}".`, 400);
}

/** One look-up: the records matching `filter`, kept when `same` says they share the key. */
async function lookAlikes(ctx: PluginContext, object: DuplicateObject, filter: string, same: (r: PluginRecord) => boolean): Promise<PluginRecord[]> {
  const page = await ctx.host.records.find(object, { filter, limit: PER_KEY });
  return page.data.filter(same);
}

/**
 * The likely duplicates of one record: for each key it has, the database narrows by a filter (a suffix or
 * prefix match, case-insensitive) and the keys are then compared exactly here, normalised.
 */
export async function candidatesOf(ctx: PluginContext, object: DuplicateObject, record: PluginRecord): Promise<Candidate[]> {
  const found = new Map<string, { record: PluginRecord; reasons: Set<Reason> }>();
  const add = (reason: Reason, records: PluginRecord[]) => {
    for (const r of records) {
      if (r.id === record.id) continue;
      const entry = found.get(r.id) ?? { record: r, reasons: new Set<Reason>() };
      entry.reasons.add(reason);
      found.set(r.id, entry);
    }
  };
  if (object === 'company') {
    const domain = domainKey(record.domain);
    if (domain) add('domain', await lookAlikes(ctx, object, `domain[ilike]:${quoted(`%${domain}%`)}`, (r) => domainKey(r.domain) === domain));
    const name = companyNameKey(record.name);
    if (name) {
      const patterns = [...new Set([prefixPattern(record.name), prefixPattern(name)])].filter(Boolean);
      const filter = patterns.length === 1 ? `name[ilike]:${quoted(`${patterns[0]}%`)}` : `or(${patterns.map((p) => `name[ilike]:${quoted(`${p}%`)}`).join(',')})`;
      add('name', await lookAlikes(ctx, object, filter, (r) => companyNameKey(r.name) === name));
    }
  } else {
    for (const email of emailsOf(record.emails).slice(0, 5)) {
      // `ilike` without wildcards is a case-insensitive equality (an `_` in the address may over-match; the exact
      // check below settles it). `containsAny` on the additional addresses is exact, so it finds them as written
      // in lower case: the kernel's filter grammar has no case-insensitive list operator yet.
      const filter = `or(emails.primary[ilike]:${quoted(email)},emails.additional[containsAny]:[${quoted(email)}])`;
      add('email', await lookAlikes(ctx, object, filter, (r) => emailsOf(r.emails).includes(email)));
    }
    const name = personNameKey(record.full_name);
    const last = (record.full_name as { last_name?: unknown } | null)?.last_name;
    if (name && typeof last === 'string') {
      const pattern = [...last.trim()].map((c) => (/^[A-Za-z0-9 ]$/.test(c) ? c : '_')).join('');
      add('name', await lookAlikes(ctx, object, `full_name.last_name[ilike]:${quoted(pattern)}`, (r) => personNameKey(r.full_name) === name));
    }
  }
  return [...found.values()].map(({ record: r, reasons }) => ({ record: r, label: labelOf(object, r), reasons: [...reasons].sort() as Reason[] }));
}

async function getRecord(ctx: PluginContext, object: DuplicateObject, id: unknown): Promise<PluginRecord> {
  if (typeof id !== 'string' || !UUID.test(id)) throw new PluginError('DUPLICATES_RECORD_NOT_FOUND', `No ${object} has the id "${String(id ?? '')}".`, 404);
  try {
    return await ctx.host.records.get(object, id);
  } catch (error) {
    if (codeOf(error) === 'MOSAIC_ERR_RECORD_NOT_FOUND') throw new PluginError('DUPLICATES_RECORD_NOT_FOUND', `No ${object} has the id "${id}".`, 404);
    throw error;
  }
}

async function candidates(ctx: PluginContext, object: DuplicateObject, { params }: RouteInput): Promise<Candidates> {
  const record = await getRecord(ctx, object, params.id);
  return { record, data: await candidatesOf(ctx, object, record) };
}

/**
 * One page of a scan over the whole object, oldest first. A pair is reported on the page of its older
 * record only, so paging through to the end lists every pair once.
 */
async function scan(ctx: PluginContext, object: DuplicateObject, { query }: RouteInput): Promise<ScanPage> {
  const cursor = typeof query.cursor === 'string' && query.cursor !== '' ? query.cursor : undefined;
  const limit = Math.min(Math.max(Number.parseInt(String(query.limit ?? SCAN_PAGE), 10) || SCAN_PAGE, 1), MAX_SCAN_PAGE);
  const page = await ctx.host.records.find(object, { order_by: 'created_at[Asc]', limit, ...(cursor ? { starting_after: cursor } : {}) });
  const pairs: Pair[] = [];
  for (const record of page.data) {
    for (const c of await candidatesOf(ctx, object, record)) {
      if (!isOlder(record, c.record)) continue;
      pairs.push({ a: { id: record.id, label: labelOf(object, record) }, b: { id: c.record.id, label: c.label }, reasons: c.reasons });
    }
  }
  return { pairs, scanned: page.data.length, next_cursor: page.page_info.has_next_page ? page.page_info.end_cursor : null };
}

/** Scan order: created first, then id. */
function isOlder(a: PluginRecord, b: PluginRecord): boolean {
  return a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id);
}

/** `POST /merge/:object` { into, from: [ids], values? }: the kernel's merge, answered as a 400/404/409 the caller can act on. */
async function merge(ctx: PluginContext, object: DuplicateObject, { body }: RouteInput<Record<string, unknown> | null>) {
  const into = body?.into;
  const from = body?.from;
  const values = body?.values;
  if (typeof into !== 'string' || !Array.isArray(from) || from.some((id) => typeof id !== 'string') || (values !== undefined && (typeof values !== 'object' || values === null || Array.isArray(values)))) {
    throw new PluginError('DUPLICATES_MERGE_INVALID', 'Send { "into": "<id of the record to keep>", "from": ["<ids merged into it>"], "values"?: { field: value } }.', 400);
  }
  try {
    return await ctx.host.records.merge(object, { into, from: from as string[], ...(values ? { values: values as Record<string, unknown> } : {}) });
  } catch (error) {
    const code = codeOf(error);
    const status = code === 'MOSAIC_ERR_RECORD_NOT_FOUND' ? 404 : code === 'MOSAIC_ERR_RECORD_UNIQUE' ? 409 : code === 'MOSAIC_ERR_FORBIDDEN' || code === 'MOSAIC_ERR_PLUGIN_PERMISSION' ? 403 : code?.startsWith('MOSAIC_ERR_MERGE_') || code === 'MOSAIC_ERR_RECORD_INVALID' || code === 'MOSAIC_ERR_FIELD_FORBIDDEN' ? 400 : undefined;
    if (status) throw new PluginError('DUPLICATES_MERGE_REFUSED', (error as Error).message, status);
    throw error;
  }
}

/**
 * The server code of `duplicates`, run in the kernel's sandbox: likely duplicates of a company or a person,
 * a paged scan for pairs across an object, and merging through the kernel's merge.
 */
export default definePlugin({
  routes: {
    /** GET /api/plugins/duplicates/candidates/company/:id → {@link Candidates}. */
    companyCandidates: (ctx, input) => candidates(ctx, objectOf('company'), input),
    /** GET /api/plugins/duplicates/candidates/person/:id → {@link Candidates}. */
    personCandidates: (ctx, input) => candidates(ctx, objectOf('person'), input),
    /** GET /api/plugins/duplicates/scan/company?cursor=&limit= → {@link ScanPage}. */
    companyScan: (ctx, input) => scan(ctx, 'company', input),
    /** GET /api/plugins/duplicates/scan/person?cursor=&limit= → {@link ScanPage}. */
    personScan: (ctx, input) => scan(ctx, 'person', input),
    /** POST /api/plugins/duplicates/merge/company → the kernel's merge result. */
    companyMerge: (ctx, input: RouteInput<Record<string, unknown> | null>) => merge(ctx, 'company', input),
    /** POST /api/plugins/duplicates/merge/person → the kernel's merge result. */
    personMerge: (ctx, input: RouteInput<Record<string, unknown> | null>) => merge(ctx, 'person', input),
  },
});

export { companyNameKey, domainKey, emailKey, normaliseText, personNameKey };
