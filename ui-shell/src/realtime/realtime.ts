import type { Socket } from 'socket.io-client';
import type { RecordData } from '../api/types.js';

/** A record event as the kernel pushes it (the bus event, filtered for the member's role). */
export interface RecordEvent {
  readonly type: string;
  readonly object: string;
  readonly record_id: string;
  readonly payload: { readonly record?: RecordData; readonly changed_fields?: readonly string[] };
}

/** Called with each record event of a subscribed object. */
export type RecordListener = (event: RecordEvent) => void;

/** Why the server ended the connection: the credential no longer holds as it was. */
export interface RealtimeAuthError {
  readonly code: string;
  readonly message: string;
}

/** One view's subscription: its events, and whether the server confirmed the room (`live`). */
export interface RecordSubscriber {
  readonly onEvent: RecordListener;
  readonly onLive?: (live: boolean) => void;
}

/**
 * The member's realtime connection: one socket.io socket on the shell's own origin, authenticated by
 * the session cookie, opened on the first subscription. Views subscribe to an object and get a function
 * that ends the subscription; the server-side room is left once the last view of an object leaves.
 * After a reconnect every object is subscribed again, and `onResync` tells views to reload, since
 * events sent while the socket was down are not replayed.
 */
export class Realtime {
  #socket: Socket | undefined;
  /** Loading socket.io-client and opening the socket; set once. */
  #opening: Promise<void> | undefined;
  readonly #listeners = new Map<string, Set<RecordSubscriber>>();
  readonly #onMetadata: () => void;
  readonly #onAccess: () => void;
  readonly #authListeners = new Set<(error: RealtimeAuthError) => void>();
  #closed = false;

  /**
   * @param onMetadata - the data model changed: reload it.
   * @param onAccess - the member's role or its permissions changed: reload the session and the data model
   *   (subscribed views are told to reload as well, since what they may read changed).
   */
  constructor(onMetadata: () => void, onAccess: () => void = onMetadata) {
    this.#onMetadata = onMetadata;
    this.#onAccess = onAccess;
  }

  #resyncAll(): void {
    for (const [object, set] of this.#listeners) for (const s of set) s.onEvent({ type: 'resync', object, record_id: '', payload: {} });
  }

  /**
   * Opens the socket once. socket.io-client is loaded on first use, in a chunk of its own, so it is not
   * on the path to the first paint; the `connect` handler joins every object listened to meanwhile.
   */
  #connect(): void {
    if (this.#opening) return;
    this.#opening = import('socket.io-client').then(({ io }) => {
      if (this.#closed) return;
      // WebSocket only: long-polling would need sticky sessions behind a load balancer.
      const socket = io({ path: '/socket.io', transports: ['websocket'], withCredentials: true });
      let connectedBefore = false;
      socket.on('connect', () => {
        for (const object of this.#listeners.keys()) this.#join(socket, object);
        if (connectedBefore) this.#resyncAll();
        connectedBefore = true;
      });
      socket.on('disconnect', () => {
        for (const set of this.#listeners.values()) for (const s of set) s.onLive?.(false);
      });
      socket.on('record', (event: RecordEvent) => {
        for (const s of this.#listeners.get(event.object) ?? []) s.onEvent(event);
      });
      socket.on('metadata', () => this.#onMetadata());
      // The member's role changed (here or in another process): the server moved this socket to the new
      // role's rooms; what views show was read under the old role.
      socket.on('access', () => {
        this.#onAccess();
        this.#resyncAll();
      });
      // The new role may not read an object a view listens to: the server left its room.
      socket.on('unsubscribed', (info: { object: string }) => {
        for (const s of this.#listeners.get(info.object) ?? []) s.onLive?.(false);
      });
      // The server re-checks the session when it changes; a session switched to another workspace (in
      // another tab) or ended is refused, and this socket is closed for good.
      socket.on('auth_error', (reply: { error?: RealtimeAuthError }) => {
        const error = reply.error ?? { code: 'MOSAIC_ERR_AUTH_SESSION_EXPIRED', message: 'The session ended.' };
        for (const listener of this.#authListeners) listener(error);
      });
      this.#socket = socket;
    });
    this.#opening.catch(() => {
      // The chunk failed to load (offline, a deploy replaced it): live updates stay off until a reload.
      for (const set of this.#listeners.values()) for (const s of set) s.onLive?.(false);
    });
  }

  #join(socket: Socket, object: string): void {
    socket.emit('subscribe', { object }, (reply: { ok?: boolean }) => {
      for (const s of this.#listeners.get(object) ?? []) s.onLive?.(reply.ok === true);
    });
  }

  /** Listens to the record events of `object`; the returned function stops listening. */
  subscribe(object: string, subscriber: RecordSubscriber): () => void {
    if (this.#closed) return () => undefined;
    this.#connect();
    const socket = this.#socket; // undefined until socket.io-client has loaded; `connect` joins then
    let set = this.#listeners.get(object);
    const first = !set;
    set ??= new Set();
    this.#listeners.set(object, set);
    set.add(subscriber);
    if (first && socket?.connected) this.#join(socket, object);
    else if (socket?.connected) subscriber.onLive?.(true);
    return () => {
      if (!set.delete(subscriber) || set.size > 0) return;
      this.#listeners.delete(object);
      if (this.#socket?.connected) this.#socket.emit('unsubscribe', { object });
    };
  }

  /**
   * Listens for the server refusing the connection's credential (the session moved to another
   * workspace, or ended); the returned function stops listening.
   */
  onAuthError(listener: (error: RealtimeAuthError) => void): () => void {
    this.#authListeners.add(listener);
    return () => this.#authListeners.delete(listener);
  }

  /** Closes the socket (sign-out, workspace switch). */
  close(): void {
    this.#closed = true;
    this.#listeners.clear();
    this.#authListeners.clear();
    this.#socket?.close();
  }
}
