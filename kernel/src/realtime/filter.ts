import type { BusEvent } from '../events/types.js';
import { fieldType } from '../metadata/field-types/index.js';
import type { ObjectDef } from '../metadata/model.js';
import type { Access } from '../roles/index.js';
import { objectRoom, recordRoom, roleRoom } from './rooms.js';
import type { WorkspaceRoles } from './roles.js';

/** One broadcast: the socket.io event name, the rooms it goes to, and the event as those rooms may see it. */
export interface Message {
  readonly name: 'record' | 'metadata';
  readonly rooms: readonly string[];
  readonly event: BusEvent;
}

/** What a role may read of an object: field names (as in `changed_fields`) and record keys (as in records). */
interface Visibility {
  readonly names: ReadonlySet<string>;
  readonly keys: ReadonlySet<string>;
  /** Equal for roles that see exactly the same fields, so they can share one filtered payload. */
  readonly signature: string;
}

function visibility(object: ObjectDef, access: Access): Visibility | undefined {
  if (!access.object(object.name, 'read')) return undefined;
  const readable = object.fields.filter((f) => f.type !== 'one_to_many' && access.fieldRead(object.name, f.name));
  const names = readable.map((f) => f.name);
  return { names: new Set(names), keys: new Set(readable.map((f) => fieldType(f).recordKey(f))), signature: names.join(',') };
}

function pick(value: unknown, keys: ReadonlySet<string>): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return Object.fromEntries(Object.entries(value).filter(([key]) => keys.has(key)));
}

/**
 * A record event as roles with this visibility may see it, or undefined when it should not be sent: an
 * update that changed nothing they can read. The payload is rebuilt from an allow-list (record,
 * changed_fields, before, after) rather than copied and pruned, so a key added to record payloads later
 * stays private until someone decides how to filter it.
 */
function filterFor(event: BusEvent, seen: Visibility): BusEvent | undefined {
  const source = event.payload;
  const payload: Record<string, unknown> = {};
  if (source.record !== undefined) payload.record = pick(source.record, seen.keys);
  if (event.type === 'record.updated') {
    const changed = Array.isArray(source.changed_fields) ? source.changed_fields.filter((name) => seen.names.has(name as string)) : [];
    if (changed.length === 0) return undefined;
    payload.changed_fields = changed;
    payload.before = pick(source.before, seen.keys);
    payload.after = pick(source.after, seen.keys);
  }
  return { ...event, payload };
}

/**
 * The broadcasts for a record event: one per group of roles that see the same fields (usually one or
 * two groups, whatever the number of roles), each to the object and record rooms of those roles. A role
 * that cannot read the object gets nothing. Without the object's metadata (deleted before delivery)
 * nothing can be filtered, so nothing is sent.
 */
export function recordMessages(event: BusEvent, object: ObjectDef | undefined, roles: WorkspaceRoles): Message[] {
  if (!object) return [];
  const groups = new Map<string, { seen: Visibility; roleKeys: string[] }>();
  for (const [roleKey, role] of roles) {
    const seen = visibility(object, role.access);
    if (!seen) continue;
    const group = groups.get(seen.signature);
    if (group) group.roleKeys.push(roleKey);
    else groups.set(seen.signature, { seen, roleKeys: [roleKey] });
  }
  const messages: Message[] = [];
  for (const { seen, roleKeys } of groups.values()) {
    const filtered = filterFor(event, seen);
    if (!filtered) continue;
    const rooms = roleKeys.flatMap((roleKey) => {
      const objectLevel = objectRoom(event.workspace_id, roleKey, object.name);
      return event.record_id ? [objectLevel, recordRoom(event.workspace_id, roleKey, object.name, event.record_id)] : [objectLevel];
    });
    messages.push({ name: 'record', rooms, event: filtered });
  }
  return messages;
}

/** The field a `field.*` event is about: `field.added` carries the serialised field, the others its name. */
function fieldOf(event: BusEvent): string | undefined {
  const field = event.payload.field;
  if (typeof field === 'string') return field;
  if (field !== null && typeof field === 'object' && typeof (field as { name?: unknown }).name === 'string') return (field as { name: string }).name;
  return undefined;
}

/**
 * Whether a role hears of a metadata change. The HTTP metadata API hides objects and fields a role
 * cannot read, so their changes are not announced to it either: that would leak their names.
 */
export function metadataVisible(event: BusEvent, access: Access): boolean {
  if (!event.object) return true;
  const field = event.type.startsWith('field.') ? fieldOf(event) : undefined;
  return field === undefined ? access.object(event.object, 'read') : access.fieldRead(event.object, field);
}

/** The broadcast for a metadata event: unchanged, to every role of the workspace that may see it. */
export function metadataMessages(event: BusEvent, roles: WorkspaceRoles): Message[] {
  const rooms = [...roles].filter(([, role]) => metadataVisible(event, role.access)).map(([roleKey]) => roleRoom(event.workspace_id, roleKey));
  return rooms.length > 0 ? [{ name: 'metadata', rooms, event }] : [];
}
