import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { createKernel, loadConfig } from '../../src/index.js';
import { readPluginsConfig } from '../../src/plugins/config-file.js';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { writeLifecycleVersion } from './fixtures/lifecycle.js';
import { tempDir } from './fixtures/sample.js';

const SETTINGS = { type: 'object', properties: { greeting: { type: 'string', default: 'hello' }, limit: { type: 'integer', minimum: 1 } } };

t.test('plugins.config.json is reconciled at boot and applied to new workspaces', async (t) => {
  const root = await tempDir('config');
  const file = join(root, 'plugins.config.json');
  await writeLifecycleVersion(root, '1.0.0', { settings: SETTINGS });
  await writeLifecycleVersion(root, '1.1.0', { settings: SETTINGS, extraField: true });
  await writeLifecycleVersion(root, '2.0.0', { settings: SETTINGS, extraField: true, morePermissions: true });
  const write = (plugins: unknown[]) => writeFile(file, JSON.stringify({ plugins }, null, 2));
  await write([{ path: 'life-1.0.0', grant: 'requested', settings: { limit: 5 } }]);

  const env = { PLUGIN_DIRS: root, PLUGINS_CONFIG: file };
  const first = await startTestKernel(t, env);
  t.same(first.services.plugins.lastReconcile, [], 'no workspace yet: nothing to do');
  // The deal object the plugin extends must exist before it can install: the first workspace gets it
  // after sign-up, so the plugin is reported as failed there and installed on the next boot.
  const owner = await signUp(first.app);
  const admin = api(first.app, owner);
  let list = (await admin.get('/api/plugins')).body.data;
  t.same(list, [], 'the plugin could not install into a workspace without a deal object');
  t.equal((await admin.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] })).status, 201);

  const boot = async (label: string) => {
    const kernel = await createKernel({ config: loadConfig({ LOG_LEVEL: 'silent', ...env }), databaseUrl: first.databaseUrl, logger: false });
    t.teardown(() => kernel.close());
    t.comment(`${label}: ${JSON.stringify(kernel.services.plugins.lastReconcile)}`);
    return kernel;
  };

  t.test('a boot installs what is missing and writes the configured settings', async (t) => {
    const second = await boot('second boot');
    t.match(second.services.plugins.lastReconcile, [
      { workspace_id: owner.workspaceId, plugin: 'life', action: 'installed', detail: '1.0.0' },
      { workspace_id: owner.workspaceId, plugin: 'life', action: 'settings' },
    ]);
    const detail = (await admin.get('/api/plugins/life')).body;
    t.equal(detail.source, 'config');
    t.same(detail.settings, { greeting: 'hello', limit: 5 }, 'configured settings, with schema defaults');
  });

  t.test('a new workspace gets the configured plugins at sign-up', async (t) => {
    // The deal object comes from the plugin's dependency in real set-ups; here a second workspace has none,
    // so the sign-up stands and the failure is reported, not thrown.
    const other = await signUp(first.app);
    t.same((await api(first.app, other).get('/api/plugins')).body.data, []);
  });

  t.test('a newer folder upgrades; one asking for more waits for consent', async (t) => {
    await write([{ path: 'life-1.1.0', grant: 'requested' }]);
    const third = await boot('upgrade');
    t.match(third.services.plugins.lastReconcile, [{ plugin: 'life', action: 'upgraded', detail: '1.0.0 → 1.1.0' }]);
    t.equal((await admin.get('/api/plugins/life')).body.version, '1.1.0');

    await write([{ path: 'life-2.0.0', grant: { records: { deal: ['read', 'update'] }, events: { subscribe: ['record.created'] }, settings: true } }]);
    const fourth = await boot('more permissions');
    t.match(fourth.services.plugins.lastReconcile, [{ plugin: 'life', action: 'pending_consent' }]);
    const detail = (await admin.get('/api/plugins/life')).body;
    t.equal(detail.version, '1.1.0', 'the granted version keeps running');
    t.equal(detail.pending.version, '2.0.0');
  });

  t.test('enabled: false disables; a plugin dropped from the file is disabled, its data kept', async (t) => {
    await write([{ path: 'life-1.1.0', grant: 'requested', enabled: false }]);
    const fifth = await boot('disable');
    t.match(fifth.services.plugins.lastReconcile, [{ plugin: 'life', action: 'disabled' }]);
    await write([{ path: 'life-1.1.0', grant: 'requested' }]);
    t.match((await boot('enable')).services.plugins.lastReconcile, [{ plugin: 'life', action: 'enabled' }]);
    await write([]);
    const dropped = await boot('dropped');
    t.match(dropped.services.plugins.lastReconcile, [{ plugin: 'life', action: 'disabled', detail: 'no longer in plugins.config.json' }]);
    t.equal((await admin.get('/api/metadata/objects/life_note')).status, 200);
  });

  t.test('two processes booting at once reconcile once', async (t) => {
    await write([{ path: 'life-1.1.0', grant: 'requested' }]);
    const [a, b] = await Promise.all([boot('a'), boot('b')]);
    const actions = [...a.services.plugins.lastReconcile, ...b.services.plugins.lastReconcile].filter((x) => x.workspace_id === owner.workspaceId);
    t.same(actions.filter((x) => x.action === 'enabled').length, 1, 'one of them enabled it, the other found it done');
    t.notOk(actions.some((x) => x.action === 'failed'));
  });

  t.test('a plugin named by npm package resolves from the file\'s folder', async (t) => {
    const pkg = join(root, 'node_modules', '@acme', 'life');
    await mkdir(join(pkg, 'dist'), { recursive: true });
    await cp(join(root, 'life-1.1.0'), pkg, { recursive: true });
    await writeFile(join(pkg, 'package.json'), JSON.stringify({ name: '@acme/life', version: '1.1.0' }));
    t.same(await readPluginsConfig(file).then(() => 'ok'), 'ok');
    await writeFile(file, JSON.stringify({ plugins: [{ package: '@acme/life', grant: 'requested' }] }));
    const [entry] = await readPluginsConfig(file);
    t.equal(entry!.folder, pkg);
    t.equal(entry!.label, '@acme/life');
    await writeFile(file, JSON.stringify({ plugins: [{ package: '@acme/missing' }] }));
    await t.rejects(readPluginsConfig(file), { code: 'MOSAIC_ERR_PLUGIN_CONFIG_INVALID', message: /"@acme\/missing", which is not installed/ });
  });

  t.test('an invalid file stops the boot with every problem', async (t) => {
    await writeFile(file, JSON.stringify({ plugins: [{ path: 'x', grant: 'everything', colour: 'red' }, { enabled: true }] }));
    await t.rejects(createKernel({ config: loadConfig({ LOG_LEVEL: 'silent', ...env }), databaseUrl: first.databaseUrl, logger: false }), { code: 'MOSAIC_ERR_PLUGIN_CONFIG_INVALID' });
    await writeFile(file, '{ not json');
    await t.rejects(createKernel({ config: loadConfig({ LOG_LEVEL: 'silent', ...env }), databaseUrl: first.databaseUrl, logger: false }), { code: 'MOSAIC_ERR_PLUGIN_CONFIG_INVALID', message: /not valid JSON/ });
  });
});
