/**
 * The OAuth 2.1 authorization server: metadata (RFC 8414), authorization code with PKCE, consent,
 * refresh-token rotation, revocation (RFC 7009), dynamic registration (RFC 7591), client metadata
 * documents, and signed JWT access tokens with a published, rotatable key set (rotated by the operator's
 * `npm run oauth:rotate-key`, rotate-key-cli.ts). Protected resources (`/mcp`) verify tokens through
 * {@link verifyAccessToken} and build the caller (`via: 'oauth'`) with {@link authContextFor}. Members see
 * and revoke the applications they authorized through the connected-apps routes (connected-apps.ts).
 */
export { requestOrigin } from './origin.js';
export { verifyAccessToken, type OAuthPrincipal } from './access-token.js';
export { authContextFor } from './auth-context.js';
export { OAUTH_SCOPES } from './scopes.js';
export { rotateSigningKey, type Rotation } from './keys.js';
export { oauthRoutes } from './routes.js';
