/**
 * Sandbox figures: cold start, per-workspace context, warm invocation, bridge overhead per host call, and
 * a 1,000-record echo — measured against an in-process baseline of the same handler called directly.
 *
 *   npm run bench:sandbox
 */
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { PluginSandbox, type HostBridge, type InvokeRequest } from '../../kernel/src/sandbox/index.js';

const ACTOR = { type: 'member', id: 'mem_bench', name: 'Bench' } as const;
const SCRIPT = `globalThis.__mosaicPlugin = { routes: {
  noop: () => 1,
  calls: async (ctx, input) => { for (let i = 0; i < input.n; i++) await ctx.host.x.y(i); return input.n; },
  echo: (ctx, input) => input,
} };`;
const host: HostBridge = async () => 1;

function route(box: PluginSandbox, handler: string, input: unknown = {}, more: Partial<InvokeRequest> = {}): Promise<unknown> {
  return box.invoke({ workspaceId: 'ws_bench', kind: 'routes', handler, input, actor: ACTOR, host, ...more });
}

async function mean(times: number, fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < times; i++) await fn();
  return (performance.now() - start) / times;
}

let start = performance.now();
const cold = new PluginSandbox({ pluginId: 'cold', script: SCRIPT });
await route(cold, 'noop');
const coldMs = performance.now() - start;
start = performance.now();
await route(cold, 'noop', {}, { workspaceId: 'ws_second' });
const contextMs = performance.now() - start;
cold.dispose();

const box = new PluginSandbox({ pluginId: 'warm', script: SCRIPT });
await mean(300, () => route(box, 'noop'));
const warmMs = await mean(2000, () => route(box, 'noop'));
const hundredCallsMs = await mean(50, () => route(box, 'calls', { n: 100 }));
const bridgeUs = ((hundredCallsMs - warmMs) / 100) * 1000;
// Baseline: the same loop of 100 awaited host calls, run natively in this process.
const native = async (n: number) => { for (let i = 0; i < n; i++) await host('x', 'y', [i]); return n; };
const nativeUs = ((await mean(50, () => native(100))) / 100) * 1000;
const payload = { rows: Array.from({ length: 1000 }, (_, i) => ({ id: `rec_${i}`, name: `Company ${i}`, score: i })) };
const echoMs = await mean(50, () => route(box, 'echo', payload));
const nativeEchoMs = await mean(50, async () => JSON.parse(JSON.stringify(payload)));
box.dispose();

const lines = [
  '## Plugin sandbox',
  '',
  `Command: \`npm run bench:sandbox\` · ${new Date().toISOString().slice(0, 10)} · ${cpus().length} × ${cpus()[0]?.model.trim()} · Node ${process.version} · isolated-vm 5.0.4`,
  '',
  '| Measure | Sandbox | Native baseline |',
  '|---|--:|--:|',
  `| Cold start (isolate + context + script + first call) | ${coldMs.toFixed(2)} ms | — |`,
  `| New workspace context in a warm isolate | ${contextMs.toFixed(2)} ms | — |`,
  `| Warm invocation of a trivial route | ${(warmMs * 1000).toFixed(0)} µs | — |`,
  `| One host call through the bridge (goal ≤ 50 µs) | ${bridgeUs.toFixed(1)} µs | ${nativeUs.toFixed(1)} µs |`,
  `| Echo 1,000 records (~${(JSON.stringify(payload).length / 1024).toFixed(0)} KB) in and out | ${echoMs.toFixed(2)} ms | ${nativeEchoMs.toFixed(2)} ms (JSON round trip) |`,
  '',
];
console.log(lines.join('\n'));
writeFileSync(new URL('./results.md', import.meta.url), lines.join('\n'));
