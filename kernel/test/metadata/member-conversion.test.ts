import t from 'tap';
import { api } from '../helpers/api.js';
import { inviteAndAccept, signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { tempDir, writePlugin } from '../plugins/fixtures/sample.js';

const BUNDLE = 'globalThis.__mosaicPlugin = { routes: {}, events: {}, jobs: {}, hooks: {} };';

/** A plugin owning `acct` with an owner field of `type` (text in 1.0.0, member in 1.1.0). */
function manifest(version: string, type: string) {
  return {
    id: 'owners',
    name: 'Owners',
    version,
    kernel: '^1.0.0',
    server: 'dist/server.js',
    permissions: {},
    objects: [{ name: 'acct', label_singular: 'Account', label_plural: 'Accounts', fields: [{ name: 'name', type: 'text' }, { name: 'owner_id', type, is_indexed: true }] }],
  };
}

t.test('a text field holding member ids becomes a member field: by the metadata API and by a plugin upgrade', async (t) => {
  const root = await tempDir('member-conversion');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root });
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  const bob = await inviteAndAccept(kernel.app, owner, 'member');
  const stranger = await signUp(kernel.app);

  await t.test('metadata API: text → member clears what is not a member of this workspace, and back to text', async (t) => {
    t.equal((await admin.post('/api/metadata/objects', { name: 'lead', fields: [{ name: 'name', type: 'text' }, { name: 'rep_id', type: 'text' }] })).status, 201);
    const values = [owner.memberId, bob.memberId.toUpperCase(), stranger.memberId, 'not an id', null];
    const batch = await admin.post('/api/objects/lead/batch', { records: values.map((rep_id, i) => ({ name: `L${i}`, rep_id })) });
    t.equal(batch.status, 200, JSON.stringify(batch.body));

    const res = await admin.patch('/api/metadata/objects/lead/fields/rep_id', { type: 'member' });
    t.equal(res.status, 200, JSON.stringify(res.body));
    t.equal(res.body.data.fields.find((f: { name: string }) => f.name === 'rep_id').type, 'member');
    const after = (await admin.get('/api/objects/lead?order_by=name')).body.data.map((r: { rep_id: string | null }) => r.rep_id);
    t.same(after, [owner.memberId, bob.memberId, null, null, null], 'members kept (any case), others cleared');
    const { rows } = (await kernel.services.db.knex.raw("select payload from event where workspace_id = ? and type = 'field.updated' and object = 'lead'", [owner.workspaceId])) as { rows: { payload: { field: string; cleared?: number } }[] };
    t.same(rows.map((r) => [r.payload.field, r.payload.cleared]), [['rep_id', 2]], 'the field.updated event reports how many values were cleared');

    t.equal((await admin.post('/api/objects/lead', { name: 'X', rep_id: stranger.memberId })).body.error.code, 'MOSAIC_ERR_RECORD_INVALID', 'writes are checked from now on');
    t.equal((await admin.patch('/api/metadata/objects/lead/fields/rep_id', { type: 'text' })).status, 200, 'member → text');
    t.equal((await admin.get('/api/objects/lead?order_by=name&limit=1')).body.data[0].rep_id, owner.memberId, 'the id is kept as text');
    const refused = await admin.patch('/api/metadata/objects/lead/fields/name', { type: 'number' });
    t.equal(refused.body.error.code, 'MOSAIC_ERR_FIELD_TYPE_IMMUTABLE', 'other type changes are still refused');
  });

  await t.test('plugin upgrade: a field declared text in 1.0.0 and member in 1.1.0 is converted', async (t) => {
    const v1 = await writePlugin(root, 'v1', manifest('1.0.0', 'text'), BUNDLE);
    t.equal((await admin.post('/api/plugins', { path: v1, grant: 'requested' })).status, 201);
    await admin.post('/api/objects/acct', { name: 'Mine', owner_id: owner.memberId });
    await admin.post('/api/objects/acct', { name: 'Typed', owner_id: 'Bob' });
    const v2 = await writePlugin(root, 'v2', manifest('1.1.0', 'member'), BUNDLE);
    const res = await admin.put('/api/plugins/owners', { path: v2 });
    t.equal(res.status, 200, JSON.stringify(res.body));
    t.equal(res.body.outcome, 'upgraded');
    t.same(res.body.changes.updated_fields, ['acct.owner_id']);
    const object = await admin.get('/api/metadata/objects/acct');
    t.equal(object.body.data.fields.find((f: { name: string }) => f.name === 'owner_id').type, 'member');
    const rows = (await admin.get('/api/objects/acct?order_by=name')).body.data.map((r: { name: string; owner_id: string | null }) => [r.name, r.owner_id]);
    t.same(rows, [['Mine', owner.memberId], ['Typed', null]]);
    t.same((await admin.get('/api/objects/acct?filter=owner_id[eq]:@me')).body.data.map((r: { name: string }) => r.name), ['Mine']);
  });
});
