import { randomUUID } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify, SignJWT } from 'jose';
import type { KernelServices } from '../app/services.js';
import { MosaicError } from '../errors/index.js';
import { SIGNING_ALG, signingKey, verificationKey } from './keys.js';

/** The media type of access tokens (RFC 9068): a token of another kind signed by the same key is refused. */
const TOKEN_TYPE = 'at+jwt';

/** A verified access token. */
export interface OAuthPrincipal {
  workspaceId: string;
  userId: string;
  memberId?: string;
  clientId: string;
  scopes: string[];
  audience: string;
}

/** What an access token is issued for. */
export interface AccessTokenGrant {
  readonly issuer: string;
  readonly grantId: string;
  readonly workspaceId: string;
  readonly userId: string;
  readonly memberId: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly resource: string;
}

/**
 * Signs an access token: `iss`, `sub` (the user), `aud` (the resource), `scope`, `client_id`, `jti`, the
 * workspace and member, and `grant_id` — the refresh-token family, so revoking the grant ends its access
 * tokens too. `issuedAt` (seconds) exists for tests of expiry; callers leave it out.
 */
export async function issueAccessToken(services: KernelServices, grant: AccessTokenGrant, issuedAt?: number): Promise<{ token: string; expiresIn: number }> {
  const { kid, key } = await signingKey(services);
  const ttl = services.config.oauthAccessTokenTtlSeconds;
  const iat = issuedAt ?? Math.floor(Date.now() / 1000);
  const token = await new SignJWT({
    scope: grant.scopes.join(' '),
    client_id: grant.clientId,
    workspace_id: grant.workspaceId,
    member_id: grant.memberId,
    grant_id: grant.grantId,
  })
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: TOKEN_TYPE })
    .setIssuer(grant.issuer)
    .setSubject(grant.userId)
    .setAudience(grant.resource)
    .setJti(randomUUID())
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .sign(key);
  return { token, expiresIn: ttl };
}

const invalid = (why: string) => new MosaicError('MOSAIC_ERR_OAUTH_TOKEN_INVALID', `The access token is not valid here: ${why}.`);

/** The claims of a token whose signature checked out, before the audience and revocation checks. */
export interface VerifiedClaims {
  readonly jti: string;
  readonly exp: number;
  readonly aud: string;
  readonly sub: string;
  readonly scope: string;
  readonly client_id: string;
  readonly workspace_id: string;
  readonly member_id: string;
  readonly grant_id: string;
}

/**
 * Checks a token's signature (a key this kernel published and still accepts) and shape. With
 * `ignoreExpiry`, an expired token passes too: revocation accepts those.
 */
export async function verifySignature(services: KernelServices, token: string, ignoreExpiry = false): Promise<VerifiedClaims> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw invalid('it is not a JWT');
  }
  if (!kid) throw invalid('it names no signing key');
  const key = await verificationKey(services, kid);
  if (!key) throw invalid('it was signed by a key this server does not know or no longer accepts');
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key, {
      algorithms: [SIGNING_ALG],
      typ: TOKEN_TYPE,
      requiredClaims: ['exp', 'jti', 'sub', 'aud'],
      ...(ignoreExpiry ? { currentDate: new Date(0) } : {}),
    }));
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw invalid('it has expired');
    throw invalid('its signature or claims do not check out');
  }
  const strings = ['jti', 'sub', 'aud', 'scope', 'client_id', 'workspace_id', 'member_id', 'grant_id'] as const;
  for (const name of strings) if (typeof payload[name] !== 'string') throw invalid(`its ${name} claim is missing`);
  return payload as unknown as VerifiedClaims;
}

/**
 * Verifies a JWT access token for `resource`: signature, expiry, an audience exactly equal to `resource`
 * (an array or a prefix never passes), and neither the token (by `jti`) nor its grant revoked. Throws
 * `MOSAIC_ERR_OAUTH_TOKEN_INVALID` (401) otherwise. The member's role is not checked here: build the
 * caller with `authContextFor`, which reads the role as it is now.
 */
export async function verifyAccessToken(services: KernelServices, token: string, resource: string): Promise<OAuthPrincipal> {
  const claims = await verifySignature(services, token);
  if (claims.aud !== resource) throw invalid(`it was issued for ${claims.aud}, not ${resource}`);
  const { knex } = services.db;
  const row = (await knex('oauth_grant')
    .where({ id: claims.grant_id })
    .first('revoked_at', knex.raw('exists(select 1 from oauth_revoked_token where jti = ?) as jti_revoked', [claims.jti]))) as
    | { revoked_at: string | null; jti_revoked: boolean }
    | undefined;
  if (!row || row.revoked_at !== null || row.jti_revoked) throw invalid('it has been revoked');
  return {
    workspaceId: claims.workspace_id,
    userId: claims.sub,
    memberId: claims.member_id,
    clientId: claims.client_id,
    scopes: claims.scope.split(' ').filter(Boolean),
    audience: claims.aud,
  };
}
