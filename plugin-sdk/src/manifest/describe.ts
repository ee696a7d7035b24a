import { labelFromName } from './context.js';
import { eventPatternCovers, httpPatternCovers, matchesRecordEvents } from './patterns.js';
import { ANY_OBJECT, RECORD_OPERATIONS, type PluginManifest, type PluginPermissions, type RecordOperation } from './types.js';

/** The parts of a manifest that permissions are read from. */
export type PermissionSource = Pick<PluginManifest, 'permissions' | 'objects' | 'events'>;

function sentenceList(words: readonly string[]): string {
  return words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

function labelOf(source: PermissionSource, object: string): string {
  if (object === ANY_OBJECT) return 'every object';
  const own = source.objects?.find((o) => o.name === object);
  return own?.label_singular ?? labelFromName(object);
}

/** Patterns no other pattern of the list already covers, in their original order. */
function widest(patterns: readonly string[], covers: (a: string, b: string) => boolean): string[] {
  return patterns.filter((p, i) => !patterns.some((q, j) => j !== i && covers(q, p) && (!covers(p, q) || j < i)));
}

/**
 * The permissions a manifest asks for, as plain-English sentences for a consent screen, e.g.
 * "Read and update Company records", "Receive record.created events on Company",
 * "Send HTTP requests to https://api.example.com/*", "Store its own data". Objects the plugin
 * contributes are named by their label, others by their name made readable. Access to its own objects,
 * which needs no permission, is described only when the manifest lists them; a pattern covered by a
 * wider one of the same list is not repeated.
 */
export function describePermissions(source: PermissionSource): string[] {
  const permissions = source.permissions ?? {};
  const sentences: string[] = [];
  // "*" first: it is the widest grant, and the sentence says it reaches objects that do not exist yet.
  const entries = Object.entries(permissions.records ?? {}).sort(([a], [b]) => Number(b === ANY_OBJECT) - Number(a === ANY_OBJECT));
  for (const [object, operations] of entries) {
    const ordered = RECORD_OPERATIONS.filter((op) => operations.includes(op));
    if (ordered.length === 0) continue;
    const verbs = ordered.map((op, i) => (i === 0 ? op.charAt(0).toUpperCase() + op.slice(1) : op));
    sentences.push(object === ANY_OBJECT ? `${sentenceList(verbs)} records of every object, including objects added later` : `${sentenceList(verbs)} ${labelOf(source, object)} records`);
  }
  for (const pattern of widest(permissions.events?.subscribe ?? [], eventPatternCovers)) {
    const objects = new Set(
      (source.events ?? []).filter((e) => eventPatternCovers(pattern, e.type) && matchesRecordEvents(e.type)).flatMap((e) => e.objects ?? []),
    );
    const on = objects.size > 0 ? ` on ${sentenceList([...objects].map((o) => labelOf(source, o)))}` : '';
    sentences.push(`Receive ${pattern} events${on}`);
  }
  for (const pattern of widest(permissions.events?.emit ?? [], eventPatternCovers)) sentences.push(`Publish ${pattern} events`);
  for (const pattern of widest(permissions.http ?? [], httpPatternCovers)) sentences.push(`Send HTTP requests to ${pattern}`);
  if (permissions.kv) sentences.push('Store its own data');
  if (permissions.imports) sentences.push('Import CSV files for the members who use it, within their roles');
  if (permissions.members) sentences.push("See the names and email addresses of the workspace's members");
  if (permissions.settings) sentences.push('Read its settings');
  if (permissions.secrets) sentences.push('Read its secrets');
  return sentences;
}

/** How the permissions of two versions of a plugin differ. */
export interface PermissionDiff {
  /** True when the new version asks for anything the old one did not: the admin must consent again. */
  readonly grows: boolean;
  /** What the new version asks for and the old one did not. */
  readonly added: PluginPermissions;
  /** What the old version asked for and the new one does not. */
  readonly removed: PluginPermissions;
  /** `added` as consent sentences (see {@link describePermissions}), with the new version's labels. */
  readonly sentences: string[];
}

/** Record operations held on each object: listed ones, and all of them on the plugin's own objects. */
function heldOperations(source: PermissionSource): Map<string, Set<RecordOperation>> {
  const held = new Map<string, Set<RecordOperation>>();
  for (const [object, operations] of Object.entries(source.permissions?.records ?? {})) held.set(object, new Set(operations));
  for (const object of source.objects ?? []) held.set(object.name, new Set(RECORD_OPERATIONS));
  return held;
}

/**
 * The permissions of `next` that `previous` does not hold; entries for `next`'s own objects are left out.
 * `"*"` held covers the same operation on any named object; only `"*"` itself covers `"*"`, so going
 * from named objects to every object is growth.
 */
function subtract(next: PermissionSource, previous: PermissionSource): PluginPermissions {
  const had = heldOperations(previous);
  const own = new Set((next.objects ?? []).map((o) => o.name));
  const records: Record<string, RecordOperation[]> = {};
  for (const [object, operations] of Object.entries(next.permissions?.records ?? {})) {
    if (own.has(object)) continue;
    const extra = operations.filter((op) => !had.get(object)?.has(op) && !(object !== ANY_OBJECT && (previous.permissions?.records?.[ANY_OBJECT] ?? []).includes(op)));
    if (extra.length > 0) records[object] = extra;
  }
  const p = next.permissions ?? {};
  const q = previous.permissions ?? {};
  const notIn = (list: readonly string[] | undefined, old: readonly string[] | undefined, covers: (a: string, b: string) => boolean) =>
    (list ?? []).filter((pattern) => !(old ?? []).some((granted) => covers(granted, pattern)));
  const subscribe = notIn(p.events?.subscribe, q.events?.subscribe, eventPatternCovers);
  const emit = notIn(p.events?.emit, q.events?.emit, eventPatternCovers);
  const http = notIn(p.http, q.http, httpPatternCovers);
  return {
    ...(Object.keys(records).length > 0 ? { records } : {}),
    ...(subscribe.length > 0 || emit.length > 0 ? { events: { ...(subscribe.length > 0 ? { subscribe } : {}), ...(emit.length > 0 ? { emit } : {}) } } : {}),
    ...(http.length > 0 ? { http } : {}),
    ...(p.kv && !q.kv ? { kv: true } : {}),
    ...(p.imports && !q.imports ? { imports: true } : {}),
    ...(p.members && !q.members ? { members: true } : {}),
    ...(p.settings && !q.settings ? { settings: true } : {}),
    ...(p.secrets && !q.secrets ? { secrets: true } : {}),
  };
}

/**
 * What changes between the permissions of an installed version (`previous`) and an upgrade (`next`).
 * A permission counts as held when the old version asked for it or for something wider (`record.*`
 * holds `record.created`), and all operations on the old version's own objects count as held. An
 * upgrade whose diff does not `grow` applies without asking the admin again.
 */
export function diffPermissions(previous: PermissionSource, next: PermissionSource): PermissionDiff {
  const added = subtract(next, previous);
  const removed = subtract(previous, next);
  return { grows: Object.keys(added).length > 0, added, removed, sentences: describePermissions({ ...next, permissions: added }) };
}
