import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { sampleManifest, tempDir, writePlugin } from './fixtures/sample.js';

t.test('plugin routes', async (t) => {
  const root = await tempDir('plugins');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root });
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  t.equal((await admin.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] })).status, 201);
  t.equal((await admin.post('/api/metadata/objects', { name: 'secret_thing', fields: [{ name: 'title', type: 'text' }] })).status, 201);
  const deal = await admin.post('/api/objects/deal', { title: 'Big one' });
  t.equal(deal.status, 201);
  const folder = await writePlugin(root, 'sample', sampleManifest());
  t.equal((await admin.post('/api/plugins', { path: folder, grant: 'requested' })).status, 201);

  t.test('a route creates a record through ctx.host.records as the plugin', async (t) => {
    const res = await admin.post('/api/plugins/sample/notes', { title: 'Hello' });
    t.equal(res.status, 200, JSON.stringify(res.body));
    t.equal(res.body.title, 'Hello');
    t.same(res.body.created_by, { type: 'plugin', id: 'sample', name: 'Sample plugin' });
    const read = await admin.get(`/api/objects/sample_note/${res.body.id}`);
    t.equal(read.body.data.title, 'Hello', 'the record is real');
    const again = await admin.get(`/api/plugins/sample/notes/${res.body.id}`);
    t.equal(again.status, 200);
    t.equal(again.body.id, res.body.id, ':params reach the handler');
  });

  t.test('an object the plugin was not granted is not found inside the plugin', async (t) => {
    const res = await admin.get('/api/plugins/sample/secret');
    t.equal(res.status, 200);
    t.equal(res.body.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND');
    t.match(res.body.message, /secret_thing/);
  });

  t.test('granted operations work; others are forbidden as over HTTP', async (t) => {
    const score = await admin.post('/api/plugins/sample/deal-score', { score: 7 });
    t.equal(score.status, 200, JSON.stringify(score.body));
    t.equal(score.body.sample_score, 7, 'the contributed field on the admin object can be written');
    const del = await admin.delete(`/api/plugins/sample/deals/${deal.body.data.id}`);
    t.same(del.body, { code: 'MOSAIC_ERR_FORBIDDEN' }, 'read but not delete: forbidden');
  });

  t.test('garbage arguments are refused with coded errors', async (t) => {
    const res = await admin.get('/api/plugins/sample/garbage');
    t.equal(res.status, 200);
    // kv exists as a capability, but this plugin was not granted it.
    t.same(res.body, ['MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', 'MOSAIC_ERR_PLUGIN_PERMISSION', 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID']);
  });

  t.test('unknown plugin routes and plugins not installed are 404', async (t) => {
    const route = await admin.get('/api/plugins/sample/nope');
    t.equal(route.status, 404);
    t.equal(route.body.error.code, 'MOSAIC_ERR_PLUGIN_ROUTE_NOT_FOUND');
    const method = await admin.post('/api/plugins/sample/secret', {});
    t.equal(method.body.error.code, 'MOSAIC_ERR_PLUGIN_ROUTE_NOT_FOUND', 'the method counts');
    const other = api(kernel.app, await signUp(kernel.app));
    const res = await other.post('/api/plugins/sample/notes', { title: 'x' });
    t.equal(res.status, 404);
    t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_NOT_INSTALLED');
    t.equal((await other.get('/api/plugins')).body.data.length, 0);
  });

  t.test('plugin routes need a signed-in caller', async (t) => {
    const res = await kernel.app.inject({ method: 'GET', url: '/api/plugins/sample/secret' });
    t.equal(res.statusCode, 401);
  });

  t.test('an infinite loop times out with 504 while other requests are served', async (t) => {
    let spinDone = false;
    const spinning = admin.get('/api/plugins/sample/spin').then((res) => {
      spinDone = true;
      return res;
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const list = await admin.get('/api/plugins');
    t.equal(list.status, 200);
    t.notOk(spinDone, 'answered while the plugin still spins');
    t.ok(Date.now() - started < 300, `served in ${Date.now() - started} ms`);
    const res = await spinning;
    t.equal(res.status, 504);
    t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_TIMEOUT');
    const after = await admin.post('/api/plugins/sample/notes', { title: 'After' });
    t.equal(after.status, 200, 'the plugin works again on a fresh isolate');
  });
});
