import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestKernel, type TestKernel, type TestResponse } from '@mosaic/plugin-sdk/testing';
import type { DueToday, Note, RecordActivities, Task } from '../src/server.js';

// activities on a live kernel with companies and people, but not opportunities: notes and tasks attached to
// records of other plugins' objects, checked to exist through the read grant on every object ("*") that
// activities asks for. It declares no dependency, and attaching to an object the workspace does not have
// is answered as a clear 404.

const COMPANIES = fileURLToPath(new URL('../../companies', import.meta.url));
const PEOPLE = fileURLToPath(new URL('../../people', import.meta.url));
const ACTIVITIES = fileURLToPath(new URL('..', import.meta.url));
const NO_SUCH_ID = '00000000-0000-4000-8000-000000000000';
type ErrorBody = { error: { code: string; message: string } };

let kernel: TestKernel;
let acme: string;
let ada: string;
let owner: string;
const expectStatus = (res: TestResponse, status: number) => assert.equal(res.status, status, JSON.stringify(res.body));
const create = async (object: string, data: unknown): Promise<string> => {
  const res = await kernel.request<{ data: { id: string } }>('POST', `/api/objects/${object}`, data);
  expectStatus(res, 201);
  return res.body.data.id;
};
const post = <T>(path: string, body: unknown) => kernel.request<T>('POST', `/api/plugins/activities${path}`, body);
const forRecord = async (object: string, id: string): Promise<RecordActivities> => {
  const res = await kernel.request<RecordActivities>('GET', `/api/plugins/activities/for/${object}/${id}`);
  expectStatus(res, 200);
  return res.body;
};
/** `YYYY-MM-DD` in UTC, `days` from today. */
const day = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

before(async () => {
  kernel = await startTestKernel({ plugins: [COMPANIES, PEOPLE, ACTIVITIES] });
  acme = await create('company', { name: 'Acme', domain: 'acme.com' });
  ada = await create('person', { full_name: { first_name: 'Ada', last_name: 'Lovelace' }, company_id: acme });
  // The assignee is a member field: the owner the test kernel signed up is the workspace's one member.
  owner = (await kernel.request<{ data: { id: string }[] }>('GET', '/api/workspace/directory')).body.data[0]!.id;
});
after(() => kernel?.close());

