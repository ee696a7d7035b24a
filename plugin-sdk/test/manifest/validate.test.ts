import t, { type Test } from 'tap';
import { assertValidManifest, isManifestError, ManifestError, validateManifest } from '../../src/index.js';
import { changed, fullManifest } from './fixtures.js';

/** The problems of a manifest as `CODE path`, sorted. */
function found(input: unknown): string[] {
  const result = validateManifest(input);
  return result.ok ? [] : result.problems.map((p) => `${p.code} ${p.path}`).sort();
}

/** Asserts that exactly these problems (code and path) are reported. */
function expectProblems(t: Test, input: unknown, expected: string[], name = 'reports exactly these problems'): void {
  t.same(found(input), [...expected].sort(), name);
}

t.test('a manifest using every key is valid, and the result is a copy', async (t) => {
  const input = fullManifest();
  const result = validateManifest(input);
  t.ok(result.ok, JSON.stringify(result.ok ? null : result.problems, null, 1));
  if (!result.ok) return;
  t.same(result.manifest, input);
  t.not(result.manifest, input);
  input.permissions.kv = false;
  t.equal(result.manifest.permissions?.kv, true, 'later changes to the input do not reach the validated manifest');
});

t.test('a minimal manifest is valid', async (t) => {
  expectProblems(t, { id: 'notes', name: 'Notes', version: '0.1.0', kernel: '>=0.1.0 <2' }, []);
});

t.test('schema problems: shape, missing and unknown keys, names', async (t) => {
  expectProblems(t, null, ['MOSAIC_ERR_MANIFEST_SCHEMA '], 'not an object');
  expectProblems(t, [], ['MOSAIC_ERR_MANIFEST_SCHEMA '], 'an array');
  expectProblems(t, { toJSON: () => { throw new Error('nope'); } }, ['MOSAIC_ERR_MANIFEST_SCHEMA '], 'not JSON data');
  expectProblems(t, changed((m) => delete m.kernel), ['MOSAIC_ERR_MANIFEST_SCHEMA kernel']);
  expectProblems(t, changed((m) => (m.homepage = 'x')), ['MOSAIC_ERR_MANIFEST_SCHEMA homepage']);
  expectProblems(t, changed((m) => { m.id = 'Acme.Enrichment'; m.permissions.events.emit = ['Acme.Enrichment.*']; }), ['MOSAIC_ERR_MANIFEST_SCHEMA id']);
  expectProblems(t, changed((m) => { m.id = 'ab.cd.ef.gh'; delete m.permissions.events.emit; }), ['MOSAIC_ERR_MANIFEST_SCHEMA id']);
  expectProblems(t, changed((m) => (m.objects[0].name = 'Enrichment Log')), ['MOSAIC_ERR_MANIFEST_SCHEMA objects[0].name']);
  expectProblems(t, changed((m) => (m.objects[0].fields[0].type = 'money')), ['MOSAIC_ERR_MANIFEST_SCHEMA objects[0].fields[0].type']);
  expectProblems(t, changed((m) => (m.routes[0].path = 'summary/:id')), ['MOSAIC_ERR_MANIFEST_SCHEMA routes[0].path']);
  expectProblems(t, changed((m) => (m.routes[0].method = 'HEAD')), ['MOSAIC_ERR_MANIFEST_SCHEMA routes[0].method']);
  expectProblems(t, changed((m) => delete m.views[0].object), ['MOSAIC_ERR_MANIFEST_SCHEMA views[0].object'], 'record.tab needs an object');
  expectProblems(t, changed((m) => (m.views[0].slot = 'field.renderer')), ['MOSAIC_ERR_MANIFEST_SCHEMA views[0].field'], 'field.renderer needs a field');
  expectProblems(t, changed((m) => Object.assign(m.views[0], { slot: 'field.renderer', object: undefined, field_type: 'currency' }) && delete m.views[0].object), [], 'or a field_type, on any object');
  expectProblems(t, changed((m) => Object.assign(m.views[0], { slot: 'field.renderer', field_type: 'money' })), ['MOSAIC_ERR_MANIFEST_SCHEMA views[0].field_type'], 'a field_type is a field type');
  expectProblems(t, changed((m) => Object.assign(m.views[0], { slot: 'field.renderer', field: 'name' }) && delete m.views[0].object), ['MOSAIC_ERR_MANIFEST_SCHEMA views[0].object'], 'a field names its object');
  expectProblems(t, changed((m) => (m.dependencies = { 'Not An Id': '^1.0.0' })), ['MOSAIC_ERR_MANIFEST_SCHEMA dependencies["Not An Id"]']);
  expectProblems(t, changed((m) => (m.objects = {})), ['MOSAIC_ERR_MANIFEST_SCHEMA objects']);
  const result = validateManifest(changed((m) => (m.homepage = 'x')));
  t.match(!result.ok && result.problems[0].message, /"homepage" is not a known key/);
});

