import type { MikroORM } from '@mikro-orm/postgresql';
import { FieldMetadataSchema, ObjectMetadataSchema, WorkspaceSchema } from '../db/entities/index.js';
import { MosaicError } from '../errors/index.js';
import type { Invalidation } from '../invalidation/index.js';
import { buildWorkspaceMetadata, type ObjectDef, type WorkspaceMetadata } from './model.js';

/**
 * The per-process cache of compiled workspace metadata. Entries are dropped when any process announces
 * a metadata change (see `Invalidation`), so every request sees the schema its database has.
 */
export class MetadataStore {
  readonly #orm: MikroORM;
  readonly #cache = new Map<string, Promise<WorkspaceMetadata>>();
  /** Loaded entries, readable without awaiting (the hot path of every records request). */
  readonly #ready = new Map<string, WorkspaceMetadata>();
  /** Bumped on every eviction so a load that started before a change never fills the cache. */
  #generation = 0;

  constructor(orm: MikroORM, invalidation: Invalidation) {
    this.#orm = orm;
    invalidation.on('metadata', (workspaceId) => this.evict(workspaceId));
  }

  /** The compiled metadata of a workspace. */
  get(workspaceId: string): Promise<WorkspaceMetadata> {
    let entry = this.#cache.get(workspaceId);
    if (!entry) {
      const generation = this.#generation;
      entry = this.#load(workspaceId);
      this.#cache.set(workspaceId, entry);
      entry.then(
        (loaded) => {
          if (generation !== this.#generation) this.#cache.delete(workspaceId);
          else this.#ready.set(workspaceId, loaded);
        },
        () => this.#cache.delete(workspaceId),
      );
    }
    return entry;
  }

  /** The loaded metadata of a workspace if it is cached, without waiting. */
  peek(workspaceId: string): WorkspaceMetadata | undefined {
    return this.#ready.get(workspaceId);
  }

  /** One object, or `MOSAIC_ERR_OBJECT_NOT_FOUND`. */
  async object(workspaceId: string, name: string): Promise<ObjectDef> {
    const object = (this.peek(workspaceId) ?? (await this.get(workspaceId))).objects.get(name);
    if (!object) throw new MosaicError('MOSAIC_ERR_OBJECT_NOT_FOUND', `No object named "${name}" in this workspace.`);
    return object;
  }

  /** Drops a workspace's entry (`*` drops all). */
  evict(workspaceId: string): void {
    this.#generation++;
    if (workspaceId === '*') {
      this.#cache.clear();
      this.#ready.clear();
    } else {
      this.#cache.delete(workspaceId);
      this.#ready.delete(workspaceId);
    }
  }

  async #load(workspaceId: string): Promise<WorkspaceMetadata> {
    const em = this.#orm.em.fork();
    const workspace = await em.findOneOrFail(WorkspaceSchema, { id: workspaceId });
    const [objects, fields] = await Promise.all([
      em.find(ObjectMetadataSchema, { workspaceId }),
      em.find(FieldMetadataSchema, { workspaceId }),
    ]);
    return buildWorkspaceMetadata(workspaceId, workspace.schemaName, objects, fields);
  }
}
