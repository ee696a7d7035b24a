import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { createTestDatabase } from '../helpers/database.js';
import { exitWithin, freePort, portIsFree, spawnMain, tempFolder } from '../helpers/main-process.js';

/** `npm start` must fail with one sentence saying what to do, exit 1, and leave nothing running. */

async function hold(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return server;
}

t.test('the embedded PostgreSQL port is taken', async (t) => {
  const dataDir = join(await tempFolder(t), 'pg');
  const pgPort = await freePort();
  const holder = await hold(pgPort);
  t.teardown(() => new Promise<void>((done) => holder.close(() => done())));

  const main = spawnMain({ MOSAIC_DATA_DIR: dataDir, PORT: String(await freePort()), MOSAIC_PG_PORT: String(pgPort) });
  t.equal(await exitWithin(main, 15_000), 1);
  t.equal(
    main.stderr(),
    `MOSAIC_ERR_DB_PORT_IN_USE: Port ${pgPort} for the embedded PostgreSQL server is in use; set MOSAIC_PG_PORT to another port.\n`,
  );
  t.notOk(existsSync(join(dataDir, 'PG_VERSION')), 'the folder is not initialised for nothing');
});

t.test('the data folder is from another PostgreSQL major version', async (t) => {
  const dataDir = join(await tempFolder(t), 'pg');
  await mkdir(dataDir);
  await writeFile(join(dataDir, 'PG_VERSION'), '15\n');

  const main = spawnMain({ MOSAIC_DATA_DIR: dataDir, PORT: String(await freePort()), MOSAIC_PG_PORT: String(await freePort()) });
  t.equal(await exitWithin(main, 15_000), 1);
  t.match(main.stderr(), /^MOSAIC_ERR_DB_VERSION_MISMATCH: /);
  t.match(main.stderr(), `The data folder ${dataDir} was created by PostgreSQL 15 but the embedded server is PostgreSQL 18;`);
  t.match(main.stderr(), 'move the folder away');
});

t.test('the data folder holds something else', async (t) => {
  const dataDir = join(await tempFolder(t), 'pg');
  await mkdir(dataDir);
  await writeFile(join(dataDir, 'notes.txt'), 'mine');

  const main = spawnMain({ MOSAIC_DATA_DIR: dataDir, PORT: String(await freePort()), MOSAIC_PG_PORT: String(await freePort()) });
  t.equal(await exitWithin(main, 15_000), 1);
  t.match(main.stderr(), `MOSAIC_ERR_DB_START_FAILED: The data folder ${dataDir} is not empty but holds no PostgreSQL data;`);
});

t.test('invalid configuration is reported in one message before anything starts', async (t) => {
  const dataDir = join(await tempFolder(t), 'pg');
  const main = spawnMain({ MOSAIC_DATA_DIR: dataDir, PORT: 'abc', LOG_LEVEL: 'loud' });
  t.equal(await exitWithin(main, 15_000), 1);
  t.equal(
    main.stderr(),
    'MOSAIC_ERR_CONFIG_INVALID: The configuration is invalid: PORT must be a whole number from 0 to 65535, got "abc". ' +
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud".\n',
  );
  t.equal(main.stdout(), '');
  t.notOk(existsSync(dataDir), 'no embedded server was started');
});

t.test('with DATABASE_URL the kernel uses that server and never touches the data folder', async (t) => {
  const database = await createTestDatabase();
  t.teardown(database.drop);
  const dataDir = join(await tempFolder(t), 'pg');
  const port = await freePort();

  const main = spawnMain({ DATABASE_URL: database.url, MOSAIC_DATA_DIR: dataDir, PORT: String(port) });
  await main.running();
  t.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
  main.child.kill('SIGTERM');
  t.equal(await exitWithin(main, 10_000), 0);
  t.ok(await portIsFree(port));
  t.notOk(existsSync(dataDir));
});

t.test('an unreachable DATABASE_URL is named without its password', async (t) => {
  const deadPort = await freePort();
  const main = spawnMain({
    DATABASE_URL: `postgres://mosaic:s3cret-pw@127.0.0.1:${deadPort}/crm`,
    PORT: String(await freePort()),
  });
  t.equal(await exitWithin(main, 20_000), 1);
  t.match(main.stderr(), `Could not use the PostgreSQL server at 127.0.0.1:${deadPort}/crm from DATABASE_URL`);
  t.match(main.stderr(), 'check that it is running and that DATABASE_URL is right.');
  t.notMatch(main.stderr() + main.stdout(), 's3cret-pw');
});
