import { decodeProtectedHeader } from 'jose';
import t from 'tap';
import { authContextFor, rotateSigningKey, verifyAccessToken } from '../../src/oauth/index.js';
import { issueAccessToken } from '../../src/oauth/access-token.js';
import { publicJwks } from '../../src/oauth/keys.js';
import { parseScopes } from '../../src/oauth/scopes.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

const RESOURCE = 'http://127.0.0.1:1/mcp';

t.test('access tokens: verification, audience, expiry, revocation, key rotation', async (t) => {
  const kernel = await startTestKernel(t);
  const { services, app } = kernel;
  const owner = await signUp(app, { workspace: 'Tokens Inc' });
  const [grant] = (await services.db.knex('oauth_grant')
    .insert({ workspace_id: owner.workspaceId, member_id: owner.memberId, user_id: owner.userId, client_id: 'test-client', scopes: ['records:read'], resource: RESOURCE })
    .returning('id')) as { id: string }[];
  const base = { issuer: 'http://127.0.0.1:1', grantId: grant!.id, workspaceId: owner.workspaceId, userId: owner.userId, memberId: owner.memberId, clientId: 'test-client', scopes: ['records:read'], resource: RESOURCE };

  const { token } = await issueAccessToken(services, base);
  const principal = await verifyAccessToken(services, token, RESOURCE);
  t.same(principal, { workspaceId: owner.workspaceId, userId: owner.userId, memberId: owner.memberId, clientId: 'test-client', scopes: ['records:read'], audience: RESOURCE });

  const auth = await authContextFor(services, principal);
  t.equal(auth.actor.type, 'member');
  t.equal(auth.actor.id, owner.memberId);
  t.ok(auth.access.object('anything', 'read'), 'reads as the owner role allows');
  t.notOk(auth.access.object('company', 'create'), 'records:read alone never creates');
  t.notOk(auth.access.can('metadata'), 'no administration through a token, even for an owner');

  await t.rejects(verifyAccessToken(services, token, 'http://127.0.0.1:1/mcp/'), { code: 'MOSAIC_ERR_OAUTH_TOKEN_INVALID', statusCode: 401 }, 'a different audience is refused');
  await t.rejects(verifyAccessToken(services, token, 'http://127.0.0.1:1'), { code: 'MOSAIC_ERR_OAUTH_TOKEN_INVALID' }, 'the origin is not the resource');
  await t.rejects(verifyAccessToken(services, `${token.slice(0, -4)}AAAA`, RESOURCE), { code: 'MOSAIC_ERR_OAUTH_TOKEN_INVALID' }, 'a tampered signature is refused');
  await t.rejects(verifyAccessToken(services, 'mk_notatoken', RESOURCE), { code: 'MOSAIC_ERR_OAUTH_TOKEN_INVALID' }, 'garbage is refused');

  const longAgo = Math.floor(Date.now() / 1000) - services.config.oauthAccessTokenTtlSeconds - 60;
  const { token: expired } = await issueAccessToken(services, base, longAgo);
  await t.rejects(verifyAccessToken(services, expired, RESOURCE), { code: 'MOSAIC_ERR_OAUTH_TOKEN_INVALID', message: /expired/ }, 'an expired token is refused');

  // Rotation: the old key keeps verifying its tokens, new tokens carry the new key.
  const oldKid = decodeProtectedHeader(token).kid;
  const newKid = (await rotateSigningKey(services)).kid;
  t.not(newKid, oldKid);
  const { token: fresh } = await issueAccessToken(services, base);
  t.equal(decodeProtectedHeader(fresh).kid, newKid, 'new tokens use the new key');
  t.ok(await verifyAccessToken(services, token, RESOURCE), 'a token of the old key still verifies after rotation');
  t.ok(await verifyAccessToken(services, fresh, RESOURCE));
  t.same((await publicJwks(services)).keys.map((k) => k.kid), [newKid, oldKid], 'both keys are published while old tokens may live');
  // Once the old key's tokens have all expired it leaves the key set (its end is moved to the past here).
  await services.db.knex('oauth_signing_key').where({ kid: oldKid }).update({ expires_at: new Date(Date.now() - 1000) });
  t.same((await publicJwks(services)).keys.map((k) => k.kid), [newKid]);

  // Revoking the grant ends its access tokens.
  await services.db.knex('oauth_grant').where({ id: grant!.id }).update({ revoked_at: services.db.knex.fn.now() });
  await t.rejects(verifyAccessToken(services, fresh, RESOURCE), { code: 'MOSAIC_ERR_OAUTH_TOKEN_INVALID', message: /revoked/ });
});

t.test('scopes: absent means all, order is canonical, unknown ones are refused', async (t) => {
  t.same(parseScopes(undefined), ['records:read', 'records:write', 'metadata:read']);
  t.same(parseScopes('metadata:read records:read'), ['records:read', 'metadata:read']);
  t.throws(() => parseScopes('records:read admin'), { code: 'MOSAIC_ERR_OAUTH_SCOPE_INVALID', statusCode: 400, message: /"admin"/ });
});
