import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { createKernel, loadConfig } from '../../kernel/src/index.js';
import { api } from '../../kernel/test/helpers/api.js';
import { signUp } from '../../kernel/test/helpers/auth.js';
import { startTestKernel } from '../../kernel/test/helpers/kernel.js';
import { REPO_ROOT } from '../../kernel/test/helpers/main-process.js';
import { waitFor } from '../../kernel/test/helpers/wait.js';
import { tempDir } from '../../kernel/test/plugins/fixtures/sample.js';

/**
 * activities 1.1 attaches notes and tasks to a record of any object (its grant reads "*"). A workspace
 * that runs 1.0 (read on company, person and opportunity only) upgrades to it: through the admin API it
 * waits for consent, since reading every object is more than it held; from plugins.config.json with
 * `"grant": "requested"` the operator's file is the consent. Then a custom object an admin created gets
 * notes, a record tab, and notes that follow a merge.
 */

const ACTIVITIES = join(REPO_ROOT, 'plugins', 'activities');
type View = { slot: string; element: string; object: string | null };
type Plugin = { id: string; version: string; views: View[]; records: Record<string, string[]> };

/** The 1.0 manifest, as it was before "*": three named objects in the grant, the subscription and the tabs. */
async function writeVersionOne(root: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(ACTIVITIES, 'mosaic-plugin.json'), 'utf8'));
  const named = ['company', 'person', 'opportunity'];
  manifest.version = '1.0.0';
  manifest.permissions.records = Object.fromEntries(named.map((o) => [o, ['read']]));
  manifest.events = [{ type: 'record.merged', objects: named, handler: 'followMerge' }];
  manifest.views = [...named.map((object) => ({ slot: 'record.tab', element: 'activities-record-tab', label: 'Activities', object })), ...manifest.views.filter((v: View) => v.slot !== 'record.tab')];
  const folder = join(root, 'activities-1.0.0');
  await cp(ACTIVITIES, folder, { recursive: true, filter: (source) => !source.includes('node_modules') });
  await writeFile(join(folder, 'mosaic-plugin.json'), JSON.stringify(manifest, null, 2));
  return folder;
}

