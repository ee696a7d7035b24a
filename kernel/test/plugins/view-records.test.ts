import t from 'tap';
import { api } from '../helpers/api.js';
import { inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { sampleManifest, tempDir, writePlugin } from './fixtures/sample.js';

t.test('plugin view records API: the member’s role intersected with the plugin’s grant', async (t) => {
  const root = await tempDir('view-records');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root });
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  t.equal((await admin.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] })).status, 201);
  t.equal((await admin.post('/api/metadata/objects', { name: 'secret_thing', fields: [{ name: 'title', type: 'text' }] })).status, 201);
  const big = (await admin.post('/api/objects/deal', { title: 'Big one' })).body.data;
  await admin.post('/api/objects/deal', { title: 'Small one' });
  await admin.post('/api/objects/secret_thing', { title: 'hidden' });
  // The sample plugin holds read + update on deal and everything on its own sample_note.
  t.equal((await admin.post('/api/plugins', { path: await writePlugin(root, 'sample', sampleManifest()), grant: 'requested' })).status, 201);
  const base = '/api/plugin-views/sample/objects';

  t.test('lists with the records API’s query parameters and reads one', async (t) => {
    const list = await admin.get(`${base}/deal?order_by=title&limit=1`);
    t.equal(list.status, 200, JSON.stringify(list.body));
    t.same(list.body.data.map((d: { title: string }) => d.title), ['Big one']);
    t.equal(list.body.page_info.has_next_page, true, 'the same page shape as /api/objects');
    const filtered = await admin.get(`${base}/deal?filter=${encodeURIComponent('title[eq]:"Small one"')}`);
    t.same(filtered.body.data.map((d: { title: string }) => d.title), ['Small one'], 'filter applies');
    const bad = await admin.get(`${base}/deal?filter=${encodeURIComponent('nope[eq]:1')}`);
    t.equal(bad.body.error.code, 'MOSAIC_ERR_QUERY_UNKNOWN_FIELD', 'a bad filter is the records API’s error');
    const one = await admin.get(`${base}/deal/${big.id}`);
    t.equal(one.status, 200);
    t.equal(one.body.data.title, 'Big one');
  });

  t.test('updates a granted object as the member, and creates on the plugin’s own object', async (t) => {
    const res = await admin.patch(`${base}/deal/${big.id}`, { title: 'Bigger one' });
    t.equal(res.status, 200, JSON.stringify(res.body));
    t.equal((await admin.get(`/api/objects/deal/${big.id}`)).body.data.title, 'Bigger one', 'the change is real');
    const note = await admin.post(`${base}/sample_note`, { title: 'From a view' });
    t.equal(note.status, 201, JSON.stringify(note.body));
    t.equal(note.body.data.title, 'From a view');
  });

  t.test('an operation or object the plugin was not granted is refused though the member may', async (t) => {
    t.equal((await admin.get('/api/objects/secret_thing')).status, 200, 'the member reads secret_thing directly');
    const secret = await admin.get(`${base}/secret_thing`);
    t.equal(secret.status, 403);
    t.equal(secret.body.error.code, 'MOSAIC_ERR_PLUGIN_PERMISSION');
    t.match(secret.body.error.message, /secret_thing/);
    const create = await admin.post(`${base}/deal`, { title: 'no' });
    t.equal(create.status, 403);
    t.equal(create.body.error.code, 'MOSAIC_ERR_PLUGIN_PERMISSION', 'read + update on deal, not create');
  });

  t.test('the member’s role still limits what the plugin’s views can do', async (t) => {
    const viewer = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'viewer'));
    t.equal((await viewer.get(`${base}/deal`)).status, 200);
    const res = await viewer.patch(`${base}/deal/${big.id}`, { title: 'no' });
    t.equal(res.status, 403);
    t.equal(res.body.error.code, 'MOSAIC_ERR_FORBIDDEN', 'the plugin may update deals, the viewer may not');
    t.equal((await viewer.post(`${base}/sample_note`, { title: 'no' })).body.error.code, 'MOSAIC_ERR_FORBIDDEN');
    t.equal((await admin.get(`/api/objects/deal/${big.id}`)).body.data.title, 'Bigger one', 'nothing changed');
  });

  t.test('unknown and disabled plugins are refused with their codes', async (t) => {
    const none = await admin.get('/api/plugin-views/nope/objects/deal');
    t.equal(none.status, 404);
    t.equal(none.body.error.code, 'MOSAIC_ERR_PLUGIN_NOT_INSTALLED');
    t.equal((await admin.patch('/api/plugins/sample', { enabled: false })).status, 200);
    const off = await admin.get(`${base}/deal`);
    t.equal(off.status, 404);
    t.equal(off.body.error.code, 'MOSAIC_ERR_PLUGIN_DISABLED');
    t.equal((await admin.patch('/api/plugins/sample', { enabled: true })).status, 200);
    t.equal((await admin.get(`${base}/deal`)).status, 200, 'enabled again, answered again');
    const anonymous = await kernel.app.inject({ method: 'GET', url: `${base}/deal` });
    t.equal(anonymous.statusCode, 401);
  });
});

t.test('plugin views read the member directory only when the plugin was granted members', async (t) => {
  const root = await tempDir('view-members');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root });
  const owner = await signUp(kernel.app, { name: 'Olga Owner' });
  const admin = api(kernel.app, owner);
  const viewerSession = await inviteAndAccept(kernel.app, owner, 'viewer', { name: 'Vera Viewer' });
  // The sample plugins add a field to deal.
  t.equal((await admin.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] })).status, 201);
  t.equal((await admin.post('/api/plugins', { path: await writePlugin(root, 'sample', sampleManifest()), grant: 'requested' })).status, 201);

  const refused = await admin.get('/api/plugin-views/sample/members');
  t.equal(refused.status, 403, 'a plugin that did not ask for members');
  t.equal(refused.body.error.code, 'MOSAIC_ERR_PLUGIN_PERMISSION');

  const manifest = sampleManifest({ id: 'people-picker', name: 'People picker', permissions: { members: true }, objects: [], fields: [] });
  const path = await writePlugin(root, 'people-picker', manifest);
  const consent = await admin.post('/api/plugins', { path, grant: {} });
  t.equal(consent.body.error?.code, 'MOSAIC_ERR_PLUGIN_CONSENT_REQUIRED', 'the admin consents to it like any other permission');
  t.match(consent.body.error.details, [{ path: 'grant', message: "See the names and email addresses of the workspace's members", code: 'added' }]);
  t.equal((await admin.post('/api/plugins', { path, grant: 'requested' })).status, 201);

  const listed = await admin.get('/api/plugin-views/people-picker/members');
  t.equal(listed.status, 200, JSON.stringify(listed.body));
  t.same(listed.body.data.map((m: { id: string; name: string }) => [m.id, m.name]), [[owner.memberId, 'Olga Owner'], [viewerSession.memberId, 'Vera Viewer']]);
  t.same(Object.keys(listed.body.data[0]).sort(), ['email', 'id', 'name'], 'who they are, not what their roles allow');
  t.equal((await api(kernel.app, viewerSession).get('/api/plugin-views/people-picker/members')).status, 200, 'for every member, as the directory is');

  t.equal((await admin.patch('/api/plugins/people-picker', { enabled: false })).status, 200);
  t.equal((await admin.get('/api/plugin-views/people-picker/members')).body.error.code, 'MOSAIC_ERR_PLUGIN_DISABLED');
  t.equal((await kernel.app.inject({ method: 'GET', url: '/api/plugin-views/people-picker/members' })).statusCode, 401);
});
