import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { RecordEvent, Realtime } from './realtime.js';

/**
 * Keeps its host subscribed to one object's record events while connected, following the object the
 * host shows (read on every update). Bursts of events (a bulk import, a plugin's batch) coalesce into
 * one `onChange` a few milliseconds later, which the host answers by reloading what it shows.
 */
export class RecordFeedController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #source: () => { realtime: Realtime; object: string } | undefined;
  readonly #onChange: (events: readonly RecordEvent[]) => void;
  #current: { realtime: Realtime; object: string } | undefined;
  #stop: (() => void) | undefined;
  #pending: RecordEvent[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Whether the server confirmed the subscription: changes made elsewhere now reach the host. */
  live = false;

  constructor(host: ReactiveControllerHost, source: () => { realtime: Realtime; object: string } | undefined, onChange: (events: readonly RecordEvent[]) => void) {
    this.#host = host;
    this.#source = source;
    this.#onChange = onChange;
    host.addController(this);
  }

  hostUpdated(): void {
    const next = this.#source();
    if (next?.realtime === this.#current?.realtime && next?.object === this.#current?.object) return;
    this.#unsubscribe();
    this.#current = next;
    if (next) {
      this.#stop = next.realtime.subscribe(next.object, {
        onEvent: (event) => this.#queue(event),
        onLive: (live) => {
          this.live = live;
          this.#host.requestUpdate();
        },
      });
    }
  }

  hostDisconnected(): void {
    this.#unsubscribe();
    this.#current = undefined;
  }

  #queue(event: RecordEvent): void {
    this.#pending.push(event);
    // A timer rather than an animation frame: a hidden tab still catches up.
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      const events = this.#pending;
      this.#pending = [];
      this.#onChange(events);
    });
  }

  #unsubscribe(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.live = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = [];
  }
}
