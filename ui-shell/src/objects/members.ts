import type { ApiClient } from '../api/client.js';
import type { DirectoryMember, ObjectMeta } from '../api/types.js';

/**
 * The workspace's member directory, read once per page load and shared by every table, record page and
 * filter builder: `member` fields hold ids, and people read names. A workspace switch reloads the page,
 * so one cache per load is one per workspace.
 */
let members: readonly DirectoryMember[] | null = null;
let byId = new Map<string, DirectoryMember>();
let loading: Promise<void> | null = null;

/** Loads the directory if an object has member fields (once; later calls wait for the same load). */
export function ensureDirectory(api: ApiClient, object?: ObjectMeta): Promise<void> {
  if (object && !object.fields.some((f) => f.type === 'member')) return Promise.resolve();
  loading ??= api.directory().then(
    (list) => {
      members = list;
      byId = new Map(list.map((m) => [m.id, m]));
    },
    () => {
      loading = null; // a failed load is tried again by the next page that needs it
    },
  );
  return loading;
}

/** The members to pick from, by name. */
export function directoryMembers(): readonly DirectoryMember[] {
  return members ?? [];
}

/** A member by id, if they are (still) in the workspace. */
export function memberById(id: string): DirectoryMember | undefined {
  return byId.get(id);
}

/** What a member field shows: the name; "Former member" for an id no longer in the workspace. */
export function memberLabel(id: string): string {
  const member = byId.get(id);
  if (member) return member.name;
  return members ? 'Former member' : '…';
}

/** Up to two initials of a name, for the avatar next to it. */
export function initials(name: string): string {
  const words = name.trim().split(/[\s@._-]+/).filter(Boolean);
  return ((words[0]?.[0] ?? '') + (words.length > 1 ? words[words.length - 1]![0] : '')).toUpperCase() || '?';
}
