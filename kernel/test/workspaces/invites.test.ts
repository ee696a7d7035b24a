import t from 'tap';
import { inviteAndAccept, sessionFrom, signUp, TEST_PASSWORD, uniqueEmail } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test('invites', async (t) => {
  const { app, services } = await startTestKernel(t);
  const owner = await signUp(app);
  const invite = (payload: Record<string, unknown>, headers = owner.headers) => app.inject({ method: 'POST', url: '/api/workspace/invites', headers, payload });
  const accept = (payload: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/auth/invites/accept', payload });

  t.test('create, list, accept as a new person, reuse', async (t) => {
    const email = uniqueEmail('new');
    const created = await invite({ email: email.toUpperCase(), role: 'member' });
    t.equal(created.statusCode, 201);
    const body = created.json();
    t.match(body, { id: String, email, role: 'member', token: /^[\w-]{43}$/, accept_path: `/accept-invite#token=${body.token}`, expires_at: String });
    t.ok(Date.parse(body.expires_at) > Date.now() + 6 * 86_400_000, 'valid for about a week');

    const list = await app.inject({ method: 'GET', url: '/api/workspace/invites', headers: owner.headers });
    t.match(list.json().invites, [{ id: body.id, email, role: 'member', invited_by_member_id: owner.memberId }]);
    t.notOk(list.body.includes(body.token), 'the token is shown once');
    const stored = await services.db.knex('invite').where({ id: body.id }).first('token_hash');
    t.not(stored.token_hash, body.token, 'only its hash is stored');

    t.equal((await accept({ token: body.token, password: TEST_PASSWORD })).statusCode, 400, 'a new person must give a name');
    const weak = await accept({ token: body.token, name: 'Nia', password: 'short' });
    t.equal(weak.statusCode, 400);

    const ok = await accept({ token: body.token, name: 'Nia', password: TEST_PASSWORD });
    t.equal(ok.statusCode, 200);
    t.match(ok.json(), { user: { email, name: 'Nia' }, workspace: { id: owner.workspaceId }, member: { role: 'member' }, csrf_token: String });
    const nia = sessionFrom(ok);
    t.equal((await app.inject({ method: 'GET', url: '/api/auth/session', headers: nia.headers })).json().role.key, 'member');
    t.equal((await app.inject({ method: 'POST', url: '/api/auth/sign-in', payload: { email, password: TEST_PASSWORD } })).statusCode, 200, 'the new account can sign in');

    const reused = await accept({ token: body.token, name: 'Eve', password: TEST_PASSWORD });
    t.equal(reused.statusCode, 400);
    t.equal(reused.json().error.code, 'MOSAIC_ERR_INVITE_INVALID');
    t.same((await app.inject({ method: 'GET', url: '/api/workspace/invites', headers: owner.headers })).json().invites, [], 'accepted invites leave the list');

    const event = await services.db.knex('event').where({ workspace_id: owner.workspaceId, type: 'member.added' }).orderBy('seq', 'desc').first('payload');
    t.match(event.payload, { member_id: nia.memberId, user_id: nia.userId, role: 'member', invite_id: body.id });
    t.notOk(JSON.stringify(event).includes(body.token), 'no token in the event');
  });

  t.test('expired, revoked, unknown', async (t) => {
    const expired = (await invite({ email: uniqueEmail(), role: 'member' })).json();
    await services.db.knex('invite').where({ id: expired.id }).update({ expires_at: new Date(Date.now() - 1000) });
    const late = await accept({ token: expired.token, name: 'Late', password: TEST_PASSWORD });
    t.equal(late.statusCode, 400);
    t.equal(late.json().error.code, 'MOSAIC_ERR_INVITE_INVALID');

    const revoked = (await invite({ email: uniqueEmail(), role: 'member' })).json();
    t.equal((await app.inject({ method: 'DELETE', url: `/api/workspace/invites/${revoked.id}`, headers: owner.headers })).statusCode, 204);
    t.equal((await accept({ token: revoked.token, name: 'R', password: TEST_PASSWORD })).json().error.code, 'MOSAIC_ERR_INVITE_INVALID');
    const again = await app.inject({ method: 'DELETE', url: `/api/workspace/invites/${revoked.id}`, headers: owner.headers });
    t.equal(again.statusCode, 404);
    t.equal(again.json().error.code, 'MOSAIC_ERR_INVITE_NOT_FOUND');

    t.equal((await accept({ token: 'made-up', name: 'X', password: TEST_PASSWORD })).json().error.code, 'MOSAIC_ERR_INVITE_INVALID');
  });

  t.test('a newer invite replaces a pending one', async (t) => {
    const email = uniqueEmail();
    const first = (await invite({ email, role: 'member' })).json();
    const second = (await invite({ email, role: 'viewer' })).json();
    t.equal((await accept({ token: first.token, name: 'A', password: TEST_PASSWORD })).statusCode, 400, 'the first token is void');
    const ok = await accept({ token: second.token, name: 'A', password: TEST_PASSWORD });
    t.equal(ok.json().member.role, 'viewer');
  });

  t.test('existing accounts and existing members', async (t) => {
    const email = uniqueEmail('other');
    await signUp(app, { email, workspace: 'Elsewhere' });
    const body = (await invite({ email, role: 'admin' })).json();
    const wrong = await accept({ token: body.token, password: 'not my password' });
    t.equal(wrong.statusCode, 401, 'an existing account proves itself with its password');
    t.equal(wrong.json().error.code, 'MOSAIC_ERR_AUTH_INVALID_CREDENTIALS');
    const ok = await accept({ token: body.token, password: TEST_PASSWORD });
    t.equal(ok.statusCode, 200, 'the failed attempt did not spend the invite');
    t.equal(ok.json().member.role, 'admin');

    const dup = await invite({ email, role: 'member' });
    t.equal(dup.statusCode, 409);
    t.equal(dup.json().error.code, 'MOSAIC_ERR_MEMBER_EXISTS');
  });

  t.test('who may invite', async (t) => {
    const member = await inviteAndAccept(app, owner, 'member');
    const refused = await invite({ email: uniqueEmail(), role: 'member' }, member.headers);
    t.equal(refused.statusCode, 403);
    t.equal(refused.json().error.code, 'MOSAIC_ERR_FORBIDDEN');
    t.equal((await app.inject({ method: 'GET', url: '/api/workspace/invites', headers: member.headers })).statusCode, 403);

    const admin = await inviteAndAccept(app, owner, 'admin');
    const asOwner = await invite({ email: uniqueEmail(), role: 'owner' }, admin.headers);
    t.equal(asOwner.statusCode, 403, 'an admin cannot invite an owner');
    t.equal((await invite({ email: uniqueEmail(), role: 'admin' }, admin.headers)).statusCode, 201);
    t.equal((await invite({ email: uniqueEmail(), role: 'owner' })).statusCode, 201, 'an owner can');
    t.equal((await invite({ email: uniqueEmail(), role: 'nope' })).json().error.code, 'MOSAIC_ERR_ROLE_NOT_FOUND');
    t.equal((await invite({ email: 'bad', role: 'member' })).statusCode, 400);

    const viaMembers = await app.inject({ method: 'POST', url: '/api/workspace/members', headers: owner.headers, payload: { email: uniqueEmail(), role: 'viewer' } });
    t.equal(viaMembers.statusCode, 201, 'POST /members invites too');
    t.match(viaMembers.json(), { role: 'viewer', token: String, accept_path: String });
  });
});
