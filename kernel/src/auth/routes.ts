import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { ModuleOptions } from '../app/services.js';
import { acceptInviteRoute } from './accept-invite.js';
import { sessionRoutes } from './session-routes.js';
import { signInRoute } from './sign-in.js';
import { signUpRoute } from './sign-up.js';

/**
 * The `/api/auth` module. Rate limiting is scoped to this module and applies only to routes that set
 * `config.rateLimit` (the ones that check a password or create an account), each with its own budget
 * per client address; `request.ip` honours TRUST_PROXY.
 */
export async function authRoutes(app: FastifyInstance, options: ModuleOptions): Promise<void> {
  await app.register(rateLimit, { global: false });
  await app.register(signUpRoute, options);
  await app.register(signInRoute, options);
  await app.register(sessionRoutes, options);
  await app.register(acceptInviteRoute, options);
}
