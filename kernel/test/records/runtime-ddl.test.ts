import t from 'tap';
import { api } from '../helpers/api.js';
import { signUp } from '../helpers/auth.js';
import { startTestKernel } from '../helpers/kernel.js';

t.test('fields and objects come and go while requests are being served', async (t) => {
  const kernel = await startTestKernel(t);
  const client = api(kernel.app, await signUp(kernel.app));
  await client.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });

  // A steady stream of reads and writes runs throughout; none may fail.
  let running = true;
  const failures: string[] = [];
  let served = 0;
  const load = (async () => {
    let i = 0;
    while (running) {
      const w = await client.post('/api/objects/company', { name: `c${i++}` });
      const r = await client.get('/api/objects/company?limit=5');
      if (w.status !== 201) failures.push(`write ${w.status} ${JSON.stringify(w.body)}`);
      if (r.status !== 200) failures.push(`read ${r.status} ${JSON.stringify(r.body)}`);
      served += 2;
    }
  })();

  for (let round = 0; round < 5; round++) {
    t.equal((await client.post('/api/metadata/objects/company/fields', { name: `extra_${round}`, type: 'number' })).status, 201);
    const rec = await client.post('/api/objects/company', { name: 'with extra', [`extra_${round}`]: round });
    t.equal(rec.body.data[`extra_${round}`], round, 'the new field is usable at once');
    t.equal((await client.post('/api/metadata/objects', { name: `temp_${round}`, fields: [{ name: 'name', type: 'text' }] })).status, 201);
    t.equal((await client.post(`/api/objects/temp_${round}`, { name: 'x' })).status, 201);
    t.equal((await client.delete(`/api/metadata/objects/company/fields/extra_${round}`)).status, 200);
    const gone = await client.post('/api/objects/company', { name: 'late', [`extra_${round}`]: 1 });
    t.equal(gone.body.error.code, 'MOSAIC_ERR_RECORD_INVALID', 'a removed field is refused at once');
    t.equal((await client.delete(`/api/metadata/objects/temp_${round}`)).status, 204);
  }
  running = false;
  await load;
  t.same(failures, [], 'no request failed during schema changes');
  t.ok(served > 20, `served ${served} requests meanwhile`);
});

t.test('another kernel process sees metadata changes without restart', async (t) => {
  const kernel = await startTestKernel(t);
  const { createKernel, loadConfig } = await import('../../src/index.js');
  const second = await createKernel({ config: loadConfig({ LOG_LEVEL: 'silent', PLUGINS_CONFIG: 'off' }), databaseUrl: kernel.databaseUrl, logger: false });
  t.teardown(() => second.close());
  const owner = await signUp(kernel.app);
  const one = api(kernel.app, owner);
  const two = api(second.app, owner);
  await one.post('/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] });
  t.equal((await two.post('/api/objects/company', { name: 'via two' })).status, 201, 'process two warms its cache');
  await one.post('/api/metadata/objects/company/fields', { name: 'city', type: 'text' });
  // The change reaches process two through LISTEN/NOTIFY; allow it a moment to arrive.
  let res;
  for (let i = 0; i < 50; i++) {
    res = await two.post('/api/objects/company', { name: 'x', city: 'Berlin' });
    if (res.status === 201) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  t.equal(res!.status, 201, 'process two accepts the new field');
});