t.test('ids that start with a kernel event namespace are reserved', async (t) => {
  expectProblems(t, changed((m) => { m.id = 'record'; m.permissions.events.emit = ['record.*']; }), ['MOSAIC_ERR_MANIFEST_ID_RESERVED id']);
  expectProblems(t, changed((m) => { m.id = 'field.tools'; m.permissions.events.emit = []; }), ['MOSAIC_ERR_MANIFEST_ID_RESERVED id']);
});

t.test('version, kernel range and dependency ranges are semver', async (t) => {
  for (const version of ['1.2', 'v1.2.0', '01.2.0', ' 1.2.0', 'latest']) {
    expectProblems(t, changed((m) => (m.version = version)), ['MOSAIC_ERR_MANIFEST_VERSION version'], `version ${version}`);
  }
  t.same(found(changed((m) => (m.version = '2.0.0-beta.1+build.5'))), [], 'prerelease and build metadata are fine');
  for (const kernel of ['latest', '', '^^1', '1.0.0 -']) {
    expectProblems(t, changed((m) => (m.kernel = kernel)), ['MOSAIC_ERR_MANIFEST_KERNEL_RANGE kernel'], `kernel ${JSON.stringify(kernel)}`);
  }
  expectProblems(t, changed((m) => (m.dependencies.companies = 'any')), ['MOSAIC_ERR_MANIFEST_DEPENDENCY_INVALID dependencies.companies']);
  expectProblems(t, changed((m) => (m.dependencies.companies = '')), ['MOSAIC_ERR_MANIFEST_DEPENDENCY_INVALID dependencies.companies']);
  expectProblems(t, changed((m) => (m.dependencies['acme.enrichment'] = '^1.0.0')), ['MOSAIC_ERR_MANIFEST_DEPENDENCY_INVALID dependencies["acme.enrichment"]'], 'self');
});

t.test('unknown permissions and record operations', async (t) => {
  expectProblems(t, changed((m) => (m.permissions.email = true)), ['MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN permissions.email']);
  expectProblems(t, changed((m) => (m.permissions.records.company = ['read', 'update', 'purge'])), ['MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN permissions.records.company[2]']);
  expectProblems(t, changed((m) => (m.permissions.events.listen = ['x.*'])), ['MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN permissions.events.listen']);
});

t.test('contributions need the permissions they use', async (t) => {
  expectProblems(
    t,
    changed((m) => (m.permissions.events.subscribe = ['record.updated'])),
    ['MOSAIC_ERR_MANIFEST_PERMISSION_MISSING events[0].type'],
    'subscription not covered by permissions.events.subscribe',
  );
  expectProblems(t, changed((m) => (m.events[0].objects = ['company', 'person'])), ['MOSAIC_ERR_MANIFEST_PERMISSION_MISSING events[0].objects[1]'], 'events on an object it cannot read');
  expectProblems(t, changed((m) => delete m.events[0].objects), ['MOSAIC_ERR_MANIFEST_PERMISSION_MISSING events[0].objects'], 'record events on every object');
  expectProblems(t, changed((m) => (m.events[0].objects = [])), ['MOSAIC_ERR_MANIFEST_PERMISSION_MISSING events[0].objects'], 'an empty object list');
  expectProblems(t, changed((m) => (m.permissions.records.company = ['read'])), ['MOSAIC_ERR_MANIFEST_PERMISSION_MISSING fields[0].object'], 'a field without update');
  expectProblems(t, changed((m) => (m.views[0].object = 'person')), ['MOSAIC_ERR_MANIFEST_PERMISSION_MISSING views[0].object'], 'a view without read');
  expectProblems(t, changed((m) => delete m.permissions.secrets), ['MOSAIC_ERR_MANIFEST_PERMISSION_MISSING secrets']);
  expectProblems(t, changed((m) => (m.permissions.settings = false)), ['MOSAIC_ERR_MANIFEST_PERMISSION_MISSING settings']);
});

