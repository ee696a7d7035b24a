import t from 'tap';
import { createKernel, loadConfig, type Kernel } from '../../src/index.js';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';
import { waitFor } from '../helpers/wait.js';

const FAST = { EVENT_POLL_MS: '50', EVENT_RETRY_BASE_MS: '20', EVENT_LEASE_MS: '2000', LOG_LEVEL: 'silent', PLUGINS_CONFIG: 'off' };

t.test('several kernel processes share each subscriber without double delivery', async (t) => {
  const first = await startTestKernel(t, FAST);
  const others: Kernel[] = [];
  for (let i = 0; i < 2; i++) {
    const k = await createKernel({ config: loadConfig(FAST), databaseUrl: first.databaseUrl, logger: false });
    others.push(k);
  }
  t.teardown(() => Promise.all(others.map((k) => k.close())));
  const kernels = [first, ...others];

  // The same named subscriber in every process: one durable queue, served by whichever holds the lease.
  const deliveries: { process: number; id: string; record: string; position: number }[] = [];
  kernels.forEach((k, process) =>
    k.services.bus.subscribe('record.created', {}, (e) => {
      deliveries.push({ process, id: e.id, record: e.record_id!, position: e.position });
    }, { name: 'test:shared' }),
  );
  await Promise.all(kernels.map((k) => k.services.bus.wake()));

  const owner = await signUp(first.app);
  await api(first.app, owner).post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  // Writes go to all three processes, concurrently.
  const clients = kernels.map((k) => api(k.app, owner));
  const writes = Array.from({ length: 300 }, (_, i) => clients[i % 3].post('/api/objects/company', { name: `c${i}` }));
  const results = await Promise.all(writes);
  t.ok(results.every((r) => r.status === 201), 'all writes committed');

  await waitFor(() => deliveries.length >= 300, 15_000);
  await new Promise((r) => setTimeout(r, 300));
  t.equal(deliveries.length, 300, 'each event delivered once');
  t.equal(new Set(deliveries.map((d) => d.id)).size, 300, 'no event delivered twice');
  const positions = deliveries.map((d) => d.position);
  t.same(positions, [...positions].sort((a, b) => a - b), 'in position order across processes');
  t.ok(new Set(deliveries.map((d) => d.process)).size >= 1, `served by ${new Set(deliveries.map((d) => d.process)).size} process(es)`);

  // Exactly one process is the sequencer at a time.
  const leaders = kernels.filter((k) => (k.services.bus as unknown as { leader?: boolean }).leader);
  t.ok(leaders.length <= 1);
});

t.test('per-record order holds for concurrent updates from several processes', async (t) => {
  const first = await startTestKernel(t, FAST);
  const second = await createKernel({ config: loadConfig(FAST), databaseUrl: first.databaseUrl, logger: false });
  t.teardown(() => second.close());
  const seen: { record: string; value: number }[] = [];
  for (const k of [first, second]) {
    k.services.bus.subscribe('record.updated', {}, (e) => {
      seen.push({ record: e.record_id!, value: (e.payload.record as { n: number }).n });
    }, { name: 'test:order' });
  }
  await first.services.bus.wake();
  const owner = await signUp(first.app);
  const a = api(first.app, owner);
  const b = api(second.app, owner);
  await a.post('/api/metadata/objects', { name: 'counter', fields: [{ name: 'n', type: 'number' }] });
  const ids = await Promise.all([1, 2, 3].map(async () => (await a.post('/api/objects/counter', { n: 0 })).body.data.id as string));
  // Each record is updated 1..20 in sequence, alternating processes; the three records interleave.
  await Promise.all(ids.map(async (id) => {
    for (let n = 1; n <= 20; n++) await (n % 2 ? a : b).patch(`/api/objects/counter/${id}`, { n });
  }));
  await waitFor(() => seen.length >= 60, 10_000);
  for (const id of ids) {
    t.same(seen.filter((s) => s.record === id).map((s) => s.value), Array.from({ length: 20 }, (_, i) => i + 1), `record ${id.slice(0, 8)} in order`);
  }
});
