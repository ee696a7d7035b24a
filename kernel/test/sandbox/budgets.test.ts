import t, { type Test } from 'tap';
import type { PluginSandbox } from '../../src/sandbox/index.js';
import { recordingHost, rejection, route, routesPlugin, sandbox } from './fixtures/helpers.js';

/** Every attack plugin also has `ok`, which reports its module counter: 1 means a fresh isolate or context. */
const ATTACKS = routesPlugin(`
  ok: () => ++counter,
  syncLoop: () => { for (;;) {} },
  loopAfterAwait: async () => { await null; for (;;) {} },
  loopAfterHost: async (ctx) => { await ctx.host.records.find('x'); for (;;) {} },
  neverSettles: () => new Promise(() => {}),
  hostNeverAnswers: (ctx) => ctx.host.records.find('slow'),
  memoryBomb: () => { const hoard = []; for (;;) hoard.push(new Array(1e6).fill(counter)); },
  recurse: () => { const f = (n) => f(n + 1) + 1; return f(0); },
  bigString: (ctx, input) => 'x'.repeat(input.mb * 1024 * 1024),
  nested: (ctx, input) => { let v = 1; for (let i = 0; i < input.depth; i++) v = [v]; return v; },
  stormParallel: (ctx) => Promise.all(Array.from({ length: 1000 }, (_, i) => ctx.host.records.find(i))),
  stormSequential: async (ctx) => { for (;;) await ctx.host.records.find(1); },
  stormSwallowed: async (ctx) => { for (;;) { try { await ctx.host.records.find(1); } catch {} } },
  stormCaught: async (ctx) => { let done = 0; try { for (;;) { await ctx.host.records.find(1); done++; } } catch (e) { return [done, e.code]; } },
  deepParse: () => { const d = 1e7; JSON.parse('['.repeat(d) + ']'.repeat(d)); return 'parsed'; },
  leaveWorkBehind: (ctx) => { (async () => { await ctx.host.records.find('late'); for (;;) {} })(); return 'returned'; },
  microtaskTail: () => { let p = Promise.resolve(); for (let i = 0; i < 50; i++) p = p.then(() => null); p.then(() => { for (;;) {} }); return 'returned'; },
  unhandled: () => { Promise.reject(new Error('nobody listens')); return 'fine'; },
  throws: () => { throw new Error('bad input'); },
`, 'let counter = 0;');