t.test("the plugin's own objects need no record permissions", async (t) => {
  const manifest = changed((m) => {
    delete m.permissions.records.enrichment_log;
    m.events.push({ type: 'record.deleted', objects: ['enrichment_log'], handler: 'onLogDeleted' });
    m.views.push({ slot: 'nav.page', element: 'acme-enrichment-logs', label: 'Logs', object: 'enrichment_log' });
    m.fields.push({ object: 'enrichment_log', field: { name: 'note', type: 'text' } });
  });
  expectProblems(t, manifest, []);
});

t.test('events may only be emitted in the plugin namespace', async (t) => {
  expectProblems(t, changed((m) => (m.permissions.events.emit = ['companies.*'])), ['MOSAIC_ERR_MANIFEST_PERMISSION_NAMESPACE permissions.events.emit[0]']);
  expectProblems(t, changed((m) => (m.permissions.events.emit = ['acme.enrichment.done', '*'])), ['MOSAIC_ERR_MANIFEST_PERMISSION_NAMESPACE permissions.events.emit[1]']);
  expectProblems(t, changed((m) => (m.permissions.events.emit = ['acme.enrichmentx.*'])), ['MOSAIC_ERR_MANIFEST_PERMISSION_NAMESPACE permissions.events.emit[0]'], 'a longer id is not the namespace');
});

t.test('handler names are plain identifiers', async (t) => {
  expectProblems(t, changed((m) => (m.routes[0].handler = 'get-summary')), ['MOSAIC_ERR_MANIFEST_HANDLER routes[0].handler']);
  expectProblems(t, changed((m) => (m.events[0].handler = 'delete')), ['MOSAIC_ERR_MANIFEST_HANDLER events[0].handler'], 'a reserved word');
  expectProblems(t, changed((m) => (m.jobs[0].handler = 'constructor')), ['MOSAIC_ERR_MANIFEST_HANDLER jobs[0].handler'], 'an Object.prototype member');
  expectProblems(t, changed((m) => (m.jobs[0].handler = 'then')), ['MOSAIC_ERR_MANIFEST_HANDLER jobs[0].handler'], 'a thenable trap');
  expectProblems(t, changed((m) => (m.jobs[0].handler = '__proto__')), ['MOSAIC_ERR_MANIFEST_HANDLER jobs[0].handler']);
  expectProblems(t, changed((m) => (m.jobs[0].handler = 'x'.repeat(65))), ['MOSAIC_ERR_MANIFEST_HANDLER jobs[0].handler']);
  expectProblems(t, changed((m) => (m.routes[0].handler = '$summary_2')), []);
});

t.test('cron expressions are 5 valid fields', async (t) => {
  const bad = ['61 * * * *', '* * * *', '* * * * * *', '5-1 * * * *', '*/0 * * * *', 'MON * * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * * 8', '@daily', '1,,2 * * * *', ''];
  for (const cron of bad) expectProblems(t, changed((m) => (m.jobs[0].cron = cron)), ['MOSAIC_ERR_MANIFEST_CRON jobs[0].cron'], `refuses ${JSON.stringify(cron)}`);
  const good = ['* * * * *', '*/15 0-6,22 1 */2 1-5', '0 0 * * 7', '0 0 31 12 0', '5/10 * * * *', '0-30/5 8-18 * * 1-5'];
  for (const cron of good) expectProblems(t, changed((m) => (m.jobs[0].cron = cron)), [], `accepts ${cron}`);
  const result = validateManifest(changed((m) => (m.jobs[0].cron = '61 25 * * *')));
  t.match(!result.ok && result.problems[0].message, /minute 61 is outside 0-59; hour 25 is outside 0-23/, 'names every bad field');
});

