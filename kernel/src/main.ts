/**
 * `npm start`: reads the configuration, starts an embedded PostgreSQL server unless DATABASE_URL names
 * one, builds the kernel and serves it. SIGINT/SIGTERM stop everything in order and exit 0; a second
 * signal exits at once. A failed start prints one sentence (the stack only with LOG_LEVEL=debug),
 * stops whatever had started, and exits 1.
 */
import type { Kernel } from './app/build.js';
import { loadConfig, type KernelConfig } from './config/index.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './db/embedded.js';
import { isMosaicError } from './errors/index.js';

type Phase = 'starting' | 'running' | 'stopping';

/** Thrown inside start-up when a signal arrived meanwhile, to unwind through the same clean-up. */
class StartAborted extends Error {}

/** A repeat of the signal within this window is the same request, not a demand to exit at once. */
const REPEAT_SIGNAL_MS = 1000;

let phase: Phase = 'starting';
let firstSignalAt = 0;
let abortRequested = false;
let config: KernelConfig | undefined;
let pg: EmbeddedPostgres | undefined;
let kernel: Kernel | undefined;

process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
await start();

async function start(): Promise<void> {
  try {
    config = loadConfig();
    const cfg = config;
    // The kernel's module graph takes about a second to load: do it while postgres starts, and not at
    // all when the configuration is invalid.
    const loadingKernel = import('./app/build.js');
    loadingKernel.catch(() => undefined); // awaited below; this only keeps an early failure from being "unhandled"

    const verbose = cfg.logLevel === 'debug' || cfg.logLevel === 'trace';
    let databaseUrl = cfg.databaseUrl;
    if (databaseUrl === undefined) {
      pg = await startEmbeddedPostgres({
        dataDir: cfg.dataDir,
        port: cfg.embeddedPgPort,
        onLog: verbose ? (line) => process.stderr.write(`[postgres] ${line}\n`) : undefined,
        onUnexpectedExit: (message) => {
          process.stderr.write(`${message}\n`);
          void stopAndExit(1);
        },
      });
      databaseUrl = pg.url;
    }
    checkAborted();
    const { createKernel } = await loadingKernel;
    checkAborted();
    kernel = await createKernel({ config: cfg, databaseUrl });
    checkAborted();
    if (pg?.created) kernel.app.log.info({ dataDir: cfg.dataDir }, 'created a new embedded PostgreSQL data folder');
    await kernel.app.listen({ port: cfg.port, host: cfg.host }).catch((err: unknown) => {
      throw explainListenError(err, cfg.port);
    });
    checkAborted();
  } catch (err) {
    if (!(err instanceof StartAborted)) report(err);
    await stopAndExit(abortRequested ? 0 : 1);
    return;
  }
  phase = 'running';
  const address = kernel.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  process.stdout.write(`Mosaic CRM is running at http://localhost:${port}\n`);
  // What reconciling with plugins.config.json changed, in one line per action (details are in the log).
  for (const action of kernel.services.plugins.lastReconcile) {
    process.stdout.write(`plugins.config.json: ${action.plugin} ${action.action}${action.detail ? ` (${action.detail})` : ''} in workspace ${action.workspace_id}\n`);
  }
  if (demoRequested()) await seedDemoWorkspace(port);
}

/** `npm start -- --demo` or `MOSAIC_DEMO=1`. */
function demoRequested(): boolean {
  return process.argv.slice(2).includes('--demo') || /^(1|true|yes)$/i.test(process.env.MOSAIC_DEMO ?? '');
}

/**
 * Fills a demo workspace through the running kernel's own HTTP API. A failure is reported and the
 * kernel keeps serving: the CRM itself is fine without demo data.
 */
async function seedDemoWorkspace(port: number): Promise<void> {
  const { seedDemo, DEMO_ACCOUNT } = await import('./demo/index.js');
  const password = process.env.MOSAIC_DEMO_PASSWORD ?? 'mosaic-demo-password';
  try {
    const result = await seedDemo({ baseUrl: `http://127.0.0.1:${port}`, password, progress: (line) => process.stdout.write(`${line}\n`) });
    if (result.created) process.stdout.write(`Demo workspace "${DEMO_ACCOUNT.workspace_name}" is ready: sign in as ${result.email} with password ${password}\n`);
    else process.stdout.write(`Demo workspace already exists: sign in as ${result.email} with the password it was created with (MOSAIC_DEMO_PASSWORD, default mosaic-demo-password)\n`);
  } catch (err) {
    report(err);
  }
}

function checkAborted(): void {
  if (abortRequested) throw new StartAborted();
}

function onSignal(signal: NodeJS.Signals): void {
  if (phase === 'stopping' || abortRequested) {
    // One Ctrl-C under `npm start` arrives twice (from the terminal and forwarded by npm); only a
    // signal sent a moment later is someone insisting.
    if (Date.now() - firstSignalAt < REPEAT_SIGNAL_MS) return;
    // The `exit` hook in db/embedded.ts still asks postgres to shut down.
    process.stderr.write(`Received ${signal} again; exiting without waiting.\n`);
    process.exit(1);
  }
  firstSignalAt = Date.now();
  if (phase === 'starting') {
    // start() notices between steps, so nothing it is about to create is left behind.
    abortRequested = true;
    return;
  }
  kernel?.app.log.info({ signal }, 'shutting down');
  void stopAndExit(0);
}

/** Stops accepting connections, waits for in-flight requests, closes the pool, then stops postgres. */
async function stopAndExit(code: number): Promise<void> {
  if (phase === 'stopping') return;
  phase = 'stopping';
  let exitCode = code;
  for (const step of [() => kernel?.close(), () => pg?.stop()]) {
    try {
      await step();
    } catch (err) {
      report(err);
      exitCode = 1;
    }
  }
  process.exit(exitCode);
}

/** One readable sentence on stderr; the stack only when debugging. */
function report(err: unknown): void {
  const verbose = config?.logLevel === 'debug' || config?.logLevel === 'trace' || process.env.LOG_LEVEL === 'debug';
  let text: string;
  if (isMosaicError(err)) text = `${err.code}: ${err.message}`;
  else if (err instanceof Error) text = describeDatabaseError(err) ?? err.message;
  else text = String(err);
  process.stderr.write(`${text}\n`);
  if (verbose && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
}

function explainListenError(err: unknown, port: number): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return new Error(`Port ${port} is in use; set PORT to another port.`, { cause: err });
  if (code === 'EACCES') return new Error(`Port ${port} needs more privileges; set PORT to a port above 1023.`, { cause: err });
  return err;
}

/**
 * Names the external server (never the URL: it may hold a password) when DATABASE_URL cannot be
 * reached or signed in to; the driver's own message alone does not say which setting is wrong.
 */
function describeDatabaseError(err: Error): string | undefined {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const connection = ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', '28P01', '28000', '3D000'];
  if (config?.databaseUrl === undefined || !connection.includes(code)) return undefined;
  const url = new URL(config.databaseUrl);
  return `Could not use the PostgreSQL server at ${url.hostname}:${url.port || 5432}${url.pathname} from DATABASE_URL (${err.message}); check that it is running and that DATABASE_URL is right.`;
}
