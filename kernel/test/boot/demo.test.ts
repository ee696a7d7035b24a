import t from 'tap';
import { createTestDatabase } from '../helpers/database.js';
import { REPO_ROOT, freePort, spawnMain } from '../helpers/main-process.js';
import { waitFor } from '../helpers/wait.js';

/**
 * `npm start -- --demo` with the repository's plugins.config.json: a demo workspace filled through the
 * public API with companies, people, opportunities, notes and tasks that point at each other; a restart
 * with `--demo` adds nothing.
 */
t.test('npm start -- --demo fills a demo workspace', { timeout: 240_000 }, async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const port = await freePort();
  const env = { DATABASE_URL: database.url, PORT: String(port), PLUGINS_CONFIG: `${REPO_ROOT}/plugins.config.json`, MOSAIC_DEMO_PASSWORD: 'demo password 123' };
  const boot = async () => {
    const main = spawnMain({ ...env, MOSAIC_DEMO: '1' });
    t.teardown(() => void main.child.kill('SIGTERM'));
    await main.running(60_000);
    await waitFor(() => /Demo workspace/.test(main.stdout()) || main.stderr().length > 0, 180_000, 100);
    return main;
  };

  const first = await boot();
  t.equal(first.stderr(), '', 'seeding reported no error');
  t.match(first.stdout(), /Demo workspace "Demo CRM" is ready: sign in as demo@mosaic\.local with password demo password 123/);

  const base = `http://127.0.0.1:${port}`;
  const signIn = await fetch(`${base}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'demo@mosaic.local', password: 'demo password 123' }) });
  t.equal(signIn.status, 200, 'the printed credentials sign in');
  const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!;
  const get = async <T>(path: string): Promise<T> => (await fetch(`${base}${path}`, { headers: { cookie } })).json() as Promise<T>;
  const count = async (object: string, filter?: string) =>
    (await get<{ total_count: number }>(`/api/objects/${object}?limit=1&count=true${filter ? `&filter=${encodeURIComponent(filter)}` : ''}`)).total_count;

  const companies = await count('company');
  t.ok(companies >= 1000, 'a thousand or more companies');
  t.ok((await count('person')) >= 2000, 'thousands of people');
  t.ok((await count('opportunity')) >= 1000, 'a thousand or more opportunities');
  t.ok((await count('note')) >= 2000, 'thousands of notes');
  t.ok((await count('opportunity', 'stage[eq]:won')) > 0, 'some deals are won');
  const today = new Date().toISOString().slice(0, 10);
  t.ok((await count('task', `due_date[eq]:${today}`)) > 0, 'tasks are due today, whatever day the demo starts');

  const people = await get<{ data: { id: string; company_id: string; company: { id: string; domain: string } | null; emails: { primary: string } }[] }>('/api/objects/person?limit=20&depth=1');
  for (const p of people.data) {
    t.ok(p.company, 'each person belongs to a company that exists');
    t.ok(p.emails.primary.endsWith(`@${p.company!.domain}`), 'and has an address at its domain');
  }
  const keys = await get<{ api_keys: unknown[] }>('/api/workspace/api-keys');
  t.same(keys.api_keys, [], 'the key used for seeding is revoked afterwards');

  first.child.kill('SIGTERM');
  await first.exited;
  const second = await boot();
  t.match(second.stdout(), /Demo workspace already exists/);
  t.equal(await count('company'), companies, 'a restart adds no second data set');
  second.child.kill('SIGTERM');
  await second.exited;
});
