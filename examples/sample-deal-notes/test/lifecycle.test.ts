import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestKernel, type TestKernel, type TestResponse } from '@mosaic/plugin-sdk/testing';

// The plugin's whole life on a live kernel, one test per step; each step builds on the one before.
// startTestKernel installs its `plugins` before a test can run, but this plugin adds a field to `deal`,
// an object an admin creates first — so the kernel starts with none, allowed to install from this
// folder's parent and from a scratch folder for the upgrade, and the tests install through the API.

const PLUGIN = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const ID = 'deal-notes';
const ROUTES = `/api/plugins/${ID}`;

interface Installation {
  id: string;
  version: string;
  enabled: boolean;
  objects: string[];
  fields: string[];
  views: { slot: string; element: string; object: string | null }[];
  views_url: string | null;
  jobs: { name: string; cron: string }[];
  job_runs?: unknown[];
}
interface Note { id: string; title: string; body: string | null }
interface Deal { id: string; name: string; note_count: number | null }
type ErrorBody = { error: { code: string; message: string } };

let kernel: TestKernel;
let scratch: string;
let upgraded: string;
let deal: Deal;
let first: Note;

/** Fails with the answer's status and body, so a refused step says why. */
function expectStatus(res: TestResponse, status: number): void {
  assert.equal(res.status, status, JSON.stringify(res.body));
}

