import type { Knex } from '@mikro-orm/postgresql';
import type { RolePermissions } from '../db/entities/index.js';
import type { Invalidation } from '../invalidation/index.js';
import { Access } from '../roles/index.js';

/** One role of a workspace, as the deliverer filters with it. */
export interface RoleInfo {
  readonly access: Access;
  /** When the role was created, on this process's clock (epoch ms). */
  readonly createdAt: number;
}

/** The roles of one workspace by key. */
export type WorkspaceRoles = ReadonlyMap<string, RoleInfo>;

/**
 * A role list older than this is reloaded. Role edits and deletions are announced (`roles`), and so are
 * new members (`members`), but creating a role is not; this bounds how long a process may go without
 * knowing a new role even if nothing else tells it (see `RealtimeConnections` for what does).
 */
export const ROLES_TTL_MS = 30_000;
const MAX_WORKSPACES = 10_000;

interface Entry {
  readonly roles: Promise<WorkspaceRoles>;
  readonly loadedAt: number;
}

/**
 * Per-process cache of each workspace's roles, so the deliverer filters an event for every role without
 * a query per event. Dropped on `roles` and `members` invalidations (any process's), on a peer's word
 * that a role is new, and after {@link ROLES_TTL_MS}.
 */
export class RoleCache {
  readonly #knex: Knex;
  readonly #entries = new Map<string, Entry>();

  constructor(knex: Knex, invalidation: Invalidation) {
    this.#knex = knex;
    invalidation.on('roles', (workspaceId) => this.evict(workspaceId));
    invalidation.on('members', (workspaceId) => this.evict(workspaceId));
  }

  /** The roles of a workspace, loading them if they are not cached or too old. */
  get(workspaceId: string): Promise<WorkspaceRoles> {
    const cached = this.#entries.get(workspaceId);
    if (cached && Date.now() - cached.loadedAt <= ROLES_TTL_MS) return cached.roles;
    const entry: Entry = { roles: this.#load(workspaceId), loadedAt: Date.now() };
    this.#entries.delete(workspaceId);
    if (this.#entries.size >= MAX_WORKSPACES) this.#entries.delete(this.#entries.keys().next().value as string);
    this.#entries.set(workspaceId, entry);
    // A failed load must not stay cached; an eviction in the meantime already replaced or removed it.
    entry.roles.catch(() => {
      if (this.#entries.get(workspaceId) === entry) this.#entries.delete(workspaceId);
    });
    return entry.roles;
  }

  /** Drops a workspace's roles (`*`: every workspace's). */
  evict(workspaceId: string): void {
    if (workspaceId === '*') this.#entries.clear();
    else this.#entries.delete(workspaceId);
  }

  async #load(workspaceId: string): Promise<WorkspaceRoles> {
    // The age is computed by PostgreSQL so that clock skew between hosts cannot make a new role look old.
    const rows = (await this.#knex('role')
      .where({ workspace_id: workspaceId })
      .select('key', 'permissions', this.#knex.raw('(extract(epoch from now() - created_at) * 1000)::float8 as age_ms'))) as {
      key: string;
      permissions: RolePermissions;
      age_ms: number;
    }[];
    const now = Date.now();
    return new Map(rows.map((r) => [r.key, { access: new Access(r.key, r.permissions), createdAt: now - Number(r.age_ms) }]));
  }
}
