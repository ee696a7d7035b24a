/**
 * Room names. Every room starts with the workspace and the role, so a socket can only ever be in rooms
 * of its own workspace, and one broadcast can carry a payload filtered for exactly one set of
 * permissions (see `deliverer.ts`). Object names and role keys are lower snake_case and record ids
 * are UUIDs, so `:` can never appear inside a part.
 */

/** Every socket of a workspace holding a role: metadata events go here. */
export function roleRoom(workspaceId: string, roleKey: string): string {
  return `ws:${workspaceId}:role:${roleKey}`;
}

/** Sockets subscribed to every record of an object. */
export function objectRoom(workspaceId: string, roleKey: string, object: string): string {
  return `${roleRoom(workspaceId, roleKey)}:obj:${object}`;
}

/** Sockets subscribed to one record. */
export function recordRoom(workspaceId: string, roleKey: string, object: string, recordId: string): string {
  return `${objectRoom(workspaceId, roleKey, object)}:rec:${recordId}`;
}

/** What a client subscribed to: an object, or one record of it. */
export interface Subscription {
  readonly object: string;
  readonly recordId?: string;
}

/** The room of a subscription for a role. */
export function subscriptionRoom(workspaceId: string, roleKey: string, sub: Subscription): string {
  return sub.recordId === undefined ? objectRoom(workspaceId, roleKey, sub.object) : recordRoom(workspaceId, roleKey, sub.object, sub.recordId);
}

/** A stable key for a subscription, independent of the role (the role may change while it lasts). */
export function subscriptionKey(sub: Subscription): string {
  return sub.recordId === undefined ? sub.object : `${sub.object}:${sub.recordId}`;
}
