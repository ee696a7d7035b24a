import t from 'tap';
import { installOrder, ManifestError, validateManifest, validateManifestSet, type PluginManifest } from '../../src/index.js';
import { fullManifest } from './fixtures.js';

const KERNEL = { kernelVersion: '1.4.0' };

function plugin(id: string, extra: Partial<PluginManifest> = {}): PluginManifest {
  return { id, name: id, version: '1.0.0', kernel: '^1.0.0', ...extra };
}

const companies = plugin('companies', {
  version: '1.3.0',
  objects: [{ name: 'company', fields: [{ name: 'domain', type: 'text' }] }],
});
const enrichment = fullManifest() as PluginManifest;

/** The problems of a set as `CODE path`, sorted. */
function found(manifests: PluginManifest[], options: Parameters<typeof validateManifestSet>[1] = KERNEL): string[] {
  const result = validateManifestSet(manifests, options);
  return result.ok ? [] : result.problems.map((p) => `${p.code} ${p.path}`).sort();
}

function messages(manifests: PluginManifest[], options: Parameters<typeof validateManifestSet>[1] = KERNEL): string[] {
  const result = validateManifestSet(manifests, options);
  return result.ok ? [] : result.problems.map((p) => p.message);
}

t.test('a consistent set is valid', async (t) => {
  t.ok(validateManifest(enrichment).ok, 'the fixture is a valid manifest');
  t.same(found([companies, enrichment]), []);
  t.same(found([enrichment, companies], { ...KERNEL, existingObjects: [{ name: 'company', owner: 'companies' }, { name: 'deal', owner: null }] }), []);
});

t.test('object clashes: between plugins, with admin objects and with objects of other plugins', async (t) => {
  const rival = plugin('rival', { objects: [{ name: 'company' }] });
  t.same(found([companies, rival]), ['MOSAIC_ERR_MANIFEST_OBJECT_CLASH companies:objects[0].name', 'MOSAIC_ERR_MANIFEST_OBJECT_CLASH rival:objects[0].name']);
  t.match(messages([companies, rival])[0], /also contributed by "rival"/);

  t.same(found([companies], { ...KERNEL, existingObjects: [{ name: 'company', owner: null }] }), ['MOSAIC_ERR_MANIFEST_OBJECT_CLASH companies:objects[0].name']);
  t.match(messages([companies], { ...KERNEL, existingObjects: [{ name: 'company', owner: null }] })[0], /an admin created it/);
  t.same(found([companies], { ...KERNEL, existingObjects: [{ name: 'company', owner: 'crm.legacy' }] }), ['MOSAIC_ERR_MANIFEST_OBJECT_CLASH companies:objects[0].name']);
  t.match(messages([companies], { ...KERNEL, existingObjects: [{ name: 'company', owner: 'crm.legacy' }] })[0], /plugin "crm.legacy" owns it/);
  t.same(found([companies], { ...KERNEL, existingObjects: [{ name: 'company', owner: 'companies' }] }), [], 'its own object from an earlier version');
});

t.test('dependencies: missing, out of range, and the kernel range', async (t) => {
  t.same(found([enrichment]), ['MOSAIC_ERR_MANIFEST_DEPENDENCY_MISSING acme.enrichment:dependencies.companies'], 'field targets are not checked while a dependency is missing');
  t.same(found([{ ...companies, version: '0.9.0' }, enrichment]), ['MOSAIC_ERR_MANIFEST_DEPENDENCY_RANGE acme.enrichment:dependencies.companies']);
  t.match(messages([{ ...companies, version: '0.9.0' }, enrichment])[0], /needs "companies" \^1\.0\.0, but version 0\.9\.0 is installed/);
  t.same(found([companies, { ...enrichment, kernel: '^2.0.0' }]), ['MOSAIC_ERR_MANIFEST_KERNEL_INCOMPATIBLE acme.enrichment:kernel']);
  t.same(found([companies, enrichment], { kernelVersion: '2.0.0' }), [
    'MOSAIC_ERR_MANIFEST_KERNEL_INCOMPATIBLE acme.enrichment:kernel',
    'MOSAIC_ERR_MANIFEST_KERNEL_INCOMPATIBLE companies:kernel',
  ]);
});

