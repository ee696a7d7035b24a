import t from 'tap';
import { api } from '../helpers/api.js';
import { createApiKey, inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

const fields = [{ name: 'name', type: 'text' }, { name: 'contact', type: 'full_name' }, { name: 'revenue', type: 'currency' }, { name: 'employees', type: 'number' }];

async function setup(t: Parameters<typeof startTestKernel>[0]) {
  const kernel = await startTestKernel(t);
  const ownerSession = await signUp(kernel.app, { name: 'Olga Owner' });
  const owner = api(kernel.app, ownerSession);
  const res = await owner.post('/api/metadata/objects', { name: 'company', fields });
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return { kernel, owner, ownerSession };
}

t.test('a record’s timeline lists its events newest first, with what changed, and outlives the event bus', async (t) => {
  const { kernel, owner, ownerSession } = await setup(t);
  const acme = (await owner.post('/api/objects/company', { name: 'Acme', contact: { first_name: 'Ada', last_name: 'Lovelace' }, employees: 5 })).body.data;
  await owner.post('/api/objects/company', { name: 'Other' });
  t.equal((await owner.patch(`/api/objects/company/${acme.id}`, { contact: { first_name: 'Augusta' }, employees: 6 })).status, 200);
  await owner.delete(`/api/objects/company/${acme.id}`);
  await owner.post(`/api/objects/company/${acme.id}/restore`);
  t.equal((await owner.post('/api/objects/company/batch', { upsert_on: 'id', records: [{ id: acme.id, name: 'Acme Ltd' }] })).status, 200);

  // The bus prunes delivered events after EVENT_RETENTION_HOURS, but never a record's: they are its history.
  await kernel.services.bus.wake();
  const { pruneEvents } = await import('../../src/events/retention.js');
  t.ok(await pruneEvents(kernel.services.db.knex, 0, 14) > 0, 'the metadata events are pruned');
  t.equal((await kernel.services.db.knex('event').where({ workspace_id: ownerSession.workspaceId }).whereNull('object_id')).length, 0);

  const res = await owner.get(`/api/objects/company/${acme.id}/timeline`);
  t.equal(res.status, 200, JSON.stringify(res.body));
  const entries = res.body.data;
  t.same(entries.map((e: any) => e.type), ['record.updated', 'record.restored', 'record.deleted', 'record.updated', 'record.created']);
  t.same(res.body.page_info, { has_next_page: false, end_cursor: res.body.page_info.end_cursor });
  t.type(res.body.page_info.end_cursor, 'string');
  t.match(entries[4], { actor: { type: 'member', id: ownerSession.memberId, name: 'Olga Owner' }, after: { id: acme.id, name: 'Acme', employees: 5, contact: { first_name: 'Ada', last_name: 'Lovelace' } } });
  t.notOk('before' in entries[4]);
  t.ok(entries.every((e: any) => typeof e.id === 'string' && !Number.isNaN(Date.parse(e.occurred_at))));
  t.ok(entries.every((e: any, i: number) => i === 0 || e.occurred_at <= entries[i - 1].occurred_at), 'newest first');

  const update = entries[3];
  t.same(update.changed_fields, ['contact', 'employees'], 'updated_at is not a change of its own');
  t.same(update.before, { contact: { first_name: 'Ada', last_name: 'Lovelace' }, employees: 5 }, 'a composite keeps all its sub-fields');
  t.same(update.after, { contact: { first_name: 'Augusta', last_name: 'Lovelace' }, employees: 6 });
  t.equal(entries[2].before.name, 'Acme', 'a delete shows the record as it was');
  t.ok(entries[2].before.deleted_at);
  t.equal(entries[1].after.deleted_at, null, 'a restore shows it back');
  t.same(entries[0].changed_fields, ['name'], 'batch upserts write history too');
  t.same(entries[0].after, { name: 'Acme Ltd' });

  // Destroying the record keeps its history readable.
  await owner.delete(`/api/objects/company/${acme.id}?destroy=true`);
  const after = await owner.get(`/api/objects/company/${acme.id}/timeline?limit=1`);
  t.equal(after.body.data[0].type, 'record.destroyed');
  t.equal(after.body.data[0].before.name, 'Acme Ltd');
});

t.test('keyset pages, bad input and unknown records', async (t) => {
  const { owner } = await setup(t);
  const rec = (await owner.post('/api/objects/company', { name: 'R', employees: 0 })).body.data;
  for (let i = 1; i <= 6; i++) await owner.patch(`/api/objects/company/${rec.id}`, { employees: i });

  const seen: number[] = [];
  let cursor: string | null = null;
  const sizes: number[] = [];
  for (;;) {
    const url: string = `/api/objects/company/${rec.id}/timeline?limit=3${cursor ? `&before=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await owner.get(url)).body;
    sizes.push(page.data.length);
    for (const e of page.data) seen.push(e.type === 'record.created' ? 0 : e.after.employees);
    if (!page.page_info.has_next_page) break;
    cursor = page.page_info.end_cursor;
  }
  t.same(sizes, [3, 3, 1]);
  t.same(seen, [6, 5, 4, 3, 2, 1, 0], 'every entry once, newest first');

  for (const [query, code] of [
    ['limit=0', 'MOSAIC_ERR_QUERY_LIMIT'],
    ['limit=501', 'MOSAIC_ERR_QUERY_LIMIT'],
    ['limit=abc', 'MOSAIC_ERR_REQUEST_INVALID'],
    ['before=nonsense', 'MOSAIC_ERR_QUERY_CURSOR'],
    [`before=${Buffer.from('["yesterday","1"]').toString('base64url')}`, 'MOSAIC_ERR_QUERY_CURSOR'],
    ['since=1', 'MOSAIC_ERR_REQUEST_INVALID'],
  ] as const) {
    const res = await owner.get(`/api/objects/company/${rec.id}/timeline?${query}`);
    t.equal(res.status, 400, query);
    t.equal(res.body.error.code, code, query);
  }
  const missing = await owner.get('/api/objects/company/00000000-0000-4000-8000-000000000000/timeline');
  t.equal(missing.status, 404);
  t.equal(missing.body.error.code, 'MOSAIC_ERR_RECORD_NOT_FOUND');
  t.equal((await owner.get(`/api/objects/company/not-a-uuid/timeline`)).body.error.code, 'MOSAIC_ERR_REQUEST_INVALID');
  t.equal((await owner.get(`/api/objects/planet/${rec.id}/timeline`)).body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND');

  // The id of another object's record is no record of this one.
  await owner.post('/api/metadata/objects', { name: 'person', fields: [{ name: 'name', type: 'text' }] });
  t.equal((await owner.get(`/api/objects/person/${rec.id}/timeline`)).body.error.code, 'MOSAIC_ERR_RECORD_NOT_FOUND');
});

t.test('roles: object read needed, hidden fields removed everywhere, other workspaces invisible', async (t) => {
  const { kernel, owner, ownerSession } = await setup(t);
  await owner.post('/api/workspace/roles', {
    key: 'sales',
    name: 'Sales',
    permissions: { workspace: [], objects: { '*': { read: true, create: true, update: true, delete: true } }, fields: { company: { revenue: { read: false, update: false } } } },
  });
  await owner.post('/api/workspace/roles', {
    key: 'blind',
    name: 'Blind',
    permissions: { workspace: [], objects: { '*': { read: true, create: true, update: true, delete: true }, company: { read: false, create: false, update: false, delete: false } }, fields: {} },
  });
  const rec = (await owner.post('/api/objects/company', { name: 'Acme', revenue: { amount: 100, currency: 'EUR' } })).body.data;
  await owner.patch(`/api/objects/company/${rec.id}`, { name: 'Acme 2', revenue: { amount: 200 } });
  await owner.patch(`/api/objects/company/${rec.id}`, { revenue: { amount: 300 } });

  const full = (await owner.get(`/api/objects/company/${rec.id}/timeline`)).body.data;
  t.same(full[1].changed_fields, ['name', 'revenue'], 'the owner sees every field');
  t.same(full[1].after.revenue, { amount: 200, currency: 'EUR' });

  const sales = api(kernel.app, await inviteAndAccept(kernel.app, ownerSession, 'sales'));
  const limited = (await sales.get(`/api/objects/company/${rec.id}/timeline`)).body.data;
  t.same(limited.map((e: any) => e.type), ['record.updated', 'record.updated', 'record.created']);
  t.same(limited[0].changed_fields, [], 'a change to a hidden field only shows that something changed');
  t.same(limited[0].before, {});
  t.same(limited[1].changed_fields, ['name']);
  t.same(limited[1].before, { name: 'Acme' });
  t.same(limited[1].after, { name: 'Acme 2' });
  t.notOk('revenue' in limited[2].after, 'hidden in the created record too');
  t.notOk(JSON.stringify(limited).includes('"amount"'), 'no hidden value anywhere');

  const viewer = api(kernel.app, await inviteAndAccept(kernel.app, ownerSession, 'viewer'));
  t.equal((await viewer.get(`/api/objects/company/${rec.id}/timeline`)).body.data.length, 3, 'reading is enough');
  const key = api(kernel.app, await createApiKey(kernel.app, ownerSession, 'viewer'));
  t.equal((await key.get(`/api/objects/company/${rec.id}/timeline`)).status, 200, 'API keys too');
  const blind = api(kernel.app, await inviteAndAccept(kernel.app, ownerSession, 'blind'));
  t.equal((await blind.get(`/api/objects/company/${rec.id}/timeline`)).body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND');

  const stranger = api(kernel.app, await signUp(kernel.app));
  await stranger.post('/api/metadata/objects', { name: 'company', fields });
  t.equal((await stranger.get(`/api/objects/company/${rec.id}/timeline`)).body.error.code, 'MOSAIC_ERR_RECORD_NOT_FOUND', 'another workspace’s record');
});

t.test('renaming the object keeps the timeline; a merge moves a record’s history with one update', async (t) => {
  const { kernel, owner, ownerSession } = await setup(t);
  const keep = (await owner.post('/api/objects/company', { name: 'Acme' })).body.data;
  const dupe = (await owner.post('/api/objects/company', { name: 'ACME Inc' })).body.data;
  await owner.patch(`/api/objects/company/${dupe.id}`, { employees: 9 });
  t.equal((await owner.patch('/api/metadata/objects/company', { name: 'account' })).status, 200);
  t.equal((await owner.get(`/api/objects/account/${dupe.id}/timeline`)).body.data.length, 2, 'the object’s rename is followed');

  await kernel.services.db.knex('event').where({ workspace_id: ownerSession.workspaceId, record_id: dupe.id }).update({ merged_into: keep.id });
  const merged = (await owner.get(`/api/objects/account/${keep.id}/timeline`)).body.data;
  t.same(merged.map((e: any) => e.type), ['record.updated', 'record.created', 'record.created']);
  t.same(merged[0].after, { employees: 9 });
});

t.test('other events naming the record join its timeline, without their payload', async (t) => {
  const { kernel, owner, ownerSession } = await setup(t);
  const rec = (await owner.post('/api/objects/company', { name: 'Acme' })).body.data;
  const actor = { type: 'plugin' as const, id: 'activities', name: 'Activities' };
  await kernel.services.bus.emit([
    { workspaceId: ownerSession.workspaceId, type: 'activities.note_added', object: 'company', recordId: rec.id, actor, payload: { secret_note: 'hidden' } },
    { workspaceId: ownerSession.workspaceId, type: 'activities.synced', actor, payload: {} },
  ]);
  const entries = (await owner.get(`/api/objects/company/${rec.id}/timeline`)).body.data;
  t.same(entries.map((e: any) => e.type), ['activities.note_added', 'record.created']);
  t.same(Object.keys(entries[0]).sort(), ['actor', 'id', 'occurred_at', 'type']);
  t.same(entries[0].actor, actor);
  const [event] = await kernel.services.db.knex('event').where({ type: 'activities.note_added' }).select('id');
  t.equal(entries[0].id, event.id, 'the entry id is the event id');
  t.equal((await kernel.services.db.knex('event').where({ type: 'activities.synced' })).length, 1, 'events naming no record are stored as before');

  // Pruning takes the plugin's other event; the one on the record's timeline stays.
  await kernel.services.bus.wake();
  const { pruneEvents } = await import('../../src/events/retention.js');
  await pruneEvents(kernel.services.db.knex, 0, 14);
  t.equal((await kernel.services.db.knex('event').where({ type: 'activities.synced' })).length, 0, 'a delivered event naming no record is pruned');
  t.same((await owner.get(`/api/objects/company/${rec.id}/timeline`)).body.data.map((e: any) => e.type), ['activities.note_added', 'record.created'], 'the timeline is whole after pruning');
});

t.test('deleting an object takes its records’ history out of every timeline, and only theirs', async (t) => {
  const { kernel, owner, ownerSession } = await setup(t);
  t.equal((await owner.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'name', type: 'text' }] })).status, 201);
  const deal = (await owner.post('/api/objects/deal', { name: 'Big one' })).body.data;
  const acme = (await owner.post('/api/objects/company', { name: 'Acme' })).body.data;
  const history = (object: string) => kernel.services.db.knex('event').where({ workspace_id: ownerSession.workspaceId, object }).whereNotNull('object_id').count({ n: '*' }).first();
  t.equal(Number((await history('deal'))!.n), 1);

  t.equal((await owner.delete('/api/metadata/objects/deal')).status, 204);
  t.equal(Number((await history('deal'))!.n), 0, 'the deleted object’s history is gone with its table');
  t.equal(Number((await history('company'))!.n), 1, 'other objects keep theirs');

  // Its events are ordinary outbox rows now: delivered if still due, then pruned like any other.
  await kernel.services.bus.wake();
  const { pruneEvents } = await import('../../src/events/retention.js');
  await pruneEvents(kernel.services.db.knex, 0, 14);
  t.equal((await kernel.services.db.knex('event').where({ workspace_id: ownerSession.workspaceId, object: 'deal' })).length, 0, 'and pruned once delivered');
  t.equal(Number((await history('company'))!.n), 1, 'while record events of live objects stay');

  // A new object of the same name starts with no past: its records never show the old ones' events.
  t.equal((await owner.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'name', type: 'text' }] })).status, 201);
  t.equal((await owner.get(`/api/objects/deal/${deal.id}/timeline`)).status, 404);
  t.equal((await owner.get(`/api/objects/company/${acme.id}/timeline`)).body.data.length, 1);
});
