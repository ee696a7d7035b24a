import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test('every record write stores its event in the same transaction', async (t) => {
  const kernel = await startTestKernel(t);
  const owner = await signUp(kernel.app);
  const client = api(kernel.app, owner);
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'domain', type: 'text', is_unique: true }, { name: 'employees', type: 'number' }] });
  const events = async () =>
    (await kernel.services.db.knex('event').where({ workspace_id: owner.workspaceId }).whereLike('type', 'record.%').orderBy('seq')) as any[];

  const created = (await client.post('/api/objects/company', { name: 'Acme', domain: 'acme.com', employees: 5 })).body.data;
  await client.patch(`/api/objects/company/${created.id}`, { employees: 6 });
  await client.delete(`/api/objects/company/${created.id}`);
  await client.post(`/api/objects/company/${created.id}/restore`);
  await client.delete(`/api/objects/company/${created.id}?destroy=true`);
  await client.post('/api/objects/company/batch', { records: [{ name: 'B' }, { name: 'C' }] });

  const list = await events();
  t.same(list.map((e) => e.type), ['record.created', 'record.updated', 'record.deleted', 'record.restored', 'record.destroyed', 'record.created', 'record.created']);
  t.ok(list.slice(0, 5).every((e) => e.record_id === created.id && e.object === 'company'));
  t.same(list[0].actor, { type: 'member', id: owner.memberId, name: list[0].actor.name });
  t.equal(list[0].payload.after.name, 'Acme');
  t.equal(Number(list[1].payload.before.employees), 5, 'before holds the previous row');
  t.equal(Number(list[1].payload.after.employees), 6);
  t.ok(list.every((e, i) => i === 0 || BigInt(e.seq) > BigInt(list[i - 1].seq)), 'events are ordered');

  // Failed writes leave no event behind.
  const before = (await events()).length;
  await client.post('/api/objects/company', { name: 'Dup', domain: 'dup.com' });
  const dup = await client.post('/api/objects/company', { name: 'Dup2', domain: 'dup.com' });
  t.equal(dup.status, 409);
  const bad = await client.post('/api/objects/company/batch', { records: [{ name: 'ok' }, { domain: 'dup.com' }] });
  t.equal(bad.status, 409);
  await client.patch('/api/objects/company/00000000-0000-4000-8000-000000000000', { name: 'ghost' });
  t.equal((await events()).length, before + 1, 'only the one successful create added an event');
});
