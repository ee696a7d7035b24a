import { createHash } from 'node:crypto';
import type { Knex } from '@mikro-orm/postgresql';
import type { KernelServices } from '../app/services.js';
import { hashToken, randomToken, safeEqual } from '../auth/tokens.js';
import { MosaicError } from '../errors/index.js';
import { insertEvents } from '../events/outbox.js';

/** An authorization code is exchanged within seconds; five minutes leaves room for a slow client. */
const CODE_TTL_MS = 5 * 60_000;

/** One consent turned into tokens: the refresh-token family. */
export interface Grant {
  readonly id: string;
  readonly workspaceId: string;
  readonly memberId: string;
  readonly userId: string;
  readonly clientId: string;
  readonly scopes: string[];
  readonly resource: string;
}

/** What the member agreed to on the consent page, bound to the code that carries it. */
export interface CodeRequest {
  readonly clientId: string;
  readonly workspaceId: string;
  readonly memberId: string;
  readonly userId: string;
  readonly redirectUri: string;
  readonly codeChallenge: string;
  readonly scopes: readonly string[];
  readonly resource: string;
}

const invalidGrant = (message: string) => new MosaicError('MOSAIC_ERR_OAUTH_GRANT_INVALID', message);

/** A resource named at the token endpoint must be the one consented to (RFC 8707 §2.2): a grant never changes audience. */
function sameResource(granted: string, asked: string | undefined): void {
  if (asked !== undefined && asked !== granted) {
    throw new MosaicError('MOSAIC_ERR_OAUTH_TARGET_INVALID', `This grant is for ${granted}; a token for another resource needs another authorization.`);
  }
}

/** The S256 PKCE transform (RFC 7636 §4.2). */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Stores a new authorization code (hashed) and returns it. */
export async function createCode(services: KernelServices, request: CodeRequest): Promise<string> {
  const code = randomToken();
  const { knex } = services.db;
  // Housekeeping where codes are made, so the tables stay small without a job: expired codes (reuse
  // detection only matters while a code could still be exchanged) and spent or expired refresh tokens
  // of revoked or lapsed grants.
  await knex('oauth_code').where('expires_at', '<', knex.fn.now()).delete();
  await knex('oauth_refresh_token').where('expires_at', '<', knex.fn.now()).delete();
  await knex('oauth_code').insert({
    code_hash: hashToken(code),
    client_id: request.clientId,
    workspace_id: request.workspaceId,
    member_id: request.memberId,
    user_id: request.userId,
    redirect_uri: request.redirectUri,
    code_challenge: request.codeChallenge,
    scopes: [...request.scopes],
    resource: request.resource,
    expires_at: new Date(Date.now() + CODE_TTL_MS),
  });
  return code;
}

async function newRefreshToken(trx: Knex, services: KernelServices, grantId: string): Promise<string> {
  const token = randomToken();
  const days = services.config.oauthRefreshTokenTtlDays;
  await trx('oauth_refresh_token').insert({ token_hash: hashToken(token), grant_id: grantId, expires_at: new Date(Date.now() + days * 86_400_000) });
  return token;
}

async function revokeGrant(knex: Knex, grantId: string): Promise<void> {
  await knex('oauth_grant').where({ id: grantId }).whereNull('revoked_at').update({ revoked_at: knex.fn.now() });
}

/**
 * Exchanges an authorization code: single use (the first exchange marks it, a second one revokes every
 * token the first produced, RFC 6749 §4.1.2), unexpired, issued to this client for this redirect URI,
 * and the PKCE verifier must hash to the stored challenge. Returns the new grant and its refresh token,
 * and records an `oauth_app.authorized` event in the workspace.
 */
