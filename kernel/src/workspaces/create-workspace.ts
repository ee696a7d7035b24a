import { randomUUID } from 'node:crypto';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';
import { RoleSchema, WorkspaceSchema, type Role, type Workspace } from '../db/entities/index.js';
import { createWorkspaceSchema } from '../metadata/ddl.js';
import { BUILT_IN_ROLES } from '../roles/index.js';

/** The schema that holds a workspace's record tables. */
export function workspaceSchemaName(workspaceId: string): string {
  return `ws_${workspaceId.replace(/-/g, '').slice(0, 20)}`;
}

/**
 * Creates a workspace, its built-in roles and its PostgreSQL schema. Call inside `em.transactional` so a
 * failure leaves neither rows nor schema behind.
 */
export async function createWorkspace(em: EntityManager, name: string): Promise<{ workspace: Workspace; roles: Map<string, Role> }> {
  const id = randomUUID();
  const workspace = em.create(WorkspaceSchema, { id, name, schemaName: workspaceSchemaName(id), createdAt: new Date() });
  // The entities declare no relations, so MikroORM cannot order inserts by foreign key: the workspace
  // row must be written before the roles that reference it.
  await em.flush();
  const roles = new Map<string, Role>();
  for (const builtIn of BUILT_IN_ROLES) {
    const role = em.create(RoleSchema, {
      id: randomUUID(),
      workspaceId: id,
      key: builtIn.key,
      name: builtIn.name,
      builtIn: true,
      permissions: builtIn.permissions,
      createdAt: new Date(),
    });
    roles.set(builtIn.key, role);
  }
  await em.flush();
  await createWorkspaceSchema(em.getTransactionContext<Knex.Transaction>() ?? em.getKnex(), workspace.schemaName);
  return { workspace, roles };
}
