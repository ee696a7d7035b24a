import t from 'tap';
import { api } from '../helpers/api.js';
import { inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';
import type { PluginManifest } from '@mosaic/plugin-sdk';
import { pluginAccess } from '../../src/plugins/host/records.js';
import { viewAccess } from '../../src/plugins/view-records.js';
import { Access } from '../../src/roles/index.js';
import { tempDir, writePlugin } from './fixtures/sample.js';
import { ATTEMPT_SOURCE } from './fixtures/host-api.js';

/**
 * A plugin reading "every object" (`permissions.records: { "*": ["read"] }`): through its host API, its
 * views' record API and its event subscriptions, on objects an admin creates after the install, and
 * never more than reading; a plugin with named objects gains nothing from it.
 */
const WILD_BUNDLE = `${ATTEMPT_SOURCE}globalThis.__mosaicPlugin = {
  routes: {
    read(ctx, input) {
      return attempt(() => ctx.host.records.get(input.params.object, input.params.id));
    },
    list(ctx, input) {
      return attempt(() => ctx.host.records.find(input.params.object, { limit: 10 }));
    },
    update(ctx, input) {
      return attempt(() => ctx.host.records.update(input.params.object, input.params.id, input.body));
    },
    create(ctx, input) {
      return attempt(() => ctx.host.records.create(input.params.object, input.body));
    },
  },
  events: {
    async seen(ctx, event) {
      await ctx.host.records.create('wild_seen', { on_object: event.object, record_id: event.record_id });
    },
  },
  jobs: {},
};
`;

const routes = [
  { method: 'GET', path: '/read/:object/:id', handler: 'read' },
  { method: 'GET', path: '/list/:object', handler: 'list' },
  { method: 'PATCH', path: '/update/:object/:id', handler: 'update' },
  { method: 'POST', path: '/create/:object', handler: 'create' },
];

function wildManifest(version: string, records: Record<string, string[]>, extra: Record<string, unknown> = {}) {
  return {
    id: 'wild',
    name: 'Wildcard reader',
    version,
    kernel: '^1.0.0',
    server: 'dist/server.js',
    ui: 'dist/views.js',
    permissions: { records, events: { subscribe: ['record.deleted'] } },
    objects: [{ name: 'wild_seen', label_singular: 'Seen', fields: [{ name: 'on_object', type: 'text' }, { name: 'record_id', type: 'text' }] }],
    routes,
    events: [{ type: 'record.deleted', objects: ['*'], handler: 'seen' }],
    views: [
      { slot: 'record.tab', element: 'wild-tab', label: 'Wild', object: '*' },
      { slot: 'dashboard.widget', element: 'wild-widget', label: 'Wild widget' },
    ],
    ...extra,
  };
}

t.test('the access a "*" grant amounts to, alone and intersected with a member (views, MCP plugin tools)', async (t) => {
  const plugin = (records: Record<string, string[]>) => pluginAccess({ id: 'p', name: 'P', version: '1.0.0', kernel: '^1.0.0', permissions: { records } } as PluginManifest);
  const all = { read: true, create: true, update: true, delete: true };
  const none = { read: false, create: false, update: false, delete: false };
  const member = new Access('m', { workspace: [], objects: { '*': all, vault: none }, fields: {} });

  const wild = plugin({ '*': ['read'] });
  t.ok(wild.object('anything_later', 'read'));
  t.notOk(wild.object('anything_later', 'update'));
  t.notOk(plugin({ '*': ['read', 'update', 'delete'] }).object('deal', 'update'), 'a stored manifest cannot widen "*" past reading');
  const mixed = plugin({ '*': ['read'], company: ['update'] });
  t.ok(mixed.object('company', 'read') && mixed.object('company', 'update'), 'a named entry adds to "*", never takes from it');
  t.notOk(mixed.object('deal', 'update'));

  const seen = viewAccess(member, wild);
  t.ok(seen.object('deal', 'read'));
  t.notOk(seen.object('deal', 'update'), 'the member may write, the plugin may not');
  t.notOk(seen.object('vault', 'read'), 'the plugin reads vault, the member may not');
  const named = viewAccess(new Access('r', { workspace: [], objects: { '*': { ...none, read: true } }, fields: {} }), plugin({ deal: ['read', 'update'] }));
  t.ok(named.object('deal', 'read'));
  t.notOk(named.object('deal', 'update'), 'the member only reads');
  t.notOk(named.object('other', 'read'), 'the member reads every object, the plugin only deal');
});

t.test('permissions.records "*": read every object, including ones created after the install', async (t) => {
  const root = await tempDir('any-object');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root });
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  const write = async (name: string, manifest: unknown) => {
    const folder = await writePlugin(root, name, manifest, WILD_BUNDLE);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(`${folder}/dist/views.js`, 'export {};\n');
    return folder;
  };

  const installed = await admin.post('/api/plugins', { path: await write('wild', wildManifest('1.0.0', { '*': ['read'] })), grant: 'requested' });
  t.equal(installed.status, 201, JSON.stringify(installed.body));
  t.ok(installed.body.permissions.includes('Read records of every object, including objects added later'), 'the consent sentence says how wide it is');
  t.ok(installed.body.permissions.includes('Receive record.deleted events on every object'));

  // Created by an admin after the install: no new consent, the grant already covers it.
  t.equal((await admin.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] })).status, 201);
  t.equal((await admin.post('/api/metadata/objects', { name: 'vault', fields: [{ name: 'title', type: 'text' }] })).status, 201);
  const deal = (await admin.post('/api/objects/deal', { title: 'Big one' })).body.data;
  const vault = (await admin.post('/api/objects/vault', { title: 'Gold' })).body.data;

  t.test('its server code reads the new object, and cannot write it', async (t) => {
    const read = await admin.get(`/api/plugins/wild/read/deal/${deal.id}`);
    t.match(read.body, { value: { id: deal.id, title: 'Big one' } }, JSON.stringify(read.body));
    t.match((await admin.get('/api/plugins/wild/list/deal')).body, { value: { data: [{ title: 'Big one' }] } });
    const update = await admin.patch(`/api/plugins/wild/update/deal/${deal.id}`, { title: 'Mine now' });
    t.match(update.body, { code: 'MOSAIC_ERR_FORBIDDEN' }, 'reading every object is not writing it');
    t.match((await admin.post('/api/plugins/wild/create/deal', { title: 'New' })).body, { code: 'MOSAIC_ERR_FORBIDDEN' });
    t.equal((await admin.get(`/api/objects/deal/${deal.id}`)).body.data.title, 'Big one', 'nothing changed');
    t.match((await admin.post('/api/plugins/wild/create/wild_seen', { on_object: 'x' })).body, { value: { on_object: 'x' } }, 'its own object stays fully its own');
    t.match((await admin.get('/api/plugins/wild/read/nothing_here/' + deal.id)).body, { code: 'MOSAIC_ERR_OBJECT_NOT_FOUND' });
  });

  t.test('a plugin with named objects only still reads nothing else', async (t) => {
    const named = wildManifest('1.0.0', { deal: ['read'] }, { id: 'named', name: 'Named', events: [], views: [], objects: [], permissions: { records: { deal: ['read'] } } });
    t.equal((await admin.post('/api/plugins', { path: await write('named', named), grant: 'requested' })).status, 201);
    t.match((await admin.get(`/api/plugins/named/read/deal/${deal.id}`)).body, { value: { title: 'Big one' } });
    t.match((await admin.get(`/api/plugins/named/read/vault/${vault.id}`)).body, { code: 'MOSAIC_ERR_OBJECT_NOT_FOUND' });
    t.equal((await admin.get(`/api/plugin-views/named/objects/vault/${vault.id}`)).body.error.code, 'MOSAIC_ERR_PLUGIN_PERMISSION');
    const plugins = (await admin.get('/api/plugins')).body.data as { id: string; records: Record<string, string[]> }[];
    t.same(plugins.find((p) => p.id === 'named')!.records, { deal: ['read'] }, 'no "*" is made up for it');
  });

  t.test('its views read every object the member reads, and write none; the member role still limits them', async (t) => {
    t.equal((await admin.get(`/api/plugin-views/wild/objects/vault/${vault.id}`)).body.data.title, 'Gold');
    const patch = await admin.patch(`/api/plugin-views/wild/objects/deal/${deal.id}`, { title: 'no' });
    t.equal(patch.body.error.code, 'MOSAIC_ERR_PLUGIN_PERMISSION', JSON.stringify(patch.body));
    const role = await admin.post('/api/workspace/roles', {
      key: 'no_vault',
      name: 'No vault',
      permissions: { workspace: [], objects: { '*': { read: true, create: true, update: true, delete: true }, vault: { read: false, create: false, update: false, delete: false } }, fields: {} },
    });
    t.equal(role.status, 201, JSON.stringify(role.body));
    const member = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'no_vault'));
    t.equal((await member.get(`/api/plugin-views/wild/objects/deal/${deal.id}`)).status, 200);
    const hidden = await member.get(`/api/plugin-views/wild/objects/vault/${vault.id}`);
    t.equal(hidden.body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND', 'the plugin reads vault, this member does not: neither does the view');

    const views = async (who: typeof admin) => {
      const wild = ((await who.get('/api/plugins')).body.data as { id: string; views: { slot: string; object: string | null }[]; records: Record<string, string[]> }[]).find((p) => p.id === 'wild')!;
      return { tabs: wild.views.filter((v) => v.slot === 'record.tab').map((v) => v.object).sort(), records: wild.records, widgets: wild.views.filter((v) => v.slot === 'dashboard.widget').length };
    };
    const forAdmin = await views(admin);
    t.ok(forAdmin.tabs.includes('deal') && forAdmin.tabs.includes('vault'), `a record tab on every object, new ones included: ${forAdmin.tabs}`);
    t.notOk(forAdmin.tabs.includes('wild_seen'), 'but not on the plugin’s own object');
    t.notOk(forAdmin.tabs.includes('*'), 'listed object by object, as the shell mounts them');
    t.same(forAdmin.records.deal, ['read']);
    t.same(forAdmin.records['*'], ['read']);
    t.equal(forAdmin.widgets, 1, 'other views are untouched');
    const forMember = await views(member);
    t.ok(forMember.tabs.includes('deal') && !forMember.tabs.includes('vault'), 'no tab on an object the member cannot read');
    t.notOk('vault' in forMember.records);
  });

  t.test('an event subscription on "*" follows every object, new ones included', async (t) => {
    t.equal((await admin.post('/api/metadata/objects', { name: 'ticket', fields: [{ name: 'title', type: 'text' }] })).status, 201);
    const ticket = (await admin.post('/api/objects/ticket', { title: 'Broken' })).body.data;
    t.equal((await admin.delete(`/api/objects/ticket/${ticket.id}`)).status, 200);
    t.equal((await admin.delete(`/api/objects/deal/${deal.id}`)).status, 200);
    const seen = await waitFor(async () => {
      const rows = (await admin.get('/api/objects/wild_seen?limit=50')).body.data as { on_object: string; record_id: string }[];
      const wanted = rows.filter((r) => r.on_object === 'ticket' || r.on_object === 'deal');
      return wanted.length >= 2 ? wanted : undefined;
    }, 10_000);
    t.same((seen ?? []).map((r) => r.record_id).sort(), [deal.id, ticket.id].sort(), 'the handler ran for both, the object created last included');
    const stored = await kernel.services.db.knex('event_subscriber').where('id', 'like', `plugin:${owner.workspaceId}:wild:%`).first();
    t.notOk(JSON.parse(typeof stored.filter === 'string' ? stored.filter : JSON.stringify(stored.filter)).objects, 'no object filter, rather than one on an object named "*"');
  });

  t.test('going from named objects to "*" is growth: the upgrade waits for consent', async (t) => {
    const narrow = wildManifest('1.0.0', { deal: ['read'] }, { id: 'grows', name: 'Grows', events: [], views: [], objects: [] });
    t.equal((await admin.post('/api/plugins', { path: await write('grows-1', narrow), grant: 'requested' })).status, 201);
    const wide = wildManifest('1.1.0', { '*': ['read'] }, { id: 'grows', name: 'Grows', events: [], views: [], objects: [] });
    const pending = await admin.put('/api/plugins/grows', { path: await write('grows-2', wide) });
    t.equal(pending.status, 409, JSON.stringify(pending.body));
    t.equal(pending.body.error.code, 'MOSAIC_ERR_PLUGIN_CONSENT_REQUIRED');
    t.match(pending.body.error.message, /Read records of every object, including objects added later/);
    t.match((await admin.get(`/api/plugins/grows/read/vault/${vault.id}`)).body, { code: 'MOSAIC_ERR_OBJECT_NOT_FOUND' }, '1.0.0 runs on, without it');
    const granted = await admin.put('/api/plugins/grows', { path: await write('grows-2', wide), grant: 'requested' });
    t.equal(granted.status, 200, JSON.stringify(granted.body));
    t.match((await admin.get(`/api/plugins/grows/read/vault/${vault.id}`)).body, { value: { title: 'Gold' } });
  });
});
