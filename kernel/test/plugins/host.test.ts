import t from 'tap';
import type { PluginManifest } from '@mosaic/plugin-sdk';
import { pino } from 'pino';
import type { KernelServices } from '../../src/app/services.js';
import { createHostBridge } from '../../src/plugins/host/bridge.js';
import { pluginAccess, pluginActor } from '../../src/plugins/host/records.js';
import { matchRoute } from '../../src/plugins/match.js';
import type { RecordService } from '../../src/records/service.js';

const manifest = {
  id: 'sample',
  name: 'Sample',
  version: '1.0.0',
  kernel: '^1.0.0',
  permissions: { records: { company: ['read'], deal: ['read', 'update'] } },
  objects: [{ name: 'sample_note' }],
} as PluginManifest;

t.test('plugin access: grants, own objects, nothing else', async (t) => {
  const access = pluginAccess(manifest);
  t.ok(access.object('company', 'read'));
  t.notOk(access.object('company', 'create'));
  t.ok(access.object('deal', 'update'));
  for (const op of ['read', 'create', 'update', 'delete'] as const) t.ok(access.object('sample_note', op), `own object: ${op}`);
  t.notOk(access.object('person', 'read'));
  t.notOk(access.can('plugins'), 'no workspace capabilities');
  t.throws(() => access.assertObject('person', 'read'), { code: 'MOSAIC_ERR_OBJECT_NOT_FOUND' });
  t.throws(() => access.assertObject('company', 'delete'), { code: 'MOSAIC_ERR_FORBIDDEN' });
});

t.test('the host bridge is an allow-list of own methods', async (t) => {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const services = { log } as unknown as KernelServices;
  const bridge = createHostBridge({ services, records: {} as RecordService, manifest, workspaceId: 'w1', actor: pluginActor(manifest), invocation: { kind: 'routes', handler: 'h' } });
  for (const [capability, method] of [['records', 'constructor'], ['records', 'hasOwnProperty'], ['__proto__', 'x'], ['kv', 'purge'], ['log', 'debug']]) {
    await t.rejects(bridge(capability!, method!, []), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID' }, `${capability}.${method}`);
  }
  lines.length = 0;
  t.equal(await bridge('log', 'warn', ['hello', { n: 1 }]), null);
  const line = JSON.parse(lines[0]!);
  t.match(line, { level: 40, pluginId: 'sample', workspaceId: 'w1', handler: 'routes.h', data: { n: 1 }, msg: 'hello' });
  lines.length = 0;
  await t.rejects(bridge('log', 'info', ['x', [1]]), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID' });
  t.match(JSON.parse(lines[0]!), { level: 30, pluginId: 'sample', workspaceId: 'w1', handler: 'routes.h', call: 'log.info', code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID', msg: 'plugin host call refused' }, 'a refused host call is logged, attributed to the plugin');
  lines.length = 0;
  await t.rejects(bridge('kv', 'get', ['k']), { code: 'MOSAIC_ERR_PLUGIN_PERMISSION' });
  t.match(JSON.parse(lines[0]!), { pluginId: 'sample', call: 'kv.get', code: 'MOSAIC_ERR_PLUGIN_PERMISSION' });
});

t.test('route matching: method, params, literals before params', async (t) => {
  const routes = [
    { method: 'GET', path: '/notes/:id', handler: 'one' },
    { method: 'GET', path: '/notes/recent', handler: 'recent' },
    { method: 'POST', path: '/notes', handler: 'create' },
  ] as const;
  t.same(matchRoute(routes, 'GET', '/notes/abc'), { route: routes[0], params: { id: 'abc' } });
  t.equal(matchRoute(routes, 'GET', '/notes/recent')?.route.handler, 'recent');
  t.equal(matchRoute(routes, 'GET', '/notes'), null);
  t.equal(matchRoute(routes, 'POST', '/notes/')?.route.handler, 'create');
  t.same(matchRoute(routes, 'GET', '/notes/a%20b')?.params, { id: 'a b' });
});
