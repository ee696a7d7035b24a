import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { writeLifecycleVersion } from '../plugins/fixtures/lifecycle.js';
import { tempDir } from '../plugins/fixtures/sample.js';

/**
 * An installed plugin's objects and fields: an admin relabels them, but renaming, reconfiguring or
 * deleting them is refused with a coded error (the plugin's code relies on them); after the plugin is
 * uninstalled with its data kept, they are the workspace's to change.
 */
t.test("an installed plugin's objects and fields are locked except for their labels", async (t) => {
  const root = await tempDir('plugin-owned');
  const kernel = await startTestKernel(t, { PLUGIN_DIRS: root });
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  t.equal((await admin.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] })).status, 201);
  const v1 = await writeLifecycleVersion(root, '1.0.0');
  t.equal((await admin.post('/api/plugins', { path: v1, grant: 'requested' })).status, 201);

  const refusals: [string, () => Promise<{ status: number; body: any }>, string][] = [
    ['rename the object', () => admin.patch('/api/metadata/objects/life_note', { name: 'memo' }), 'name'],
    ['delete the object', () => admin.delete('/api/metadata/objects/life_note'), 'life_note'],
    ['rename a field', () => admin.patch('/api/metadata/objects/life_note/fields/title', { name: 'heading', label: 'Heading' }), 'name'],
    ['make a field required', () => admin.patch('/api/metadata/objects/life_note/fields/kind', { is_nullable: false }), 'is_nullable'],
    ['delete a field', () => admin.delete('/api/metadata/objects/life_note/fields/kind'), 'kind'],
    ["delete the plugin's field on an admin object", () => admin.delete('/api/metadata/objects/deal/fields/life_score'), 'life_score'],
  ];
  for (const [what, call, path] of refusals) {
    const res = await call();
    t.equal(res.status, 409, `${what}: status`);
    t.equal(res.body?.error?.code, 'MOSAIC_ERR_METADATA_PLUGIN_OWNED', `${what}: ${res.body?.error?.message}`);
    t.equal(res.body?.error?.details?.[0]?.path, path, `${what}: names what is locked`);
  }
  const note = (await admin.get('/api/metadata/objects/life_note')).body.data;
  t.equal(note.plugin_id, 'life');
  t.ok(note.fields.some((f: { name: string }) => f.name === 'title'), 'nothing was renamed');

  // Presentation is the admin's: labels, description, icon.
  const relabelled = await admin.patch('/api/metadata/objects/life_note', { label_singular: 'Memo', label_plural: 'Memos', icon: 'M', description: 'Notes the plugin keeps' });
  t.equal(relabelled.status, 200, JSON.stringify(relabelled.body));
  t.equal(relabelled.body.data.label_plural, 'Memos');
  const field = await admin.patch('/api/metadata/objects/life_note/fields/title', { label: 'Heading', description: 'What the note says' });
  t.equal(field.status, 200, JSON.stringify(field.body));
  // Fields of the admin's own on the plugin's object are the admin's.
  t.equal((await admin.post('/api/metadata/objects/life_note/fields', { name: 'mood', type: 'text' })).status, 201);
  t.equal((await admin.patch('/api/metadata/objects/life_note/fields/mood', { name: 'feeling' })).status, 200);
  t.equal((await admin.delete('/api/metadata/objects/life_note/fields/feeling')).status, 200);

  // Uninstalled with its data kept: the workspace's to change.
  t.equal((await admin.delete('/api/plugins/life')).status, 204);
  t.equal((await admin.delete('/api/metadata/objects/life_note/fields/kind')).status, 200, 'a kept field can be deleted');
  t.equal((await admin.delete('/api/metadata/objects/life_note')).status, 204, 'a kept object can be deleted');
});
