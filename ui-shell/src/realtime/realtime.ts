import { io, type Socket } from 'socket.io-client';
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
  readonly #listeners = new Map<string, Set<RecordSubscriber>>();
  readonly #onMetadata: () => void;
  #closed = false;

  constructor(onMetadata: () => void) {
    this.#onMetadata = onMetadata;
  }

  #connect(): Socket {
    if (this.#socket) return this.#socket;
    // WebSocket only: long-polling would need sticky sessions behind a load balancer.
    const socket = io({ path: '/socket.io', transports: ['websocket'], withCredentials: true });
    let connectedBefore = false;
    socket.on('connect', () => {
      for (const [object, set] of this.#listeners) {
        this.#join(socket, object);
        if (connectedBefore) for (const s of set) s.onEvent({ type: 'resync', object, record_id: '', payload: {} });
      }
      connectedBefore = true;
    });
    socket.on('disconnect', () => {
      for (const set of this.#listeners.values()) for (const s of set) s.onLive?.(false);
    });
    socket.on('record', (event: RecordEvent) => {
      for (const s of this.#listeners.get(event.object) ?? []) s.onEvent(event);
    });
    socket.on('metadata', () => this.#onMetadata());
    this.#socket = socket;
    return socket;
  }

  #join(socket: Socket, object: string): void {
    socket.emit('subscribe', { object }, (reply: { ok?: boolean }) => {
      for (const s of this.#listeners.get(object) ?? []) s.onLive?.(reply.ok === true);
    });
  }

  /** Listens to the record events of `object`; the returned function stops listening. */
  subscribe(object: string, subscriber: RecordSubscriber): () => void {
    if (this.#closed) return () => undefined;
    const socket = this.#connect();
    let set = this.#listeners.get(object);
    const first = !set;
    set ??= new Set();
    this.#listeners.set(object, set);
    set.add(subscriber);
    if (first && socket.connected) this.#join(socket, object);
    else if (socket.connected) subscriber.onLive?.(true);
    return () => {
      if (!set.delete(subscriber) || set.size > 0) return;
      this.#listeners.delete(object);
      if (socket.connected) socket.emit('unsubscribe', { object });
    };
  }

  /** Closes the socket (sign-out, workspace switch). */
  close(): void {
    this.#closed = true;
    this.#listeners.clear();
    this.#socket?.close();
  }
}
