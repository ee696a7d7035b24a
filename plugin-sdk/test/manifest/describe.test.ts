import t from 'tap';
import { describePermissions, diffPermissions, type PluginManifest } from '../../src/index.js';
import { changed, fullManifest } from './fixtures.js';

t.test('describePermissions words each permission for a consent screen', async (t) => {
  const manifest = changed((m) => (m.permissions.events.subscribe = ['record.created'])) as PluginManifest;
  t.same(describePermissions(manifest), [
    'Read and update Company records',
    'Read, create, update and delete Enrichment log records',
    'Receive record.created events on Company',
    'Publish acme.enrichment.* events',
    'Send HTTP requests to https://api.example.com/*',
    'Store its own data',
    'Read its settings',
    'Read its secrets',
  ]);
});

t.test('the member directory is a permission of its own, and asking for it is growth', async (t) => {
  const base: PluginManifest = { id: 'acme.tasks', name: 'Tasks', version: '1.0.0', kernel: '^1.0.0', permissions: { kv: true } };
  const next: PluginManifest = { ...base, version: '1.1.0', permissions: { kv: true, members: true } };
  t.same(describePermissions(next), ['Store its own data', "See the names and email addresses of the workspace's members"]);
  const diff = diffPermissions(base, next);
  t.equal(diff.grows, true);
  t.same(diff.added, { members: true });
  t.same(diffPermissions(next, base).removed, { members: true });
  t.equal(diffPermissions(next, { ...next }).grows, false, 'keeping it is not growth');
});

t.test('describePermissions names objects by label when the plugin contributes them, and skips covered patterns', async (t) => {
  const manifest: PluginManifest = {
    id: 'acme.crm',
    name: 'CRM',
    version: '1.0.0',
    kernel: '^1.0.0',
    objects: [{ name: 'sales_call', label_singular: 'Sales call' }],
    permissions: {
      records: { sales_call: ['delete', 'read'], annual_report: ['read'] },
      events: { subscribe: ['record.updated', 'record.*', 'companies.merged'], emit: ['acme.crm.call.*', 'acme.crm.*'] },
      http: ['https://api.example.com/v1/*', 'https://api.example.com/*', 'https://other.example.com/x'],
    },
    events: [
      { type: 'record.updated', objects: ['annual_report'], handler: 'a' },
      { type: 'record.deleted', objects: ['sales_call', 'annual_report'], handler: 'b' },
      { type: 'companies.merged', handler: 'c' },
    ],
  };
  t.same(describePermissions(manifest), [
    'Read and delete Sales call records',
    'Read Annual report records',
    'Receive record.* events on Annual report and Sales call',
    'Receive companies.merged events',
    'Publish acme.crm.* events',
    'Send HTTP requests to https://api.example.com/*',
    'Send HTTP requests to https://other.example.com/x',
  ]);
  t.same(describePermissions({ id: 'x', name: 'x', version: '1.0.0', kernel: '*' } as PluginManifest), [], 'nothing asked, nothing said');
});

t.test('diffPermissions: the same permissions do not grow', async (t) => {
  const diff = diffPermissions(fullManifest() as PluginManifest, fullManifest() as PluginManifest);
  t.same(diff, { grows: false, added: {}, removed: {}, sentences: [] });
});

t.test('diffPermissions lists what an upgrade adds and removes', async (t) => {
  const previous = fullManifest() as PluginManifest;
  const next = changed((m) => {
    m.permissions.records.company = ['read', 'update', 'delete'];
    m.permissions.records.person = ['read'];
    m.permissions.events.subscribe = ['record.*', 'people.merged'];
    m.permissions.http = ['https://api.example.com/v2/*', 'https://cdn.example.com/*'];
    m.permissions.kv = false;
    m.objects.push({ name: 'enrichment_source', label_singular: 'Enrichment source' });
    m.permissions.records.enrichment_source = ['read', 'create'];
  }) as PluginManifest;
  const diff = diffPermissions(previous, next);
  t.equal(diff.grows, true);
  t.same(diff.added, {
    records: { company: ['delete'], person: ['read'] },
    events: { subscribe: ['people.merged'] },
    http: ['https://cdn.example.com/*'],
  }, 'narrower patterns already held and access to its new own object are not new');
  t.same(diff.removed, { http: ['https://api.example.com/*'], kv: true }, 'record.created is still held through record.*');
  t.same(diff.sentences, ['Delete Company records', 'Read Person records', 'Receive people.merged events', 'Send HTTP requests to https://cdn.example.com/*']);
});

t.test('diffPermissions: a pattern narrower than one held, and newly asked-for booleans', async (t) => {
  const previous = changed((m) => {
    m.permissions.events.subscribe = ['*'];
    m.permissions.settings = false;
    delete m.settings;
  }) as PluginManifest;
  const next = changed((m) => (m.permissions.events.subscribe = ['record.created', 'deals.*'])) as PluginManifest;
  const diff = diffPermissions(previous, next);
  t.same(diff.added, { settings: true });
  t.same(diff.sentences, ['Read its settings']);
  const own = changed((m) => delete m.permissions.records.enrichment_log) as PluginManifest;
  t.equal(diffPermissions(own, fullManifest() as PluginManifest).grows, false, 'listing its own object is not new');
});

t.test('"*" (every object): worded as reaching objects added later, and going to it is growth', async (t) => {
  const wide = { permissions: { records: { '*': ['read'] as const, company: ['read', 'update'] as const }, events: { subscribe: ['record.merged'] } }, events: [{ type: 'record.merged', objects: ['*'], handler: 'h' }] };
  t.same(describePermissions(wide), ['Read records of every object, including objects added later', 'Read and update Company records', 'Receive record.merged events on every object'], '"*" first: it is the widest');
  const named = { permissions: { records: { company: ['read'] as const, person: ['read'] as const } } };
  const grow = diffPermissions(named, { permissions: { records: { '*': ['read'] } } });
  t.equal(grow.grows, true, 'named objects to "*" needs consent again');
  t.same(grow.added, { records: { '*': ['read'] } });
  t.same(grow.sentences, ['Read records of every object, including objects added later']);
  const shrink = diffPermissions({ permissions: { records: { '*': ['read'] } } }, named);
  t.equal(shrink.grows, false, '"*" held covers reading any named object');
  t.same(shrink.removed, { records: { '*': ['read'] } });
  t.equal(diffPermissions({ permissions: { records: { '*': ['read'] } } }, { permissions: { records: { company: ['update'] } } }).grows, true, '"*" holds reading only');
});
