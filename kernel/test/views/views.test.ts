import t from 'tap';
import { api, type Api } from '../helpers/api.js';
import { createApiKey, inviteAndAccept, signUp, type Session } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

const stage = { name: 'stage', type: 'select', options: { options: [{ value: 'lead', label: 'Lead' }, { value: 'won', label: 'Won' }] } };

async function setup(t: Parameters<typeof startTestKernel>[0]) {
  const kernel = await startTestKernel(t);
  const ownerSession = await signUp(kernel.app);
  const owner = api(kernel.app, ownerSession);
  const res = await owner.post('/api/metadata/objects', {
    name: 'company',
    fields: [{ name: 'name', type: 'text' }, { name: 'employees', type: 'number' }, { name: 'revenue', type: 'currency' }, stage, { name: 'tags', type: 'json' }],
  });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return { kernel, owner, ownerSession };
}

const names = (res: { body: any }) => res.body.data.map((v: any) => v.name);

t.test('a member saves, lists, changes and deletes their views', async (t) => {
  const { kernel, ownerSession } = await setup(t);
  const member = api(kernel.app, await inviteAndAccept(kernel.app, ownerSession, 'member'));

  const created = await member.post('/api/views', { object: 'company', name: '  Big ones ', filter: 'employees[gte]:100', order_by: 'name[DescNullsLast]', columns: ['name', 'employees'] });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const view = created.body.data;
  t.match(view, { object: 'company', name: 'Big ones', layout: 'table', filter: 'employees[gte]:100', order_by: 'name[DescNullsLast]', columns: ['name', 'employees'], group_by: null, shared: false, position: 0, problems: [] });
  t.type(view.owner_member_id, 'string');
  t.ok(Date.parse(view.created_at) && Date.parse(view.updated_at));

  const defaults = (await member.post('/api/views', { object: 'company', name: 'All' })).body.data;
  t.match(defaults, { layout: 'table', filter: '', order_by: '', columns: [], group_by: null, shared: false, position: 1 });
  const board = await member.post('/api/views', { object: 'company', name: 'Pipeline', layout: 'board', group_by: 'stage' });
  t.equal(board.status, 201);
  t.equal(board.body.data.group_by, 'stage');

  t.same(names(await member.get('/api/views?object=company')), ['Big ones', 'All', 'Pipeline'], 'by position');
  const moved = await member.patch(`/api/views/${board.body.data.id}`, { position: 0 });
  t.equal(moved.status, 200);
  t.same(names(await member.get('/api/views?object=company')), ['Big ones', 'Pipeline', 'All'], 'same position: by name');

  const changed = await member.patch(`/api/views/${view.id}`, { name: 'Large', columns: ['employees', 'name', 'stage'], filter: '' });
  t.equal(changed.status, 200);
  t.match(changed.body.data, { name: 'Large', columns: ['employees', 'name', 'stage'], filter: '', order_by: 'name[DescNullsLast]' });
  t.equal((await member.get(`/api/views/${view.id}`)).body.data.name, 'Large');

  const gone = await member.delete(`/api/views/${view.id}`);
  t.equal(gone.status, 204);
  t.equal((await member.get(`/api/views/${view.id}`)).body.error.code, 'MOSAIC_ERR_VIEW_NOT_FOUND');
  t.equal((await member.delete(`/api/views/${view.id}`)).status, 404);
  t.same(names(await member.get('/api/views?object=company')), ['Pipeline', 'All']);
});

