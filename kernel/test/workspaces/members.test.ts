import t from 'tap';
import { inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test('members', async (t) => {
  const { app, services } = await startTestKernel(t);
  const owner = await signUp(app, { name: 'Olive' });
  const patch = (id: string, role: string, headers = owner.headers) =>
    app.inject({ method: 'PATCH', url: `/api/workspace/members/${id}`, headers, payload: { role } });
  const remove = (id: string, headers = owner.headers) => app.inject({ method: 'DELETE', url: `/api/workspace/members/${id}`, headers });
  const canManageMembers = async (headers: Record<string, string>) =>
    (await app.inject({ method: 'GET', url: '/api/workspace/invites', headers })).statusCode;

  t.test('list', async (t) => {
    const mia = await inviteAndAccept(app, owner, 'member', { name: 'Mia' });
    const res = await app.inject({ method: 'GET', url: '/api/workspace/members', headers: mia.headers });
    t.equal(res.statusCode, 200);
    t.match(res.json().members, [
      { id: owner.memberId, user_id: owner.userId, name: 'Olive', email: /@example\.test$/, role: 'owner', created_at: String },
      { id: mia.memberId, name: 'Mia', role: 'member' },
    ]);
    t.notOk(res.body.includes('password'), 'no password hashes');
  });

  t.test('a role change takes effect on the next request', async (t) => {
    const m = await inviteAndAccept(app, owner, 'member');
    t.equal(await canManageMembers(m.headers), 403);
    const up = await patch(m.memberId, 'admin');
    t.equal(up.statusCode, 200);
    t.match(up.json(), { id: m.memberId, role: 'admin' });
    t.equal(await canManageMembers(m.headers), 200, 'promoted at once');
    t.equal((await patch(m.memberId, 'viewer')).statusCode, 200);
    t.equal(await canManageMembers(m.headers), 403, 'demoted at once');
    const event = await services.db.knex('event').where({ workspace_id: owner.workspaceId, type: 'member.role_changed' }).orderBy('seq', 'desc').first('payload', 'actor');
    t.match(event, { payload: { member_id: m.memberId, from: 'admin', to: 'viewer' }, actor: { type: 'member', id: owner.memberId, name: 'Olive' } });
    t.equal((await patch(m.memberId, 'ghost')).json().error.code, 'MOSAIC_ERR_ROLE_NOT_FOUND');
    t.equal((await patch(m.memberId, 'member', m.headers)).statusCode, 403, 'a viewer cannot change roles');
  });

  t.test('the owner role belongs to owners', async (t) => {
    const admin = await inviteAndAccept(app, owner, 'admin');
    const member = await inviteAndAccept(app, owner, 'member');
    const grant = await patch(member.memberId, 'owner', admin.headers);
    t.equal(grant.statusCode, 403, 'an admin cannot grant owner');
    t.equal(grant.json().error.code, 'MOSAIC_ERR_FORBIDDEN');
    t.equal((await patch(admin.memberId, 'owner', admin.headers)).statusCode, 403, 'not even to themselves');
    t.equal((await patch(owner.memberId, 'admin', admin.headers)).statusCode, 403, 'an admin cannot demote an owner');
    t.equal((await remove(owner.memberId, admin.headers)).statusCode, 403, 'nor remove one');
    t.equal((await patch(member.memberId, 'viewer', admin.headers)).statusCode, 200, 'but manages everyone else');
  });

  t.test('the last owner stays', async (t) => {
    const demote = await patch(owner.memberId, 'admin');
    t.equal(demote.statusCode, 409);
    t.equal(demote.json().error.code, 'MOSAIC_ERR_LAST_OWNER');
    const leave = await remove(owner.memberId);
    t.equal(leave.statusCode, 409);
    t.equal(leave.json().error.code, 'MOSAIC_ERR_LAST_OWNER');

    const second = await inviteAndAccept(app, owner, 'member');
    t.equal((await patch(second.memberId, 'owner')).statusCode, 200, 'an owner grants owner');
    t.equal((await patch(owner.memberId, 'admin', second.headers)).statusCode, 200, 'now the first owner can be demoted');
    t.equal((await patch(second.memberId, 'admin', second.headers)).json().error.code, 'MOSAIC_ERR_LAST_OWNER', 'and the second is the last');
    t.equal((await patch(owner.memberId, 'owner', second.headers)).statusCode, 200, 'restore');
  });

  t.test('remove and leave', async (t) => {
    const gone = await inviteAndAccept(app, owner, 'member');
    const removed = await remove(gone.memberId);
    t.equal(removed.statusCode, 204);
    const after = await app.inject({ method: 'GET', url: '/api/workspace/members', headers: gone.headers });
    t.equal(after.statusCode, 401, "a removed member's session ends at once");
    t.equal((await remove(gone.memberId)).json().error.code, 'MOSAIC_ERR_MEMBER_NOT_FOUND');

    const leaver = await inviteAndAccept(app, owner, 'viewer');
    const other = await inviteAndAccept(app, owner, 'viewer');
    t.equal((await remove(other.memberId, leaver.headers)).statusCode, 403, 'a viewer cannot remove others');
    t.equal((await remove(leaver.memberId, leaver.headers)).statusCode, 204, 'but can leave');
    const events = await services.db.knex('event').where({ workspace_id: owner.workspaceId, type: 'member.removed' }).orderBy('seq').select('payload');
    t.match(events.map((e) => e.payload), [{ member_id: gone.memberId, left: false }, { member_id: leaver.memberId, left: true }]);
  });

  t.test('a custom role cannot hand out more than it holds', async (t) => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/workspace/roles',
      headers: owner.headers,
      payload: { key: 'recruiter', name: 'Recruiter', permissions: { workspace: ['members'], objects: {}, fields: {} } },
    });
    t.equal(created.statusCode, 201);
    const recruiter = await inviteAndAccept(app, owner, 'recruiter');
    const member = await inviteAndAccept(app, owner, 'member');
    const admin = await inviteAndAccept(app, owner, 'admin');
    t.equal((await patch(recruiter.memberId, 'admin', recruiter.headers)).statusCode, 403, 'cannot promote themselves to admin');
    t.equal((await patch(admin.memberId, 'viewer', recruiter.headers)).statusCode, 403, 'cannot demote someone with more power');
    t.equal((await patch(member.memberId, 'viewer', recruiter.headers)).statusCode, 200, 'manages plain members');
  });
});
