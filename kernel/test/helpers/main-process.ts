import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, where `npm start` runs. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

/** A `kernel/src/main.ts` process started the way `npm start` starts it. */
export interface MainProcess {
  readonly child: ChildProcess;
  /** Everything written so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the "running at" line appears; rejects if the process exits first or time runs out. */
  running(timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
}

/**
 * Spawns `node --no-node-snapshot --import tsx kernel/src/main.ts` (or, with `npm`, `npm start`) with
 * `env` on top of a clean environment: DATABASE_URL is removed (CI exports one), so the embedded path
 * is what runs unless the test sets it.
 */
export function spawnMain(env: Record<string, string>, options: { npm?: boolean } = {}): MainProcess {
  // The repository's plugins.config.json is for `npm start`; a test that wants it passes PLUGINS_CONFIG.
  const base: Record<string, string | undefined> = { ...process.env, LOG_LEVEL: 'warn', PLUGINS_CONFIG: 'off' };
  delete base.DATABASE_URL;
  delete base.NODE_OPTIONS; // tap's loader hooks are not what npm start runs with
  const [command, args] = options.npm
    ? ['npm', ['start']]
    : [process.execPath, ['--no-node-snapshot', '--import', 'tsx', 'kernel/src/main.ts']];
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...base, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Under npm, a process group of its own, so a test can press "Ctrl-C" on all of it.
    detached: options.npm === true,
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const exited = new Promise<number | string>((done) => {
    child.once('exit', (code, signal) => done(code ?? signal ?? 'unknown'));
  });
  const running = (timeoutMs = 30_000): Promise<void> =>
    new Promise((done, fail) => {
      const started = Date.now();
      const poll = setInterval(() => {
        if (/Mosaic CRM is running at http:\/\/localhost:\d+/.test(out)) {
          clearInterval(poll);
          done();
        } else if (child.exitCode !== null || child.signalCode !== null || Date.now() - started > timeoutMs) {
          clearInterval(poll);
          fail(new Error(`kernel did not start (exit ${child.exitCode ?? child.signalCode}):\n${err}\n${out}`));
        }
      }, 25);
    });
  return { child, stdout: () => out, stderr: () => err, running, exited };
}

/** Waits for the exit, failing after `timeoutMs`. */
export async function exitWithin(main: MainProcess, timeoutMs: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no exit within ${timeoutMs} ms:\n${main.stderr()}`)), timeoutMs);
  });
  try {
    return await Promise.race([main.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Whether `port` on 127.0.0.1 can be listened on. */
export async function portIsFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const server = createServer();
    server.once('error', () => done(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => done(true)));
  });
}

/**
 * A temporary folder removed when the test ends. Mode 0755 because, as root, postgres runs as the
 * `postgres` user, which cannot enter mkdtemp's 0700 folder.
 */
export async function tempFolder(t: { teardown(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mosaic-boot-'));
  await chmod(dir, 0o755);
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The postmaster pid recorded in the data folder, or undefined when there is no pid file. */
export async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const text = await readFile(join(dataDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : Number.parseInt(text.split('\n')[0] ?? '', 10);
}

/** Whether a process with this pid exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/** Polls until `pid` is gone; false after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs = 10_000): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > until) return false;
    await new Promise((done) => setTimeout(done, 50));
  }
  return true;
}
