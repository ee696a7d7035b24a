import type { FastifyBaseLogger } from 'fastify';
import { MosaicError } from '../errors/index.js';
import { PluginSandbox, type SandboxStatus } from '../sandbox/index.js';
import { loadPlugin } from './loader.js';

/** What a sandbox is started from: an installation's plugin, revision and folder. */
export interface SandboxSource {
  readonly pluginId: string;
  readonly revision: string;
  readonly folder: string;
}

interface Entry {
  readonly revision: string;
  readonly sandbox: Promise<PluginSandbox>;
  /** Set once started, so status can be read without waiting. */
  started: PluginSandbox | null;
}

/**
 * This process's plugin sandboxes: one per plugin revision, started on first use from the folder and
 * shared by every workspace running that revision (each workspace gets its own context inside).
 */
export class SandboxPool {
  readonly #log: FastifyBaseLogger;
  readonly #entries = new Map<string, Entry>();

  readonly #onDegraded: (source: SandboxSource, error: { code: string; message: string }) => void;

  /** `onDegraded` hears of a sandbox this process paused after repeated failures. */
  constructor(log: FastifyBaseLogger, onDegraded: (source: SandboxSource, error: { code: string; message: string }) => void = () => undefined) {
    this.#log = log;
    this.#onDegraded = onDegraded;
  }

  /** The sandbox for a revision of a plugin, started if needed. A failed start is not cached. */
  get(source: SandboxSource): Promise<PluginSandbox> {
    const key = `${source.pluginId}@${source.revision}`;
    const current = this.#entries.get(key);
    if (current) return current.sandbox;
    const sandbox = loadPlugin(source.folder).then((plugin) => {
      if (plugin.revision !== source.revision) {
        throw new MosaicError('MOSAIC_ERR_PLUGIN_CHANGED', `The files of plugin "${source.pluginId}" changed on disk since it was installed; upgrade or reinstall it to run the new files.`);
      }
      if (plugin.script === null) throw new MosaicError('MOSAIC_ERR_PLUGIN_HANDLER_MISSING', `The plugin "${source.pluginId}" has no server code.`);
      return new PluginSandbox({
        pluginId: source.pluginId,
        script: plugin.script,
        log: this.#log,
        onCatastrophicError: (message) => this.#log.fatal({ pluginId: source.pluginId, message }, 'plugin isolate lost control'),
        onDegraded: (error) => this.#onDegraded(source, error),
      });
    });
    const entry: Entry = { revision: source.revision, sandbox, started: null };
    sandbox.then(
      (s) => (entry.started = s),
      () => {
        if (this.#entries.get(key) === entry) this.#entries.delete(key);
      },
    );
    this.#entries.set(key, entry);
    return sandbox;
  }

  /** Health of a revision's sandbox in this process, or null when it has not been started here. */
  status(pluginId: string, revision: string): SandboxStatus | null {
    return this.#entries.get(`${pluginId}@${revision}`)?.started?.status() ?? null;
  }

  /** Clears a degraded sandbox so it takes calls again. */
  reset(pluginId: string, revision: string): void {
    this.#entries.get(`${pluginId}@${revision}`)?.started?.reset();
  }

  /** Stops the sandboxes of a plugin whose revision is no longer wanted (`keep` says which still are). */
  async retire(pluginId: string, keep: (revision: string) => Promise<boolean>): Promise<void> {
    for (const [key, entry] of [...this.#entries]) {
      if (!key.startsWith(`${pluginId}@`) || (await keep(entry.revision))) continue;
      this.#entries.delete(key);
      (await entry.sandbox.catch(() => null))?.dispose();
    }
  }

  /** Stops every sandbox. */
  async close(): Promise<void> {
    const all = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of all) (await entry.sandbox.catch(() => null))?.dispose();
  }
}
