import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import t from 'tap';
import { createTestDatabase } from '../helpers/database.js';
import { freePort, spawnMain, type MainProcess } from '../helpers/main-process.js';
import { waitFor } from '../helpers/wait.js';

// Big enough that the kill lands mid-burst with writes, sequencing and deliveries all in flight; small
// enough to finish on a loaded CI machine (10,000 writes took over 5 minutes there).
const TOTAL = 3_000;
const KILL_AFTER = 1_200;
const CONCURRENCY = 16;

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text;
}

/**
 * The kernel runs as a real child process (as `npm start` runs it) on the test's database. Two webhooks
 * on a loopback receiver are the subscribers we can count from outside. Mid-burst the process gets
 * SIGKILL — no shutdown, leases held, the sequencer role mid-statement — and a new process takes over.
 */
t.test('kill -9 in a burst of 3,000 writes loses no committed event', { timeout: 240_000 }, async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const received = new Map<string, Set<string>>();
  const receiver = createServer(async (req, res) => {
    const event = JSON.parse(await body(req)) as { id: string };
    const hook = String(req.headers['x-mosaic-webhook-id']);
    if (!received.has(hook)) received.set(hook, new Set());
    received.get(hook)!.add(event.id);
    res.writeHead(204).end();
  });
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
  t.teardown(() => new Promise((done) => receiver.close(done)));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;

  const port = await freePort();
  const env = {
    DATABASE_URL: database.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    EVENT_LEASE_MS: '1500',
    EVENT_POLL_MS: '100',
    LOG_LEVEL: 'error',
  };
  const start = async (): Promise<MainProcess> => {
    const main = spawnMain(env);
    t.teardown(() => void main.child.kill('SIGKILL'));
    await main.running(60_000);
    return main;
  };
  let main = await start();
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, payload: unknown, headers: Record<string, string>) => {
    const res = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload) });
    return { status: res.status, headers: res.headers, body: (await res.json().catch(() => ({}))) as any };
  };

  const signUp = await call('POST', '/api/auth/sign-up', { email: 'crash@example.test', password: 'correct horse battery staple', name: 'Crash', workspace_name: 'Crash' }, {});
  const cookie = String(signUp.headers.get('set-cookie')).split(';')[0];
  const key = (await call('POST', '/api/workspace/api-keys', { name: 'crash', role: 'admin' }, { cookie, 'x-csrf-token': signUp.body.csrf_token })).body.key as string;
  const auth = { authorization: `Bearer ${key}` };
  t.equal((await call('POST', '/api/metadata/objects', { name: 'company', fields: [{ name: 'name', type: 'text' }] }, auth)).status, 201);
  const hooks: string[] = [];
  for (const path of ['/a', '/b']) {
    const res = await call('POST', '/api/webhooks', { url: `${receiverUrl}${path}`, event_types: ['record.created'], objects: ['company'] }, auth);
    t.equal(res.status, 201, 'webhook created');
    hooks.push(res.body.data?.id ?? res.body.id);
  }

  // The burst: writes from 16 clients; at KILL_AFTER acknowledged writes the process is killed.
  let sent = 0;
  let acknowledged = 0;
  let killed = false;
  const burst = async () => {
    while (sent < TOTAL) {
      sent++;
      try {
        const res = await fetch(`${base}/api/objects/company`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify({ name: `c${sent}` }) });
        await res.arrayBuffer();
        if (res.status === 201) acknowledged++;
      } catch {
        // The process is gone: wait for the new one.
        await new Promise((r) => setTimeout(r, 50));
        sent--;
      }
      if (!killed && acknowledged >= KILL_AFTER) {
        killed = true;
        main.child.kill('SIGKILL');
        await main.exited;
        main = await start();
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, burst));
  t.ok(killed, 'the process was killed mid-burst');

  const db = new pg.Client({ connectionString: database.url });
  await db.connect();
  t.teardown(() => db.end());
  const schema = (await db.query('select schema_name from workspace')).rows[0].schema_name as string;
  const committed = Number((await db.query(`select count(*) as n from "${schema}".company`)).rows[0].n);
  const events = new Set((await db.query(`select id from event where type = 'record.created' and object = 'company'`)).rows.map((r) => r.id as string));
  t.ok(committed >= TOTAL - CONCURRENCY, `${committed} writes committed (in-flight ones at the kill may be lost)`);
  t.equal(events.size, committed, 'one event per committed write');

  await waitFor(() => hooks.every((h) => (received.get(h)?.size ?? 0) >= committed), 120_000, 200);
  for (const hook of hooks) {
    const got = received.get(hook) ?? new Set();
    t.equal(got.size, committed, `webhook ${hook.slice(0, 8)} received every committed event`);
    t.ok([...got].every((id) => events.has(id)), 'and nothing else');
  }
});
