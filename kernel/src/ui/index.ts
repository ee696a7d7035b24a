/** The UI shell module: serves the built single-page app and its hashed assets. */
export { uiRoutes, CONTENT_SECURITY_POLICY } from './routes.js';
