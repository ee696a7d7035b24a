import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { apiKeyRoutes } from './api-keys.js';
import { directoryRoutes } from './directory.js';
import { inviteRoutes } from './invites.js';
import { memberRoutes } from './members.js';

/** The workspace administration module: members, invites, API keys and the member directory under `/api/workspace`. */
export async function workspaceRoutes(app: FastifyInstance, options: ModuleOptions): Promise<void> {
  await app.register(memberRoutes, options);
  await app.register(inviteRoutes, options);
  await app.register(apiKeyRoutes, options);
  await app.register(directoryRoutes, options);
}
