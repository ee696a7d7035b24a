import pg from 'pg';
import t from 'tap';
import { createKernel, loadConfig } from '../../src/index.js';
import { createTestDatabase } from '../helpers/database.js';

t.test('a module that cannot start leaves no database connections behind', async (t) => {
  const database = await createTestDatabase();
  t.teardown(() => database.drop());
  const name = new URL(database.url).pathname.slice(1);
  // Nothing listens on port 1: the redis realtime adapter fails to connect and the kernel gives up.
  const config = loadConfig({ LOG_LEVEL: 'silent', PLUGINS_CONFIG: 'off', REALTIME_ADAPTER: 'redis', REDIS_URL: 'redis://127.0.0.1:1' });
  await t.rejects(createKernel({ config, databaseUrl: database.url, logger: false }));
  const admin = new pg.Client({ connectionString: database.url.replace(`/${name}`, '/postgres') });
  await admin.connect();
  t.teardown(() => admin.end());
  let open = -1;
  for (let i = 0; i < 50 && open !== 0; i++) {
    open = Number((await admin.query('select count(*) as n from pg_stat_activity where datname = $1', [name])).rows[0].n);
    if (open !== 0) await new Promise((r) => setTimeout(r, 100));
  }
  t.equal(open, 0, 'every connection to the database was closed');
});
