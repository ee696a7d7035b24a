import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';
import { connect, listen } from './fixtures/client.js';

t.test('unwatched workspaces are skipped, and a new watcher is served at once', async (t) => {
  const kernel = await startTestKernel(t, { EVENT_POLL_MS: '50' });
  const url = await listen(kernel);
  const owner = await signUp(kernel.app);
  const admin = api(kernel.app, owner);
  await admin.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  const knex = kernel.services.db.knex;

  // Nobody is connected: realtime takes the event off its queue without publishing it.
  await admin.post('/api/objects/company', { name: 'unwatched' });
  await waitFor(async () => {
    const row = await knex('event_subscriber').where({ id: 'kernel:realtime' }).first('position');
    return Number(row.position) >= (await kernel.services.bus.head());
  });
  t.equal(Number((await knex('realtime_presence').count({ n: '*' }))[0].n), 0, 'no presence recorded');

  // The first socket of the workspace records presence before its subscription is acknowledged.
  const client = await connect(t, url, { headers: owner.headers });
  t.same(await client.subscribe({ object: 'company' }), { ok: true });
  t.same((await knex('realtime_presence').select('workspace_id')).map((r: any) => r.workspace_id), [owner.workspaceId]);
  await admin.post('/api/objects/company', { name: 'watched' });
  const events = await client.recordsAtLeast(1);
  t.same(events.map((e) => (e.payload.record as { name: string }).name), ['watched'], 'the cached "nobody watches" answer was dropped');

  client.socket.disconnect();
  t.ok(await waitFor(async () => Number((await knex('realtime_presence').count({ n: '*' }))[0].n) === 0), 'presence removed when the last socket leaves');
});