/** Retries `read` until `done` holds: event handlers run after the write that caused them returned. */
async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) assert.fail(`still not there after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// The records and metadata APIs answer one item as `{ data }`; plugin routes answer what they return.
const dealNow = async () => (await kernel.request<{ data: Deal }>('GET', `/api/objects/deal/${deal.id}`)).body.data;
const fieldsOf = async (object: string) => (await kernel.request<{ data: { fields: { name: string }[] } }>('GET', `/api/metadata/objects/${object}`)).body.data.fields.map((f) => f.name);
const notesRoute = () => kernel.request<{ data: Note[] } & Partial<ErrorBody>>('GET', `${ROUTES}/deals/${deal.id}/notes`);

before(async () => {
  scratch = await realpath(await mkdtemp(join(tmpdir(), 'deal-notes-upgrade-')));
  kernel = await startTestKernel({ env: { PLUGIN_DIRS: [dirname(PLUGIN), scratch].join(',') } });
});
after(async () => {
  await kernel?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('deal-notes on a live kernel', () => {
  test('install: the admin creates deal, then installs with the requested grant; the plugin\'s object and field exist', async () => {
    expectStatus(await kernel.request('POST', '/api/metadata/objects', {
      name: 'deal',
      label_singular: 'Deal',
      label_plural: 'Deals',
      label_field: 'name',
      fields: [{ name: 'name', type: 'text', is_nullable: false }],
    }), 201);

    const installed = await kernel.request<Installation>('POST', '/api/plugins', { path: PLUGIN, grant: 'requested' });
    expectStatus(installed, 201);
    assert.equal(installed.body.version, '1.0.0');
    assert.deepEqual(installed.body.objects, ['deal_note']);
    assert.deepEqual(installed.body.fields, ['deal.note_count']);
    assert.ok((await fieldsOf('deal')).includes('note_count'));
    assert.ok((await fieldsOf('deal_note')).includes('deal_id'));
  });

  test('route: notes are added to a deal and listed; bad input gets the plugin\'s codes', async () => {
    const made = await kernel.request<{ data: Deal }>('POST', '/api/objects/deal', { name: 'Acme renewal' });
    expectStatus(made, 201);
    deal = made.body.data;
    assert.equal(deal.note_count, 0);

    const created = await kernel.request<Note & { deal_id: string }>('POST', `${ROUTES}/deals/${deal.id}/notes`, { title: 'Kick-off call', body: 'Budget confirmed.' });
    expectStatus(created, 201);
    assert.equal(created.body.deal_id, deal.id);
    first = created.body;

    const list = await notesRoute();
    expectStatus(list, 200);
    assert.deepEqual(list.body.data.map((n) => [n.title, n.body]), [['Kick-off call', 'Budget confirmed.']]);

    const untitled = await kernel.request<ErrorBody>('POST', `${ROUTES}/deals/${deal.id}/notes`, { title: '' });
    expectStatus(untitled, 400);
    assert.equal(untitled.body.error.code, 'DEAL_NOTES_TITLE_REQUIRED');
    const nowhere = await kernel.request<ErrorBody>('POST', `${ROUTES}/deals/00000000-0000-4000-8000-000000000000/notes`, { title: 'Lost' });
    expectStatus(nowhere, 404);
    assert.equal(nowhere.body.error.code, 'DEAL_NOTES_DEAL_NOT_FOUND');
  });

  test('event handler: each new note, from the route or the records API, brings deal.note_count up to date', async () => {
    await until(dealNow, (d) => d.note_count === 1);
    // A note made without the plugin's route is counted too: the handler listens to record.created.
    expectStatus(await kernel.request('POST', '/api/objects/deal_note', { title: 'Sent the quote', deal_id: deal.id }), 201);
    await until(dealNow, (d) => d.note_count === 2);
  });

  test('job: nightly-digest is scheduled; no slot has run yet, so the digest route answers null', async () => {
    // The job's handler itself runs in handlers.test.ts: the kernel offers no way to run a job now.
    const detail = await kernel.request<Installation>('GET', `/api/plugins/${ID}`);
    expectStatus(detail, 200);
    assert.deepEqual(detail.body.jobs.map((j) => [j.name, j.cron]), [['nightly-digest', '0 2 * * *']]);
    assert.deepEqual(detail.body.job_runs, []);
    const digest = await kernel.request<{ digest: unknown }>('GET', `${ROUTES}/digest`);
    expectStatus(digest, 200);
    assert.deepEqual(digest.body, { digest: null });
  });

  test('view: the deal tab is listed and its bundle is served at views_url', async () => {
    const list = await kernel.request<{ data: Installation[] }>('GET', '/api/plugins');
    const plugin = list.body.data.find((p) => p.id === ID);
    assert.deepEqual(plugin?.views.map((v) => [v.slot, v.element, v.object]), [['record.tab', 'deal-notes-tab', 'deal']]);
    assert.ok(plugin.views_url);
    const bundle = await kernel.request<string>('GET', plugin.views_url);
    expectStatus(bundle, 200);
    assert.match(bundle.headers['content-type'] ?? '', /^text\/javascript/);
    assert.match(bundle.body, /customElements\.define\("deal-notes-tab"/);
  });

  test('upgrade: 1.1.0 adds deal_note.pinned; existing notes and counts are intact', async () => {
    // The next version, as a release would ship it: the built folder with a new manifest.
    upgraded = join(scratch, 'deal-notes-1.1.0');
    await cp(join(PLUGIN, 'mosaic-plugin.json'), join(upgraded, 'mosaic-plugin.json'));
    await cp(join(PLUGIN, 'dist'), join(upgraded, 'dist'), { recursive: true });
    const manifest = JSON.parse(await readFile(join(upgraded, 'mosaic-plugin.json'), 'utf8')) as { version: string; objects: { fields: unknown[] }[] };
    manifest.version = '1.1.0';
    manifest.objects[0]!.fields.push({ name: 'pinned', type: 'boolean', default_value: false });
    await writeFile(join(upgraded, 'mosaic-plugin.json'), JSON.stringify(manifest, null, 2));

    // It asks for no more permissions, so it applies without a new grant.
    const res = await kernel.request<{ outcome: string; previous_version: string; changes: { added_fields: string[] }; plugin: Installation }>('PUT', `/api/plugins/${ID}`, { path: upgraded });
    expectStatus(res, 200);
    assert.equal(res.body.outcome, 'upgraded');
    assert.equal(res.body.previous_version, '1.0.0');
    assert.equal(res.body.plugin.version, '1.1.0');
    assert.deepEqual(res.body.changes.added_fields, ['deal_note.pinned']);

    assert.ok((await fieldsOf('deal_note')).includes('pinned'));
    const kept = await kernel.request<{ data: { title: string; pinned: boolean } }>('GET', `/api/objects/deal_note/${first.id}`);
    expectStatus(kept, 200);
    assert.deepEqual([kept.body.data.title, kept.body.data.pinned], ['Kick-off call', false]);
    assert.equal((await notesRoute()).body.data.length, 2);
    assert.equal((await dealNow()).note_count, 2);
  });

  test('disable: the routes answer 404 MOSAIC_ERR_PLUGIN_DISABLED and the view goes; the data stays', async () => {
    const off = await kernel.request<Installation>('PATCH', `/api/plugins/${ID}`, { enabled: false });
    expectStatus(off, 200);
    assert.equal(off.body.enabled, false);

    const route = await notesRoute();
    expectStatus(route, 404);
    assert.equal(route.body.error?.code, 'MOSAIC_ERR_PLUGIN_DISABLED');
    assert.ok(off.body.views_url);
    expectStatus(await kernel.request('GET', off.body.views_url), 404);
    const notes = await kernel.request<{ data: unknown[] }>('GET', '/api/objects/deal_note');
    assert.equal(notes.body.data.length, 2);
  });

  test('re-enable: the routes work on the same data, and the event handler runs again', async () => {
    expectStatus(await kernel.request('PATCH', `/api/plugins/${ID}`, { enabled: true }), 200);
    const list = await notesRoute();
    expectStatus(list, 200);
    assert.deepEqual(list.body.data.map((n) => n.title).sort(), ['Kick-off call', 'Sent the quote']);

    expectStatus(await kernel.request('POST', `${ROUTES}/deals/${deal.id}/notes`, { title: 'Signed' }), 201);
    await until(dealNow, (d) => d.note_count === 3);
  });

  test('uninstall: the plugin is gone but its object, field and records stay', async () => {
    expectStatus(await kernel.request('DELETE', `/api/plugins/${ID}`), 204);
    const route = await notesRoute();
    expectStatus(route, 404);
    assert.equal(route.body.error?.code, 'MOSAIC_ERR_PLUGIN_NOT_INSTALLED');

    const notes = await kernel.request<{ data: unknown[] }>('GET', '/api/objects/deal_note');
    expectStatus(notes, 200);
    assert.equal(notes.body.data.length, 3);
    assert.equal((await dealNow()).note_count, 3);
  });

  test('reinstall takes the data over; uninstall with purge removes the object, the field and the notes', async () => {
    const again = await kernel.request<Installation>('POST', '/api/plugins', { path: upgraded, grant: 'requested' });
    expectStatus(again, 201);
    assert.equal(again.body.version, '1.1.0');
    assert.equal((await notesRoute()).body.data.length, 3);

    expectStatus(await kernel.request('DELETE', `/api/plugins/${ID}?purge=true`), 204);
    const gone = await kernel.request<ErrorBody>('GET', '/api/objects/deal_note');
    expectStatus(gone, 404);
    assert.equal(gone.body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND');
    const fields = await fieldsOf('deal');
    assert.ok(!fields.includes('note_count'), fields.join(', '));
    // The admin's deal itself is not the plugin's to remove.
    assert.equal((await dealNow()).name, 'Acme renewal');
  });
});