t.test('activities: from three named objects to every object, then notes on an admin-created object', async (t) => {
  const top = t;
  const root = await tempDir('activities-any');
  const old = await writeVersionOne(root);
  const current = join(root, 'activities-1.2.0');
  await cp(ACTIVITIES, current, { recursive: true, filter: (source) => !source.includes('node_modules') });
  const file = join(root, 'plugins.config.json');
  const configure = (path: string) => writeFile(file, JSON.stringify({ plugins: [{ path, grant: 'requested' }] }));
  await configure(old);
  const env = { PLUGIN_DIRS: root, PLUGINS_CONFIG: file };
  const first = await startTestKernel(t, env);
  const owner = await signUp(first.app);
  let admin = api(first.app, owner);
  t.equal((await admin.get('/api/plugins/activities')).body.version, '1.0.0', 'the configured 1.0 is installed at sign-up');

  // An object an admin adds, not one the 1.0 grant names.
  t.equal((await admin.post('/api/metadata/objects', { name: 'deal', label_singular: 'Deal', fields: [{ name: 'title', type: 'text' }] })).status, 201);
  const deal = (await admin.post('/api/objects/deal', { title: 'Big one' })).body.data;
  const early = await admin.post('/api/plugins/activities/notes', { target_object: 'deal', target_id: deal.id, body: 'Too early' });
  t.equal(early.status, 404, '1.0 may not read deals, so the target is not found');

  t.test('through the admin API, reading every object waits for consent', async (t) => {
    const res = await admin.put('/api/plugins/activities', { path: current });
    t.equal(res.status, 409, JSON.stringify(res.body));
    t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_CONSENT_REQUIRED');
    t.match(res.body.error.details, [{ path: 'grant', code: 'added', message: 'Read records of every object, including objects added later' }]);
    const detail = (await admin.get('/api/plugins/activities')).body;
    t.equal(detail.version, '1.0.0', '1.0 runs on');
    t.equal(detail.pending.version, '1.2.0');
    t.ok(detail.pending.permissions.includes("See the names and email addresses of the workspace's members"), 'and the member directory, which 1.2 asks for');
    t.ok(detail.pending.permissions.includes('Read records of every object, including objects added later'), 'the consent screen lists it');
  });

  t.test('from plugins.config.json with "requested", the next boot upgrades it', async (t) => {
    await configure(current);
    const second = await createKernel({ config: loadConfig({ LOG_LEVEL: 'silent', ...env }), databaseUrl: first.databaseUrl, logger: false });
    top.teardown(() => second.close()); // The later subtests talk to it.
    t.match(second.services.plugins.lastReconcile, [{ workspace_id: owner.workspaceId, plugin: 'activities', action: 'upgraded', detail: '1.0.0 → 1.2.0' }]);
    admin = api(second.app, owner);
    const detail = (await admin.get('/api/plugins/activities')).body;
    t.equal(detail.version, '1.2.0');
    t.same(detail.granted.records, { '*': ['read'] });
    t.equal(detail.pending, null, 'the pending offer is gone');
  });

  t.test('a note and a task attach to a record of the admin-created object and are listed for it', async (t) => {
    const note = await admin.post('/api/plugins/activities/notes', { target_object: 'deal', target_id: deal.id, body: '# Call notes\n\nThey sign in May.' });
    t.equal(note.status, 201, JSON.stringify(note.body));
    t.match(note.body, { title: 'Call notes', target_object: 'deal', target_id: deal.id });
    t.equal((await admin.post('/api/plugins/activities/tasks', { target_object: 'deal', target_id: deal.id, title: 'Send the contract' })).status, 201);
    const listed = await admin.get(`/api/plugins/activities/for/deal/${deal.id}`);
    t.equal(listed.status, 200);
    t.same(listed.body.notes.map((n: { title: string }) => n.title), ['Call notes']);
    t.same(listed.body.tasks.map((n: { title: string }) => n.title), ['Send the contract']);
    const missing = await admin.post('/api/plugins/activities/notes', { target_object: 'deal', target_id: '00000000-0000-4000-8000-000000000000', body: 'Lost' });
    t.equal(missing.body.error.code, 'ACTIVITIES_TARGET_NOT_FOUND', 'the target is still checked to exist');
  });

  t.test('GET /api/plugins lists the Activities tab on the new object', async (t) => {
    const activities = ((await admin.get('/api/plugins')).body.data as Plugin[]).find((p) => p.id === 'activities')!;
    const tabs = activities.views.filter((v) => v.slot === 'record.tab');
    t.ok(tabs.some((v) => v.object === 'deal' && v.element === 'activities-record-tab'), JSON.stringify(tabs));
    t.notOk(tabs.some((v) => v.object === 'note' || v.object === 'task'), 'not on its own notes and tasks');
    t.notOk(tabs.some((v) => v.object === '*'));
    t.same(activities.records.deal, ['read']);
  });

  t.test('notes and tasks follow a merge of the new object’s records', async (t) => {
    const twin = (await admin.post('/api/objects/deal', { title: 'Big one (copy)' })).body.data;
    t.equal((await admin.post('/api/plugins/activities/notes', { target_object: 'deal', target_id: twin.id, body: 'Budget approved.' })).status, 201);
    t.equal((await admin.post('/api/objects/deal/merge', { into: deal.id, from: [twin.id] })).status, 200);
    // The record.merged handler runs after the merge commits, delivered by the event bus.
    const survivor = await waitFor(async () => {
      const body = (await admin.get(`/api/plugins/activities/for/deal/${deal.id}`)).body as { notes: { body: string }[] };
      return body.notes.length === 2 ? body : undefined;
    }, 10_000);
    t.same((survivor?.notes ?? []).map((n) => n.body).sort(), ['# Call notes\n\nThey sign in May.', 'Budget approved.']);
    t.same((await admin.get(`/api/plugins/activities/for/deal/${twin.id}`)).body.notes, []);
  });
});
