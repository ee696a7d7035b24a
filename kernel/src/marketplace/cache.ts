import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Knex } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import { MANIFEST_FILE } from '@mosaic/plugin-sdk';
import { PLUGIN_API_VERSION } from '../plugins/dependencies.js';
import { readPackage, writePackage, type VerifiedPackage } from './package/index.js';
import { findPackages } from './package-store.js';
import { sha256Hex } from './digest.js';

const exists = (path: string): Promise<boolean> => stat(path).then(() => true, () => false);

/**
 * This process's folder of extracted marketplace packages. A package goes to
 * `<root>/<id>-<version>-<sha256 prefix>`: the name is derived from the archive's content, so every
 * process (with the same data folder setting) computes the same path, and the installation row's folder
 * is valid wherever the package is extracted. Extraction writes aside and renames, so a half-written
 * folder is never loaded.
 */
export class PackageCache {
  readonly root: string;
  readonly #log: FastifyBaseLogger;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(root: string, log: FastifyBaseLogger) {
    this.root = root;
    this.#log = log;
  }

  /** Where a package's files live. */
  folderFor(pluginId: string, version: string, sha256: string): string {
    return join(this.root, `${pluginId}-${version}-${sha256.slice(0, 32)}`);
  }

  /** Extracts a verified package unless it already is; returns its folder. */
  async materialize(pkg: VerifiedPackage): Promise<string> {
    const folder = this.folderFor(pkg.manifest.id, pkg.manifest.version, pkg.sha256);
    if (await exists(join(folder, MANIFEST_FILE))) return folder;
    await mkdir(this.root, { recursive: true, mode: 0o700 });
    const aside = `${folder}.tmp-${randomBytes(6).toString('hex')}`;
    try {
      await writePackage(pkg, aside);
      await rename(aside, folder);
    } catch (error) {
      await rm(aside, { recursive: true, force: true });
      // Another process (or call) extracted the same content first: that copy is as good as ours.
      if (!(await exists(join(folder, MANIFEST_FILE)))) throw error;
    }
    return folder;
  }

  /**
   * Makes sure every folder of this cache that installations (or pending upgrades) name exists here,
   * extracting missing ones from the packages stored in the database — verified again with the key that
   * signed them. `workspaceId` `*` checks every workspace. Calls are queued, never run side by side.
   */
  sync(knex: Knex, workspaceId: string): Promise<void> {
    const run = this.#queue.then(() => this.#sync(knex, workspaceId));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #sync(knex: Knex, workspaceId: string): Promise<void> {
    const query = knex('plugin_installation').select('plugin_id', 'version', 'folder', 'pending');
    if (workspaceId !== '*') query.where({ workspace_id: workspaceId });
    const rows = (await query) as { plugin_id: string; version: string; folder: string; pending: { version: string; folder: string } | null }[];
    const wanted = new Map<string, { pluginId: string; version: string }>();
    for (const row of rows) {
      wanted.set(row.folder, { pluginId: row.plugin_id, version: row.version });
      if (row.pending) wanted.set(row.pending.folder, { pluginId: row.plugin_id, version: row.pending.version });
    }
    for (const [folder, { pluginId, version }] of wanted) {
      if (dirname(folder) !== this.root || (await exists(join(folder, MANIFEST_FILE)))) continue;
      try {
        await this.#restore(knex, folder, pluginId, version);
      } catch (err) {
        this.#log.error({ err, pluginId, version, folder }, 'could not extract a stored plugin package');
      }
    }
  }

  async #restore(knex: Knex, folder: string, pluginId: string, version: string): Promise<void> {
    const stored = (await findPackages(knex, pluginId, version)).find((p) => basename(this.folderFor(pluginId, version, p.sha256)) === basename(folder));
    if (!stored) return;
    if (sha256Hex(stored.bytes) !== stored.sha256) throw new Error(`the stored archive of ${pluginId} ${version} does not match its checksum`);
    const pkg = await readPackage(stored.bytes, {
      trustedKeys: stored.signer ? [stored.signer] : [],
      allowUnsigned: stored.signer === null,
      // Checked again: a kernel whose plugin API moved past the package's range must not run it.
      kernelVersion: PLUGIN_API_VERSION,
    });
    await this.materialize(pkg);
    this.#log.info({ pluginId, version, folder }, 'extracted a plugin package installed by another process');
  }
}