export async function redeemCode(
  services: KernelServices,
  input: { code: string; clientId: string; redirectUri: string | undefined; codeVerifier: string | undefined; resource: string | undefined },
): Promise<{ grant: Grant; refreshToken: string }> {
  const { knex } = services.db;
  const hash = hashToken(input.code);
  let reusedGrant: string | null | undefined;
  const result = await knex.transaction(async (trx) => {
    const [row] = (await trx('oauth_code').where({ code_hash: hash }).whereNull('used_at').update({ used_at: trx.fn.now() }).returning('*')) as {
      client_id: string; workspace_id: string; member_id: string; user_id: string; redirect_uri: string; code_challenge: string; scopes: string[]; resource: string; expires_at: Date;
    }[];
    if (!row) {
      const used = (await trx('oauth_code').where({ code_hash: hash }).first('grant_id')) as { grant_id: string | null } | undefined;
      reusedGrant = used ? used.grant_id : undefined;
      return undefined;
    }
    if (new Date(row.expires_at).getTime() <= Date.now()) throw invalidGrant('The authorization code has expired; start the authorization again.');
    if (row.client_id !== input.clientId) throw invalidGrant('The authorization code was issued to another client.');
    if (input.redirectUri !== row.redirect_uri) throw invalidGrant('redirect_uri must be the same as in the authorization request.');
    if (!input.codeVerifier || !/^[A-Za-z0-9\-._~]{43,128}$/.test(input.codeVerifier)) {
      throw new MosaicError('MOSAIC_ERR_OAUTH_REQUEST_INVALID', 'code_verifier is missing or malformed (43 to 128 characters of A-Z a-z 0-9 - . _ ~).');
    }
    if (!safeEqual(s256(input.codeVerifier), row.code_challenge)) throw invalidGrant('The code_verifier does not match the code_challenge of the authorization request.');
    sameResource(row.resource, input.resource);
    const [grant] = (await trx('oauth_grant')
      .insert({ workspace_id: row.workspace_id, member_id: row.member_id, user_id: row.user_id, client_id: row.client_id, scopes: row.scopes, resource: row.resource })
      .returning('id')) as { id: string }[];
    await trx('oauth_code').where({ code_hash: hash }).update({ grant_id: grant!.id });
    // The workspace's record of who connected what (as `oauth_app.revoked` records the end of it).
    const user = (await trx('app_user').where({ id: row.user_id }).first('name')) as { name: string };
    await insertEvents(trx, [
      {
        workspaceId: row.workspace_id,
        type: 'oauth_app.authorized',
        actor: { type: 'member', id: row.member_id, name: user.name },
        payload: { client_id: row.client_id, member_id: row.member_id, scopes: row.scopes, resource: row.resource },
      },
    ]);
    const refreshToken = await newRefreshToken(trx, services, grant!.id);
    return {
      grant: { id: grant!.id, workspaceId: row.workspace_id, memberId: row.member_id, userId: row.user_id, clientId: row.client_id, scopes: row.scopes, resource: row.resource },
      refreshToken,
    };
  });
  if (result) return result;
  // A second use of a code means it leaked: whatever the first use obtained is revoked.
  if (reusedGrant) await revokeGrant(knex, reusedGrant);
  throw invalidGrant(reusedGrant === undefined ? 'The authorization code is unknown.' : 'The authorization code was already used; the tokens it gave were revoked.');
}

/**
 * Rotates a refresh token: the presented token is spent and a new one issued in the same grant. A token
 * presented a second time means it was copied: the whole grant (every refresh and access token of the
 * family) is revoked (OAuth 2.1 §4.3.1). `scopes` may narrow the grant's scopes for the new access token.
 */
export async function rotateRefreshToken(
  services: KernelServices,
  input: { refreshToken: string; clientId: string; scopes: readonly string[] | undefined; resource: string | undefined },
): Promise<{ grant: Grant; refreshToken: string }> {
  const { knex } = services.db;
  let reusedGrant: string | undefined;
  const result = await knex.transaction(async (trx) => {
    const row = (await trx('oauth_refresh_token as t')
      .join('oauth_grant as g', 'g.id', 't.grant_id')
      .where('t.token_hash', hashToken(input.refreshToken))
      .forUpdate()
      .first('t.used_at', 't.expires_at', 'g.*')) as
      | { used_at: Date | null; expires_at: Date; id: string; workspace_id: string; member_id: string; user_id: string; client_id: string; scopes: string[]; resource: string; revoked_at: Date | null }
      | undefined;
    if (!row) throw invalidGrant('The refresh token is unknown.');
    if (row.client_id !== input.clientId) throw invalidGrant('The refresh token was issued to another client.');
    if (row.used_at !== null) {
      reusedGrant = row.id;
      return undefined;
    }
    if (row.revoked_at !== null) throw invalidGrant('The refresh token has been revoked.');
    if (new Date(row.expires_at).getTime() <= Date.now()) throw invalidGrant('The refresh token has expired; authorize again.');
    sameResource(row.resource, input.resource);
    const extra = (input.scopes ?? []).filter((s) => !row.scopes.includes(s));
    if (extra.length > 0) throw new MosaicError('MOSAIC_ERR_OAUTH_SCOPE_INVALID', `The grant does not include ${extra.join(', ')}; authorize again to ask for more.`);
    await trx('oauth_refresh_token').where({ token_hash: hashToken(input.refreshToken) }).update({ used_at: trx.fn.now() });
    const refreshToken = await newRefreshToken(trx, services, row.id);
    const scopes = input.scopes && input.scopes.length > 0 ? row.scopes.filter((s) => input.scopes!.includes(s)) : row.scopes;
    return {
      grant: { id: row.id, workspaceId: row.workspace_id, memberId: row.member_id, userId: row.user_id, clientId: row.client_id, scopes, resource: row.resource },
      refreshToken,
    };
  });
  if (result) return result;
  await revokeGrant(knex, reusedGrant!);
  throw invalidGrant('The refresh token was already used; every token of this authorization has been revoked. Authorize again.');
}

/** Revokes the grant of a refresh token, if the token exists and belongs to the client (RFC 7009 §2.1). */
export async function revokeRefreshToken(services: KernelServices, token: string, clientId: string): Promise<boolean> {
  const { knex } = services.db;
  const row = (await knex('oauth_refresh_token as t')
    .join('oauth_grant as g', 'g.id', 't.grant_id')
    .where('t.token_hash', hashToken(token))
    .first('g.id', 'g.client_id')) as { id: string; client_id: string } | undefined;
  if (!row || row.client_id !== clientId) return false;
  await revokeGrant(knex, row.id);
  return true;
}