describe('activities on a live kernel', () => {
  test('install creates note and task; status is an ordered select defaulting to todo; the views are placed', async () => {
    const task = await kernel.request<{ data: { label_field: string; fields: { name: string; type: string; default_value: unknown; options: { options?: { value: string }[] } }[] } }>('GET', '/api/metadata/objects/task');
    expectStatus(task, 200);
    const fields = new Map(task.body.data.fields.map((f) => [f.name, f]));
    for (const [name, type] of [['title', 'text'], ['body', 'long_text'], ['due_date', 'date'], ['status', 'select'], ['assignee_id', 'member'], ['target_object', 'text'], ['target_id', 'text']]) {
      assert.equal(fields.get(name!)?.type, type, name);
    }
    assert.deepEqual(fields.get('status')?.options.options?.map((o) => o.value), ['todo', 'in_progress', 'done']);
    const note = await kernel.request<{ data: { fields: { name: string; type: string }[] } }>('GET', '/api/metadata/objects/note');
    assert.equal(note.body.data.fields.find((f) => f.name === 'body')?.type, 'long_text');

    const plugins = await kernel.request<{ data: { id: string; views: { slot: string; element: string; object: string | null }[]; views_url: string }[] }>('GET', '/api/plugins');
    const plugin = plugins.body.data.find((p) => p.id === 'activities')!;
    // The record tab names "*": the kernel lists it on every object of the workspace but its own notes and tasks.
    const objects = await kernel.request<{ data: { name: string }[] }>('GET', '/api/metadata/objects');
    const tabs = plugin.views.filter((v) => v.slot === 'record.tab');
    assert.ok(tabs.every((v) => v.element === 'activities-record-tab'));
    assert.deepEqual(tabs.map((v) => v.object).sort(), objects.body.data.map((o) => o.name).filter((name) => name !== 'note' && name !== 'task').sort());
    assert.ok(tabs.some((v) => v.object === 'company') && tabs.some((v) => v.object === 'person'));
    assert.deepEqual(plugin.views.filter((v) => v.slot !== 'record.tab').map((v) => [v.slot, v.element, v.object]), [['dashboard.widget', 'activities-due-today-widget', null]]);
    expectStatus(await kernel.request('GET', plugin.views_url), 200);
  });

  test('notes and tasks attach to a company and a person, and each record lists its own, newest first', async () => {
    const first = await post<Note>('/notes', { target_object: 'company', target_id: acme, body: '# Kick-off\n\nThey want **SSO**.' });
    expectStatus(first, 201);
    assert.equal(first.body.title, 'Kick-off', 'without a title, the first line of the Markdown names the note');
    expectStatus(await post('/notes', { target_object: 'company', target_id: acme, title: 'Pricing', body: 'Sent the *enterprise* quote.' }), 201);
    expectStatus(await post('/notes', { target_object: 'person', target_id: ada, body: 'Prefers email.' }), 201);
    const call = await post<Task>('/tasks', { target_object: 'company', target_id: acme, title: 'Call back', due_date: day(2), assignee_id: owner });
    expectStatus(call, 201);
    assert.equal(call.body.status, 'todo');
    expectStatus(await post('/tasks', { target_object: 'person', target_id: ada, title: 'Send the deck', status: 'in_progress' }), 201);

    const company = await forRecord('company', acme);
    assert.deepEqual(company.notes.map((n) => [n.title, n.body]), [['Pricing', 'Sent the *enterprise* quote.'], ['Kick-off', '# Kick-off\n\nThey want **SSO**.']]);
    assert.deepEqual(company.tasks.map((t) => [t.title, t.due_date, t.assignee_id]), [['Call back', day(2), owner]]);
    const stranger = await post<ErrorBody>('/tasks', { target_object: 'company', target_id: acme, title: 'Nobody', assignee_id: NO_SUCH_ID });
    expectStatus(stranger, 400);
    assert.match(stranger.body.error.message, /assignee_id is not a member of this workspace/);
    assert.deepEqual(company.has_more, { notes: false, tasks: false });
    const person = await forRecord('person', ada);
    assert.deepEqual(person.notes.map((n) => n.title), ['Prefers email.']);
    assert.deepEqual(person.tasks.map((t) => [t.title, t.status]), [['Send the deck', 'in_progress']]);
    assert.deepEqual(await forRecord('company', NO_SUCH_ID), { notes: [], tasks: [], has_more: { notes: false, tasks: false } });
  });

  test('GET /tasks/due-today answers exactly the tasks due today (UTC) that are not done', async () => {
    const today = day(0);
    for (const [title, due_date, status] of [['Today, to do', today, 'todo'], ['Today, started', today, 'in_progress'], ['Today, done', today, 'done'], ['Yesterday', day(-1), 'todo'], ['Tomorrow', day(1), 'todo']]) {
      expectStatus(await post('/tasks', { target_object: 'company', target_id: acme, title, due_date, status }), 201);
    }
    expectStatus(await post('/tasks', { target_object: 'person', target_id: ada, title: 'Today, on Ada', due_date: today }), 201);
    const res = await kernel.request<DueToday>('GET', '/api/plugins/activities/tasks/due-today');
    expectStatus(res, 200);
    assert.equal(res.body.date, today);
    assert.deepEqual(res.body.data.map((t) => t.title), ['Today, to do', 'Today, started', 'Today, on Ada']);
    assert.equal(res.body.has_more, false);
  });

  test('a task is completed, reopened and changed; notes and tasks are deleted; bad changes are refused', async () => {
    const send = <T>(method: string, path: string, body?: unknown) => kernel.request<T>(method, `/api/plugins/activities${path}`, body);
    const task = (await post<Task>('/tasks', { target_object: 'company', target_id: acme, title: 'Send the contract', due_date: day(0) })).body;
    let res = await send<Task>('PATCH', `/tasks/${task.id}`, { status: 'done' });
    expectStatus(res, 200);
    assert.equal(res.body.status, 'done');
    let due = await kernel.request<DueToday>('GET', '/api/plugins/activities/tasks/due-today');
    assert.ok(!due.body.data.some((t) => t.id === task.id), 'a completed task leaves the due-today list');
    res = await send<Task>('PATCH', `/tasks/${task.id}`, { status: 'todo', title: 'Send the signed contract', due_date: day(3) });
    expectStatus(res, 200);
    assert.deepEqual([res.body.status, res.body.title, res.body.due_date], ['todo', 'Send the signed contract', day(3)]);

    const bad = async (method: string, path: string, body: unknown, status: number, code: string) => {
      const r = await send<ErrorBody>(method, path, body);
      assert.equal(r.status, status, JSON.stringify(r.body));
      assert.equal(r.body.error.code, code);
    };
    await bad('PATCH', `/tasks/${task.id}`, { status: 'finished' }, 400, 'ACTIVITIES_INVALID');
    await bad('PATCH', `/tasks/${task.id}`, { target_id: ada }, 400, 'ACTIVITIES_INVALID');
    await bad('PATCH', `/tasks/${task.id}`, { title: '  ' }, 400, 'ACTIVITIES_INVALID');
    await bad('PATCH', `/tasks/${task.id}`, {}, 400, 'ACTIVITIES_INVALID');
    await bad('PATCH', `/tasks/${NO_SUCH_ID}`, { status: 'done' }, 404, 'ACTIVITIES_NOT_FOUND');
    await bad('PATCH', '/tasks/not-an-id', { status: 'done' }, 404, 'ACTIVITIES_NOT_FOUND');
    const stored = await kernel.request<{ data: Task }>('GET', `/api/objects/task/${task.id}`);
    assert.deepEqual([stored.body.data.status, stored.body.data.target_id], ['todo', acme], 'refused changes change nothing');

    const note = (await post<Note>('/notes', { target_object: 'company', target_id: acme, body: 'To be edited' })).body;
    const edited = await send<Note>('PATCH', `/notes/${note.id}`, { body: 'Edited **twice**' });
    expectStatus(edited, 200);
    assert.equal(edited.body.body, 'Edited **twice**');
    await bad('PATCH', `/notes/${note.id}`, { body: '' }, 400, 'ACTIVITIES_INVALID');
    expectStatus(await send('DELETE', `/notes/${note.id}`), 204);
    expectStatus(await send('DELETE', `/tasks/${task.id}`), 204);
    await bad('DELETE', `/tasks/${task.id}`, undefined, 404, 'ACTIVITIES_NOT_FOUND');
    const company = await forRecord('company', acme);
    assert.ok(!company.notes.some((n) => n.id === note.id) && !company.tasks.some((t) => t.id === task.id), 'deleted ones are no longer listed');
    due = await kernel.request<DueToday>('GET', '/api/plugins/activities/tasks/due-today');
    assert.equal(due.status, 200);
  });

  test('an unknown target id, an object this workspace does not have and a malformed object name are refused; nothing is stored', async () => {
    const unknown = await post<ErrorBody>('/notes', { target_object: 'company', target_id: NO_SUCH_ID, body: 'Lost' });
    expectStatus(unknown, 404);
    assert.equal(unknown.body.error.code, 'ACTIVITIES_TARGET_NOT_FOUND');
    const notInstalled = await post<ErrorBody>('/tasks', { target_object: 'opportunity', target_id: NO_SUCH_ID, title: 'Lost' });
    expectStatus(notInstalled, 404);
    assert.match(notInstalled.body.error.message, /no opportunity object/);
    const noObject = await post<ErrorBody>('/notes', { target_object: 'invoice', target_id: NO_SUCH_ID, body: 'Lost' });
    expectStatus(noObject, 404);
    assert.match(noObject.body.error.message, /no invoice object/);
    const unsupported = await post<ErrorBody>('/notes', { target_object: 'Not an object!', target_id: NO_SUCH_ID, body: 'Lost' });
    expectStatus(unsupported, 400);
    assert.equal(unsupported.body.error.code, 'ACTIVITIES_TARGET_UNSUPPORTED');
    const badStatus = await post<ErrorBody>('/tasks', { target_object: 'company', target_id: acme, title: 'Lost', status: 'someday' });
    expectStatus(badStatus, 400);
    assert.equal(badStatus.body.error.code, 'ACTIVITIES_INVALID');
    const untitled = await post<ErrorBody>('/tasks', { target_object: 'company', target_id: acme, title: ' ' });
    expectStatus(untitled, 400);
    const lost = await kernel.request<{ data: unknown[] }>('GET', '/api/objects/task?filter=title[eq]:Lost');
    assert.deepEqual(lost.body.data, []);
  });

  test('when companies are merged, the notes and tasks of the merged ones follow the survivor', async () => {
    const globex = await create('company', { name: 'Globex' });
    const globexGmbh = await create('company', { name: 'Globex GmbH' });
    expectStatus(await post('/notes', { target_object: 'company', target_id: globex, body: 'Met at the fair.' }), 201);
    expectStatus(await post('/notes', { target_object: 'company', target_id: globexGmbh, body: 'Asked for a quote.' }), 201);
    expectStatus(await post('/tasks', { target_object: 'company', target_id: globexGmbh, title: 'Send the quote' }), 201);

    expectStatus(await kernel.request('POST', '/api/objects/company/merge', { into: globex, from: [globexGmbh] }), 200);
    // The record.merged handler runs after the merge commits, delivered by the event bus.
    let survivor = await forRecord('company', globex);
    for (let i = 0; i < 100 && (survivor.notes.length < 2 || survivor.tasks.length < 1); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      survivor = await forRecord('company', globex);
    }
    assert.deepEqual(survivor.notes.map((n) => n.body).sort(), ['Asked for a quote.', 'Met at the fair.']);
    assert.deepEqual(survivor.tasks.map((t) => t.title), ['Send the quote']);
    const left = await forRecord('company', globexGmbh);
    assert.deepEqual([left.notes.length, left.tasks.length], [0, 0], 'nothing stays on the merged company');
  });

  test('uninstalling keeps the notes and tasks; installing again takes them over', async () => {
    expectStatus(await kernel.request('DELETE', '/api/plugins/activities'), 204);
    expectStatus(await kernel.request('GET', '/api/plugins/activities/for/company/' + acme), 404);
    const notes = await kernel.request<{ data: { title: string }[] }>('GET', `/api/objects/note?filter=target_id[eq]:"${acme}"`);
    expectStatus(notes, 200);
    assert.equal(notes.body.data.length, 2);

    expectStatus(await kernel.request('POST', '/api/plugins', { path: ACTIVITIES, grant: 'requested' }), 201);
    const company = await forRecord('company', acme);
    assert.equal(company.notes.length, 2);
    assert.equal(company.tasks.length, 6);
  });
});
