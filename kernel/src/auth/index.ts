/** Authentication: the request hook, the `/api/auth` routes, and helpers for routes that need a caller. */
export type { Actor, AuthContext } from './context.js';
export { authPlugin } from './plugin.js';
export { requireAuth, requireSession } from './require-auth.js';
export { authRoutes } from './routes.js';
export { SESSION_COOKIE } from './cookie.js';
