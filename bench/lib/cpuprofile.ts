/**
 * Summarises a V8 `.cpuprofile` (from `node --cpu-prof`): where self time goes by package or kernel
 * folder, the hottest functions, and inclusive time of the functions whose location matches a filter.
 *
 *   node --import tsx bench/lib/cpuprofile.ts <file.cpuprofile> [--top 25] [--match kernel/src] [--requests N]
 *
 * With `--requests` (the number of requests served while profiling) each line also shows µs per request.
 */
import { readFile } from 'node:fs/promises';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: number[];
}
interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

/** Where a frame's code lives: an npm package, a kernel folder, node internals, or a V8 pseudo-frame. */
export function area(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const src = /\/(kernel\/src\/[^/]+)\//.exec(url);
  if (src) return src[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  const bench = /\/(bench\/[^/]+)\//.exec(url);
  return bench ? bench[1] : url;
}

function label(frame: CallFrame): string {
  const file = frame.url.replace(/^.*\/(node_modules|kernel\/src|bench)\//, '$1/').replace(/^file:\/\//, '');
  return `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`;
}

/** Self and inclusive milliseconds per function and self milliseconds per area. */
export function summarise(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const selfByArea = new Map<string, number>();
  const selfByFn = new Map<string, number>();
  const inclusiveByFn = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    selfByArea.set(area(node.callFrame), (selfByArea.get(area(node.callFrame)) ?? 0) + us);
    selfByFn.set(label(node.callFrame), (selfByFn.get(label(node.callFrame)) ?? 0) + us);
    // Walk to the root, counting each function once per sample stack even when it recurses.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const key = label(byId.get(cur)!.callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      inclusiveByFn.set(key, (inclusiveByFn.get(key) ?? 0) + us);
    }
  }
  return { totalMs: total / 1000, selfByArea, selfByFn, inclusiveByFn };
}

function table(title: string, entries: Map<string, number>, totalUs: number, top: number, requests: number, filter?: (k: string) => boolean): string {
  const rows = [...entries].filter(([k]) => !filter || filter(k)).sort((a, b) => b[1] - a[1]).slice(0, top);
  const perRequest = (us: number) => (requests > 0 ? `${(us / requests).toFixed(1).padStart(7)} µs/req ` : '');
  return [`\n${title}`, ...rows.map(([k, us]) => `${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}% ${perRequest(us)} ${k}`)].join('\n');
}

async function main(): Promise<void> {
  const [file, ...rest] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpuprofile.ts <file.cpuprofile> [--top N] [--match text]');
  const top = Number(rest[rest.indexOf('--top') + 1]) || 25;
  const match = rest.includes('--match') ? rest[rest.indexOf('--match') + 1] : 'kernel/src';
  const requests = rest.includes('--requests') ? Number(rest[rest.indexOf('--requests') + 1]) : 0;
  const s = summarise(JSON.parse(await readFile(file, 'utf8')) as Profile);
  const totalUs = s.totalMs * 1000;
  process.stdout.write(`profile: ${s.totalMs.toFixed(0)} ms sampled\n`);
  process.stdout.write(table('self time by area', s.selfByArea, totalUs, top, requests) + '\n');
  process.stdout.write(table('self time by function', s.selfByFn, totalUs, top, requests) + '\n');
  process.stdout.write(table(`inclusive time, functions matching "${match}"`, s.inclusiveByFn, totalUs, top, requests, (k) => k.includes(match)) + '\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
