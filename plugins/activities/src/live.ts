import type { MosaicViewElement, ViewChange } from '@mosaic/plugin-sdk/views';
import type { ReactiveController } from 'lit';

/** How long a burst of changes (an import of tasks, say) is gathered before the view reloads once. */
const BURST_MS = 50;

/**
 * Keeps a view watching `objects` (`api.watch`) while it is connected and has a context, and calls
 * `reload` — once per burst — for the changes `concerns` accepts. Sets `data-live` on the element once
 * the kernel confirmed every watch, so changes made elsewhere now show; a view moved out of the page stops
 * watching and starts again when it comes back.
 */
export class LiveReload implements ReactiveController {
  readonly #host: MosaicViewElement;
  readonly #objects: readonly string[];
  readonly #concerns: (change: ViewChange) => boolean;
  readonly #reload: () => void;
  #watching: Promise<(() => void)[]> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: MosaicViewElement, objects: readonly string[], concerns: (change: ViewChange) => boolean, reload: () => void) {
    this.#host = host;
    this.#objects = objects;
    this.#concerns = concerns;
    this.#reload = reload;
    host.addController(this);
  }

  hostConnected(): void {
    this.#start();
  }

  /** The context arrives after the element is connected: start then. */
  hostUpdate(): void {
    this.#start();
  }

  hostDisconnected(): void {
    void this.#watching?.then((stops) => stops.forEach((stop) => stop()));
    this.#watching = undefined;
    this.#host.removeAttribute('data-live');
    clearTimeout(this.#timer);
  }

  #start(): void {
    const api = this.#host.context?.api;
    if (!api || !this.#host.isConnected || this.#watching) return;
    const onChange = (change: ViewChange) => {
      if (!this.#concerns(change)) return;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(this.#reload, BURST_MS);
    };
    this.#watching = Promise.all(this.#objects.map((object) => api.watch(object, onChange))).then(
      (stops) => {
        this.#host.toggleAttribute('data-live', true);
        return stops;
      },
      () => [],
    );
  }
}
