/** Authentication: the request hook, the `/api/auth` routes, and helpers for routes that need a caller. */
export type { Actor, AuthContext } from './context.js';
export type { Authenticator } from './authenticator.js';
export type { Credential } from './credential-cache.js';
export { presentedToken, type PresentedToken } from './headers.js';
export { authPlugin } from './plugin.js';
export { requireAuth, requireSession } from './require-auth.js';
export { authRoutes } from './routes.js';
export { SESSION_COOKIE } from './cookie.js';
