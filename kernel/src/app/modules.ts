import type { FastifyInstance } from 'fastify';
import { healthRoutes } from '../health/routes.js';
import type { KernelServices } from './services.js';

/**
 * Registers every kernel module. Each module is an encapsulated fastify plugin that receives the
 * services it needs as options; the order here is the order hooks apply in.
 */
export async function registerModules(app: FastifyInstance, services: KernelServices): Promise<void> {
  await app.register(healthRoutes, { services });
}
