/**
 * `npm run bench:ui`: the UI shell in real Chromium against a real kernel holding 10,000 records.
 *   1. First rows: navigation → the first 50 rows painted, for the shell and for a static baseline page
 *      that fetches the same first page from the same API; rounds alternate the order, cold caches.
 *   2. Scrolling: a fast wheel from the top to the last row (rows load as they come into view), then a
 *      scrollbar jump to the bottom on a fresh page; rows in the DOM and frame times.
 *   3. The shell bundle, minified and gzipped.
 * Writes bench/ui/results.md (not when BENCH_ROUNDS is set). See docs/benchmarks.md.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import pg from 'pg';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildShell } from '@mosaic/ui-shell';
import { survivePromiseRejections } from '../lib/background-errors.js';
import { createScratchDatabase, type ScratchDatabase } from '../lib/database.js';
import { machineFacts, machineMarkdown } from '../lib/machine.js';
import { DETECTOR, FIRST_ROWS, baselineHtml, jumpToBottom, scrollThrough, type ScrollStats } from './pages.js';
import { ROWS, startUiBenchKernel, type UiBenchKernel } from './setup.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS || 9);
const FIRST_ROWS_GOAL_MS = 800;
const BUNDLE_GOAL_KB = 150;
/** Pixels per frame of the wheel scroll: 20 rows of 34 px. */
const WHEEL_STEP = 680;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const BASELINE_PATH = '/__bench/baseline.html';
const BASELINE_COLUMNS = ['name', 'stage', 'employees', 'contact_email', 'close_date', 'active', 'created_at'];

const log = (line: string) => process.stderr.write(`${line}\n`);
const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? NaN;
}
const ms = (x: number) => `${Math.round(x)} ms`;

async function newPage(browser: Browser, bench: UiBenchKernel): Promise<Page> {
  // A new context per load: an empty HTTP cache, as a first visit.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const [name, value] = bench.cookie.split('=') as [string, string];
  await context.addCookies([{ name, value, url: bench.baseUrl, httpOnly: true, sameSite: 'Lax' }]);
  await context.addInitScript(DETECTOR);
  // tsx compiles this file with esbuild's keepNames, so functions handed to page.evaluate call a
  // `__name` helper that only exists in Node: give the page a no-op one.
  await context.addInitScript('globalThis.__name = (fn) => fn;');
  await context.route(`**${BASELINE_PATH}`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: baselineHtml(BASELINE_COLUMNS) }));
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (err) => log(`page error: ${err.message}`));
  return page;
}

/** One load: navigation start → the first 50 rows painted, and when the rows request left and came back. */
interface FirstRows {
  readonly ms: number;
  readonly requestStart: number;
  readonly responseEnd: number;
}

/** Times of one load, in ms from navigation start (the page's own clock). */
async function firstRows(browser: Browser, bench: UiBenchKernel, path: string, keep = false): Promise<FirstRows & { page: Page }> {
  const page = await newPage(browser, bench);
  await page.goto(`${bench.baseUrl}${path}`);
  await page.waitForFunction(() => (window as unknown as { __firstRows?: number }).__firstRows !== undefined);
  const times = await page.evaluate(() => {
    const list = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/objects/deal?')) as PerformanceResourceTiming | undefined;
    return { ms: (window as unknown as { __firstRows: number }).__firstRows, requestStart: list?.startTime ?? NaN, responseEnd: list?.responseEnd ?? NaN };
  });
  if (!keep) await page.context().close();
  return { ...times, page };
}

function frameSummary(stats: ScrollStats) {
  const f = stats.frames;
  return { p50: median(f), p95: quantile(f, 0.95), max: Math.max(...f), over50: f.filter((x) => x > 50).length, count: f.length };
}

