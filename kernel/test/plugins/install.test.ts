import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { api } from '../helpers/api.js';
import { inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { sampleManifest, tempDir, writePlugin } from './fixtures/sample.js';

t.test('plugin installation', async (t) => {
  const root = await tempDir('plugins');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root });
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  t.equal((await admin.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] })).status, 201);

  t.test('installs: contributed object and field carry the plugin id; GET lists it in plain words', async (t) => {
    const folder = await writePlugin(root, 'sample', sampleManifest());
    const unconsented = await admin.post('/api/plugins', { path: folder });
    t.equal(unconsented.status, 409, 'no grant: the admin has not consented');
    t.equal(unconsented.body.error.code, 'MOSAIC_ERR_PLUGIN_CONSENT_REQUIRED');
    t.match(unconsented.body.error.details, [{ path: 'grant', message: 'Read and update Deal records' }]);
    t.equal((await admin.get('/api/metadata/objects/sample_note')).status, 404, 'nothing was created before consent');
    const narrow = await admin.post('/api/plugins', { path: folder, grant: { records: { deal: ['read'] } } });
    t.equal(narrow.body.error.code, 'MOSAIC_ERR_PLUGIN_CONSENT_REQUIRED', 'a grant narrower than the request is not consent');
    const res = await admin.post('/api/plugins', { path: folder, grant: { records: { deal: ['read', 'update'] } } });
    t.equal(res.status, 201, JSON.stringify(res.body));
    t.same(res.body.granted, { records: { deal: ['read', 'update'] } });
    t.equal(res.body.id, 'sample');
    t.equal(res.body.version, '1.0.0');

    const note = await admin.get('/api/metadata/objects/sample_note');
    t.equal(note.status, 200);
    t.equal(note.body.data.plugin_id, 'sample');
    t.equal(note.body.data.fields.find((f: { name: string }) => f.name === 'title').plugin_id, 'sample');
    const deal = await admin.get('/api/metadata/objects/deal');
    t.equal(deal.body.data.plugin_id, null, 'the admin object stays the admin’s');
    t.equal(deal.body.data.fields.find((f: { name: string }) => f.name === 'sample_score').plugin_id, 'sample');

    const table = await kernel.services.db.knex.raw(
      `select count(*)::int as n from information_schema.tables where table_name = 'sample_note'`,
    );
    t.equal(table.rows[0].n, 1, 'the table exists');
    const row = await kernel.services.db.knex('plugin_installation').where({ workspace_id: owner.workspaceId, plugin_id: 'sample' }).first();
    t.equal(row.enabled, true);
    t.equal(row.manifest.id, 'sample');

    const list = await admin.get('/api/plugins');
    t.equal(list.status, 200);
    t.equal(list.body.data.length, 1);
    t.same(list.body.data[0].permissions, ['Read and update Deal records']);
    t.ok(list.body.data[0].routes.some((r: { path: string }) => r.path === '/api/plugins/sample/notes'));
  });

  t.test('installing twice is refused', async (t) => {
    const res = await admin.post('/api/plugins', { path: join(root, 'sample'), grant: 'requested' });
    t.equal(res.status, 409);
    t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_ALREADY_INSTALLED');
  });

  t.test('an invalid manifest is refused with every problem listed', async (t) => {
    const folder = await writePlugin(root, 'broken', { id: 'Not An Id', name: 'Broken', version: 'one', kernel: '^1.0.0', routes: [{ method: 'GET', path: '/x', handler: '1bad' }] });
    const res = await admin.post('/api/plugins', { path: folder });
    t.equal(res.status, 400);
    t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_MANIFEST_INVALID');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    for (const path of ['id', 'version', 'routes[0].handler']) t.ok(paths.includes(path), `${path} is reported (${paths.join(', ')})`);
    t.ok(res.body.error.details.every((d: { message: string }) => d.message.length > 0));
  });

  t.test('a manifest whose server bundle is missing, or that is not JSON, is refused', async (t) => {
    const folder = join(root, 'no-bundle');
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, 'mosaic-plugin.json'), JSON.stringify(sampleManifest({ id: 'nobundle', objects: [], fields: [], permissions: {} })));
    const missing = await admin.post('/api/plugins', { path: folder });
    t.equal(missing.body.error.code, 'MOSAIC_ERR_PLUGIN_MANIFEST_INVALID');
    t.equal(missing.body.error.details[0].path, 'server');

    const notJson = join(root, 'not-json');
    await mkdir(notJson, { recursive: true });
    await writeFile(join(notJson, 'mosaic-plugin.json'), '{ nope');
    const res = await admin.post('/api/plugins', { path: notJson });
    t.equal(res.status, 400);
    t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_MANIFEST_INVALID');
  });

  t.test('a failed install leaves nothing behind', async (t) => {
    // The field clashes with one an admin added to "deal", which fails after the object was created.
    const folder = await writePlugin(root, 'half', sampleManifest({
      id: 'half',
      objects: [{ name: 'half_thing', fields: [{ name: 'title', type: 'text' }] }],
      permissions: { records: { deal: ['read', 'update'] } },
      fields: [{ object: 'deal', field: { name: 'title', type: 'text' } }],
    }));
    const res = await admin.post('/api/plugins', { path: folder, grant: 'requested' });
    t.equal(res.status, 409, JSON.stringify(res.body));
    t.equal(res.body.error.code, 'MOSAIC_ERR_FIELD_EXISTS');
    t.equal((await admin.get('/api/metadata/objects/half_thing')).status, 404, 'the object was removed again');
    t.notOk(await kernel.services.db.knex('plugin_installation').where({ plugin_id: 'half' }).first());
  });

  t.test('folders outside PLUGIN_DIRS are refused, symlinks and relative paths included', async (t) => {
    const outside = await tempDir('outside');
    const folder = await writePlugin(outside, 'evil', sampleManifest({ id: 'evil', objects: [], fields: [], permissions: {} }));
    for (const path of [folder, join(root, '..', 'evil'), 'sample', root]) {
      const res = await admin.post('/api/plugins', { path });
      t.equal(res.status, 400, path);
      t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_PATH_FORBIDDEN', path);
    }
    await symlink(folder, join(root, 'link'));
    const res = await admin.post('/api/plugins', { path: join(root, 'link') });
    t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_PATH_FORBIDDEN', 'a symlink out of the directory');
  });

  t.test('a member without the plugins capability cannot list or install', async (t) => {
    const member = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'member'));
    const install = await member.post('/api/plugins', { path: join(root, 'sample') });
    t.equal(install.status, 403);
    t.equal(install.body.error.code, 'MOSAIC_ERR_FORBIDDEN');
    const list = await member.get('/api/plugins');
    t.equal(list.status, 200, 'members see the enabled plugins, for their views');
    t.equal(list.body.data[0].id, 'sample');
    t.notOk('permissions' in list.body.data[0], 'but not their grants, folders or health');
    t.notOk('folder' in list.body.data[0]);
    t.same(list.body.data[0].records, { deal: ['read', 'update'], sample_note: ['read', 'create', 'update', 'delete'] }, 'what its views may do with records');
    t.equal((await member.get('/api/plugins/sample')).status, 403);
  });
});
