/**
 * `npm run bench:plugin-memory`: idle RSS of a kernel process running 10 plugins, against the same
 * kernel with none, in one run. Each kernel is a child process started as `npm start` starts it, on a
 * fresh database; see docs/benchmarks.md, "Plugin routes and memory".
 *
 * Knobs: BENCH_PLUGINS=10  BENCH_SETTLE=5 (seconds of idling before RSS is read)
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { exitWithin, spawnMain, type MainProcess } from '../../kernel/test/helpers/main-process.js';
import { survivePromiseRejections } from '../lib/background-errors.js';
import { BASE_DATABASE_URL, createScratchDatabase, redactUrl } from '../lib/database.js';
import { machineFacts, machineMarkdown } from '../lib/machine.js';
import { writeGeneratedPlugin, type GeneratedPlugin } from './lib-generate.js';
import { call, signUpWithApiKey } from './lib-http.js';

const PLUGINS = Number(process.env.BENCH_PLUGINS || 10);
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE || 5);
const GOAL_MB = 250;

const log = (line: string) => process.stderr.write(`${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const mb = (kb: number) => kb / 1024;

/** Memory lines of /proc/<pid>/status, in KB. */
interface ProcMemory { VmRSS: number; VmHWM: number; RssAnon: number; RssFile: number }

async function procMemory(pid: number): Promise<ProcMemory> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  const field = (name: keyof ProcMemory) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { VmRSS: field('VmRSS'), VmHWM: field('VmHWM'), RssAnon: field('RssAnon'), RssFile: field('RssFile') };
}

/** What one kernel process measured: RSS after start-up, and after the workload and a settle period. */
interface Measured { readonly booted: ProcMemory; readonly idle: ProcMemory }

/**
 * Starts a kernel on a fresh database with `configFile` as PLUGINS_CONFIG, signs up a workspace, runs
 * `workload`, idles for SETTLE_SECONDS and reads the child's memory; then stops it with SIGTERM.
 */
async function measure(label: string, pluginDir: string, configFile: string, workload: (baseUrl: string, authorization: string) => Promise<void>): Promise<Measured> {
  const database = await createScratchDatabase('mosaic_bench_mem');
  let main: MainProcess | undefined;
  try {
    main = spawnMain({ DATABASE_URL: database.url, PORT: '0', HOST: '127.0.0.1', PLUGIN_DIRS: pluginDir, PLUGINS_CONFIG: configFile, LOG_LEVEL: 'warn' });
    await main.running(60_000);
    const port = /running at http:\/\/localhost:(\d+)/.exec(main.stdout())![1];
    const baseUrl = `http://127.0.0.1:${port}`;
    const pid = main.child.pid!;
    const booted = await procMemory(pid);
    const { authorization } = await signUpWithApiKey(baseUrl, `memory-${label.replace(/\W+/g, '-')}`);
    await workload(baseUrl, authorization);
    await sleep(SETTLE_SECONDS * 1000);
    const idle = await procMemory(pid);
    log(`  ${label}: VmRSS ${mb(idle.VmRSS).toFixed(1)} MB after the workload (${mb(booted.VmRSS).toFixed(1)} MB after boot), peak ${mb(idle.VmHWM).toFixed(1)} MB`);
    if (main.stderr().trim()) log(`  ${label} kernel stderr:\n${main.stderr().trim()}`);
    return { booted, idle };
  } finally {
    if (main && main.child.exitCode === null) {
      main.child.kill('SIGTERM');
      await exitWithin(main, 15_000).catch(() => main!.child.kill('SIGKILL'));
    }
    await database.drop();
  }
}

