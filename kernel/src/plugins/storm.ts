/**
 * Counts, per plugin and workspace, the event handler runs that plugins caused (handler chains), in
 * one-minute windows. Past the limit (`PLUGIN_EVENT_STORM_LIMIT`) the breaker trips once; the runtime then pauses
 * those deliveries until an administrator resets the plugin. Counted per process: with several
 * processes the limit applies to each, which still stops a storm within a minute.
 */
export class StormBreaker {
  /** Chained handler runs per plugin and workspace per minute before the plugin is paused. */
  readonly limit: number;
  readonly #windows = new Map<string, { start: number; count: number; tripped: boolean }>();

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Counts one chained run; true exactly once, when the count passes the limit in the current window. */
  trip(workspaceId: string, pluginId: string, now = Date.now()): boolean {
    const key = `${workspaceId}:${pluginId}`;
    let window = this.#windows.get(key);
    if (!window || now - window.start >= 60_000) {
      window = { start: now, count: 0, tripped: false };
      this.#windows.set(key, window);
    }
    window.count++;
    if (window.count <= this.limit || window.tripped) return false;
    window.tripped = true;
    return true;
  }

  /** Forgets a plugin's count (after an administrator's reset). */
  reset(workspaceId: string, pluginId: string): void {
    this.#windows.delete(`${workspaceId}:${pluginId}`);
  }
}