t.test('duplicate keys', async (t) => {
  expectProblems(t, changed((m) => m.objects.push({ name: 'enrichment_log' })), ['MOSAIC_ERR_MANIFEST_DUPLICATE objects[1].name']);
  expectProblems(t, changed((m) => m.objects[0].fields.push({ name: 'status', type: 'text' })), ['MOSAIC_ERR_MANIFEST_DUPLICATE objects[0].fields[2].name']);
  expectProblems(t, changed((m) => m.fields.push({ object: 'company', field: { name: 'enriched_at', type: 'date' } })), ['MOSAIC_ERR_MANIFEST_DUPLICATE fields[1].field.name']);
  expectProblems(t, changed((m) => m.fields.push({ object: 'enrichment_log', field: { name: 'status', type: 'text' } })), ['MOSAIC_ERR_MANIFEST_DUPLICATE fields[1].field.name'], 'a contribution repeating an own field');
  expectProblems(t, changed((m) => m.routes.push({ method: 'GET', path: '/summary/:companyId', handler: 'other' })), ['MOSAIC_ERR_MANIFEST_DUPLICATE routes[1]'], 'parameter names do not make routes differ');
  expectProblems(t, changed((m) => m.routes.push({ method: 'POST', path: '/summary/:id', handler: 'other' })), [], 'another method is another route');
  expectProblems(t, changed((m) => m.events.push({ ...m.events[0], objects: ['company'] })), ['MOSAIC_ERR_MANIFEST_DUPLICATE events[1]']);
  expectProblems(t, changed((m) => m.jobs.push({ name: 'nightly', cron: '0 4 * * *', handler: 'other' })), ['MOSAIC_ERR_MANIFEST_DUPLICATE jobs[1].name']);
  expectProblems(t, changed((m) => m.views.push({ ...m.views[0], label: 'Again' })), ['MOSAIC_ERR_MANIFEST_DUPLICATE views[1]']);
  expectProblems(t, changed((m) => m.secrets.push('API_TOKEN')), ['MOSAIC_ERR_MANIFEST_DUPLICATE secrets[1]']);
  const result = validateManifest(changed((m) => m.secrets.push('API_TOKEN')));
  t.match(!result.ok && result.problems[0].message, /first at secrets\[0\]/);
});

t.test('view slots and custom element names', async (t) => {
  expectProblems(t, changed((m) => (m.views[0].slot = 'record.sidebar')), ['MOSAIC_ERR_MANIFEST_SLOT views[0].slot']);
  for (const element of ['enrichment', 'Acme-Tab', 'acme-', '-acme', 'acme--tab', 'font-face', '1acme-tab']) {
    expectProblems(t, changed((m) => (m.views[0].element = element)), ['MOSAIC_ERR_MANIFEST_ELEMENT views[0].element'], `refuses ${element}`);
  }
});

t.test('HTTP allow-list patterns', async (t) => {
  const bad = [
    'ftp://api.example.com/*',
    'https://*.example.com/*',
    'https://user:secret@api.example.com/*',
    'https://api.example.com',
    'https://API.example.com/*',
    'https://api.example.com:443/*',
    'https://api.example.com/v1/../admin/*',
    'https://api.example.com/*?key=1',
    'https:///path',
  ];
  for (const pattern of bad) {
    expectProblems(t, changed((m) => (m.permissions.http = [pattern])), ['MOSAIC_ERR_MANIFEST_HTTP_PATTERN permissions.http[0]'], `refuses ${pattern}`);
  }
  const good = ['http://localhost:8080/*', 'https://api.example.com/v1/companies/*/logo', 'https://[::1]:9000/x', 'https://api.example.com/'];
  expectProblems(t, changed((m) => (m.permissions.http = good)), []);
});

t.test('settings schemas', async (t) => {
  expectProblems(t, changed((m) => (m.settings.properties.threshold.$ref = 'https://example.com/s.json')), ['MOSAIC_ERR_MANIFEST_SETTINGS settings.properties.threshold.$ref']);
  expectProblems(t, changed((m) => (m.settings.type = 'array')), ['MOSAIC_ERR_MANIFEST_SETTINGS settings.type']);
  expectProblems(t, changed((m) => (m.settings.properties.region.pattern = '([a-z')), ['MOSAIC_ERR_MANIFEST_SETTINGS settings'], 'a pattern that is no regex');
});

t.test('package paths and bundles', async (t) => {
  for (const server of ['../server.js', '/srv/server.js', 'dist//server.js', './dist/server.js', 'src/server.ts', 'dist\\server.js']) {
    expectProblems(t, changed((m) => (m.server = server)), ['MOSAIC_ERR_MANIFEST_PATH server'], `refuses ${server}`);
  }
  expectProblems(t, changed((m) => (m.icon = '../../etc/passwd')), ['MOSAIC_ERR_MANIFEST_PATH icon']);
  expectProblems(t, changed((m) => (m.ui = 'dist/views.mjs')), []);
  expectProblems(t, changed((m) => delete m.server), ['MOSAIC_ERR_MANIFEST_BUNDLE_MISSING server']);
  expectProblems(t, changed((m) => delete m.ui), ['MOSAIC_ERR_MANIFEST_BUNDLE_MISSING ui']);
});

t.test('every problem is reported, not only the first', async (t) => {
  const manifest = changed((m) => {
    m.version = '1.2';
    m.permissions.email = true;
    m.jobs[0].cron = '0 3 * *';
    m.views[0].slot = 'sidebar';
    m.secrets = ['API_TOKEN', 'API_TOKEN'];
  });
  expectProblems(t, manifest, [
    'MOSAIC_ERR_MANIFEST_VERSION version',
    'MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN permissions.email',
    'MOSAIC_ERR_MANIFEST_CRON jobs[0].cron',
    'MOSAIC_ERR_MANIFEST_SLOT views[0].slot',
    'MOSAIC_ERR_MANIFEST_DUPLICATE secrets[1]',
  ]);
});

