import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startPeerKernel, startTestKernel } from '../helpers/kernel.js';
import { writeLifecycleVersion } from './fixtures/lifecycle.js';
import { tempDir } from './fixtures/sample.js';

t.test('a job runs once per schedule slot across kernel processes, and installs reach every process', async (t) => {
  const root = await tempDir('jobs');
  const env = { PLUGIN_DIRS: root };
  const one = await startTestKernel(t, env);
  const two = await startPeerKernel(t, one, env);
  const owner = await signUp(one.app);
  const onOne = api(one.app, owner);
  const onTwo = api(two.app, owner);
  t.equal((await onOne.post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] })).status, 201);
  // Process two caches the empty list first, so the install must evict it there.
  t.same((await onTwo.get('/api/plugins')).body.data, []);
  t.equal((await onOne.post('/api/plugins', { path: await writeLifecycleVersion(root, '1.0.0'), grant: 'requested' })).status, 201);

  t.test('an install on one process is live on the other without a restart', async (t) => {
    let version: unknown;
    for (let i = 0; i < 100 && version === undefined; i++) {
      version = (await onTwo.get('/api/plugins/life/version')).body.version;
      if (version === undefined) await new Promise((r) => setTimeout(r, 20));
    }
    t.equal(version, '1.0.0');
  });

  t.test('both processes wake for the same slot; one runs the job', async (t) => {
    for (const minute of ['10:00', '10:05', '10:10']) {
      const slot = new Date(`2026-11-28T${minute}:00Z`);
      const [a, b] = await Promise.all([one.services.plugins.jobs.runDue(slot), two.services.plugins.jobs.runDue(slot)]);
      t.equal(a.length + b.length, 1, `${minute}: exactly one process ran the job`);
    }
    const runs = await one.services.db.knex('plugin_job_run').where({ plugin_id: 'life' }).count({ n: '*' });
    t.equal(Number(runs[0]!.n), 3);
    const notes = (await onOne.get('/api/objects/life_note?limit=50')).body.data as { kind: string }[];
    const ticks = notes.filter((n) => n.kind === 'job');
    t.equal(ticks.length, 3, 'three slots, three runs, no doubles');
  });
});
