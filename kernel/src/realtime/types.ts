import type { Server, Socket } from 'socket.io';
import type { BusEvent } from '../events/types.js';

/** A coded error as realtime clients receive it (the same `{ code, message }` as HTTP error bodies). */
export interface RealtimeError {
  readonly code: string;
  readonly message: string;
}

/** The answer to `subscribe` and `unsubscribe`. */
export type SubscribeReply = { readonly ok: true } | { readonly error: RealtimeError };

/** What a client may send. Bodies are `{ object }` or `{ object, record_id }`; the ack is optional. */
export interface ClientToServerEvents {
  subscribe(body: unknown, ack?: (reply: SubscribeReply) => void): void;
  unsubscribe(body: unknown, ack?: (reply: SubscribeReply) => void): void;
}

/** What the server pushes. */
export interface ServerToClientEvents {
  /** A record event of a subscribed object or record, filtered for the member's role. */
  record(event: BusEvent): void;
  /** An object or field changed: reload the data model. */
  metadata(event: BusEvent): void;
  /** The member's role or its permissions changed; subscriptions were moved (or ended) accordingly. */
  access(info: { readonly role: string }): void;
  /** A subscription ended because the role may no longer read its object. */
  unsubscribed(info: { readonly object: string; readonly record_id?: string; readonly error: RealtimeError }): void;
  /** The credential was revoked or expired; the server disconnects right after. */
  auth_error(info: { readonly error: RealtimeError }): void;
}

/** Messages between kernel processes, through the adapter. */
export interface InterServerEvents {
  /** A role of this workspace is newer than another process's cached role list may know. */
  roles_stale(workspaceId: string): void;
}

/**
 * `socket.data`: only what other processes may see through `fetchSockets()` — never the credential
 * itself, which stays in the process that holds the connection.
 */
export interface SocketData {
  workspaceId: string;
  roleKey: string;
}

/** The kernel's typed socket.io server. */
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** One connected client. */
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