async function healthy(t: Test, box: PluginSandbox, message: string): Promise<void> {
  t.equal(await route(box, 'ok'), 1, message);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

t.test('a synchronous infinite loop is stopped at the default CPU budget (500 ms)', async (t) => {
  const box = sandbox(t, ATTACKS);
  t.equal(await route(box, 'ok'), 1);
  const { value: error, ms } = await timed(() => rejection(route(box, 'syncLoop')));
  t.equal(error.code, 'MOSAIC_ERR_PLUGIN_TIMEOUT');
  t.equal(error.statusCode, 504);
  t.match(error.message, /CPU budget of 500 ms/);
  t.ok(ms >= 450 && ms < 2000, `stopped after ${ms.toFixed(0)} ms`);
  t.comment(`sync loop stopped after ${ms.toFixed(0)} ms (budget 500 ms CPU)`);
  await healthy(t, box, 'the next call runs in a fresh isolate');
  t.same(box.status(), { ...box.status(), state: 'ready', failures: 0 }, 'a success clears the streak');
  t.equal(box.status().lastError?.code, 'MOSAIC_ERR_PLUGIN_TIMEOUT', 'the last failure stays on record');
});

t.test('CPU spent after an await, and after a host call, is still charged', async (t) => {
  const box = sandbox(t, ATTACKS, { limits: { cpuMs: 100 } });
  for (const attack of ['loopAfterAwait', 'loopAfterHost']) {
    const { value: error, ms } = await timed(() => rejection(route(box, attack)));
    t.equal(error.code, 'MOSAIC_ERR_PLUGIN_TIMEOUT', attack);
    t.ok(ms < 1000, `${attack} stopped after ${ms.toFixed(0)} ms`);
    await healthy(t, box, `healthy after ${attack}`);
  }
});

t.test('a promise that never settles, or a host call that never answers, is stopped at the wall budget', async (t) => {
  const box = sandbox(t, ATTACKS, { limits: { wallMs: 200 } });
  const never = () => new Promise<never>(() => {});
  for (const attack of ['neverSettles', 'hostNeverAnswers']) {
    const { value: error, ms } = await timed(() => rejection(route(box, attack, {}, { host: never })));
    t.equal(error.code, 'MOSAIC_ERR_PLUGIN_TIMEOUT', attack);
    t.match(error.message, /wall-time budget of 200 ms/);
    t.ok(ms >= 190 && ms < 1000, `${attack} stopped after ${ms.toFixed(0)} ms`);
    await healthy(t, box, `healthy after ${attack}`);
  }
});

t.test('a memory bomb hits the isolate memory limit; the process survives and the plugin restarts', async (t) => {
  const box = sandbox(t, ATTACKS, { memoryLimitMb: 32, limits: { cpuMs: 10_000 } });
  const before = process.memoryUsage().rss;
  const { value: error, ms } = await timed(() => rejection(route(box, 'memoryBomb')));
  t.equal(error.code, 'MOSAIC_ERR_PLUGIN_MEMORY');
  t.equal(error.statusCode, 500);
  t.match(error.message, /memory limit of 32 MB/);
  t.comment(`memory bomb stopped after ${ms.toFixed(0)} ms; rss grew ${((process.memoryUsage().rss - before) / 1e6).toFixed(0)} MB`);
  await healthy(t, box, 'healthy after the memory bomb');
});

t.test('a stack overflow is an ordinary handler error; the isolate and its state live on', async (t) => {
  const box = sandbox(t, ATTACKS);
  t.equal(await route(box, 'ok'), 1);
  const error = await rejection(route(box, 'recurse'));
  t.equal(error.code, 'MOSAIC_ERR_PLUGIN_ERROR');
  t.match(error.message, /Maximum call stack size exceeded/);
  t.equal(await route(box, 'ok'), 2, 'same isolate, same context, counter kept');
  t.equal(box.status().failures, 0);
});

/**
 * isolated-vm charges a task that is still running by wall time since it began (only finished stretches
 * count thread CPU), so on a loaded machine a preempted isolate "spends" CPU while it waits for a core.
 * The two output tests below build and serialise 100 MB and 100,000 levels; they test the output limits,
 * so they get a CPU budget that such a wait cannot exhaust.
 */
const ROOMY_CPU = { cpuMs: 5_000, wallMs: 10_000 };

t.test('output over the cap is refused inside the isolate, before it is copied out', async (t) => {
  const big = sandbox(t, ATTACKS, { memoryLimitMb: 512, limits: ROOMY_CPU });
  const heapBefore = process.memoryUsage().heapUsed;
  const error = await rejection(route(big, 'bigString', { mb: 100 }));
  const heapGrowth = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  t.equal(error.code, 'MOSAIC_ERR_PLUGIN_OUTPUT_TOO_LARGE');
  t.equal(error.statusCode, 502);
  t.match(error.message, /returned 104857602 characters of JSON; the limit is 10485760/);
  t.ok(heapGrowth < 50, `host heap grew ${heapGrowth.toFixed(1)} MB for a 100 MB result`);
  const box = sandbox(t, ATTACKS, { limits: ROOMY_CPU });
  t.equal((await rejection(route(box, 'bigString', { mb: 11 }))).code, 'MOSAIC_ERR_PLUGIN_OUTPUT_TOO_LARGE', '11 MB with the default 64 MB isolate');
  t.equal(((await route(box, 'bigString', { mb: 9 })) as string).length, 9 * 1024 * 1024, '9 MB passes');
  t.equal((await rejection(route(box, 'bigString', { mb: 2 }, { limits: { outputChars: 1024 } }))).code, 'MOSAIC_ERR_PLUGIN_OUTPUT_TOO_LARGE', 'per-call override');
});

t.test('deeply nested output is refused before the host parses it', async (t) => {
  const box = sandbox(t, ATTACKS, { limits: ROOMY_CPU });
  t.ok(Array.isArray(await route(box, 'nested', { depth: 64 })), 'depth 64 is fine');
  for (const depth of [65, 1000, 5000]) {
    const error = await rejection(route(box, 'nested', { depth }));
    t.equal(error.code, 'MOSAIC_ERR_PLUGIN_OUTPUT_INVALID', `depth ${depth}`);
    t.match(error.message, /nested deeper than 64 levels/);
  }
  t.equal((await rejection(route(box, 'nested', { depth: 100000 }))).code, 'MOSAIC_ERR_PLUGIN_ERROR', 'too deep even for JSON.stringify inside');
  await healthy(t, box, 'the isolate was never harmed');
});

t.test('a host call storm is cut at the quota; the host sees at most quota + 1 calls', async (t) => {
  const box = sandbox(t, ATTACKS, { limits: { cpuMs: 300 } });
  for (const attack of ['stormParallel', 'stormSequential']) {
    const { host, calls } = recordingHost();
    const error = await rejection(route(box, attack, {}, { host }));
    t.equal(error.code, 'MOSAIC_ERR_PLUGIN_HOST_CALLS', attack);
    t.equal(error.statusCode, 429);
    t.equal(calls.length, 200, `${attack}: the host API served exactly 200 calls`);
  }
  const swallowed = recordingHost();
  const spin = await rejection(route(box, 'stormSwallowed', {}, { host: swallowed.host }));
  t.equal(spin.code, 'MOSAIC_ERR_PLUGIN_TIMEOUT', 'swallowing the refusal only spins inside the isolate until the CPU budget');
  t.equal(swallowed.calls.length, 200);
  const caught = recordingHost();
  t.same(await route(box, 'stormCaught', {}, { host: caught.host, limits: { hostCalls: 10 } }), [10, 'MOSAIC_ERR_PLUGIN_HOST_CALLS'], 'a plugin may catch the refusal and finish');
  t.equal(caught.calls.length, 10);
});

t.test('a long native call (JSON.parse of deep input) cannot hold the caller past its budget', async (t) => {
  const box = sandbox(t, ATTACKS, { memoryLimitMb: 512, limits: { cpuMs: 100 } });
  const { value: error, ms } = await timed(() => rejection(route(box, 'deepParse')));
  t.match(error.code, /^MOSAIC_ERR_PLUGIN_(TIMEOUT|MEMORY)$/);
  t.ok(ms < 1500, `answered after ${ms.toFixed(0)} ms`);
  t.comment(`deep JSON.parse inside the isolate: caller answered after ${ms.toFixed(0)} ms`);
  await healthy(t, box, 'a fresh isolate serves the next call');
});

t.test('top-level code that never finishes is stopped like a handler', async (t) => {
  const box = sandbox(t, `for (;;) {}`, { limits: { cpuMs: 100 } });
  t.equal((await rejection(route(box, 'ok'))).code, 'MOSAIC_ERR_PLUGIN_TIMEOUT');
});

t.test('work a handler leaves behind is stopped once it outspends the CPU budget while idle', async (t) => {
  for (const attack of ['leaveWorkBehind', 'microtaskTail']) {
    const box = sandbox(t, ATTACKS, { limits: { cpuMs: 100 } });
    const late = () => new Promise((resolve) => setTimeout(() => resolve('late'), 20));
    t.equal(await route(box, attack, {}, { host: late }), 'returned', `${attack} returns`);
    const start = performance.now();
    while (box.status().lastError === null && performance.now() - start < 3000) await new Promise((r) => setTimeout(r, 20));
    t.equal(box.status().lastError?.code, 'MOSAIC_ERR_PLUGIN_TIMEOUT', `${attack}: the leftover work was stopped`);
    t.match(box.status().lastError?.message ?? '', /kept running after its calls had finished/);
    t.equal(box.status().failures, 1, 'and counted');
    await healthy(t, box, `healthy after ${attack}`);
  }
});

t.test('an unhandled rejection inside the plugin does not fail the call', async (t) => {
  const box = sandbox(t, ATTACKS);
  t.equal(await route(box, 'unhandled'), 'fine');
  t.equal(await route(box, 'ok'), 1);
});

t.test('calls running beside a runaway one fail fast with a retryable error', async (t) => {
  const box = sandbox(t, ATTACKS, { limits: { cpuMs: 100 } });
  t.equal(await route(box, 'ok'), 1);
  const runaway = rejection(route(box, 'syncLoop'));
  await new Promise((resolve) => setTimeout(resolve, 30));
  // Queued behind the loop; charged only for the CPU spent since it arrived, so it is not over budget.
  const { value: other, ms } = await timed(() => rejection(route(box, 'ok', {}, { workspaceId: 'ws_other' })));
  const culprit = await runaway;
  t.equal(culprit.code, 'MOSAIC_ERR_PLUGIN_TIMEOUT', 'the runaway call times out');
  t.equal(other.code, 'MOSAIC_ERR_PLUGIN_CRASHED', 'the bystander learns its sandbox restarted');
  t.match(other.message, /another call .* ran past its budget; try again/);
  t.ok(ms < 500, `and learns it after ${ms.toFixed(0)} ms, not at its own deadline`);
  t.equal(box.status().failures, 1, 'one runaway, one failure');
  await healthy(t, box, 'healthy afterwards');
});

t.test('a call started before the runaway shares its CPU charge and stops with it', async (t) => {
  const box = sandbox(t, ATTACKS, { limits: { cpuMs: 100 } });
  const waiting = route(box, 'hostNeverAnswers', {}, { host: () => new Promise(() => {}) });
  await new Promise((resolve) => setTimeout(resolve, 20));
  const runaway = await rejection(route(box, 'syncLoop'));
  const early = await rejection(waiting);
  // CPU is charged per isolate, so the earlier call carries the runaway's CPU too and may cross its budget
  // in the same sample, or even one sample earlier. Either way both stop, at least one as a timeout.
  const codes = [runaway.code, early.code];
  t.ok(codes.every((c) => c === 'MOSAIC_ERR_PLUGIN_TIMEOUT' || c === 'MOSAIC_ERR_PLUGIN_CRASHED'), codes.join(', '));
  t.ok(codes.includes('MOSAIC_ERR_PLUGIN_TIMEOUT'));
  t.equal(box.status().failures, 1, 'one isolate stopped, one failure');
});

t.test('N sandbox failures in a row degrade the plugin until reset; handler errors neither count nor clear', async (t) => {
  const box = sandbox(t, ATTACKS, { failureThreshold: 3, limits: { cpuMs: 50 } });
  t.equal((await rejection(route(box, 'syncLoop'))).code, 'MOSAIC_ERR_PLUGIN_TIMEOUT');
  t.equal((await rejection(route(box, 'throws'))).code, 'MOSAIC_ERR_PLUGIN_ERROR');
  t.equal((await rejection(route(box, 'loopAfterAwait'))).code, 'MOSAIC_ERR_PLUGIN_TIMEOUT');
  t.equal(box.status().failures, 2, 'the handler error in between did not reset the streak');
  t.equal((await rejection(route(box, 'bigString', { mb: 1 }, { limits: { outputChars: 10 } }))).code, 'MOSAIC_ERR_PLUGIN_OUTPUT_TOO_LARGE');
  const status = box.status();
  t.equal(status.state, 'degraded');
  t.equal(status.failures, 3);
  t.equal(status.lastError?.code, 'MOSAIC_ERR_PLUGIN_OUTPUT_TOO_LARGE');
  t.match(status.lastErrorAt, /^\d{4}-\d\d-\d\dT/);
  t.equal(status.contexts, 0, 'the isolate was released while paused');
  const refused = await rejection(route(box, 'ok'));
  t.equal(refused.code, 'MOSAIC_ERR_PLUGIN_DEGRADED');
  t.equal(refused.statusCode, 503);
  t.match(refused.message, /paused after repeated failures.*MOSAIC_ERR_PLUGIN_OUTPUT_TOO_LARGE/);
  box.reset();
  t.equal(box.status().state, 'ready');
  t.equal(box.status().failures, 0);
  await healthy(t, box, 'works again after reset');
});