async function poll<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** One record per object, then waits until a reader sees it `handled` (the plugins' event handlers do that). */
async function createAndAwait(baseUrl: string, headers: Record<string, string>, objects: readonly string[], handledBy: 'plugin' | 'nobody'): Promise<void> {
  for (const object of objects) {
    const created = (await (await call(baseUrl, 'POST', `/api/objects/${object}`, { title: 'new' }, headers)).json()) as { data: { id: string } };
    if (handledBy === 'nobody') {
      await call(baseUrl, 'GET', `/api/objects/${object}/${created.data.id}`, undefined, headers);
      continue;
    }
    await poll(`the event handler of ${object}`, async () => {
      const res = (await (await call(baseUrl, 'GET', `/api/objects/${object}/${created.data.id}`, undefined, headers)).json()) as { data: { title: string } };
      return res.data.title === 'handled' ? true : undefined;
    });
  }
}

async function main(): Promise<void> {
  survivePromiseRejections();
  const started = Date.now();
  log(`plugin memory benchmark on ${redactUrl(BASE_DATABASE_URL)}: ${PLUGINS} plugins, ${SETTLE_SECONDS} s settle`);
  const root = await mkdtemp(join(os.tmpdir(), 'mosaic-bench-memory-'));
  try {
    const plugins: GeneratedPlugin[] = [];
    // Bundles from 50 KB to 200 KB, spread evenly.
    for (let i = 1; i <= PLUGINS; i++) plugins.push(await writeGeneratedPlugin(root, i, Math.round(50 + ((i - 1) * 150) / Math.max(1, PLUGINS - 1))));
    const withPlugins = join(root, 'plugins.config.json');
    await writeFile(withPlugins, JSON.stringify({ plugins: plugins.map((p) => ({ path: p.folder, grant: 'requested' })) }, null, 2));
    const without = join(root, 'none.config.json');
    await writeFile(without, JSON.stringify({ plugins: [] }));
    const objects = plugins.map((p) => p.object);

    // The baseline does the same HTTP work on the same objects, created through the metadata API instead.
    const none = await measure('no plugins', root, without, async (baseUrl, authorization) => {
      const headers = { authorization };
      for (const object of objects) await call(baseUrl, 'POST', '/api/metadata/objects', { name: object, fields: [{ name: 'title', type: 'text' }] }, headers);
      for (const object of objects) await call(baseUrl, 'GET', `/api/objects/${object}?limit=5`, undefined, headers);
      await createAndAwait(baseUrl, headers, objects, 'nobody');
    });
    const ten = await measure(`${PLUGINS} plugins`, root, withPlugins, async (baseUrl, authorization) => {
      const headers = { authorization };
      const listed = (await (await call(baseUrl, 'GET', '/api/plugins', undefined, headers)).json()) as { data: { id: string; enabled: boolean }[] };
      const enabled = listed.data.filter((p) => p.enabled).length;
      if (enabled !== PLUGINS) throw new Error(`sign-up installed ${enabled} enabled plugins, not ${PLUGINS}: ${JSON.stringify(listed.data)}`);
      for (const p of plugins) await call(baseUrl, 'GET', `/api/plugins/${p.id}/ping`, undefined, headers);
      await createAndAwait(baseUrl, headers, objects, 'plugin');
      const health = (await (await call(baseUrl, 'GET', '/api/plugins', undefined, headers)).json()) as { data: { id: string; health: { contexts: number } | null }[] };
      const running = health.data.filter((p) => (p.health?.contexts ?? 0) > 0).length;
      if (running !== PLUGINS) throw new Error(`${running} of ${PLUGINS} sandboxes are running`);
    });

    const client = new pg.Client({ connectionString: BASE_DATABASE_URL });
    await client.connect();
    const postgres = (await client.query<{ version: string }>('select version()')).rows[0].version;
    await client.end();

    const rss = mb(ten.idle.VmRSS);
    const perPlugin = (mb(ten.idle.VmRSS) - mb(none.idle.VmRSS)) / PLUGINS;
    const row = (label: string, m: Measured) =>
      `| ${label} | ${mb(m.booted.VmRSS).toFixed(1)} | **${mb(m.idle.VmRSS).toFixed(1)}** | ${mb(m.idle.RssAnon).toFixed(1)} / ${mb(m.idle.RssFile).toFixed(1)} | ${mb(m.idle.VmHWM).toFixed(1)} |`;
    const kb = plugins.map((p) => p.bundleBytes / 1024);
    const markdown = [
      `# Plugin memory benchmark — ${new Date().toISOString()}`,
      '',
      '| Kernel process | RSS after boot MB | Idle RSS MB | anon / file MB | Peak (VmHWM) MB |',
      '|---|--:|--:|--:|--:|',
      row('No plugins (baseline)', none),
      row(`${PLUGINS} plugins enabled`, ten),
      '',
      `Difference: ${(mb(ten.idle.VmRSS) - mb(none.idle.VmRSS)).toFixed(1)} MB, **${perPlugin.toFixed(1)} MB per plugin**. ` +
        `Goal ≤ ${GOAL_MB} MB RSS with ${PLUGINS} plugins: ${rss <= GOAL_MB ? 'meets' : '**misses**'}.`,
      '',
      `Bundles ${Math.min(...kb).toFixed(0)}–${Math.max(...kb).toFixed(0)} KB (${kb.reduce((a, b) => a + b, 0).toFixed(0)} KB in all). ` +
        `Idle RSS is read from /proc/<pid>/status ${SETTLE_SECONDS} s after the workload: sign-up, an API key, then per object one list, ` +
        'one create and reads until the record is seen; with plugins, also each plugin route once and its event handler once.',
      '',
      machineMarkdown(machineFacts(postgres)),
      '',
    ].join('\n');
    process.stdout.write(`\n${markdown}\n`);
  } finally {
    await rm(root, { recursive: true, force: true });
    log(`done in ${Math.round((Date.now() - started) / 1000)} s`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
