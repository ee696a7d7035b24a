import { chown, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import t from 'tap';
import {
  exitWithin,
  freePort,
  isAlive,
  portIsFree,
  postmasterPid,
  spawnMain,
  tempFolder,
  waitForExit,
} from '../helpers/main-process.js';

/**
 * The fresh-machine path, for real: `npm start` with no DATABASE_URL on an empty data folder, then a
 * restart on the same folder, a SIGKILLed kernel leaving its postgres behind, and an HTTP port clash.
 * The subtests share one data folder and run in order.
 */
const root = await tempFolder(t);
const dataDir = join(root, 'pg');
const port = await freePort();
const pgPort = await freePort();
const env = { MOSAIC_DATA_DIR: dataDir, PORT: String(port), MOSAIC_PG_PORT: String(pgPort) };

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const password = (await readFile(join(dataDir, 'mosaic-password'), 'utf8')).trim();
  const client = new pg.Client({ connectionString: `postgres://postgres:${password}@127.0.0.1:${pgPort}/mosaic` });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

let savedPidFile = '';
let migrations = 0;

t.test('first start initialises the folder, serves, and SIGTERM stops everything', async (t) => {
  const began = Date.now();
  const main = spawnMain(env);
  await main.running();
  t.comment(`embedded first start (initdb + migrations) took ${Date.now() - began} ms`);
  t.match(main.stdout(), `Mosaic CRM is running at http://localhost:${port}\n`);

  const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
  t.equal(ready.status, 200);
  t.equal((await readFile(join(dataDir, 'PG_VERSION'), 'utf8')).trim(), '18', 'the bundled binaries are PostgreSQL 18');
  t.equal((await stat(join(dataDir, 'mosaic-password'))).mode & 0o777, 0o600, 'the password file is private');

  migrations = (await query<{ n: number }>('select count(*)::int as n from mosaic_migrations'))[0]!.n;
  t.ok(migrations > 0, 'the kernel migrated the new database');
  await query('create table boot_probe (note text)');
  await query(`insert into boot_probe values ('still here')`);

  const stopping = Date.now();
  main.child.kill('SIGTERM');
  t.equal(await exitWithin(main, 10_000), 0, 'exits 0');
  t.comment(`shutdown took ${Date.now() - stopping} ms`);
  t.ok(await portIsFree(pgPort), 'postgres has stopped listening');
  t.equal(await postmasterPid(dataDir), undefined, 'postgres shut down cleanly');
  t.equal(main.stderr(), '', 'nothing on stderr');
});

t.test('Ctrl-C on `npm start` stops the kernel first, then postgres', async (t) => {
  const main = spawnMain(env, { npm: true });
  t.teardown(() => {
    if (main.child.exitCode === null && main.child.signalCode === null) process.kill(-main.child.pid!, 'SIGKILL');
  });
  await main.running();
  // A terminal signals its whole foreground process group: npm (which forwards the signal to node a
  // second time) and node. Postgres has a group of its own, so it is not cut off under the kernel.
  process.kill(-main.child.pid!, 'SIGINT');
  // npm itself ends with 130 (or dies of the signal) whatever node's status was.
  t.ok([0, 130, 'SIGINT'].includes(await exitWithin(main, 10_000)), 'npm exits');
  t.equal(main.stderr(), '', 'no errors, and the forwarded copy is not taken as a second Ctrl-C');
  t.notMatch(main.stdout(), /"level":[4-6]0/, 'no warnings from connections cut during shutdown');
  t.ok(await portIsFree(pgPort));
  t.equal(await postmasterPid(dataDir), undefined, 'postgres shut down cleanly');
});

t.test('a restart on the same folder keeps the data', async (t) => {
  const began = Date.now();
  const main = spawnMain(env);
  await main.running();
  t.comment(`embedded restart took ${Date.now() - began} ms`);
  t.same(await query('select note from boot_probe'), [{ note: 'still here' }]);
  t.same(await query('select count(*)::int as n from mosaic_migrations'), [{ n: migrations }], 'migrations are not re-applied');

  // A SIGKILLed kernel cannot stop its postgres: the next start must say so, not fail with `undefined`.
  const pid = await postmasterPid(dataDir);
  t.ok(pid, 'postgres wrote its pid file');
  savedPidFile = await readFile(join(dataDir, 'postmaster.pid'), 'utf8');
  main.child.kill('SIGKILL');
  await main.exited;
  t.ok(isAlive(pid!), 'postgres outlives a SIGKILLed kernel');

  const again = spawnMain(env);
  t.equal(await exitWithin(again, 15_000), 1);
  t.match(again.stderr(), `MOSAIC_ERR_DB_STALE_SERVER: A PostgreSQL server (pid ${pid}) left by an earlier run still holds the data folder ${dataDir}; stop it with \`kill -INT ${pid}\` and start again.`);
  t.notMatch(again.stderr(), /undefined|\n\s+at /, 'no bare undefined, no stack');

  process.kill(pid!, 'SIGINT');
  t.ok(await waitForExit(pid!), 'the stale server stops with the suggested command');
});

t.test('a pid file of a dead server does not stop the start; an HTTP port clash is one sentence', async (t) => {
  // The pid file as a crashed server leaves it: its pid no longer runs (or runs something else by now).
  const pidFile = join(dataDir, 'postmaster.pid');
  await writeFile(pidFile, savedPidFile, { mode: 0o600 });
  const owner = await stat(dataDir);
  await chown(pidFile, owner.uid, owner.gid);
  const holder = createServer();
  await new Promise<void>((done) => holder.listen(port, '0.0.0.0', done));
  t.teardown(() => new Promise<void>((done) => holder.close(() => done())));

  const main = spawnMain(env);
  t.equal(await exitWithin(main, 20_000), 1);
  t.match(main.stderr(), `Port ${port} is in use; set PORT to another port.`);
  t.notMatch(main.stderr(), /STALE_SERVER|\n\s+at /);
  t.ok(await portIsFree(pgPort), 'the embedded postgres it had started is stopped again');
  t.equal(await postmasterPid(dataDir), undefined);
});
