import t from 'tap';
import { createApiKey, inviteAndAccept, signUp, uniqueEmail } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

const none = { read: false, create: false, update: false, delete: false };
const readOnly = { read: true, create: false, update: false, delete: false };
const sales = {
  workspace: ['api_keys'],
  objects: { '*': readOnly, opportunity: { read: true, create: true, update: true, delete: false }, invoice: none },
  fields: { company: { annual_revenue: { read: false, update: false } } },
};

t.test('roles', async (t) => {
  const { app, services } = await startTestKernel(t);
  const owner = await signUp(app);
  const post = (payload: Record<string, unknown>, headers = owner.headers) => app.inject({ method: 'POST', url: '/api/workspace/roles', headers, payload });
  const patch = (key: string, payload: Record<string, unknown>, headers = owner.headers) =>
    app.inject({ method: 'PATCH', url: `/api/workspace/roles/${key}`, headers, payload });
  const del = (key: string, headers = owner.headers) => app.inject({ method: 'DELETE', url: `/api/workspace/roles/${key}`, headers });

  t.test('built-in roles are listed and immutable', async (t) => {
    const list = await app.inject({ method: 'GET', url: '/api/workspace/roles', headers: owner.headers });
    t.equal(list.statusCode, 200);
    t.same(list.json().roles.map((r: { key: string }) => r.key), ['owner', 'admin', 'member', 'viewer']);
    t.match(list.json().roles[3], { key: 'viewer', name: 'Viewer', built_in: true, permissions: { workspace: [], objects: { '*': readOnly } } });
    for (const key of ['owner', 'admin', 'member', 'viewer']) {
      t.equal((await patch(key, { name: 'Renamed' })).json().error.code, 'MOSAIC_ERR_ROLE_BUILT_IN', `${key} cannot be changed`);
      t.equal((await del(key)).json().error.code, 'MOSAIC_ERR_ROLE_BUILT_IN', `${key} cannot be deleted`);
    }
    t.equal((await post({ key: 'admin', name: 'Admin 2', permissions: sales })).json().error.code, 'MOSAIC_ERR_ROLE_EXISTS');
  });

  t.test('create, update, delete a custom role', async (t) => {
    const created = await post({ key: 'sales', name: 'Sales', permissions: sales });
    t.equal(created.statusCode, 201);
    t.same(created.json().permissions, sales, 'permissions are stored as given');
    t.match(created.json(), { key: 'sales', name: 'Sales', built_in: false, created_at: String });
    t.equal((await post({ key: 'sales', name: 'Again', permissions: sales })).statusCode, 409, 'keys are unique');

    const rep = await inviteAndAccept(app, owner, 'sales');
    const session = await app.inject({ method: 'GET', url: '/api/auth/session', headers: rep.headers });
    t.match(session.json().role, { key: 'sales', name: 'Sales', permissions: sales });
    t.equal((await app.inject({ method: 'GET', url: '/api/workspace/invites', headers: rep.headers })).statusCode, 403);

    const updated = await patch('sales', { name: 'Sales team', permissions: { ...sales, workspace: ['api_keys', 'members'] } });
    t.equal(updated.statusCode, 200);
    t.match(updated.json(), { key: 'sales', name: 'Sales team', permissions: { workspace: ['api_keys', 'members'] } });
    t.equal((await app.inject({ method: 'GET', url: '/api/workspace/invites', headers: rep.headers })).statusCode, 200, "an edit reaches the role's members at once");

    const inUse = await del('sales');
    t.equal(inUse.statusCode, 409);
    t.equal(inUse.json().error.code, 'MOSAIC_ERR_ROLE_IN_USE');
    t.match(inUse.json().error.message, /1 member/);
    t.equal((await app.inject({ method: 'PATCH', url: `/api/workspace/members/${rep.memberId}`, headers: owner.headers, payload: { role: 'member' } })).statusCode, 200);

    const key = await createApiKey(app, owner, 'sales');
    t.equal((await del('sales')).json().error.code, 'MOSAIC_ERR_ROLE_IN_USE', 'a live API key holds it');
    await app.inject({ method: 'DELETE', url: `/api/workspace/api-keys/${key.id}`, headers: owner.headers });
    const invite = await app.inject({ method: 'POST', url: '/api/workspace/invites', headers: owner.headers, payload: { email: uniqueEmail(), role: 'sales' } });
    t.equal((await del('sales')).json().error.code, 'MOSAIC_ERR_ROLE_IN_USE', 'a pending invite holds it');
    await app.inject({ method: 'DELETE', url: `/api/workspace/invites/${invite.json().id}`, headers: owner.headers });

    t.equal((await del('sales')).statusCode, 204, 'deleted once only a revoked key and a revoked invite remain');
    t.equal((await del('sales')).json().error.code, 'MOSAIC_ERR_ROLE_NOT_FOUND');
    t.equal((await patch('sales', { name: 'x' })).json().error.code, 'MOSAIC_ERR_ROLE_NOT_FOUND');

    const events = await services.db.knex('event').where({ workspace_id: owner.workspaceId }).whereLike('type', 'role.%').orderBy('seq').select('type', 'payload');
    t.match(events, [
      { type: 'role.created', payload: { key: 'sales', permissions: sales } },
      { type: 'role.updated', payload: { key: 'sales', name: 'Sales team' } },
      { type: 'role.deleted', payload: { key: 'sales' } },
    ]);
  });

  t.test('validation', async (t) => {
    const bad: [string, Record<string, unknown>][] = [
      ['an unknown capability', { key: 'r1', name: 'R', permissions: { workspace: ['launch_missiles'], objects: {}, fields: {} } }],
      ['a missing section', { key: 'r2', name: 'R', permissions: { workspace: [], objects: {} } }],
      ['an incomplete object access', { key: 'r3', name: 'R', permissions: { workspace: [], objects: { '*': { read: true } }, fields: {} } }],
      ['a bad object name', { key: 'r4', name: 'R', permissions: { workspace: [], objects: { 'Bad-Name': readOnly }, fields: {} } }],
      ['an extra access flag', { key: 'r5', name: 'R', permissions: { workspace: [], objects: { '*': { ...readOnly, admin: true } }, fields: {} } }],
      ['a bad field access', { key: 'r6', name: 'R', permissions: { workspace: [], objects: {}, fields: { company: { name: { read: 'maybe', update: false } } } } }],
      ['a bad key', { key: 'Sales-Team', name: 'R', permissions: { workspace: [], objects: {}, fields: {} } }],
      ['a blank name', { key: 'r7', name: ' ', permissions: { workspace: [], objects: {}, fields: {} } }],
      ['no permissions', { key: 'r8', name: 'R' }],
      ['an extra property', { key: 'r9', name: 'R', permissions: { workspace: [], objects: {}, fields: {} }, built_in: true }],
    ];
    for (const [what, payload] of bad) {
      const res = await post(payload);
      t.equal(res.statusCode, 400, `${what} is refused`);
      t.equal(res.json().error.code, 'MOSAIC_ERR_REQUEST_INVALID');
    }
    t.equal((await post({ key: 'ok', name: 'OK', permissions: { workspace: [], objects: {}, fields: {} } })).statusCode, 201, 'an empty role is fine');
    t.equal((await patch('ok', {})).statusCode, 400, 'an empty update is refused');
  });

  t.test('who may manage roles', async (t) => {
    const admin = await inviteAndAccept(app, owner, 'admin');
    const member = await inviteAndAccept(app, owner, 'member');
    const perms = { workspace: [], objects: {}, fields: {} };
    t.equal((await post({ key: 'by_member', name: 'X', permissions: perms }, member.headers)).json().error.code, 'MOSAIC_ERR_FORBIDDEN');
    t.equal((await app.inject({ method: 'GET', url: '/api/workspace/roles', headers: member.headers })).statusCode, 200, 'anyone may read the roles');
    t.equal((await post({ key: 'by_admin', name: 'X', permissions: perms }, admin.headers)).statusCode, 201);

    t.equal((await post({ key: 'role_admin', name: 'Role admin', permissions: { ...perms, workspace: ['roles'] } })).statusCode, 201);
    const roleAdmin = await inviteAndAccept(app, owner, 'role_admin');
    const escalate = await post({ key: 'sneaky', name: 'Sneaky', permissions: { ...perms, workspace: ['roles', 'members'] } }, roleAdmin.headers);
    t.equal(escalate.statusCode, 403, 'cannot create a role with capabilities it lacks');
    t.equal((await patch('role_admin', { permissions: { ...perms, workspace: ['roles', 'plugins'] } }, roleAdmin.headers)).statusCode, 403, 'nor widen its own');
    t.equal((await patch('by_admin', { name: 'Renamed' }, roleAdmin.headers)).statusCode, 200);
  });
});
