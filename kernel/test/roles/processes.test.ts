import t from 'tap';
import { api } from '../helpers/api.js';
import { inviteAndAccept, signUp } from '../helpers/auth.js';
import { startPeerKernel, startTestKernel } from '../helpers/kernel.js';

t.test('a role created on one process is usable at once on another', async (t) => {
  const one = await startTestKernel(t);
  const two = await startPeerKernel(t, one);
  const owner = await signUp(one.app);
  await api(one.app, owner).post('/api/metadata/objects', { name: 'deal', fields: [{ name: 'title', type: 'text' }] });
  // Process two loads the workspace's roles into its cache first.
  const before = await inviteAndAccept(two.app, owner, 'viewer');
  t.equal((await api(two.app, before).get('/api/objects/deal')).status, 200);

  const created = await api(one.app, owner).post('/api/workspace/roles', {
    key: 'closer', name: 'Closer',
    permissions: { workspace: [], objects: { deal: { read: true, create: true, update: true, delete: false } }, fields: {} },
  });
  t.equal(created.status, 201);
  const closer = await inviteAndAccept(two.app, owner, 'closer');
  const res = await api(two.app, closer).post('/api/objects/deal', { title: 'Won on the other process' });
  t.equal(res.status, 201, `process two knows the new role: ${JSON.stringify(res.body).slice(0, 200)}`);
});