async function main(): Promise<void> {
  survivePromiseRejections();
  let database: ScratchDatabase | undefined;
  let bench: UiBenchKernel | undefined;
  let browser: Browser | undefined;
  const cacheDir = await mkdtemp(join(os.tmpdir(), 'bench-ui-shell-'));
  try {
    // 3. The bundle (first: the kernel would build it on the first page request anyway).
    const build = await buildShell({ cacheDir });
    let raw = 0;
    let gz = 0;
    for (const asset of build.assets.values()) {
      raw += asset.body.length;
      gz += gzipSync(asset.body, { level: 9 }).length;
    }
    log(`bundle: ${(raw / 1024).toFixed(1)} KB, gzipped ${(gz / 1024).toFixed(1)} KB`);

    database = await createScratchDatabase('bench_ui');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const postgres = (await client.query<{ version: string }>('select version()')).rows[0]!.version;
    await client.end();
    const seedStart = performance.now();
    bench = await startUiBenchKernel(database.url);
    log(`kernel up, ${ROWS} deals seeded in ${ms(performance.now() - seedStart)}`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });

    // Warm-up (discarded): the kernel's shell build and both paths once.
    await firstRows(browser, bench, '/objects/deal');
    await firstRows(browser, bench, BASELINE_PATH);

    const loadBefore = os.loadavg()[0]!;
    // 1. First rows, alternating which goes first.
    const shell: number[] = [];
    const baseline: number[] = [];
    const timings: Record<'shell' | 'baseline', FirstRows[]> = { shell: [], baseline: [] };
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['shell', 'baseline'] as const) : (['baseline', 'shell'] as const);
      for (const target of order) {
        const { page: _page, ...load } = await firstRows(browser, bench, target === 'shell' ? '/objects/deal' : BASELINE_PATH);
        (target === 'shell' ? shell : baseline).push(load.ms);
        timings[target].push(load);
      }
      log(`round ${round + 1}/${ROUNDS}: shell ${ms(shell.at(-1)!)}, baseline ${ms(baseline.at(-1)!)}`);
    }

    // 2. Scrolling: a wheel through every row, then a jump on a fresh page.
    const wheelPage = (await firstRows(browser, bench, '/objects/deal', true)).page;
    const wheel = await wheelPage.evaluate(scrollThrough, WHEEL_STEP);
    // Again over rows now loaded: the table's own rendering cost, without waiting on the API.
    const loaded = await wheelPage.evaluate(scrollThrough, WHEEL_STEP);
    await wheelPage.context().close();
    const loadedFrames = frameSummary(loaded);
    log(`wheel over loaded rows: ${ms(loaded.ms)}, frames p50 ${loadedFrames.p50.toFixed(1)} / p95 ${loadedFrames.p95.toFixed(1)} ms`);
    const wheelFrames = frameSummary(wheel);
    log(`wheel: ${ms(wheel.ms)}, max ${wheel.maxDomRows} rows in the DOM, frames p50 ${wheelFrames.p50.toFixed(1)} / p95 ${wheelFrames.p95.toFixed(1)} / max ${wheelFrames.max.toFixed(1)} ms`);
    const jumpPage = (await firstRows(browser, bench, '/objects/deal', true)).page;
    const jump = await jumpPage.evaluate(jumpToBottom);
    await jumpPage.context().close();
    log(`jump: last row after ${ms(jump.ms)}`);

    const loadAfter = os.loadavg()[0]!;
    const phase = (target: 'shell' | 'baseline') => {
      const t = timings[target];
      const sent = median(t.map((x) => x.requestStart));
      return `| ${target === 'shell' ? 'Shell' : 'Baseline'} | ${ms(sent)} | ${ms(median(t.map((x) => x.responseEnd - x.requestStart)))} | ${ms(median(t.map((x) => x.ms - x.responseEnd)))} |`;
    };
    const shellMedian = median(shell);
    const baselineMedian = median(baseline);
    const facts = machineFacts(postgres);
    const when = new Date().toISOString();
    const meets = (ok: boolean) => (ok ? 'meets' : '**misses**');
    const markdown = `# UI shell benchmark — ${when}

Real Chromium (headless, ${CHROMIUM}), 1280×800, against a real kernel on a scratch database with ${ROWS.toLocaleString('en')} \`deal\` records of six fields.

## First ${FIRST_ROWS} rows painted

| | median | p10 – p90 | min | max | Goal | Result |
|---|--:|--:|--:|--:|--:|---|
| Shell: \`/objects/deal\` | ${ms(shellMedian)} | ${ms(quantile(shell, 0.1))} – ${ms(quantile(shell, 0.9))} | ${ms(Math.min(...shell))} | ${ms(Math.max(...shell))} | ≤ ${FIRST_ROWS_GOAL_MS} ms | ${meets(shellMedian <= FIRST_ROWS_GOAL_MS)} |
| Baseline: static page, one \`fetch\`, plain table | ${ms(baselineMedian)} | ${ms(quantile(baseline, 0.1))} – ${ms(quantile(baseline, 0.9))} | ${ms(Math.min(...baseline))} | ${ms(Math.max(...baseline))} | | |
| **Shell / baseline** | **${(shellMedian / baselineMedian).toFixed(2)}×** (+${ms(shellMedian - baselineMedian)}) | | | | | |

Where the time goes (medians, ms from navigation start):

| | Rows request sent at | Request → answer | Answer → rows painted |
|---|--:|--:|--:|
${phase('shell')}
${phase('baseline')}

${ROUNDS} rounds after one discarded warm-up, the order alternating each round; every load in a new browser context (empty HTTP cache, as a first visit). Time is from navigation start to the animation frame in which ${FIRST_ROWS} data rows are in the DOM (a detector installed before any page script runs checks once per frame, the same for both pages). The baseline fetches the same first request as the shell (\`limit=50&depth=1&count=true\`) from the same API with the same session. The shell additionally loads its bundle, the session, the data model, the plugin list and the saved views, and opens its live socket.

## Scrolling through ${ROWS.toLocaleString('en')} rows

| | |
|---|--:|
| Wheel, ${WHEEL_STEP} px per frame, top to the last row (rows load as they come into view) | ${ms(wheel.ms)} |
| Frames | ${wheelFrames.count} |
| Frame time p50 / p95 / max | ${wheelFrames.p50.toFixed(1)} / ${wheelFrames.p95.toFixed(1)} / ${wheelFrames.max.toFixed(1)} ms |
| Frames over 50 ms | ${wheelFrames.over50} |
| Frames showing placeholder rows (data not there yet) | ${wheel.placeholderFrames} |
| Most \`<tr>\` in the table's DOM at any frame | ${wheel.maxDomRows} |
| The same wheel again, every row loaded: time / frames | ${ms(loaded.ms)} / ${loadedFrames.count} |
| … frame time p50 / p95 / max | ${loadedFrames.p50.toFixed(1)} / ${loadedFrames.p95.toFixed(1)} / ${loadedFrames.max.toFixed(1)} ms |
| … frames over 50 ms; most \`<tr>\` in the DOM | ${loadedFrames.over50}; ${loaded.maxDomRows} |
| Scrollbar jump to the bottom of a fresh page: last row shown after | ${ms(jump.ms)} (${Math.ceil((ROWS - 50) / 500)} keyset pages of ≤ 500 fetched in turn) |
| Most \`<tr>\` in the DOM during the jump | ${jump.maxDomRows} |

## Bundle

| | Size | Goal | Result |
|---|--:|--:|---|
| Shell JavaScript, minified | ${(raw / 1024).toFixed(1)} KB | | |
| Shell JavaScript, gzipped (level 9) | ${(gz / 1024).toFixed(1)} KB | ≤ ${BUNDLE_GOAL_KB} KB | ${meets(gz / 1024 <= BUNDLE_GOAL_KB)} |

**Caveat:** Chromium, the kernel and PostgreSQL share this ${facts.cpuCount}-core machine (the kernel and the benchmark driver in one Node process), on loopback; absolute times are what this machine gives, the ratio is the figure to compare. 1-minute load average: ${loadBefore.toFixed(2)} when measuring started, ${loadAfter.toFixed(2)} at the end (other work on the machine slows every figure here). Headless Chromium paints without a GPU.

## Machine

${machineMarkdown(facts)}

## Command

\`\`\`
npm run bench:ui
\`\`\`
`;
    process.stdout.write(markdown);
    if (process.env.BENCH_ROUNDS) log('custom BENCH_ROUNDS: bench/ui/results.md left as it was');
    else {
      await writeFile(fileURLToPath(new URL('./results.md', import.meta.url)), markdown);
      log('wrote bench/ui/results.md');
    }
  } finally {
    await browser?.close().catch((err: unknown) => log(`browser close: ${String(err)}`));
    // A kernel slow to close (a busy machine) must not keep the scratch database alive.
    await bench?.kernel.close().catch((err: unknown) => log(`kernel close: ${String(err)}`));
    await database?.drop();
    await rm(cacheDir, { recursive: true, force: true });
  }
}

await main();
