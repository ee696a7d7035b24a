import t from 'tap';
import type { PluginSandbox } from '../../src/sandbox/index.js';
import { maxTickGap, recordingHost, rejection, route, routesPlugin, sandbox } from './fixtures/helpers.js';

/**
 * The unit-level evidence that the kernel keeps serving while a plugin misbehaves: during each attack a
 * 5 ms interval on the host's event loop keeps ticking, and a well-behaved plugin (its own isolate)
 * keeps answering. Each attack's worst tick gap and the neighbour's worst latency are recorded.
 */
const HOSTILE = routesPlugin(`
  syncLoop: () => { for (;;) {} },
  loopAfterAwait: async () => { await null; for (;;) {} },
  memoryBomb: () => { const hoard = []; for (;;) hoard.push(new Array(1e6).fill(1)); },
  bigString: () => 'x'.repeat(100 * 1024 * 1024),
  deepParse: () => { const d = 1e7; return JSON.parse('['.repeat(d) + ']'.repeat(d)).length; },
  nested: () => { let v = 1; for (let i = 0; i < 5000; i++) v = [v]; return v; },
  storm: (ctx) => Promise.all(Array.from({ length: 5000 }, (_, i) => ctx.host.records.find(i))),
  stormSwallowed: async (ctx) => { for (;;) { try { await ctx.host.records.find(1); } catch {} } },
  neverSettles: () => new Promise(() => {}),
`);

const NEIGHBOUR = routesPlugin(`ok: (ctx, input) => input.n + 1,`);

async function neighbourWhile(neighbour: PluginSandbox, during: Promise<unknown>): Promise<{ served: number; wrong: number; worstMs: number }> {
  let done = false;
  void during.finally(() => (done = true));
  let served = 0;
  let wrong = 0;
  let worstMs = 0;
  while (!done) {
    const start = performance.now();
    if ((await route(neighbour, 'ok', { n: served })) !== served + 1) wrong++;
    worstMs = Math.max(worstMs, performance.now() - start);
    served++;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { served, wrong, worstMs };
}

t.test('the host event loop and other plugins stay responsive during every attack', async (t) => {
  const neighbour = sandbox(t, NEIGHBOUR);
  await route(neighbour, 'ok', { n: 0 }); // warm: its isolate exists before the attacks start
  const rows: string[] = [];
  let worstGap = 0;
  for (const [attack, code] of [
    ['syncLoop', 'MOSAIC_ERR_PLUGIN_TIMEOUT'],
    ['loopAfterAwait', 'MOSAIC_ERR_PLUGIN_TIMEOUT'],
    ['memoryBomb', 'MOSAIC_ERR_PLUGIN_MEMORY'],
    ['bigString', 'MOSAIC_ERR_PLUGIN_OUTPUT_TOO_LARGE'],
    ['deepParse', /^MOSAIC_ERR_PLUGIN_(TIMEOUT|MEMORY)$/],
    ['nested', 'MOSAIC_ERR_PLUGIN_OUTPUT_INVALID'],
    ['storm', 'MOSAIC_ERR_PLUGIN_HOST_CALLS'],
    ['stormSwallowed', 'MOSAIC_ERR_PLUGIN_TIMEOUT'],
    ['neverSettles', 'MOSAIC_ERR_PLUGIN_TIMEOUT'],
  ] as const) {
    // Building and serialising 100 MB is legitimate work whose code is checked here; isolated-vm charges a
    // running task by wall time, so on a loaded machine it needs room to reach the output limit.
    const limits = attack === 'bigString' ? { cpuMs: 5_000, wallMs: 10_000 } : { wallMs: 1000 };
    const hostile = sandbox(t, HOSTILE, { memoryLimitMb: attack === 'bigString' || attack === 'deepParse' ? 512 : 64, limits });
    const { host } = recordingHost();
    const { result, gapMs } = await maxTickGap(async () => {
      const attackCall = rejection(route(hostile, attack, {}, { host }));
      const [error, served] = await Promise.all([attackCall, neighbourWhile(neighbour, attackCall)]);
      return { error, served };
    });
    t.match(result.error.code, code, attack);
    t.ok(gapMs < 200, `${attack}: worst event-loop gap ${gapMs.toFixed(1)} ms`);
    t.ok(result.served.served > 0, `${attack}: the neighbour served ${result.served.served} calls meanwhile`);
    t.equal(result.served.wrong, 0, `${attack}: every one of them correctly`);
    t.ok(result.served.worstMs < 200, `${attack}: neighbour's worst latency ${result.served.worstMs.toFixed(1)} ms`);
    worstGap = Math.max(worstGap, gapMs);
    rows.push(`${attack.padEnd(15)} ${result.error.code.padEnd(35)} gap ${gapMs.toFixed(1).padStart(6)} ms  neighbour ${String(result.served.served).padStart(4)} calls, worst ${result.served.worstMs.toFixed(1).padStart(6)} ms`);
  }
  for (const row of rows) t.comment(row);
  t.comment(`worst event-loop gap across all attacks: ${worstGap.toFixed(1)} ms`);
});
