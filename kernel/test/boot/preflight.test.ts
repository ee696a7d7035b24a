import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import {
  checkNoStaleServer,
  checkPortFree,
  checkReachableByPostgresUser,
  inspectDataFolder,
} from '../../src/db/embedded-preflight.js';
import { freePort, tempFolder } from '../helpers/main-process.js';

const SYSTEM_PID_FILE = '/var/lib/postgresql/15/main/postmaster.pid';

t.test('inspectDataFolder', async (t) => {
  const root = await tempFolder(t);
  t.equal(await inspectDataFolder(join(root, 'missing')), 'empty', 'a missing folder is created later');
  await mkdir(join(root, 'blank'));
  t.equal(await inspectDataFolder(join(root, 'blank')), 'empty');

  await mkdir(join(root, 'v18'));
  await writeFile(join(root, 'v18', 'PG_VERSION'), '18\n');
  t.equal(await inspectDataFolder(join(root, 'v18')), 'initialised', 'an existing cluster is never re-initialised');

  await mkdir(join(root, 'v16'));
  await writeFile(join(root, 'v16', 'PG_VERSION'), '16\n');
  await t.rejects(inspectDataFolder(join(root, 'v16')), { code: 'MOSAIC_ERR_DB_VERSION_MISMATCH' });
});

t.test('checkNoStaleServer only refuses a live postgres', async (t) => {
  const dir = await tempFolder(t);
  await t.resolves(checkNoStaleServer(dir), 'no pid file');

  const dead = spawnSync('true').pid;
  await writeFile(join(dir, 'postmaster.pid'), `${dead}\n${dir}\n`);
  await t.resolves(checkNoStaleServer(dir), 'a dead pid does not count');
  t.notOk(existsSync(join(dir, 'postmaster.pid')), 'and its pid file goes before the pid can come round again');

  await writeFile(join(dir, 'postmaster.pid'), `${process.pid}\n${dir}\n`);
  await t.resolves(checkNoStaleServer(dir), 'a pid reused by another program does not count');
  t.notOk(existsSync(join(dir, 'postmaster.pid')), 'and its pid file goes: postgres would refuse it');

  // The machine's own PostgreSQL, if there is one: a postgres, but working in another folder.
  const other = existsSync(SYSTEM_PID_FILE) ? readFileSync(SYSTEM_PID_FILE, 'utf8').split('\n')[0] : undefined;
  if (other && process.getuid?.() === 0) {
    await writeFile(join(dir, 'postmaster.pid'), `${other}\n${dir}\n`);
    await t.resolves(checkNoStaleServer(dir), "another cluster's postgres does not count");
    t.notOk(existsSync(join(dir, 'postmaster.pid')));
  }
});

t.test('checkPortFree', async (t) => {
  const port = await freePort();
  await t.resolves(checkPortFree(port));
  const holder = createServer();
  await new Promise<void>((done) => holder.listen(port, '0.0.0.0', done));
  t.teardown(() => new Promise<void>((done) => holder.close(() => done())));
  await t.rejects(checkPortFree(port), {
    code: 'MOSAIC_ERR_DB_PORT_IN_USE',
    message: `Port ${port} for the embedded PostgreSQL server is in use; set MOSAIC_PG_PORT to another port.`,
  });
});

t.test('checkReachableByPostgresUser names the folder postgres cannot enter', { skip: process.getuid?.() !== 0 && 'only root hands the folder to the postgres user' }, async (t) => {
  const root = await tempFolder(t);
  const closed = join(root, 'closed');
  await mkdir(closed, { mode: 0o700 });
  await t.resolves(checkReachableByPostgresUser(join(root, 'pg')));
  await t.rejects(checkReachableByPostgresUser(join(closed, 'pg')), {
    code: 'MOSAIC_ERR_DB_START_FAILED',
    message: `PostgreSQL runs as the postgres user, which cannot enter ${closed}; set MOSAIC_DATA_DIR to a folder outside it or run \`chmod o+x ${closed}\`.`,
  });
});
