import t from 'tap';
import { api, type Api } from '../helpers/api.js';
import { inviteAndAccept, signUp, type Session } from '../helpers/auth.js';
import { formatEvent } from '../../src/events/format.js';
import { startTestKernel } from '../helpers/kernel.js';
import { hostApiManifest, hostHarness } from '../plugins/fixtures/host-api.js';

type Kernel = Awaited<ReturnType<typeof startTestKernel>>;

/** company ← person.company, company ← opportunity.company, person ← opportunity.contact, company ← company.parent. */
async function crm(t: Parameters<typeof startTestKernel>[0]): Promise<{ kernel: Kernel; owner: Session; client: Api }> {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  const made = [
    await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'domain', type: 'text', is_unique: true }, { name: 'employees', type: 'number' }] }),
    await client.post('/api/metadata/objects/company/fields', { name: 'parent', type: 'relation', options: { target: 'company', inverse_name: 'subsidiaries', on_delete: 'set_null' } }),
    await client.post('/api/metadata/objects', { name: 'person', fields: [{ name: 'name', type: 'text' }, { name: 'company', type: 'relation', options: { target: 'company', inverse_name: 'people', on_delete: 'set_null' } }] }),
    await client.post('/api/metadata/objects', {
      name: 'opportunity',
      fields: [
        { name: 'name', type: 'text' },
        { name: 'company', type: 'relation', options: { target: 'company', inverse_name: 'opportunities', on_delete: 'set_null' } },
        { name: 'contact', type: 'relation', options: { target: 'person', inverse_name: 'opportunities', on_delete: 'set_null' } },
      ],
    }),
  ];
  for (const res of made) if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return { kernel, owner, client };
}

const create = async (client: Api, object: string, body: unknown): Promise<string> => {
  const res = await client.post(`/api/objects/${object}`, body);
  if (res.status !== 201) throw new Error(JSON.stringify(res.body));
  return res.body.data.id;
};

