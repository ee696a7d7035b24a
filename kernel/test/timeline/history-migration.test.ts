import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

// The outbox became the record history (Migration20261128140000). A database from before keeps every
// timeline: history whose outbox row was pruned comes over, and updates stored as diffs still read. The
// old layout is made by the migration's own down(), which writes updates as diffs as the old code did.
t.test('migrating record_history into the outbox keeps every timeline', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = api(kernel.app, await signUp(kernel.app, { name: 'Olga Owner' }));
  t.equal((await owner.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'employees', type: 'number' }] })).status, 201);
  const acme = (await owner.post('/api/objects/company', { name: 'Acme', employees: 5 })).body.data;
  await owner.patch(`/api/objects/company/${acme.id}`, { employees: 6 });
  const before = (await owner.get(`/api/objects/company/${acme.id}/timeline`)).body.data;
  t.same(before.map((e: any) => e.type), ['record.updated', 'record.created']);
  await kernel.services.bus.wake();

  // Back to the old layout, as an older database has it: history in its own table, an update's history
  // holding only the changed fields, and the creation's outbox row pruned.
  const knex = kernel.services.db.knex;
  const migrator = kernel.services.db.orm.getMigrator();
  t.same((await migrator.down()).map((m) => m.name), ['Migration20261128140000']);
  const [update] = await knex('record_history').where({ type: 'record.updated' });
  t.same(Object.keys(update.payload.after).sort(), ['employees', 'updated_at'], 'going back, an update keeps only what changed, as it used to');
  t.equal(update.payload.after.employees, 6);
  await knex('event').where({ record_id: acme.id, type: 'record.created' }).delete();

  t.same((await migrator.up()).map((m) => m.name), ['Migration20261128140000']);
  t.notOk((await knex.raw(`select to_regclass('record_history') as t`)).rows[0].t, 'the old table is gone');
  const after = (await owner.get(`/api/objects/company/${acme.id}/timeline`)).body.data;
  t.same(after, before, 'the timeline reads the same');
  const created = await knex('event').where({ record_id: acme.id, type: 'record.created' });
  t.equal(created.length, 1, 'the pruned creation came back from the history');
  t.ok(Number(created[0].pos) < 0, 'below every subscriber position, so it is never delivered again');
});
