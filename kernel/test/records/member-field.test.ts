import t from 'tap';
import { parseCsv } from '../../src/imports/csv-parser.js';
import { api } from '../helpers/api.js';
import { createApiKey, inviteAndAccept, signUp, uniqueEmail } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { finished, upload } from '../imports/helpers.js';

const RANDOM = '6f1c1d2e-3a4b-4c5d-8e9f-0a1b2c3d4e5f';

t.test('a member field holds members of the record’s workspace: write checks, filters, @me, import, export, removal', async (t) => {
  const kernel = await startTestKernel(t);
  const ownerEmail = uniqueEmail('owner');
  const owner = await signUp(kernel.app, { email: ownerEmail, name: 'Olivia Owner' });
  const admin = api(kernel.app, owner);
  const bobEmail = uniqueEmail('bob');
  const bob = await inviteAndAccept(kernel.app, owner, 'member', { email: bobEmail, name: 'Bob Builder' });
  const stranger = await signUp(kernel.app, { name: 'Stranger' }); // a member of another workspace

  const created = await admin.post('/api/metadata/objects', { name: 'account', fields: [{ name: 'name', type: 'text' }, { name: 'owner_id', type: 'member', label: 'Owner' }] });
  t.equal(created.status, 201, JSON.stringify(created.body));
  const types = await admin.get('/api/metadata/field-types');
  t.ok(types.body.data.includes('member'), 'member is a declarable type');

  // Create / update accept members of this workspace and refuse others, naming the field.
  const a = await admin.post('/api/objects/account', { name: 'A', owner_id: owner.memberId });
  t.equal(a.status, 201, JSON.stringify(a.body));
  t.equal(a.body.data.owner_id, owner.memberId, 'the member id reads back');
  for (const bad of [stranger.memberId, RANDOM]) {
    const res = await admin.post('/api/objects/account', { name: 'X', owner_id: bad });
    t.equal(res.status, 400);
    t.equal(res.body.error.code, 'MOSAIC_ERR_RECORD_INVALID');
    t.same(res.body.error.details, [{ path: 'owner_id', message: 'is not a member of this workspace' }]);
  }
  const notUuid = await admin.post('/api/objects/account', { name: 'X', owner_id: 'bob' });
  t.equal(notUuid.body.error.code, 'MOSAIC_ERR_RECORD_INVALID', 'a non-uuid is refused by the schema check');
  const upd = await admin.patch(`/api/objects/account/${a.body.data.id}`, { owner_id: bob.memberId });
  t.equal(upd.body.data.owner_id, bob.memberId, 'update to another member');
  const badUpd = await admin.patch(`/api/objects/account/${a.body.data.id}`, { owner_id: stranger.memberId });
  t.equal(badUpd.body.error.code, 'MOSAIC_ERR_RECORD_INVALID');
  t.equal(badUpd.body.error.details[0].path, 'owner_id');
  t.equal((await admin.get(`/api/objects/account/${a.body.data.id}`)).body.data.owner_id, bob.memberId, 'a refused update changes nothing');

  // Batch: all problems reported together, nothing written.
  const badBatch = await admin.post('/api/objects/account/batch', { records: [{ name: 'B1', owner_id: owner.memberId }, { name: 'B2', owner_id: RANDOM }, { name: 'B3', owner_id: stranger.memberId }] });
  t.equal(badBatch.status, 400, JSON.stringify(badBatch.body));
  t.equal(badBatch.body.error.code, 'MOSAIC_ERR_RECORD_INVALID');
  t.same(badBatch.body.error.details, [
    { path: 'records[1].owner_id', message: 'is not a member of this workspace' },
    { path: 'records[2].owner_id', message: 'is not a member of this workspace' },
  ]);
  t.equal((await admin.get('/api/objects/account?filter=name[eq]:B1')).body.data.length, 0, 'nothing of a refused batch is written');
  const batch = await admin.post('/api/objects/account/batch', { records: [{ name: 'B1', owner_id: owner.memberId }, { name: 'B2', owner_id: bob.memberId }, { name: 'B3', owner_id: null }] });
  t.equal(batch.status, 200, JSON.stringify(batch.body));

  // Filters: eq, in, is NULL, and @me for the member calling.
  const names = async (client: ReturnType<typeof api>, filter: string) => {
    const res = await client.get(`/api/objects/account?order_by=name&filter=${encodeURIComponent(filter)}`);
    t.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.data.map((r: { name: string }) => r.name);
  };
  t.same(await names(admin, `owner_id[eq]:"${bob.memberId}"`), ['A', 'B2']);
  t.same(await names(admin, `owner_id[in]:["${bob.memberId}","${owner.memberId}"]`), ['A', 'B1', 'B2']);
  t.same(await names(admin, 'owner_id[is]:NULL'), ['B3']);
  t.same(await names(admin, 'owner_id[eq]:@me'), ['B1'], '@me is the owner for the owner');
  t.same(await names(api(kernel.app, bob), 'owner_id[eq]:@me'), ['A', 'B2'], '@me is Bob for Bob');
  t.same(await names(admin, 'or(owner_id[in]:[@me],owner_id[is]:NULL)'), ['B1', 'B3'], '@me inside lists and groups');
  const view = await admin.post('/api/views', { object: 'account', name: 'My accounts', filter: 'owner_id[eq]:@me' });
  t.equal(view.status, 201, `a saved view may say @me: ${JSON.stringify(view.body)}`);
  const key = await createApiKey(kernel.app, owner);
  const keyed = await api(kernel.app, key).get('/api/objects/account?filter=owner_id[eq]:@me');
  t.equal(keyed.body.error.code, 'MOSAIC_ERR_QUERY_VALUE', 'an API key has no @me');
  t.equal((await admin.get('/api/objects/account?filter=name[eq]:@me')).body.data.length, 0, '@me on a text field is just text');

  // The directory: names and emails for any member, no roles.
  const directory = await api(kernel.app, bob).get('/api/workspace/directory');
  t.equal(directory.status, 200);
  t.same(directory.body.data, [
    { id: bob.memberId, name: 'Bob Builder', email: bobEmail },
    { id: owner.memberId, name: 'Olivia Owner', email: ownerEmail },
  ], 'sorted by name, no roles');

  // Export writes the email.
  const csv = await admin.get('/api/objects/account/export?fields=name,owner_id&order_by=name&header=key');
  t.equal(csv.status, 200);
  t.same(parseCsv(csv.raw.body.slice(1)), [['name', 'owner_id'], ['A', bobEmail], ['B1', ownerEmail], ['B2', bobEmail], ['B3', '']]);

  // Import: email in any case, exact name, unknown email is a row problem.
  const file = `name,owner\nI1,${bobEmail.toUpperCase()}\nI2,Olivia Owner\nI3,nobody@example.test\n`;
  const job = await upload(kernel, owner, 'account', file);
  t.equal(job.status, 201, JSON.stringify(job.body));
  const start = await admin.post(`/api/imports/${job.body.data.id}/start`, { mapping: ['name', 'owner_id'], on_error: 'skip' });
  t.equal(start.status, 202, JSON.stringify(start.body));
  const done = await finished(admin, job.body.data.id);
  t.same(done.errors.map((e: { row: number; field: string }) => [e.row, e.field]), [[4, 'owner_id']]);
  t.match(done.errors[0].reason, /no member with the email "nobody@example.test"/);
  t.same(await names(admin, `owner_id[eq]:"${bob.memberId}",name[startsWith]:I`), ['I1'], 'email matched case-insensitively');
  t.same(await names(admin, `owner_id[eq]:"${owner.memberId}",name[startsWith]:I`), ['I2'], 'name matched');

  // Removal: records keep the id (history of who owned what); new writes must name a current member.
  const removed = await admin.delete(`/api/workspace/members/${bob.memberId}`);
  t.equal(removed.status, 204);
  t.equal((await admin.get(`/api/objects/account/${a.body.data.id}`)).body.data.owner_id, bob.memberId, 'the former member id is kept');
  t.same(await names(admin, `owner_id[eq]:"${bob.memberId}"`), ['A', 'B2', 'I1'], 'and can still be filtered on');
  const again = await admin.post('/api/objects/account', { name: 'C', owner_id: bob.memberId });
  t.equal(again.body.error.code, 'MOSAIC_ERR_RECORD_INVALID', 'a former member cannot be assigned');
  const renamed = await admin.patch(`/api/objects/account/${a.body.data.id}`, { name: 'A2' });
  t.equal(renamed.status, 200, 'updating other fields of a record owned by a former member works');
  const exported = await admin.get('/api/objects/account/export?fields=name,owner_id&filter=name[eq]:A2&header=key');
  t.same(parseCsv(exported.raw.body.slice(1))[1], ['A2', bob.memberId], 'a former member exports as the id');
});