t.test('merging companies re-points people, opportunities and subsidiaries, keeps the timeline and emits events', async (t) => {
  const { kernel, owner, client } = await crm(t);
  const acme = await create(client, 'company', { name: 'Acme', domain: 'acme.com', employees: 10 });
  const acmeInc = await create(client, 'company', { name: 'Acme Inc', domain: 'acme.io', employees: 12 });
  const acmeGmbh = await create(client, 'company', { name: 'ACME GmbH' });
  const other = await create(client, 'company', { name: 'Other' });
  const ann = await create(client, 'person', { name: 'Ann', company_id: acmeInc });
  const bob = await create(client, 'person', { name: 'Bob', company_id: acmeGmbh });
  const cid = await create(client, 'person', { name: 'Cid', company_id: other });
  const gone = await create(client, 'person', { name: 'Gone', company_id: acmeInc });
  await client.delete(`/api/objects/person/${gone}`);
  const deal = await create(client, 'opportunity', { name: 'Deal', company_id: acmeInc, contact_id: ann });
  const sub = await create(client, 'company', { name: 'Acme Labs', parent_id: acmeGmbh });
  await client.patch(`/api/objects/company/${acmeInc}`, { employees: 13 });
  const seqBefore = (await kernel.services.db.knex('event').max('seq as seq'))[0].seq;

  const res = await client.post('/api/objects/company/merge', { into: acme, from: [acmeInc, acmeGmbh], values: { employees: 13 } });
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.match(res.body.data, { id: acme, name: 'Acme', domain: 'acme.com', employees: 13 });
  t.same(res.body.merged_ids, [acmeInc, acmeGmbh]);
  t.same(res.body.repointed, { company: 1, person: 3, opportunity: 1 }, 'the soft-deleted person is re-pointed too');

  const person = async (id: string) => (await client.get(`/api/objects/person/${id}?deleted=include`)).body.data.company_id;
  t.same([await person(ann), await person(bob), await person(gone), await person(cid)], [acme, acme, acme, other], 'people now work at the survivor; others untouched');
  t.equal((await client.get(`/api/objects/opportunity/${deal}`)).body.data.company_id, acme);
  t.equal((await client.get(`/api/objects/opportunity/${deal}`)).body.data.contact_id, ann, 'relations to other objects untouched');
  t.equal((await client.get(`/api/objects/company/${sub}`)).body.data.parent_id, acme, 'self-relations are re-pointed');
  for (const loser of [acmeInc, acmeGmbh]) {
    t.equal((await client.get(`/api/objects/company/${loser}`)).status, 404, 'the merged record is gone from the live list');
    t.type((await client.get(`/api/objects/company/${loser}?deleted=only`)).body.data.deleted_at, 'string', 'soft-deleted, not destroyed');
  }
  const people = (await client.get(`/api/objects/company/${acme}?depth=1`)).body.data.people.map((p: { name: string }) => p.name).sort();
  t.same(people, ['Ann', 'Bob']);

  const events = (await kernel.services.db.knex('event').where('seq', '>', seqBefore).orderBy('seq')) as { type: string; object: string; record_id: string; payload: Record<string, any> }[];
  const summary = events.map((e) => `${e.type} ${e.object} ${e.record_id}`);
  for (const [object, id] of [['person', ann], ['person', bob], ['person', gone], ['opportunity', deal], ['company', sub]]) t.ok(summary.includes(`record.updated ${object} ${id}`), `record.updated for ${object} ${id}`);
  const deleted = events.filter((e) => e.type === 'record.deleted');
  t.same(deleted.map((e) => e.record_id).sort(), [acmeInc, acmeGmbh].sort());
  t.ok(deleted.every((e) => e.payload.merged_into === acme), 'each deletion names the survivor');
  const merged = events.filter((e) => e.type === 'record.merged');
  t.equal(merged.length, 1);
  t.match(merged[0], { object: 'company', record_id: acme, payload: { merged_ids: [acmeInc, acmeGmbh], values: { employees: 13 } } });
  t.equal(events.at(-1)!.type, 'record.merged', 'the merge is announced last, after everything it did');

  // Subscribers get the merge details through the bus's shaping too.
  const shaped = await formatEvent(kernel.services.metadata, { ...(merged[0] as any), pos: 1, workspace_id: owner.workspaceId, actor: null, created_at: new Date() });
  t.match(shaped.payload, { merged_ids: [acmeInc, acmeGmbh], values: { employees: 13 }, record: { id: acme, employees: 13 } });
  const shapedDelete = await formatEvent(kernel.services.metadata, { ...(deleted[0] as any), pos: 2, workspace_id: owner.workspaceId, actor: null, created_at: new Date() });
  t.match(shapedDelete.payload, { merged_into: acme, record: { id: deleted[0].record_id } });

  // The durable timeline: the merged records' history now belongs to the survivor.
  const history = (await kernel.services.db.knex('event').where({ workspace_id: owner.workspaceId, object: 'company' }).whereNotNull('object_id').whereRaw('coalesce(merged_into, record_id) = ?', [acme]).orderBy('seq')) as { type: string; record_id: string; payload: Record<string, any> }[];
  const types = history.map((h) => h.type);
  t.equal(types.at(-1), 'record.merged');
  t.ok(history.some((h) => h.type === 'record.created' && h.payload.after?.id === acmeInc), "the loser's creation is on the survivor's timeline");
  t.ok(history.some((h) => h.type === 'record.updated' && h.payload.after?.employees === 13), "and so is the loser's later change");
  t.equal(types.filter((type) => type === 'record.created').length, 3);
  t.ok(history.some((h) => h.type === 'record.created' && h.record_id === acmeInc), 'the moved events still name the record they are about');
  const loserTimeline = (await client.get(`/api/objects/company/${acmeInc}/timeline`)).body.data;
  t.same(loserTimeline.map((h: { type: string }) => h.type), ['record.deleted'], 'only its deletion stays with the merged record');
  const survivorTimeline = (await client.get(`/api/objects/company/${acme}/timeline`)).body.data;
  t.same(survivorTimeline.map((h: { type: string }) => h.type), history.map((h) => h.type).reverse(), 'the survivor’s timeline reads them, newest first');
});