t.test('assertValidManifest throws a coded ManifestError listing every problem', async (t) => {
  t.equal(assertValidManifest(fullManifest()).id, 'acme.enrichment');
  const error = t.throws(() => assertValidManifest(changed((m) => { m.version = 'x'; m.kernel = 'y'; }))) as ManifestError;
  t.ok(isManifestError(error));
  t.equal(error.code, 'MOSAIC_ERR_MANIFEST_INVALID');
  t.same(error.problems.map((p) => p.code).sort(), ['MOSAIC_ERR_MANIFEST_KERNEL_RANGE', 'MOSAIC_ERR_MANIFEST_VERSION']);
  t.match(error.message, /2 problems:\n {2}- version: .*\[MOSAIC_ERR_MANIFEST_VERSION\]/);
  t.same(Object.keys(error.toJSON()), ['code', 'message', 'details']);
});

t.test('"*" in permissions.records: every object, for reading only', async (t) => {
  const wildcard = (edit: (m: ReturnType<typeof fullManifest>) => void = () => {}) =>
    changed((m) => {
      m.permissions.records = { '*': ['read'], company: ['read', 'update'] };
      m.events[0].objects = ['*'];
      m.views[0].object = '*';
      edit(m);
    });
  expectProblems(t, wildcard(), [], 'read on "*" with named entries next to it; a record tab and a subscription on "*"');
  expectProblems(t, wildcard((m) => (m.permissions.records['*'] = ['read', 'update'])), ['MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN permissions.records["*"][1]'], 'no writing to every object');
  // Without read on "*", the subscription and the view on "*" lack it too.
  expectProblems(t, wildcard((m) => (m.permissions.records['*'] = ['create'])), ['MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN permissions.records["*"][0]', 'MOSAIC_ERR_MANIFEST_PERMISSION_MISSING events[0].objects[0]', 'MOSAIC_ERR_MANIFEST_PERMISSION_MISSING views[0].object']);
  expectProblems(t, wildcard((m) => (m.permissions.records['*'] = ['purge'])), ['MOSAIC_ERR_MANIFEST_PERMISSION_UNKNOWN permissions.records["*"][0]', 'MOSAIC_ERR_MANIFEST_PERMISSION_MISSING events[0].objects[0]', 'MOSAIC_ERR_MANIFEST_PERMISSION_MISSING views[0].object']);
  const message = validateManifest(wildcard((m) => (m.permissions.records['*'] = ['delete'])));
  t.match(!message.ok && message.problems[0]!.message, /can only be granted read; ask for "delete" on each object by name/);
  // Without "*" in the grant, naming "*" elsewhere is a permission it does not hold.
  expectProblems(t, wildcard((m) => delete m.permissions.records['*']), ['MOSAIC_ERR_MANIFEST_PERMISSION_MISSING events[0].objects[0]', 'MOSAIC_ERR_MANIFEST_PERMISSION_MISSING views[0].object']);
  // "*" is no object a field can be added to, and a route cannot require it of the caller.
  expectProblems(t, wildcard((m) => (m.fields[0].object = '*')), ['MOSAIC_ERR_MANIFEST_SCHEMA fields[0].object', 'MOSAIC_ERR_MANIFEST_PERMISSION_MISSING fields[0].object']);
  expectProblems(t, wildcard((m) => (m.routes[0].access = { records: { '*': ['read'] } })), ['MOSAIC_ERR_MANIFEST_SCHEMA routes[0].access.records["*"]']);
  // Only record.tab and record.action show a record of any object; a field belongs to one.
  expectProblems(t, wildcard((m) => m.views.push({ slot: 'record.action', element: 'acme-any-action', label: 'Any', object: '*' })), []);
  expectProblems(t, wildcard((m) => m.views.push({ slot: 'field.renderer', element: 'acme-any-field', label: 'Any', object: '*', field: 'name' })), ['MOSAIC_ERR_MANIFEST_SCHEMA views[1].object']);
  expectProblems(t, wildcard((m) => m.views.push({ slot: 'nav.page', element: 'acme-any-page', label: 'Any', object: '*' })), ['MOSAIC_ERR_MANIFEST_SCHEMA views[1].object']);
});
