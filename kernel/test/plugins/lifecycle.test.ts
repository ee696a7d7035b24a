import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';
import { writeLifecycleVersion } from './fixtures/lifecycle.js';
import { tempDir } from './fixtures/sample.js';

t.test('plugin lifecycle on a live kernel', async (t) => {
  const root = await tempDir('lifecycle');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root, EVENT_POLL_MS: '50' });
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  t.equal((await admin.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] })).status, 201);
  const v1 = await writeLifecycleVersion(root, '1.0.0');
  const notes = async () => ((await admin.get('/api/objects/life_note?order_by=created_at&limit=200')).body.data as { title: string; kind: string }[]);
  const titles = async (kind: string) => (await notes()).filter((n) => n.kind === kind).map((n) => n.title);

  t.test('install: schema, hook, route, subscription and job are live', async (t) => {
    const res = await admin.post('/api/plugins', { path: v1, grant: 'requested' });
    t.equal(res.status, 201, JSON.stringify(res.body));
    t.same(res.body.jobs, [{ name: 'tick', cron: '*/5 * * * *', description: null }]);
    t.same(await titles('hook'), ['installed 1.0.0'], 'onInstall ran in the sandbox');
    t.same((await admin.get('/api/plugins/life/version')).body, { version: '1.0.0' });
    const whoami = await admin.get('/api/plugins/life/whoami');
    t.equal(whoami.body.type, 'member', 'ctx.actor of a route is the member who called');

    await admin.post('/api/objects/deal', { title: 'Acme' });
    t.ok(await waitFor(async () => (await titles('event')).includes('deal Acme')), 'the event handler ran for the new deal');
    const note = (await notes()).find((n) => n.title === 'deal Acme') as unknown as { id: string; created_by: { type: string; id: string } };
    t.match(note.created_by, { type: 'plugin', id: 'life' }, 'its write is attributed to the plugin');
    const event = await kernel.services.db.knex('event').where({ type: 'record.created', record_id: note.id }).first('actor');
    t.match(event.actor, { type: 'plugin', id: 'life', chain: 1 }, 'and its event carries the handler chain, one deep');

    const runs = await kernel.services.plugins.jobs.runDue(new Date('2026-11-28T10:05:00Z'));
    t.same(runs.map((r) => [r.pluginId, r.job, r.error]), [['life', 'tick', null]]);
    t.same(await kernel.services.plugins.jobs.runDue(new Date('2026-11-28T10:05:20Z')), [], 'a slot runs once');
    t.same(await kernel.services.plugins.jobs.runDue(new Date('2026-11-28T10:06:00Z')), [], '10:06 does not match */5');
    t.ok((await titles('job')).includes('tick 2026-11-28T10:05:00.000Z'));
    const detail = await admin.get('/api/plugins/life');
    t.equal(detail.body.job_runs[0].scheduled_for, '2026-11-28T10:05:00.000Z', 'the admin sees the job runs');
  });

  t.test('upgrade with a new field and no new permission applies directly, with onUpgrade', async (t) => {
    const v2 = await writeLifecycleVersion(root, '1.1.0', { extraField: true });
    const res = await admin.put('/api/plugins/life', { path: v2 });
    t.equal(res.status, 200, JSON.stringify(res.body));
    t.equal(res.body.outcome, 'upgraded');
    t.same(res.body.changes.added_fields, ['life_note.priority']);
    t.same((await admin.get('/api/plugins/life/version')).body, { version: '1.1.0' }, 'the new code answers at once');
    t.ok((await titles('hook')).includes('upgraded from 1.0.0 to 1.1.0'));
    t.ok((await titles('event')).includes('deal Acme'), 'data is intact');
    const field = await admin.post('/api/objects/life_note', { title: 'p', kind: 'manual', priority: 2 });
    t.equal(field.status, 201, 'the new field is a real column');
    const same = await admin.put('/api/plugins/life', { path: v2 });
    t.equal(same.body.outcome, 'unchanged', 'offering the running revision again changes nothing');
  });

  t.test('a failed onUpgrade leaves the old version running and the schema as it was', async (t) => {
    const bad = await writeLifecycleVersion(root, '1.2.0', { extraField: true, failUpgrade: true });
    const res = await admin.put('/api/plugins/life', { path: bad });
    t.equal(res.status, 502);
    t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_HOOK_FAILED');
    t.match(res.body.error.message, /migration step 2 failed/);
    t.same((await admin.get('/api/plugins/life/version')).body, { version: '1.1.0' });
    t.equal((await admin.get('/api/plugins/life')).body.version, '1.1.0');
  });

  t.test('an upgrade asking for more permissions waits for consent; the old version runs meanwhile', async (t) => {
    const v3 = await writeLifecycleVersion(root, '2.0.0', { extraField: true, morePermissions: true });
    const res = await admin.put('/api/plugins/life', { path: v3 });
    t.equal(res.status, 409);
    t.equal(res.body.error.code, 'MOSAIC_ERR_PLUGIN_CONSENT_REQUIRED');
    t.match(res.body.error.details, [{ path: 'grant', message: /Delete Deal records/ }]);
    const detail = (await admin.get('/api/plugins/life')).body;
    t.equal(detail.version, '1.1.0');
    t.equal(detail.pending.version, '2.0.0', 'the admin sees what waits');
    t.same((await admin.get('/api/plugins/life/version')).body, { version: '1.1.0' });
    const consented = await admin.put('/api/plugins/life', { path: v3, grant: { records: { deal: ['read', 'update', 'delete'] }, events: { subscribe: ['record.created'] } } });
    t.equal(consented.status, 200, JSON.stringify(consented.body));
    t.equal(consented.body.plugin.version, '2.0.0');
    t.equal(consented.body.plugin.pending, null);
    t.same((await admin.get('/api/plugins/life/version')).body, { version: '2.0.0' });
  });

  t.test('disable stops routes, events and jobs; enable brings them back with data intact', async (t) => {
    const off = await admin.patch('/api/plugins/life', { enabled: false });
    t.equal(off.status, 200);
    t.equal(off.body.enabled, false);
    const route = await admin.get('/api/plugins/life/version');
    t.equal(route.status, 404);
    t.equal(route.body.error.code, 'MOSAIC_ERR_PLUGIN_DISABLED');
    t.same(await kernel.services.plugins.jobs.runDue(new Date('2026-11-28T10:10:00Z')), [], 'no job runs while disabled');
    await admin.post('/api/objects/deal', { title: 'Quiet' });
    await kernel.services.bus.wake();
    const subscribers = await kernel.services.db.knex('event_subscriber').where('id', 'like', `plugin:${owner.workspaceId}:life:%`);
    t.equal(subscribers.length, 0, 'no subscriber while disabled');

    const on = await admin.patch('/api/plugins/life', { enabled: true });
    t.equal(on.body.enabled, true);
    t.same((await admin.get('/api/plugins/life/version')).body, { version: '2.0.0' });
    await admin.post('/api/objects/deal', { title: 'Loud' });
    t.ok(await waitFor(async () => (await titles('event')).includes('deal Loud')));
    t.notOk((await titles('event')).includes('deal Quiet'), 'events from while it was disabled are not replayed');
    t.ok((await titles('hook')).includes('installed 1.0.0'), 'records from before are intact');
  });

  t.test('dependencies: missing, depended on, and named dependants', async (t) => {
    const child = await writeLifecycleVersion(root, '1.0.0', { id: 'life-child', dependencies: { life: '^2.0.0' } });
    const old = await writeLifecycleVersion(root, '1.0.0', { id: 'needs-old', dependencies: { life: '^1.0.0' } });
    const mismatch = await admin.post('/api/plugins', { path: old, grant: 'requested' });
    t.equal(mismatch.body.error.code, 'MOSAIC_ERR_PLUGIN_DEPENDENCY_MISSING', 'life 2.0.0 is not in ^1.0.0');
    const orphan = await writeLifecycleVersion(root, '1.0.0', { id: 'orphan', dependencies: { absent: '^1.0.0' } });
    t.equal((await admin.post('/api/plugins', { path: orphan, grant: 'requested' })).body.error.code, 'MOSAIC_ERR_PLUGIN_DEPENDENCY_MISSING');
    const res = await admin.post('/api/plugins', { path: child, grant: 'requested' });
    t.equal(res.status, 201, JSON.stringify(res.body));

    const disable = await admin.patch('/api/plugins/life', { enabled: false });
    t.equal(disable.status, 409);
    t.equal(disable.body.error.code, 'MOSAIC_ERR_PLUGIN_DEPENDED_ON');
    t.match(disable.body.error.message, /Lifecycle plugin \(life-child\)/);
    const remove = await admin.delete('/api/plugins/life');
    t.equal(remove.body.error.code, 'MOSAIC_ERR_PLUGIN_DEPENDED_ON');
    t.equal((await admin.delete('/api/plugins/life-child?purge=true')).status, 204);
  });

  t.test('uninstall keeps data unless purged; reinstalling takes the data over', async (t) => {
    t.equal((await admin.delete('/api/plugins/life')).status, 204);
    t.equal((await admin.get('/api/plugins/life/version')).body.error.code, 'MOSAIC_ERR_PLUGIN_NOT_INSTALLED');
    t.ok((await titles('hook')).includes('uninstalled purge=false'), 'onUninstall ran');
    t.equal((await admin.get('/api/metadata/objects/life_note')).status, 200, 'the object and its records stay');
    const v3 = await writeLifecycleVersion(root, '2.0.1', { extraField: true, morePermissions: true });
    const again = await admin.post('/api/plugins', { path: v3, grant: 'requested' });
    t.equal(again.status, 201, JSON.stringify(again.body));
    t.ok((await titles('hook')).includes('installed 1.0.0'), 'old records are there for the new install');
    t.equal((await admin.delete('/api/plugins/life?purge=true')).status, 204);
    t.equal((await admin.get('/api/metadata/objects/life_note')).status, 404, 'purged: the object is gone');
    const deal = await admin.get('/api/metadata/objects/deal');
    t.notOk(deal.body.data.fields.some((f: { name: string }) => f.name === 'life_score'), 'and its field on deal');
    t.equal((await admin.get('/api/plugins')).body.data.length, 0);
    const events = await kernel.services.db.knex('event').where({ workspace_id: owner.workspaceId }).where('type', 'like', 'plugin.%').pluck('type');
    for (const type of ['plugin.installed', 'plugin.upgraded', 'plugin.upgrade_pending', 'plugin.disabled', 'plugin.enabled', 'plugin.uninstalled']) t.ok(events.includes(type), `${type} is in the event stream`);
  });
});
