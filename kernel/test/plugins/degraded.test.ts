import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startPeerKernel, startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';
import { tempDir, writePlugin } from './fixtures/sample.js';

const FLAKY = `
globalThis.__mosaicPlugin = { routes: {
  async flood(ctx) { for (let i = 0; i < 250; i++) await ctx.host.log.info('again'); },
  ok() { return { ok: true }; },
} };
`;

t.test('a plugin that keeps failing is paused, every process shows why, and a reset brings it back', async (t) => {
  const root = await tempDir('degraded');
  const env = { PLUGIN_DIRS: root };
  const one = await startTestKernel(t, env);
  const two = await startPeerKernel(t, one, env);
  const owner = await signUp(one.app);
  const onOne = api(one.app, owner);
  const onTwo = api(two.app, owner);
  const folder = await writePlugin(root, 'flaky', {
    id: 'flaky', name: 'Flaky', version: '1.0.0', kernel: '^1.0.0', server: 'dist/server.js',
    routes: [{ method: 'GET', path: '/flood', handler: 'flood' }, { method: 'GET', path: '/ok', handler: 'ok' }],
  }, FLAKY);
  t.equal((await onOne.post('/api/plugins', { path: folder })).status, 201);

  for (let i = 0; i < 5; i++) t.equal((await onOne.get('/api/plugins/flaky/flood')).body.error.code, 'MOSAIC_ERR_PLUGIN_HOST_CALLS', `failure ${i + 1}`);
  const paused = await onOne.get('/api/plugins/flaky/ok');
  t.equal(paused.status, 503);
  t.equal(paused.body.error.code, 'MOSAIC_ERR_PLUGIN_DEGRADED', 'even a good call is refused while paused');

  const seen = await waitFor(async () => (await onTwo.get('/api/plugins/flaky')).body.error, 5000);
  t.match(seen, { code: 'MOSAIC_ERR_PLUGIN_DEGRADED', message: /MOSAIC_ERR_PLUGIN_HOST_CALLS/ }, 'the other process shows why it was paused');
  t.match((await onOne.get('/api/plugins/flaky')).body.health, { state: 'degraded', failures: 5 });

  // The reset is made on the other process; the process holding the paused sandbox follows.
  t.equal((await onTwo.patch('/api/plugins/flaky', { reset: true })).body.error, null);
  const back = await waitFor(async () => (await onOne.get('/api/plugins/flaky/ok')).status === 200, 5000);
  t.ok(back, 'the plugin answers again on the process where it was paused');
  t.same((await onOne.get('/api/plugins/flaky/ok')).body, { ok: true });
});