t.test('a dependency cycle is named, once', async (t) => {
  const a = plugin('alpha', { dependencies: { beta: '^1.0.0' } });
  const b = plugin('beta', { dependencies: { gamma: '^1.0.0' } });
  const c = plugin('gamma', { dependencies: { alpha: '^1.0.0' } });
  for (const order of [[a, b, c], [c, b, a], [b, a, c]]) {
    const result = validateManifestSet(order, KERNEL);
    t.same(result.ok ? [] : result.problems, [
      { code: 'MOSAIC_ERR_MANIFEST_DEPENDENCY_CYCLE', path: 'alpha:dependencies.beta', message: 'The plugins depend on each other in a cycle: alpha → beta → gamma → alpha.' },
    ], `found the same way from ${order.map((m) => m.id).join(', ')}`);
  }
});

t.test('fields extend only objects of dependencies, admin objects or their own', async (t) => {
  const person = { object: 'person', field: { name: 'score', type: 'number' as const } };
  const withPerson = { ...enrichment, fields: [...(enrichment.fields ?? []), person] };
  t.same(found([companies, withPerson]), ['MOSAIC_ERR_MANIFEST_FIELD_TARGET_MISSING acme.enrichment:fields[1].object']);
  t.same(found([companies, withPerson], { ...KERNEL, existingObjects: [{ name: 'person', owner: null }] }), [], 'an admin-created object');
  const people = plugin('people', { objects: [{ name: 'person' }] });
  t.same(found([companies, people, withPerson]), ['MOSAIC_ERR_MANIFEST_FIELD_TARGET_MISSING acme.enrichment:fields[1].object'], 'a plugin it does not depend on');
  t.match(messages([companies, people, withPerson])[0], /add "people" to dependencies/);
  t.same(found([companies, people, { ...withPerson, dependencies: { companies: '^1.0.0', people: '^1.0.0' } }]), [], 'once it depends on it');

  const relation = plugin('tickets', {
    objects: [{ name: 'ticket', fields: [{ name: 'account', type: 'relation', options: { target: 'account' } }] }],
  });
  t.same(found([relation]), ['MOSAIC_ERR_MANIFEST_FIELD_TARGET_MISSING tickets:objects[0].fields[0].options.target'], 'relation targets too');
});

t.test('fields, elements and ids that clash between plugins', async (t) => {
  const other = plugin('scoring', {
    dependencies: { companies: '^1.0.0' },
    fields: [{ object: 'company', field: { name: 'enriched_at', type: 'date' } }, { object: 'company', field: { name: 'domain', type: 'text' } }],
    views: [{ slot: 'record.tab', element: 'acme-enrichment-tab', label: 'Score', object: 'company' }],
  });
  t.same(found([companies, enrichment, other]), [
    'MOSAIC_ERR_MANIFEST_ELEMENT_CLASH scoring:views[0].element',
    'MOSAIC_ERR_MANIFEST_FIELD_CLASH scoring:fields[0].field.name',
    'MOSAIC_ERR_MANIFEST_FIELD_CLASH scoring:fields[1].field.name',
  ]);
  t.same(found([companies, { ...companies }]), ['MOSAIC_ERR_MANIFEST_ID_CLASH companies:id']);
  const squatter = plugin('companies.evil');
  t.same(found([companies, squatter]), ['MOSAIC_ERR_MANIFEST_ID_CLASH companies.evil:id'], 'an id inside another plugin namespace');
});

t.test('installOrder puts dependencies first and keeps independent plugins in place', async (t) => {
  const notes = plugin('notes');
  const deals = plugin('deals', { dependencies: { companies: '^1.0.0', people: '^1.0.0' } });
  const people = plugin('people', { dependencies: { companies: '^1.0.0' } });
  const order = installOrder([deals, notes, enrichment, people, companies]).map((m) => m.id);
  for (const m of [deals, enrichment, people]) {
    for (const dependency of Object.keys(m.dependencies ?? {})) t.ok(order.indexOf(dependency) < order.indexOf(m.id), `${dependency} before ${m.id}`);
  }
  // Each step places the first plugin of the input whose dependencies are placed.
  t.same(order, ['notes', 'companies', 'acme.enrichment', 'people', 'deals']);
  t.same(installOrder([notes, plugin('wiki')]).map((m) => m.id), ['notes', 'wiki']);
  t.same(installOrder([enrichment]).map((m) => m.id), ['acme.enrichment'], 'dependencies outside the list are ignored');

  const a = plugin('alpha', { dependencies: { beta: '*' } });
  const b = plugin('beta', { dependencies: { alpha: '*' } });
  const error = t.throws(() => installOrder([a, b])) as ManifestError;
  t.equal(error.code, 'MOSAIC_ERR_MANIFEST_INVALID');
  t.same(error.problems.map((p) => [p.code, p.message]), [['MOSAIC_ERR_MANIFEST_DEPENDENCY_CYCLE', 'The plugins depend on each other in a cycle: alpha → beta → alpha.']]);
});