t.test('bad input gets the listing’s error codes, or a view error naming the field, and stores nothing', async (t) => {
  const { owner } = await setup(t);
  const cases: [string, Record<string, unknown>, string, number][] = [
    ['filter syntax', { filter: 'name[eq' }, 'MOSAIC_ERR_QUERY_FILTER_SYNTAX', 400],
    ['unknown filter field', { filter: 'nope[eq]:1' }, 'MOSAIC_ERR_QUERY_UNKNOWN_FIELD', 400],
    ['operator misfit', { filter: 'employees[like]:"x"' }, 'MOSAIC_ERR_QUERY_OPERATOR', 400],
    ['bad order_by', { order_by: 'name[Sideways]' }, 'MOSAIC_ERR_QUERY_ORDER_BY', 400],
    ['unsortable order_by', { order_by: 'tags' }, 'MOSAIC_ERR_QUERY_ORDER_BY', 400],
    ['unknown column', { columns: ['name', 'ghost'] }, 'MOSAIC_ERR_VIEW_INVALID', 400],
    ['repeated column', { columns: ['name', 'name'] }, 'MOSAIC_ERR_VIEW_INVALID', 400],
    ['unknown group_by', { layout: 'board', group_by: 'ghost' }, 'MOSAIC_ERR_VIEW_INVALID', 400],
    ['group_by not a select', { layout: 'board', group_by: 'name' }, 'MOSAIC_ERR_VIEW_INVALID', 400],
    ['board without group_by', { layout: 'board' }, 'MOSAIC_ERR_VIEW_INVALID', 400],
    ['unknown layout', { layout: 'calendar' }, 'MOSAIC_ERR_REQUEST_INVALID', 400],
    ['blank name', { name: '   ' }, 'MOSAIC_ERR_REQUEST_INVALID', 400],
    ['long name', { name: 'x'.repeat(81) }, 'MOSAIC_ERR_REQUEST_INVALID', 400],
    ['unknown property', { colour: 'red' }, 'MOSAIC_ERR_REQUEST_INVALID', 400],
    ['unknown object', { object: 'planet' }, 'MOSAIC_ERR_OBJECT_NOT_FOUND', 404],
  ];
  for (const [label, body, code, status] of cases) {
    const res = await owner.post('/api/views', { object: 'company', name: `V ${label}`, ...body });
    t.equal(res.status, status, label);
    t.equal(res.body.error?.code, code, label);
  }
  const unknownColumn = await owner.post('/api/views', { object: 'company', name: 'x', columns: ['ghost'] });
  t.match(unknownColumn.body.error.message, /ghost/, 'the message names the field');
  t.same(unknownColumn.body.error.details, [{ path: 'columns[0]', message: unknownColumn.body.error.message }]);
  t.equal((await owner.post('/api/views', { object: 'company', name: 'x'.repeat(80) })).status, 201, '80 characters are fine');
  t.equal((await owner.get('/api/views')).body.error.code, 'MOSAIC_ERR_REQUEST_INVALID', 'object is required');
  t.equal((await owner.get('/api/views?object=planet')).body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND');
  t.equal((await owner.get('/api/views/not-a-uuid')).body.error.code, 'MOSAIC_ERR_REQUEST_INVALID');

  const ok = (await owner.post('/api/views', { object: 'company', name: 'Keep', filter: 'employees[gt]:1' })).body.data;
  for (const [body, code] of [
    [{ filter: 'employees[' }, 'MOSAIC_ERR_QUERY_FILTER_SYNTAX'],
    [{ columns: ['ghost'] }, 'MOSAIC_ERR_VIEW_INVALID'],
    [{ layout: 'board' }, 'MOSAIC_ERR_VIEW_INVALID'],
    [{ object: 'company' }, 'MOSAIC_ERR_REQUEST_INVALID'],
    [{}, 'MOSAIC_ERR_REQUEST_INVALID'],
  ] as const) {
    t.equal((await owner.patch(`/api/views/${ok.id}`, body)).body.error?.code, code, JSON.stringify(body));
  }
  t.same((await owner.get(`/api/views/${ok.id}`)).body.data, ok, 'refused changes lost nothing');
  t.same(names(await owner.get('/api/views?object=company')), ['x'.repeat(80), 'Keep'], 'refused creates stored nothing');
});

t.test('names are unique among the views a caller sees', async (t) => {
  const { kernel, owner, ownerSession } = await setup(t);
  const alice = api(kernel.app, await inviteAndAccept(kernel.app, ownerSession, 'member'));
  const bob = api(kernel.app, await inviteAndAccept(kernel.app, ownerSession, 'member'));

  t.equal((await alice.post('/api/views', { object: 'company', name: 'Mine' })).status, 201);
  const again = await alice.post('/api/views', { object: 'company', name: 'MINE ' });
  t.equal(again.status, 409);
  t.equal(again.body.error.code, 'MOSAIC_ERR_VIEW_NAME_TAKEN', 'case and spaces ignored');
  t.equal((await bob.post('/api/views', { object: 'company', name: 'Mine' })).status, 201, 'another member’s private view does not count');
  t.equal((await owner.post('/api/views', { object: 'company', name: 'mine', shared: true })).body.error.code, 'MOSAIC_ERR_VIEW_NAME_TAKEN', 'a shared view would clash for them');
  const shared = await owner.post('/api/views', { object: 'company', name: 'Team', shared: true });
  t.equal(shared.status, 201);
  t.equal((await alice.post('/api/views', { object: 'company', name: 'team' })).body.error.code, 'MOSAIC_ERR_VIEW_NAME_TAKEN', 'shared views count');
  const other = (await alice.post('/api/views', { object: 'company', name: 'Other' })).body.data;
  t.equal((await alice.patch(`/api/views/${other.id}`, { name: 'Team' })).body.error.code, 'MOSAIC_ERR_VIEW_NAME_TAKEN', 'renames too');
  t.equal((await alice.patch(`/api/views/${other.id}`, { name: 'other' })).status, 200, 'renaming a view to itself in another case is fine');

  await owner.post('/api/metadata/objects', { name: 'person', fields: [{ name: 'name', type: 'text' }] });
  t.equal((await alice.post('/api/views', { object: 'person', name: 'Mine' })).status, 201, 'per object');
});

t.test('private, shared and API key visibility; shared views need the metadata capability', async (t) => {
  const { kernel, owner, ownerSession } = await setup(t);
  const aliceSession: Session = await inviteAndAccept(kernel.app, ownerSession, 'member');
  const alice = api(kernel.app, aliceSession);
  const bob = api(kernel.app, await inviteAndAccept(kernel.app, ownerSession, 'member'));
  const viewer = api(kernel.app, await inviteAndAccept(kernel.app, ownerSession, 'viewer'));

  const priv = (await alice.post('/api/views', { object: 'company', name: 'Alice only' })).body.data;
  t.equal(priv.owner_member_id, aliceSession.memberId);
  t.same(names(await bob.get('/api/views?object=company')), [], 'another member’s private view is not listed');
  for (const res of [await bob.get(`/api/views/${priv.id}`), await bob.patch(`/api/views/${priv.id}`, { name: 'hijack' }), await bob.delete(`/api/views/${priv.id}`), await owner.get(`/api/views/${priv.id}`)]) {
    t.equal(res.status, 404);
    t.equal(res.body.error.code, 'MOSAIC_ERR_VIEW_NOT_FOUND');
  }

  const denied = await alice.post('/api/views', { object: 'company', name: 'For all', shared: true });
  t.equal(denied.status, 403);
  t.equal(denied.body.error.code, 'MOSAIC_ERR_FORBIDDEN');
  t.equal((await alice.patch(`/api/views/${priv.id}`, { shared: true })).body.error.code, 'MOSAIC_ERR_FORBIDDEN', 'nor share their own');

  const team = (await owner.post('/api/views', { object: 'company', name: 'Team', shared: true, filter: 'employees[gt]:5' })).body.data;
  t.same(names(await alice.get('/api/views?object=company')), ['Alice only', 'Team']);
  t.same(names(await viewer.get('/api/views?object=company')), ['Team'], 'a viewer sees shared views');
  t.equal((await alice.patch(`/api/views/${team.id}`, { name: 'Mine now' })).body.error.code, 'MOSAIC_ERR_FORBIDDEN');
  t.equal((await alice.delete(`/api/views/${team.id}`)).body.error.code, 'MOSAIC_ERR_FORBIDDEN');
  t.equal((await owner.get(`/api/views/${team.id}`)).body.data.name, 'Team', 'unchanged');

  // A viewer reads, so keeps private views of their own.
  const mine = await viewer.post('/api/views', { object: 'company', name: 'Viewer view', columns: ['name'] });
  t.equal(mine.status, 201);
  t.equal((await viewer.patch(`/api/views/${mine.body.data.id}`, { name: 'Renamed' })).status, 200);
  t.equal((await viewer.delete(`/api/views/${mine.body.data.id}`)).status, 204);

  // API keys: shared views only.
  const readKey = api(kernel.app, await createApiKey(kernel.app, ownerSession, 'viewer'));
  t.same(names(await readKey.get('/api/views?object=company')), ['Team']);
  t.equal((await readKey.get(`/api/views/${priv.id}`)).status, 404);
  t.equal((await readKey.post('/api/views', { object: 'company', name: 'Key view' })).body.error.code, 'MOSAIC_ERR_FORBIDDEN', 'no private views');
  t.equal((await readKey.post('/api/views', { object: 'company', name: 'Key view', shared: true })).body.error.code, 'MOSAIC_ERR_FORBIDDEN', 'no metadata capability');
  const adminKey = api(kernel.app, await createApiKey(kernel.app, ownerSession, 'admin'));
  const keyed = await adminKey.post('/api/views', { object: 'company', name: 'Key view', shared: true });
  t.equal(keyed.status, 201);
  t.equal(keyed.body.data.owner_member_id, null);
  t.equal((await adminKey.patch(`/api/views/${keyed.body.data.id}`, { shared: false })).body.error.code, 'MOSAIC_ERR_FORBIDDEN', 'cannot own a private view');

  // An admin unsharing a view makes it their own private view.
  const unshared = await owner.patch(`/api/views/${team.id}`, { shared: false });
  t.equal(unshared.body.data.owner_member_id, ownerSession.memberId);
  t.same(names(await alice.get('/api/views?object=company')), ['Alice only', 'Key view']);

  // A role that cannot read the object sees neither it nor its views.
  await owner.post('/api/workspace/roles', {
    key: 'no_company',
    name: 'No companies',
    permissions: { workspace: [], objects: { '*': { read: true, create: true, update: true, delete: true }, company: { read: false, create: false, update: false, delete: false } }, fields: {} },
  });
  const blind = api(kernel.app, await inviteAndAccept(kernel.app, ownerSession, 'no_company'));
  t.equal((await blind.get('/api/views?object=company')).body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND');
  t.equal((await blind.post('/api/views', { object: 'company', name: 'x' })).body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND');
  t.equal((await blind.get(`/api/views/${keyed.body.data.id}`)).body.error.code, 'MOSAIC_ERR_VIEW_NOT_FOUND');
});

t.test('fields a role hides are absent from views and cannot be used in them', async (t) => {
  const { kernel, owner, ownerSession } = await setup(t);
  await owner.post('/api/workspace/roles', {
    key: 'sales',
    name: 'Sales',
    permissions: { workspace: [], objects: { '*': { read: true, create: true, update: true, delete: true } }, fields: { company: { revenue: { read: false, update: false }, stage: { read: false, update: false } } } },
  });
  const sales = api(kernel.app, await inviteAndAccept(kernel.app, ownerSession, 'sales'));
  const shared = (await owner.post('/api/views', { object: 'company', name: 'Money', shared: true, layout: 'board', group_by: 'stage', columns: ['name', 'revenue'], filter: 'revenue.amount[gt]:10', order_by: 'revenue.amount' })).body.data;
  t.same(shared.problems, []);
  const seen = (await sales.get('/api/views?object=company')).body.data[0];
  t.same(seen.columns, ['name'], 'hidden column left out');
  t.equal(seen.group_by, null, 'hidden group-by field left out');
  t.same(seen.problems.map((p: any) => [p.path, p.code]), [['filter', 'MOSAIC_ERR_FIELD_FORBIDDEN'], ['order_by', 'MOSAIC_ERR_FIELD_FORBIDDEN'], ['group_by', 'MOSAIC_ERR_VIEW_INVALID']]);
  t.equal((await sales.post('/api/views', { object: 'company', name: 'x', columns: ['revenue'] })).body.error.code, 'MOSAIC_ERR_VIEW_INVALID', 'a hidden field is no column');
  t.equal((await sales.post('/api/views', { object: 'company', name: 'x', filter: 'revenue.amount[gt]:1' })).body.error.code, 'MOSAIC_ERR_FIELD_FORBIDDEN', 'as in listing');
  t.equal((await sales.post('/api/views', { object: 'company', name: 'x', layout: 'board', group_by: 'stage' })).body.error.code, 'MOSAIC_ERR_VIEW_INVALID');
});

t.test('renaming or deleting fields and objects never breaks listing', async (t) => {
  const { owner } = await setup(t);
  const view = (await owner.post('/api/views', { object: 'company', name: 'Pipeline', layout: 'board', group_by: 'stage', columns: ['name', 'employees', 'stage'], filter: 'employees[gt]:5', order_by: 'name' })).body.data;

  t.equal((await owner.patch('/api/metadata/objects/company/fields/name', { name: 'title' })).status, 200);
  let listed = (await owner.get('/api/views?object=company')).body.data[0];
  t.same(listed.columns, ['title', 'employees', 'stage'], 'a renamed field keeps its column');
  t.same(listed.problems.map((p: any) => [p.path, p.code]), [['order_by', 'MOSAIC_ERR_QUERY_UNKNOWN_FIELD']], 'the stale order_by is reported');

  t.equal((await owner.patch('/api/metadata/objects/company/fields/stage', { name: 'phase' })).status, 200);
  t.equal((await owner.get('/api/views?object=company')).body.data[0].group_by, 'phase', 'a renamed group-by field is followed');

  t.equal((await owner.delete('/api/metadata/objects/company/fields/employees')).status, 200);
  listed = (await owner.get('/api/views?object=company')).body.data[0];
  t.same(listed.columns, ['title', 'phase'], 'a deleted field drops out of the columns');
  t.same(listed.problems.map((p: any) => p.path), ['filter', 'order_by']);
  const fixed = await owner.patch(`/api/views/${view.id}`, { filter: 'title[ilike]:"%a%"', order_by: 'title' });
  t.equal(fixed.status, 200, 'a stale view can be repaired');
  t.same(fixed.body.data.problems, []);

  t.equal((await owner.delete('/api/metadata/objects/company/fields/phase')).status, 200);
  listed = (await owner.get('/api/views?object=company')).body.data[0];
  t.equal(listed.group_by, null);
  t.same(listed.problems.map((p: any) => p.path), ['group_by'], 'a board without its lanes field is reported');
  t.equal((await owner.patch(`/api/views/${view.id}`, { name: 'Renamed board' })).status, 200, 'and still editable');
  t.equal((await owner.patch(`/api/views/${view.id}`, { layout: 'table' })).body.data.layout, 'table');

  t.equal((await owner.patch('/api/metadata/objects/company', { name: 'account' })).status, 200);
  t.same(names(await owner.get('/api/views?object=account')), ['Renamed board'], 'a renamed object keeps its views');
  t.equal((await owner.get(`/api/views/${view.id}`)).body.data.object, 'account');

  t.equal((await owner.delete('/api/metadata/objects/account')).status, 204);
  t.equal((await owner.get(`/api/views/${view.id}`)).body.error.code, 'MOSAIC_ERR_VIEW_NOT_FOUND', 'a deleted object takes its views');
  await owner.post('/api/metadata/objects', { name: 'account', fields: [{ name: 'name', type: 'text' }] });
  t.same(names(await owner.get('/api/views?object=account')), [], 'a new object of the same name starts without views');
});
