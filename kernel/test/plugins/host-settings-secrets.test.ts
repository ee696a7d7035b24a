import t from 'tap';
import { deleteSecret, listSecretNames, purgePluginState, readSettings, setSecret, writeSettings } from '../../src/plugins/state/index.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { hostApiManifest, hostHarness } from './fixtures/host-api.js';

const SETTINGS = {
  type: 'object',
  properties: {
    region: { type: 'string', enum: ['eu', 'us'] },
    batch_size: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
    notify: { type: 'object', properties: { email: { type: 'string', format: 'email' }, daily: { type: 'boolean', default: true } }, default: {} },
  },
  required: ['region'],
  additionalProperties: false,
};

t.test('plugin settings and secrets', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const other = await signUp(kernel.app);
  const knex = kernel.services.db.knex;
  const box = kernel.services.secretBox;
  const ws = owner.workspaceId;
  const manifest = hostApiManifest({ permissions: { settings: true, secrets: true, http: ['http://127.0.0.1/*'] }, settings: SETTINGS, secrets: ['API_TOKEN', 'WEBHOOK_SECRET'] });
  const plugin = hostHarness(t, kernel, manifest, ws);

  t.test('settings: defaults before anything is saved', async (t) => {
    t.same(await readSettings(knex, ws, manifest), { batch_size: 100, notify: { daily: true } });
    t.same(await plugin.call('settings', 'get'), { value: { batch_size: 100, notify: { daily: true } } });
  });

  t.test('settings: every problem is reported, nothing is saved', async (t) => {
    let caught: any;
    try {
      await writeSettings(knex, ws, manifest, { region: 'mars', batch_size: 0, notify: { email: 'nope' }, colour: 'red' });
    } catch (error) {
      caught = error;
    }
    t.equal(caught?.code, 'MOSAIC_ERR_PLUGIN_SETTINGS_INVALID');
    t.equal(caught.statusCode, 422);
    t.same(
      [...caught.details].map((d: { path: string }) => d.path).sort(),
      ['batch_size', 'colour', 'notify.email', 'region'],
      'one detail per problem',
    );
    t.match(caught.details.find((d: { path: string }) => d.path === 'region'), { message: 'must be one of: "eu", "us"', code: 'enum' });
    t.match(caught.message, /"hostapi" are invalid: .*colour is not a setting of this plugin/);
    await t.rejects(writeSettings(knex, ws, manifest, {}), { code: 'MOSAIC_ERR_PLUGIN_SETTINGS_INVALID', details: [{ path: 'region', message: 'is required' }] });
    await t.rejects(writeSettings(knex, ws, manifest, ['eu']), { code: 'MOSAIC_ERR_PLUGIN_SETTINGS_INVALID', details: [{ path: '', message: 'must be an object' }] });
    await t.rejects(writeSettings(knex, ws, manifest, { region: 'eu', notify: { email: 'a\u0000@b.c' } }), { code: 'MOSAIC_ERR_PLUGIN_SETTINGS_INVALID' });
    t.equal((await knex('plugin_settings').where({ workspace_id: ws })).length, 0);
  });

  t.test('settings: saved as given, read with defaults, per workspace', async (t) => {
    const saved = await writeSettings(knex, ws, manifest, { region: 'eu', notify: { email: 'ops@example.com' } });
    t.same(saved, { region: 'eu', batch_size: 100, notify: { email: 'ops@example.com', daily: true } }, 'answers what the plugin will read');
    t.same((await knex('plugin_settings').where({ workspace_id: ws }).first()).value, { region: 'eu', notify: { email: 'ops@example.com' } }, 'stored without defaults');
    t.same(await plugin.call('settings', 'get'), { value: saved });
    await writeSettings(knex, ws, manifest, { region: 'us', batch_size: 5 });
    t.same(await plugin.call('settings', 'get'), { value: { region: 'us', batch_size: 5, notify: { daily: true } } }, 'a save replaces the whole object');
    const elsewhere = hostHarness(t, kernel, manifest, other.workspaceId);
    t.same(await elsewhere.call('settings', 'get'), { value: { batch_size: 100, notify: { daily: true } } }, 'another workspace has its own');
    const upgraded = { ...manifest, version: '1.1.0', settings: { ...SETTINGS, properties: { ...SETTINGS.properties, mode: { type: 'string', default: 'fast' } } } };
    t.same(await readSettings(knex, ws, upgraded), { region: 'us', batch_size: 5, notify: { daily: true }, mode: 'fast' }, "a new version's defaults reach saved settings");
  });

  t.test('settings: a plugin without a schema stores only {}', async (t) => {
    const bare = hostApiManifest({ id: 'bare', permissions: { settings: true } });
    t.same(await writeSettings(knex, ws, bare, {}), {});
    await t.rejects(writeSettings(knex, ws, bare, { x: 1 }), { code: 'MOSAIC_ERR_PLUGIN_SETTINGS_INVALID', details: [{ path: 'x' }] });
  });

  t.test('secrets: set, read by the plugin only, listed by name', async (t) => {
    t.same(await plugin.call('secrets', 'get', 'API_TOKEN'), { value: null }, 'null until an admin sets it');
    const info = await setSecret(knex, box, ws, manifest, 'API_TOKEN', 'tok_123');
    t.equal(info.name, 'API_TOKEN');
    t.ok(info.updatedAt instanceof Date);
    t.same(await plugin.call('secrets', 'get', 'API_TOKEN'), { value: 'tok_123' });
    const stored = await knex('plugin_secret').where({ workspace_id: ws, name: 'API_TOKEN' }).first('value');
    t.match(stored.value, /^v1:/, 'stored encrypted');
    t.notMatch(stored.value, /tok_123/, 'the value is not in the database in the clear');
    await setSecret(knex, box, ws, manifest, 'API_TOKEN', 'tok_456');
    await setSecret(knex, box, ws, manifest, 'WEBHOOK_SECRET', 'whsec');
    t.same(await plugin.call('secrets', 'get', 'API_TOKEN'), { value: 'tok_456' }, 'replaced');
    const names = await listSecretNames(knex, ws, 'hostapi');
    t.same(names.map((n) => n.name), ['API_TOKEN', 'WEBHOOK_SECRET']);
    t.notOk(JSON.stringify(names).includes('tok_'), 'no values in the list');
    t.same(Object.keys(names[0]!).sort(), ['name', 'updatedAt']);
    const elsewhere = hostHarness(t, kernel, manifest, other.workspaceId);
    t.same(await elsewhere.call('secrets', 'get', 'API_TOKEN'), { value: null }, 'another workspace has its own');
  });

  t.test('secrets: undeclared names and bad values are refused', async (t) => {
    await t.rejects(setSecret(knex, box, ws, manifest, 'OTHER', 'x'), { code: 'MOSAIC_ERR_PLUGIN_SECRET_UNKNOWN', message: /declares API_TOKEN, WEBHOOK_SECRET/ });
    for (const value of ['', 42, null, 'x'.repeat(16 * 1024 + 1), 'a\u0000b']) {
      await t.rejects(setSecret(knex, box, ws, manifest, 'API_TOKEN', value), { code: 'MOSAIC_ERR_REQUEST_INVALID', details: [{ path: 'value' }] }, JSON.stringify(value)?.slice(0, 20));
    }
    t.match(await plugin.call('secrets', 'get', 'OTHER'), { code: 'MOSAIC_ERR_PLUGIN_SECRET_UNKNOWN', message: /declares no secret "OTHER"/ });
    for (const name of [42, '', 'x'.repeat(129)]) {
      t.match(await plugin.call('secrets', 'get', name), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID' });
    }
    t.equal(await deleteSecret(knex, ws, 'hostapi', 'WEBHOOK_SECRET'), true);
    t.equal(await deleteSecret(knex, ws, 'hostapi', 'WEBHOOK_SECRET'), false, 'already gone');
    t.same(await plugin.call('secrets', 'get', 'WEBHOOK_SECRET'), { value: null });
  });

  t.test('without the permissions, settings and secrets are refused', async (t) => {
    const denied = hostHarness(t, kernel, { ...manifest, id: 'hostapi', permissions: {} }, ws);
    t.match(await denied.call('settings', 'get'), { code: 'MOSAIC_ERR_PLUGIN_PERMISSION', message: /may not read its settings.*"settings": true/ });
    t.match(await denied.call('secrets', 'get', 'API_TOKEN'), { code: 'MOSAIC_ERR_PLUGIN_PERMISSION', message: /may not read secrets.*"secrets": true/ });
  });

  t.test('a handler using settings, secrets and http together', async (t) => {
    const http = await import('node:http');
    const server = http.createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ authorization: req.headers.authorization, region: req.headers['x-region'] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    t.teardown(() => server.close());
    const port = (server.address() as { port: number }).port;
    const withPort = hostApiManifest({ ...manifest, permissions: { ...manifest.permissions, http: [`http://127.0.0.1:${port}/*`] } });
    const { invoke } = hostHarness(t, { ...kernel, services: { ...kernel.services, config: { ...kernel.services.config, pluginHttpAllowPrivate: true } } }, withPort, ws);
    t.same(await invoke('lookUp', { url: `http://127.0.0.1:${port}/lookup` }), { status: 200, echoed: { authorization: 'Bearer tok_456', region: 'us' } });
  });

  t.test('purgePluginState removes settings, secrets and keys of one plugin in one workspace', async (t) => {
    await knex('plugin_kv').insert([
      { workspace_id: ws, plugin_id: 'hostapi', key: 'a', value: '1' },
      { workspace_id: other.workspaceId, plugin_id: 'hostapi', key: 'a', value: '1' },
      { workspace_id: ws, plugin_id: 'bare', key: 'a', value: '1' },
    ]);
    t.same(await purgePluginState(knex, ws, 'hostapi'), { settings: 1, secrets: 1, kv: 1 });
    t.same(await purgePluginState(knex, ws, 'hostapi'), { settings: 0, secrets: 0, kv: 0 }, 'twice is harmless');
    t.equal((await knex('plugin_kv').where({ plugin_id: 'hostapi' })).length, 1, "another workspace's keys stay");
    t.equal((await knex('plugin_kv').where({ plugin_id: 'bare' })).length, 1, "another plugin's keys stay");
    t.equal((await knex('plugin_settings').where({ plugin_id: 'bare' })).length, 1, "another plugin's settings stay");
  });
});
