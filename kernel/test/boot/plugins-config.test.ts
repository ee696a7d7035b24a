import t from 'tap';
import { createTestDatabase } from '../helpers/database.js';
import { REPO_ROOT, freePort, spawnMain } from '../helpers/main-process.js';

/**
 * `npm start` with the repository's plugins.config.json: a new workspace gets the core plugins, and a
 * restart finds nothing to change. The kernel runs as a real child process on the test's database.
 */
t.test('npm start assembles the CRM from plugins.config.json', { timeout: 120_000 }, async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const port = await freePort();
  const env = { DATABASE_URL: database.url, PORT: String(port), PLUGINS_CONFIG: `${REPO_ROOT}/plugins.config.json` };
  const start = async () => {
    const main = spawnMain(env);
    t.teardown(() => void main.child.kill('SIGTERM'));
    await main.running(60_000);
    return main;
  };

  const first = await start();
  const signUp = await fetch(`http://127.0.0.1:${port}/api/auth/sign-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `config-${Date.now()}@example.com`, password: 'correct horse battery staple', name: 'Ada', workspace_name: 'Acme' }),
  });
  t.equal(signUp.status, 201, await signUp.clone().text());
  const cookie = signUp.headers.get('set-cookie')!.split(';')[0]!;
  const plugins = (await (await fetch(`http://127.0.0.1:${port}/api/plugins`, { headers: { cookie } })).json()) as { data: { id: string; enabled: boolean; source: string }[] };
  t.same(plugins.data.map((p) => [p.id, p.enabled, p.source]), [['companies', true, 'config'], ['people', true, 'config'], ['opportunities', true, 'config'], ['activities', true, 'config'], ['duplicates', true, 'config'], ['import-export', true, 'config']], 'the core plugins, installed at sign-up in dependency order');
  const objects = (await (await fetch(`http://127.0.0.1:${port}/api/metadata/objects`, { headers: { cookie } })).json()) as { data: { name: string }[] };
  for (const name of ['company', 'person', 'opportunity', 'note', 'task']) t.ok(objects.data.some((o) => o.name === name), `${name} exists`);

  first.child.kill('SIGTERM');
  await first.exited;
  const second = await start();
  t.notMatch(second.stdout(), /plugins\.config\.json:/, 'a restart with the same file changes nothing');
  second.child.kill('SIGTERM');
  await second.exited;
});
