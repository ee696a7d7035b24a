/** The OpenAPI document: `GET /api/openapi.json`, generated per workspace and role from metadata. */
export { openapiRoutes } from './routes.js';
export { buildDocument, cachedDocument, type CachedDocument } from './document.js';