t.test("a merged record's unique value can move to the survivor; a live one's cannot", async (t) => {
  const { client } = await crm(t);
  const a = await create(client, 'company', { name: 'Globex' });
  const b = await create(client, 'company', { name: 'Globex Corp', domain: 'globex.com' });
  const c = await create(client, 'company', { name: 'Taken', domain: 'taken.com' });
  const d = await create(client, 'company', { name: 'Globex 2' });

  const clash = await client.post('/api/objects/company/merge', { into: a, from: [d], values: { domain: 'taken.com' } });
  t.equal(clash.status, 409);
  t.equal(clash.body.error.code, 'MOSAIC_ERR_RECORD_UNIQUE');
  t.equal((await client.get(`/api/objects/company/${d}`)).status, 200, 'a failed merge changes nothing');

  const moved = await client.post('/api/objects/company/merge', { into: a, from: [b], values: { domain: 'globex.com' } });
  t.equal(moved.status, 200, JSON.stringify(moved.body));
  t.equal(moved.body.data.domain, 'globex.com');
  t.equal((await client.get(`/api/objects/company/${c}`)).body.data.domain, 'taken.com');

  const bad = await client.post('/api/objects/company/merge', { into: a, from: [d], values: { employees: 'many' } });
  t.equal(bad.status, 400);
  t.equal(bad.body.error.code, 'MOSAIC_ERR_RECORD_INVALID', 'values are validated like an update');
  const unknown = await client.post('/api/objects/company/merge', { into: a, from: [d], values: { colour: 'red' } });
  t.equal(unknown.status, 400);
});

t.test('merge requests that cannot be right are refused with a code, and nothing changes', async (t) => {
  const { client } = await crm(t);
  const a = await create(client, 'company', { name: 'A' });
  const b = await create(client, 'company', { name: 'B' });
  const ann = await create(client, 'person', { name: 'Ann', company_id: b });
  const ghost = '00000000-0000-4000-8000-000000000000';
  const ids = Array.from({ length: 10 }, () => ghost.replace(/0{12}$/, Math.random().toString(16).slice(2, 14).padEnd(12, '0')));

  const cases: [unknown, number, string][] = [
    [{ into: a, from: [ghost] }, 404, 'MOSAIC_ERR_RECORD_NOT_FOUND'],
    [{ into: ghost, from: [b] }, 404, 'MOSAIC_ERR_RECORD_NOT_FOUND'],
    [{ into: a, from: [b, b] }, 400, 'MOSAIC_ERR_MERGE_SAME_RECORD'],
    [{ into: a, from: [a] }, 400, 'MOSAIC_ERR_MERGE_SAME_RECORD'],
    [{ into: a, from: [b, a] }, 400, 'MOSAIC_ERR_MERGE_SAME_RECORD'],
    [{ into: a, from: ids }, 400, 'MOSAIC_ERR_MERGE_TOO_MANY'],
    [{ into: a, from: [] }, 400, 'MOSAIC_ERR_MERGE_INVALID'],
    [{ into: 'acme', from: [b] }, 400, 'MOSAIC_ERR_MERGE_INVALID'],
    [{ into: a, from: ['nope'] }, 400, 'MOSAIC_ERR_MERGE_INVALID'],
    [{ into: a }, 400, 'MOSAIC_ERR_REQUEST_INVALID'],
  ];
  for (const [body, status, code] of cases) {
    const res = await client.post('/api/objects/company/merge', body);
    t.equal(res.status, status, JSON.stringify(body));
    t.equal(res.body.error.code, code, JSON.stringify(body));
  }
  t.equal((await client.post('/api/objects/nothing/merge', { into: a, from: [b] })).body.error.code, 'MOSAIC_ERR_OBJECT_NOT_FOUND');
  await client.delete(`/api/objects/company/${b}`);
  t.equal((await client.post('/api/objects/company/merge', { into: a, from: [b] })).body.error.code, 'MOSAIC_ERR_RECORD_NOT_FOUND', 'a deleted record cannot be merged');
  t.equal((await client.get(`/api/objects/person/${ann}`)).body.data.company_id, b, 'nothing was re-pointed');
});

