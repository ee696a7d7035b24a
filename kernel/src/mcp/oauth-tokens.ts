import type { KernelServices } from '../app/services.js';
import type { AuthContext } from '../auth/index.js';
import { authContextFor, verifyAccessToken } from '../oauth/index.js';
import { MCP_SCOPES } from './scopes.js';

/** A verified OAuth access token: the member it speaks for and what it allows. */
export interface VerifiedToken {
  /** The member with their whole role (the caller narrows it to `scopes`). */
  readonly auth: AuthContext;
  readonly scopes: readonly string[];
  readonly clientId: string;
}

/**
 * Verifies an OAuth access token issued for exactly `resource` (its `aud`), and loads the member it
 * speaks for as they are now. `authContextFor` narrows the role to the scopes it is given; it is given
 * every scope here so that the role's own reach is known too (the data-model tools describe what the
 * role reads), and the caller narrows to the token's scopes itself.
 *
 * @throws MosaicError `MOSAIC_ERR_OAUTH_TOKEN_INVALID` for a bad signature, another audience, an
 * expired or revoked token, or a member no longer in the workspace.
 */
export async function verifyOAuthToken(services: KernelServices, token: string, resource: string): Promise<VerifiedToken> {
  const principal = await verifyAccessToken(services, token, resource);
  const auth = await authContextFor(services, { ...principal, scopes: [...MCP_SCOPES] });
  return { auth, scopes: principal.scopes, clientId: principal.clientId };
}
