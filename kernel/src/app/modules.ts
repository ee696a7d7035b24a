import type { FastifyInstance } from 'fastify';
import { authPlugin, authRoutes } from '../auth/index.js';
import { eventRoutes } from '../events/routes.js';
import { healthRoutes } from '../health/routes.js';
import { importRoutes } from '../imports/index.js';
import { marketplaceModule } from '../marketplace/index.js';
import { mcpRoutes } from '../mcp/index.js';
import { metadataRoutes } from '../metadata/routes.js';
import { oauthRoutes } from '../oauth/index.js';
import { openapiRoutes } from '../openapi/index.js';
import { pluginRoutes } from '../plugins/routes.js';
import { realtimePlugin } from '../realtime/index.js';
import { recordRoutes } from '../records/routes.js';
import { roleRoutes } from '../roles/routes.js';
import { searchRoutes } from '../search/routes.js';
import { timelineRoutes } from '../timeline/routes.js';
import { uiRoutes } from '../ui/index.js';
import { viewRoutes } from '../views/routes.js';
import { webhookRoutes } from '../webhooks/routes.js';
import { workspaceRoutes } from '../workspaces/routes.js';
import type { KernelServices } from './services.js';

/**
 * Registers every kernel module. Each module is an encapsulated fastify plugin that receives the
 * services it needs as options; the order here is the order hooks apply in.
 */
export async function registerModules(app: FastifyInstance, services: KernelServices): Promise<void> {
  await app.register(healthRoutes, { services });
  await app.register(authPlugin, { services });
  await app.register(authRoutes, { services });
  await app.register(workspaceRoutes, { services });
  await app.register(roleRoutes, { services });
  await app.register(metadataRoutes, { services });
  await app.register(recordRoutes, { services });
  await app.register(importRoutes, { services });
  await app.register(viewRoutes, { services });
  await app.register(searchRoutes, { services });
  await app.register(timelineRoutes, { services });
  await app.register(eventRoutes, { services });
  await app.register(openapiRoutes, { services });
  await app.register(webhookRoutes, { services });
  await app.register(realtimePlugin, { services });
  await app.register(pluginRoutes, { services });
  await app.register(marketplaceModule, { services });
  await app.register(mcpRoutes, { services });
  await app.register(oauthRoutes, { services });
  await app.register(uiRoutes, { services });
}