t.test('merging needs update and delete on the object, and update on every object it re-points', async (t) => {
  const { kernel, owner, client } = await crm(t);
  const a = await create(client, 'company', { name: 'A' });
  const b = await create(client, 'company', { name: 'B' });
  const c = await create(client, 'company', { name: 'C' });
  const ann = await create(client, 'person', { name: 'Ann', company_id: b });
  const all = { read: true, create: true, update: true, delete: true };
  const roles = [
    { key: 'no_delete', objects: { '*': { ...all, delete: false } } },
    { key: 'no_people', objects: { '*': all, person: { read: true, create: false, update: false, delete: false } } },
    { key: 'merger', objects: { '*': all } },
  ];
  for (const role of roles) {
    const res = await client.post('/api/workspace/roles', { key: role.key, name: role.key, permissions: { workspace: [], objects: role.objects, fields: {} } });
    t.equal(res.status, 201, JSON.stringify(res.body));
  }
  const noDelete = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'no_delete'));
  const noPeople = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'no_people'));
  const viewer = api(kernel.app, await inviteAndAccept(kernel.app, owner, 'viewer'));

  for (const who of [noDelete, viewer]) {
    const res = await who.post('/api/objects/company/merge', { into: a, from: [b] });
    t.equal(res.status, 403);
    t.equal(res.body.error.code, 'MOSAIC_ERR_FORBIDDEN');
  }
  const refused = await noPeople.post('/api/objects/company/merge', { into: a, from: [b] });
  t.equal(refused.status, 403);
  t.equal(refused.body.error.code, 'MOSAIC_ERR_FORBIDDEN');
  t.match(refused.body.error.message, /person\.company/, 'the refusal names the object and field it would have re-pointed');
  t.equal((await client.get(`/api/objects/company/${b}`)).status, 200, 'nothing was merged');
  t.equal((await client.get(`/api/objects/person/${ann}`)).body.data.company_id, b);

  const fine = await noPeople.post('/api/objects/company/merge', { into: a, from: [c] });
  t.equal(fine.status, 200, 'with no people to re-point, update on person is not needed');
  t.same(fine.body.repointed, {});
});

t.test('ctx.host.records.merge: the same merge within the plugin\'s grant', async (t) => {
  const { kernel, owner, client } = await crm(t);
  const a = await create(client, 'company', { name: 'A' });
  const b = await create(client, 'company', { name: 'B', domain: 'b.com' });
  const ann = await create(client, 'person', { name: 'Ann', company_id: b });

  const companiesOnly = hostHarness(t, kernel, hostApiManifest({ id: 'companiesonly', permissions: { records: { company: ['read', 'update', 'delete'] } } }), owner.workspaceId);
  const refused = await companiesOnly.call('records', 'merge', 'company', { into: a, from: [b] });
  t.match(refused, { code: 'MOSAIC_ERR_FORBIDDEN', message: /person\.company/ }, 'a grant without update on person cannot re-point people');
  const noDelete = hostHarness(t, kernel, hostApiManifest({ id: 'nodelete', permissions: { records: { company: ['read', 'update'], person: ['update'] } } }), owner.workspaceId);
  t.match(await noDelete.call('records', 'merge', 'company', { into: a, from: [b] }), { code: 'MOSAIC_ERR_FORBIDDEN' }, 'merging needs delete on the object');
  t.equal((await client.get(`/api/objects/company/${b}`)).status, 200, 'nothing was merged');

  const merger = hostHarness(t, kernel, hostApiManifest({ id: 'merger', permissions: { records: { company: ['read', 'update', 'delete'], person: ['update'] } } }), owner.workspaceId);
  for (const args of [['company', { into: a }], ['company', { into: a, from: b }], ['company', { into: 'x', from: [b] }], ['company', { into: a, from: [b], extra: 1 }], ['company', { into: a, from: [b], values: [1] }]]) {
    t.match(await merger.call('records', 'merge', ...args), { code: 'MOSAIC_ERR_PLUGIN_BRIDGE_INVALID' }, JSON.stringify(args));
  }
  const merged = await merger.call('records', 'merge', 'company', { into: a, from: [b], values: { domain: 'b.com' } });
  t.match(merged.value, { data: { id: a, domain: 'b.com' }, merged_ids: [b], repointed: { person: 1 } });
  t.equal((await client.get(`/api/objects/person/${ann}`)).body.data.company_id, a);
  const [event] = await kernel.services.db.knex('event').where({ workspace_id: owner.workspaceId, type: 'record.merged' });
  t.match(event.actor, { type: 'plugin', id: 'merger' }, 'the plugin is the actor');
});
