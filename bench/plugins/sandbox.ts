/**
 * Sandbox figures, each against a baseline measured in the same run:
 * - bridge overhead per host call (`bridge.ts`): against the same host function called natively and
 *   against a bare isolated-vm round trip;
 * - cold start with a 200 KB bundle and the first call in a new workspace context (`cold-start.ts`):
 *   against the same work in `node:vm`;
 * - a warm invocation of a trivial route, and a 1,000-record echo: against the same handler called
 *   directly, input and output copied as JSON.
 *
 *   npm run bench:sandbox            (all of it; writes bench/plugins/results.md)
 *   npm run bench:sandbox:bridge     npm run bench:sandbox:cold-start
 */
import { writeFileSync } from 'node:fs';
import { PluginSandbox, type HostBridge, type InvokeRequest } from '../../kernel/src/sandbox/index.js';
import { bridgeMarkdown, measureBridge } from './bridge.js';
import { coldStartMarkdown, measureColdStart } from './cold-start.js';
import { fmt, interleave, machineLine, spread } from './measure.js';

const ACTOR = { type: 'member', id: 'mem_bench', name: 'Bench' } as const;
const SCRIPT = `globalThis.__mosaicPlugin = { routes: { noop: () => 1, echo: (ctx, input) => input } };`;
const host: HostBridge = async () => 1;
const payload = { rows: Array.from({ length: 1000 }, (_, i) => ({ id: `rec_${i}`, name: `Company ${i}`, score: i })) };

function route(box: PluginSandbox, handler: string, input: unknown, more: Partial<InvokeRequest> = {}): Promise<unknown> {
  return box.invoke({ workspaceId: 'ws_bench', kind: 'routes', handler, input, actor: ACTOR, host, ...more });
}

/** Warm invocation and echo, interleaved with their direct equivalents; µs and ms medians. */
async function measureInvocation(rounds: number) {
  const box = new PluginSandbox({ pluginId: 'warm', script: SCRIPT });
  const noop = () => 1;
  const echo = (_ctx: unknown, input: unknown) => input;
  const samples = await interleave(
    {
      sandboxNoop: () => route(box, 'noop', {}),
      nativeNoop: async () => JSON.parse(JSON.stringify(await noop())),
      sandboxEcho: () => route(box, 'echo', payload),
      nativeEcho: async () => JSON.parse(JSON.stringify(await echo({}, JSON.parse(JSON.stringify(payload))))),
    },
    rounds,
    Math.ceil(rounds / 5),
  );
  box.dispose();
  const median = (key: keyof typeof samples) => spread(samples[key].map((s) => s.wallUs)).median;
  return {
    noopUs: median('sandboxNoop'),
    nativeNoopUs: median('nativeNoop'),
    echoMs: median('sandboxEcho') / 1000,
    nativeEchoMs: median('nativeEcho') / 1000,
  };
}

const rounds = Number(process.env.BENCH_ROUNDS) || undefined;
const bridge = await measureBridge({ rounds, baselineSandbox: process.env.BENCH_BASELINE_SANDBOX || undefined });
const cold = await measureColdStart({ rounds: rounds === undefined ? undefined : Math.max(5, Math.round(rounds / 3)) });
const inv = await measureInvocation(rounds ?? 300);

const lines = [
  '## Plugin sandbox',
  '',
  `Command: \`npm run bench:sandbox\` · ${new Date().toISOString().slice(0, 10)} · ${machineLine()}`,
  '',
  '### Bridge overhead per host call (goal ≤ 50 µs)',
  '',
  ...bridgeMarkdown(bridge),
  '',
  '### Cold start, 200 KB bundle',
  '',
  ...coldStartMarkdown(cold),
  '',
  '### Invocation',
  '',
  '| Median | Sandbox | Direct call, JSON copies in and out | Ratio |',
  '|---|--:|--:|--:|',
  `| Warm invocation of a trivial route | ${fmt(inv.noopUs, 0)} µs | ${fmt(inv.nativeNoopUs, 1)} µs | ${fmt(inv.noopUs / inv.nativeNoopUs, 0)}× |`,
  `| Echo 1,000 records (~${(JSON.stringify(payload).length / 1024).toFixed(0)} KB) in and out | ${fmt(inv.echoMs, 2)} ms | ${fmt(inv.nativeEchoMs, 2)} ms | ${fmt(inv.echoMs / inv.nativeEchoMs, 1)}× |`,
  '',
];
console.log(lines.join('\n'));
writeFileSync(new URL('./results.md', import.meta.url), lines.join('\n'));
