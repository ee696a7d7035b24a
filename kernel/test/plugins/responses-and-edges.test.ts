import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { api } from '../helpers/api.js';
import { inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { lifecycleManifest, writeLifecycleVersion } from './fixtures/lifecycle.js';
import { tempDir, writePlugin } from './fixtures/sample.js';

const RESPONDER = `
globalThis.__mosaicPlugin = { routes: {
  created() { return { $mosaic: 'response', status: 201, headers: { location: '/x/1', 'x-trace': 'abc' }, body: { id: 1 } }; },
  csv() { return { $mosaic: 'response', status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': 'attachment; filename="a.csv"' }, text: 'a,b\\n1,2\\n' }; },
  html() { return { $mosaic: 'response', headers: { 'content-type': 'text/html' }, text: '<script>alert(1)</script>' }; },
  cookie() { return { $mosaic: 'response', headers: { 'set-cookie': 'mosaic_session=stolen' }, body: {} }; },
  weird() { return { $mosaic: 'response', status: 101 }; },
  plain() { return 'just a string'; },
  guarded(ctx) { return { ran_for: ctx.actor.type }; },
} };
`;

t.test('plugin route responses, view bundles and refusals at the edges', async (t) => {
  const root = await tempDir('edges');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root });
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  t.equal((await admin.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] })).status, 201);

  const handlers = ['created', 'csv', 'html', 'cookie', 'weird', 'plain'];
  const folder = await writePlugin(root, 'responder', {
    id: 'responder', name: 'Responder', version: '1.0.0', kernel: '^1.0.0', server: 'dist/server.js', ui: 'dist/views.js',
    routes: [
      ...handlers.map((h) => ({ method: 'GET', path: `/${h}`, handler: h })),
      { method: 'POST', path: '/guarded', handler: 'guarded', access: { records: { deal: ['update'] } } },
    ],
    views: [{ slot: 'nav.page', element: 'responder-page', label: 'Responder' }],
  }, RESPONDER);
  await writeFile(join(folder, 'dist', 'views.js'), "customElements.define('responder-page', class extends HTMLElement {});\n");
  const installed = await admin.post('/api/plugins', { path: folder });
  t.equal(installed.status, 201, 'a plugin that asks for no permission needs no grant');

  t.test('respond() sets status, allowed headers and text bodies; the rest is refused', async (t) => {
    const created = await admin.get('/api/plugins/responder/created');
    t.equal(created.status, 201);
    t.same(created.body, { id: 1 });
    t.equal(created.raw.headers.location, '/x/1');
    t.equal(created.raw.headers['x-trace'], 'abc');
    t.equal(created.raw.headers['x-content-type-options'], 'nosniff');
    const csv = await admin.get('/api/plugins/responder/csv');
    t.equal(csv.raw.headers['content-type'], 'text/csv; charset=utf-8');
    t.equal(csv.raw.body, 'a,b\n1,2\n');
    t.match(csv.raw.headers['content-disposition'], /a\.csv/);
    for (const path of ['html', 'cookie', 'weird']) {
      const res = await admin.get(`/api/plugins/responder/${path}`);
      t.equal(res.status, 502, path);
      t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_RESPONSE_INVALID', path);
      t.notOk(res.raw.headers['set-cookie'], `${path}: no cookie set`);
    }
    const plain = await admin.get('/api/plugins/responder/plain');
    t.equal(plain.raw.headers['content-type'], 'application/json; charset=utf-8');
    t.equal(plain.body, 'just a string', 'a plain value is JSON, a string included');
  });

  t.test('a route that declares access runs only for callers whose role allows it', async (t) => {
    t.same((await admin.post('/api/plugins/responder/guarded', {})).body, { ran_for: 'member' });
    const viewer = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'viewer'));
    const refused = await viewer.post('/api/plugins/responder/guarded', {});
    t.equal(refused.status, 403);
    t.equal(refused.body.error.code, 'MOSAIC_ERR_FORBIDDEN');
    t.match(refused.body.error.message, /update deal records/);
    t.equal((await viewer.get('/api/plugins/responder/plain')).status, 200, 'routes without access stay open to members');
  });

  t.test('the view bundle is served for the running revision only', async (t) => {
    const list = await admin.get('/api/plugins');
    const url = list.body.data[0].views_url as string;
    t.match(url, /^\/plugin-assets\/responder\/[0-9a-f]{32}\/views\.js$/);
    t.same(list.body.data[0].views, [{ slot: 'nav.page', element: 'responder-page', label: 'Responder', object: null, field: null, field_type: null, icon: null }]);
    const bundle = await admin.get(url);
    t.equal(bundle.status, 200);
    t.match(bundle.raw.headers['content-type'], /^text\/javascript/);
    t.match(bundle.raw.headers['cache-control'], /immutable/);
    t.match(bundle.raw.body, /responder-page/);
    const stale = await admin.get('/plugin-assets/responder/0123456789abcdef0123456789abcdef/views.js');
    t.equal(stale.status, 404);
    t.equal(stale.body.error.code, 'MOSAIC_ERR_PLUGIN_VIEWS_MISSING');
    t.equal((await kernel.app.inject({ method: 'GET', url })).statusCode, 401, 'only for signed-in members');
  });

  t.test('files changed on disk are not run until the plugin is upgraded', async (t) => {
    await writeFile(join(folder, 'dist', 'server.js'), RESPONDER.replace('just a string', 'changed'));
    await kernel.services.plugins.sandboxes.close(); // a fresh process would read the folder again
    const res = await admin.get('/api/plugins/responder/plain');
    t.equal(res.status, 409);
    t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_CHANGED');
    const reload = await admin.put('/api/plugins/responder', { path: folder });
    t.equal(reload.body.outcome, 'upgraded', 'same version, new revision: reloaded');
    t.equal((await admin.get('/api/plugins/responder/plain')).body, 'changed');
  });

  t.test('an object that already exists is a conflict, listed before anything is created', async (t) => {
    const clash = await writePlugin(root, 'clash', { ...lifecycleManifest('1.0.0', { id: 'clash' }), objects: [{ name: 'deal', fields: [{ name: 'x', type: 'text' }] }] });
    const res = await admin.post('/api/plugins', { path: clash, grant: 'requested' });
    t.equal(res.status, 409);
    t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_CONFLICT');
    t.match(res.body.error.details, [{ code: 'MOSAIC_ERR_MANIFEST_OBJECT_CLASH' }]);
  });

  t.test('upgrades that cannot replace the running version are refused', async (t) => {
    const v2 = await writeLifecycleVersion(root, '2.0.0');
    t.equal((await admin.post('/api/plugins', { path: v2, grant: 'requested' })).status, 201);
    const older = await writeLifecycleVersion(root, '1.0.0');
    const down = await admin.put('/api/plugins/life', { path: older });
    t.equal(down.status, 422);
    t.equal(down.body.error.code, 'MOSAIC_ERR_PLUGIN_UPGRADE_INVALID');
    t.match(down.body.error.message, /older than the installed 2\.0\.0/);
    const retyped = await writePlugin(root, 'life-retyped', { ...lifecycleManifest('2.1.0'), objects: [{ name: 'life_note', fields: [{ name: 'title', type: 'number' }, { name: 'kind', type: 'text' }] }] });
    const typed = await admin.put('/api/plugins/life', { path: retyped });
    t.equal(typed.body.error.code, 'MOSAIC_ERR_PLUGIN_UPGRADE_INVALID');
    t.match(typed.body.error.message, /life_note\.title from text to number/);
    const other = await admin.put('/api/plugins/life', { path: folder });
    t.equal(other.body.error.code, 'MOSAIC_ERR_PLUGIN_UPGRADE_INVALID', 'a folder holding another plugin');
    t.equal((await admin.get('/api/plugins/life')).body.version, '2.0.0');
  });
});
