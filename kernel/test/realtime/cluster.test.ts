import t from 'tap';
import { api } from '../helpers/api.js';
import { createApiKey, inviteAndAccept, signUp } from '../helpers/auth.js';
import { startPeerKernel, startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';
import { connect, listen, settle, type TestClient } from './fixtures/client.js';

const ALL = { read: true, create: true, update: true, delete: true };
const LONG = 'x'.repeat(9_500);

for (const adapter of ['postgres', 'redis'] as const) {
  t.test(`two kernel processes on one database share realtime through the ${adapter} adapter`, async (t) => {
    const env = { EVENT_POLL_MS: '50', REALTIME_ADAPTER: adapter };
    const one = await startTestKernel(t, env);
    // A second process: its own pools, LISTEN connection, dispatcher and socket.io server, same database.
    const two = await startPeerKernel(t, one, env);
    t.equal(one.app.realtime.adapter, adapter);
    t.equal(two.app.realtime.adapter, adapter);
    const [urlOne, urlTwo] = [await listen(one), await listen(two)];
    t.not(urlOne, urlTwo);

    const owner = await signUp(one.app);
    const viaOne = api(one.app, owner);
    const viaTwo = api(two.app, owner);
    await viaOne.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }, { name: 'revenue', type: 'number' }] });
    await viaOne.post('/api/workspace/roles', { key: 'sales', name: 'Sales', permissions: { workspace: [], objects: { '*': ALL }, fields: { company: { revenue: { read: false, update: false } } } } });
    const member = await inviteAndAccept(one.app, owner, 'sales');

    // A client on each process, for each role: whichever process delivers, half of them are remote.
    const clients: Record<string, TestClient> = {
      ownerOnOne: await connect(t, urlOne, { headers: owner.headers }),
      ownerOnTwo: await connect(t, urlTwo, { headers: owner.headers }),
      salesOnOne: await connect(t, urlOne, { headers: member.headers }),
      salesOnTwo: await connect(t, urlTwo, { headers: member.headers }),
    };
    for (const client of Object.values(clients)) t.same(await client.subscribe({ object: 'company' }), { ok: true });

    const a = (await viaOne.post('/api/objects/company', { name: 'through one', revenue: 1 })).body.data;
    await viaTwo.post('/api/objects/company', { name: 'through two', revenue: 2 });
    await viaTwo.patch(`/api/objects/company/${a.id}`, { revenue: 3 });
    await viaOne.patch(`/api/objects/company/${a.id}`, { name: 'through one, renamed' });
    // Over the 8,000-byte NOTIFY limit, the postgres adapter goes through its table.
    t.equal((await viaTwo.post('/api/objects/company', { name: LONG })).status, 201);

    const ownerExpected = ['through one', 'through two', 'through one', 'through one, renamed', 'long'];
    const salesExpected = ['through one', 'through two', 'through one, renamed', 'long'];
    const ok = await waitFor(() => clients.ownerOnOne.records.length >= 5 && clients.ownerOnTwo.records.length >= 5 && clients.salesOnOne.records.length >= 4 && clients.salesOnTwo.records.length >= 4, 10_000);
    t.ok(ok, 'every client got its events');
    await settle(500);
    for (const [name, client] of Object.entries(clients)) {
      const names = client.records.map((e) => (e.payload.record as any).name).map((n: string) => (n.length > 100 ? (n === LONG ? 'long' : 'garbled') : n));
      t.same(names, name.startsWith('owner') ? ownerExpected : salesExpected, `${name}: each event exactly once, in order`);
      t.same(client.records.map((e) => e.id), [...new Set(client.records.map((e) => e.id))], `${name}: no repeats`);
    }
    for (const client of [clients.salesOnOne, clients.salesOnTwo]) {
      t.notOk(client.records.some((e) => 'revenue' in (e.payload.record as any)), 'filtered for the role on both processes');
    }
    t.same(clients.ownerOnTwo.records.map((e) => (e.payload.record as any).revenue), [1, 2, 3, 3, null]);

    // A role change made through process one re-homes the member's socket on process two as well.
    await viaOne.patch(`/api/workspace/members/${member.memberId}`, { role: 'member' });
    await waitFor(() => clients.salesOnTwo.access.length > 0 && clients.salesOnOne.access.length > 0, 5000);
    t.same(clients.salesOnTwo.access, [{ role: 'member' }]);
    await viaOne.post('/api/objects/company', { name: 'after the change', revenue: 9 });
    await waitFor(() => clients.salesOnTwo.records.length >= 5);
    t.equal((clients.salesOnTwo.records.at(-1)!.payload.record as any).revenue, 9, 'now it may read revenue');

    // Creating a role announces nothing; the first socket with it tells every process's role cache.
    await viaOne.post('/api/workspace/roles', { key: 'fresh', name: 'Fresh', permissions: { workspace: [], objects: { '*': ALL }, fields: {} } });
    const freshOnTwo = await connect(t, urlTwo, { token: (await createApiKey(one.app, owner, 'fresh')).key });
    t.same(await freshOnTwo.subscribe({ object: 'company' }), { ok: true });
    await viaOne.post('/api/objects/company', { name: 'for a new role' });
    t.ok(await waitFor(() => freshOnTwo.records.length === 1), 'a role created after the caches were filled still gets events');
  });
}
