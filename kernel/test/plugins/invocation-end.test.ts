import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { tempDir, writePlugin } from './fixtures/sample.js';

t.test('host work an invocation started stops when the invocation ends', async (t) => {
  // A server that takes requests and never answers.
  const pending: IncomingMessage[] = [];
  const closedAt: number[] = [];
  const server = createServer((req) => {
    pending.push(req);
    req.socket.on('close', () => closedAt.push(Date.now()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const port = (server.address() as AddressInfo).port;

  const root = await tempDir('ending');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root, PLUGIN_HTTP_ALLOW_PRIVATE: 'true' });
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  const folder = await writePlugin(root, 'waiter', {
    id: 'waiter', name: 'Waiter', version: '1.0.0', kernel: '^1.0.0', server: 'dist/server.js',
    permissions: { http: [`http://127.0.0.1:${port}/*`] },
    routes: [{ method: 'GET', path: '/wait', handler: 'wait' }],
  }, `globalThis.__mosaicPlugin = { routes: { async wait(ctx) { return ctx.host.http.fetch('http://127.0.0.1:${port}/slow'); } } };`);
  t.equal((await admin.post('/api/plugins', { path: folder, grant: 'requested' })).status, 201);

  const res = await admin.get('/api/plugins/waiter/wait');
  const answeredAt = Date.now();
  t.equal(res.status, 504, 'the route hit its 5 s wall budget before the 10 s fetch timeout');
  t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_TIMEOUT');
  t.equal(pending.length, 1, 'the request reached the server');
  while (closedAt.length === 0 && Date.now() - answeredAt < 8000) await new Promise((r) => setTimeout(r, 20));
  t.equal(closedAt.length, 1, 'the outbound connection was closed');
  t.ok(closedAt[0]! - answeredAt < 2000, `closed ${closedAt[0]! - answeredAt} ms after the route answered, not at the fetch timeout`);
});
